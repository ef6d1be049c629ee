"""Infinite delays become sleep_forever; not runnable (it never returns)."""
import asyncio
import math


async def wait_forever():
    await asyncio.sleep(math.inf)


async def also_forever():
    await asyncio.sleep(float("inf"))
