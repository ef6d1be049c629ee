"""A Lock whose acquire or release runs outside the task that holds it, as a bridge between a
thread and the event loop does: the release handed out as a loop callback
(`loop.call_soon_threadsafe(lock.release)`) and the acquire started in a task of its own
(`create_task(lock.acquire())`). asyncio's Lock has no owner; anyio's raises RuntimeError when
another task (or a callback outside any task) releases it, and the lock then stays held. Both
stay MANUAL, and the Lock with them."""
import asyncio


class Bridge:
    def __init__(self, loop):
        self.loop = loop
        self.lock = asyncio.Lock()  # MANUAL: unsupported-uses

    async def receive(self):
        await self.lock.acquire()
        return "received"

    def on_error(self):
        asyncio.create_task(self.lock.acquire())  # MANUAL: acquired-elsewhere

    def from_thread(self):
        # MANUAL: released-elsewhere (the bound method runs as a loop callback)
        self.loop.call_soon_threadsafe(self.lock.release)
