"""A semaphore returned from a public property leaves this file: callers may call `locked()`
or read `_value`, which anyio.Semaphore lacks (async-limiter's tests call
`limiter.semaphore.locked()`), so it is MANUAL, naming the escape."""
import asyncio


class Limiter:
    def __init__(self, max_concurrent):
        self.max_concurrent = max_concurrent
        self._semaphore = None

    @property
    def semaphore(self):
        if self._semaphore is None:
            self._semaphore = asyncio.BoundedSemaphore(self.max_concurrent)
        return self._semaphore

    async def acquire(self):
        await self.semaphore.acquire()

    def release(self):
        self.semaphore.release()


class Private:
    def __init__(self):
        self._sem = asyncio.Semaphore(3)

    def busy(self):
        return self._sem.locked()  # kept inside: rewritten to `.value == 0`
