"""A CRLF file stays CRLF."""
import asyncio

import anyio


async def main():
    try:
        with anyio.fail_after(0.01):
            await anyio.sleep(1)
    except (asyncio.TimeoutError, ValueError):
        print("caught")
