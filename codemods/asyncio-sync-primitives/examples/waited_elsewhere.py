"""A Condition waited on in a task of its own: `create_task(cond.wait())` while the caller
holds the lock, then waiting for that task beside others, as a supervisor that also watches
its workers does. asyncio's wait releases the lock from the waiting task (its Lock has no
owner); anyio's raises RuntimeError there ("The current task is not holding the underlying
lock") and the lock stays held, so the next `async with cond:` elsewhere waits forever. That
Condition stays asyncio's; the one whose waits are awaited where they are called becomes
anyio's."""
import asyncio


class Supervisor:
    def __init__(self):
        self.revised = asyncio.Condition()  # MANUAL: unsupported-uses
        self.ready = asyncio.Condition()

    async def watch(self, workers):
        async with self.revised:
            waiter = asyncio.create_task(self.revised.wait())  # MANUAL: waited-elsewhere
            done, _ = await asyncio.wait({waiter, *workers}, return_when=asyncio.FIRST_COMPLETED)
            return done

    async def watch_until(self, predicate):
        async with self.revised:
            checker = asyncio.ensure_future(self.revised.wait_for(predicate))  # MANUAL: waited-elsewhere
            await asyncio.wait({checker})

    async def until_ready(self):
        async with self.ready:
            await self.ready.wait()

    async def mark_ready(self):
        async with self.ready:
            self.ready.notify_all()
