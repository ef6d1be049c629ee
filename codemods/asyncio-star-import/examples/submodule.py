"""Star imports of asyncio submodules provide only that submodule's names."""
from asyncio.locks import *
from asyncio .queues import *


async def produce(q):
    async with Lock():
        await q.put(1)
    try:
        q.get_nowait()
    except QueueEmpty:
        pass
    return Queue(), sleep
