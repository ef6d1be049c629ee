"""asyncio's Lock and Semaphore take a free lock without yielding; anyio's do only when made
with `fast_acquire=True`, so that is what the rewrite emits (janus: a getter must be counted
as waiting after one `sleep(0)`; docs/evidence/sync_fast_acquire.py). The order printed here
is the same under asyncio and under anyio's asyncio backend (trio does not promise the order
in which a new task and a `sleep(0)` resume, spec §6, so this example is not run there)."""
import asyncio


class Channel:
    def __init__(self):
        self._mutex = asyncio.Lock()
        self._not_empty = asyncio.Condition(self._mutex)
        self._slots = asyncio.BoundedSemaphore(2)
        self.waiting = 0
        self.items = []

    async def get(self):
        async with self._slots:
            async with self._not_empty:
                while not self.items:
                    self.waiting += 1
                    try:
                        await self._not_empty.wait()
                    finally:
                        self.waiting -= 1
                return self.items.pop()


async def check():
    ch = Channel()
    task = asyncio.create_task(ch.get())
    await asyncio.sleep(0)
    print("getter waiting after one sleep(0):", ch.waiting)
    task.cancel()
