"""Another module whose `asyncio` a test patches by its dotted path."""

import asyncio


async def tick():
    await asyncio.sleep(3600)
    return "tick"
