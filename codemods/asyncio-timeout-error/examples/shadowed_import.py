"""A module-level import binds `TimeoutError` to another class: every use is MANUAL."""
import asyncio
from concurrent.futures import TimeoutError


def wait(fut):
    try:
        return fut.result(timeout=1)
    except TimeoutError:
        return None


async def handler():
    try:
        await asyncio.sleep(0)
    except asyncio.TimeoutError:
        pass
