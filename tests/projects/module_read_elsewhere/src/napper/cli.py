"""A command that naps: the tests reach its `asyncio` through the module."""

import asyncio


async def nap(seconds):
    await asyncio.sleep(seconds)
    return "woke"
