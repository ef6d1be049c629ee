"""A gather with return_exceptions=True that stays asyncio (a Task argument) under a timeout
the migration rewrites. CPython's gather, cancelled, raises a CancelledError built from its
last argument; when that argument had already finished it carries no cancel message, and
anyio's cancel scope (which knows its own cancellations by their message) lets it escape: the
migrated `fail_after` would raise CancelledError, where `asyncio.timeout` raised TimeoutError.
The MANUAL finding at the gather says so. (Run: scripts/difftest/findings/
gather_collecting_left_in_scope.py shows both outcomes.)"""
import asyncio


async def child(delay):
    await asyncio.sleep(delay)
    return delay


async def demo():  # not `main`: not a runnable example, the outputs differ on purpose
    try:
        async with asyncio.timeout(0.02):
            slow = asyncio.create_task(child(0.07))
            print(await asyncio.gather(slow, child(0.001), return_exceptions=True))
    except TimeoutError:
        print("timed out")


asyncio.run(demo())
