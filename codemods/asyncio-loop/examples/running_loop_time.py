"""loop.time() on the running loop becomes anyio.current_time(); the then-unused loop goes."""
import asyncio
import time


async def elapsed_sleep(delay):
    loop = asyncio.get_running_loop()
    start = loop.time()
    await asyncio.sleep(delay)
    return loop.time() - start


async def deadline_passed(deadline):
    # get_event_loop() inside a coroutine returns the running loop.
    return asyncio.get_event_loop().time() >= deadline


async def main():
    took = await elapsed_sleep(0.02)
    print("slept at least 0.02s:", took >= 0.015)
    now = asyncio.get_running_loop().time()
    print("deadline in the past passed:", await deadline_passed(now - 1))
    print("deadline in the future passed:", await deadline_passed(now + 60))
    # The documented edge: on trio the clock's origin is not time.monotonic()'s.
    print("same origin as time.monotonic():", abs(now - time.monotonic()) < 1)
