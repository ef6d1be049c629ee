"""Event with clear(): anyio.Event cannot be reset, so the Event is MANUAL and unchanged."""
import asyncio


class Ticker:
    def __init__(self):
        self._tick = asyncio.Event()

    async def wait_tick(self):
        await self._tick.wait()
        self._tick.clear()  # no anyio equivalent

    def tick(self):
        self._tick.set()


def reset(flag: asyncio.Event):  # the annotation stays with the object's type
    flag.clear()


async def worker():
    ready = asyncio.Event()
    ready.set()
    reset(ready)  # followed into reset(): it clears the event
    return ready.is_set()


async def no_clear():
    done = asyncio.Event()  # no clear() anywhere: rewritten
    done.set()
    return done.is_set()
