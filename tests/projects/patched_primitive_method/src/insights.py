"""Readiness flags and a guard an operator checks before it serves."""
import asyncio


class Insights:
    def __init__(self):
        self.ready = asyncio.Event()
        self.guard = asyncio.Lock()

    def busy(self):
        return self.guard.locked()

    async def serve(self):
        self.ready.set()
        await self.ready.wait()
        return "served"
