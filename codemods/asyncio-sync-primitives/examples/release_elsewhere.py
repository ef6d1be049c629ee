"""release() in a function that does not acquire: anyio would refuse a release from a task that
does not hold the lock (asyncio's Lock has no owner), so that lock stays asyncio's (MANUAL) and
the program prints the same; __aenter__ / __aexit__ of one class count as one task. The
original already uses an anyio task group, so it runs on asyncio as written."""
import asyncio

import anyio


class Guard:
    """__aenter__ acquires and __aexit__ releases: the same task, not flagged."""

    def __init__(self):
        self._lock = asyncio.Lock()

    async def __aenter__(self):
        await self._lock.acquire()
        return self

    async def __aexit__(self, *exc):
        self._lock.release()


async def main():
    async with Guard():
        print("guard held")
    lock = asyncio.Lock()  # MANUAL: unsupported-uses

    async def release_it():
        try:
            lock.release()  # MANUAL: released-elsewhere
            print("released by another task")
        except RuntimeError:
            print("release by another task: RuntimeError")

    await lock.acquire()
    async with anyio.create_task_group() as tg:
        tg.start_soon(release_it)
    print("still locked:", lock.locked())
