"""CRLF line endings."""
from asyncio import *


async def tick(event):
    await sleep(0)
    await wait_for(event.wait(), 1)
