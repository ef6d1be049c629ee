"""Condition: the default lock, an explicit lock (rewritten too), wait_for's value."""
import asyncio


class Box:
    def __init__(self):
        self._lock = asyncio.Lock()
        self._cond = asyncio.Condition(self._lock)
        self.items = []

    async def put(self, item):
        async with self._cond:
            self.items.append(item)
            self._cond.notify_all()

    async def take(self):
        async with self._cond:
            # wait_for returns the predicate's value in both libraries
            return await self._cond.wait_for(lambda: self.items and self.items.pop(0))


def wrap(lock):
    # The lock comes from the caller: flagged, it must be an anyio.Lock too.
    return asyncio.Condition(lock)


def fresh():
    return asyncio.Condition(asyncio.Lock())  # rewritten together


async def main():
    box = Box()
    await box.put("a")
    print("took:", await box.take())
    cond = asyncio.Condition()
    async with cond:
        print("default lock held:", cond.locked())
        cond.notify()
    lock = asyncio.Lock()
    shared = asyncio.Condition(lock=lock)
    async with shared:
        print("shared lock held:", lock.locked())
    print("fresh:", fresh().locked(), "wrapped:", wrap(lock).locked())
    try:
        cond.notify()
    except RuntimeError:
        print("notify without the lock: RuntimeError")
