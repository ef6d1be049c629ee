"""Closures over the loop: only the time() calls in the owning coroutine itself are rewritten."""
import asyncio


async def measure(items):
    loop = asyncio.get_running_loop()
    stamps = [loop.time() for _ in items]

    def later():
        # Might run in another thread: left alone and reported.
        return loop.time()

    key = lambda _: loop.time()
    return stamps, later, key


async def inner_owns_its_loop():
    async def tick():
        loop = asyncio.get_running_loop()
        return loop.time()

    return await tick()


async def rebound_through_nonlocal():
    loop = asyncio.get_running_loop()

    def swap():
        nonlocal loop
        loop = None

    swap()
    # `loop` may not be the running loop any more: not rewritten.
    return loop.time()
