"""The values of acquire() and wait() change from True to None: flagged UNSAFE."""
import asyncio


async def main():
    lock = asyncio.Lock()
    if await lock.acquire():
        print("acquired")
    lock.release()
    event = asyncio.Event()
    event.set()
    print("wait() returned:", await event.wait())
    sem = asyncio.Semaphore(1)
    got = await sem.acquire()
    print("sem.acquire() returned:", got)
    sem.release()
    cond = asyncio.Condition()

    async def waiter():  # a nested function sees `cond` too (never called here)
        async with cond:
            return await cond.wait()

    async with cond:
        print("cond.acquire() result unused; locked:", cond.locked())
