"""A feed an object owns (its queue lives as long as the object) and a batch a function
drains (its queue lives as long as the call)."""
import asyncio


class Feed:
    def __init__(self):
        self._items = asyncio.Queue()

    async def publish(self, item):
        await self._items.put(item)

    async def next(self):
        return await self._items.get()


async def batch(items):
    queue = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    out = []
    while not queue.empty():
        out.append(await queue.get())
    return out
