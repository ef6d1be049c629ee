"""One try guards a queue split into streams and one kept whole (`_Queue`, which raises
asyncio.QueueEmpty as asyncio does): both exceptions stay caught."""
import asyncio

from elsewhere import register


async def poll():
    mine = asyncio.Queue()
    theirs = asyncio.Queue()
    register(theirs)  # escapes: kept whole, as _Queue
    mine.put_nowait(1)
    try:
        a = mine.get_nowait()
        b = theirs.get_nowait()
    except asyncio.QueueEmpty:
        return None
    return a, b
