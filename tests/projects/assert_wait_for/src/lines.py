"""A line source whose reads take a moment; its tests time each read out."""
import asyncio


class Lines:
    def __init__(self, *lines):
        self.pending = list(lines)
        self.reads = 0

    async def readline(self):
        self.reads += 1
        await asyncio.sleep(0.01)
        return self.pending.pop(0) if self.pending else b""

