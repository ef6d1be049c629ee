"""The values of acquire() and wait() change from True to None. Passed on (printed, stored,
returned): flagged UNSAFE. Deciding a condition, directly or through a variable: the primitive
stays asyncio's (MANUAL), as the condition would always go the other way."""
import asyncio


async def main():
    lock = asyncio.Lock()
    if await lock.acquire():  # MANUAL: value-tested
        print("acquired")
    lock.release()
    event = asyncio.Event()
    event.set()
    print("wait() returned:", await event.wait())
    done = asyncio.Event()
    done.set()
    ok = await done.wait()
    print("done" if ok else "not done")  # MANUAL: value-tested
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
