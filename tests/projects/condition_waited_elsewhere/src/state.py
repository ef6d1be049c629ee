"""Shared state whose revisions wake a supervisor, and a flag set once."""
import asyncio
import dataclasses


@dataclasses.dataclass
class State:
    revised: asyncio.Condition = dataclasses.field(default_factory=asyncio.Condition)
    ready: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)

    async def revise(self):
        async with self.revised:
            self.revised.notify_all()
