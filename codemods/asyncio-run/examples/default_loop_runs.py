"""Every use of the thread's default loop outside a coroutine runs a coroutine call on it, so
each becomes `anyio.run(...)` (UNSAFE: the loop was the thread's default)."""
import asyncio


async def work(x):
    await asyncio.sleep(0)
    return x


def first():
    return asyncio.get_event_loop().run_until_complete(work(1))


def second():
    loop = asyncio.get_event_loop()
    return loop.run_until_complete(work(2))
