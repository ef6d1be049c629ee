"""asyncio.Lock in its common spellings: async with, acquire/release in one task."""
import asyncio
import asyncio as aio
from asyncio import Lock

registry_lock = asyncio.Lock()  # module level: constructing it needs no running loop


class Counter:
    def __init__(self):
        self._lock = aio.Lock()
        self.value = 0

    async def bump(self):
        async with self._lock:
            self.value += 1
            return self.locked_now()

    def locked_now(self):
        return self._lock.locked()


async def main():
    counter = Counter()
    print("locked inside async with:", await counter.bump())
    lock = Lock()
    await lock.acquire()  # the result is not used: fine
    try:
        print("locked after acquire:", lock.locked())
    finally:
        lock.release()
    print("locked after release:", lock.locked())
    async with registry_lock:
        print("registry lock held:", registry_lock.locked())
