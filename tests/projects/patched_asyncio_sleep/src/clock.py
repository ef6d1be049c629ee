"""A module whose own name `sleep` (imported from asyncio) its tests replace."""
from asyncio import sleep


async def tick(n):
    await sleep(n)
    return n
