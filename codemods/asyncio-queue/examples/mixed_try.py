"""One try guards a rewritten queue and one that stays: both exceptions stay caught."""
import asyncio

from elsewhere import register


async def poll():
    mine = asyncio.Queue()
    theirs = asyncio.Queue()
    register(theirs)  # escapes: stays an asyncio.Queue
    mine.put_nowait(1)
    try:
        a = mine.get_nowait()
        b = theirs.get_nowait()
    except asyncio.QueueEmpty:
        return None
    return a, b
