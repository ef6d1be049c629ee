"""Only names the star import supplies are listed: not locals, attributes, keyword names or the
module's own definitions."""
from asyncio import *
import collections


def gather(*parts):
    return list(parts)


async def uses(sleep, obj):
    await sleep(1)
    obj.Event()
    obj.run(timeout=1)
    Queue = collections.deque
    return Queue(), gather(1, 2), Lock()
