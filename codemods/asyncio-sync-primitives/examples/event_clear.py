"""Event with clear(): anyio.Event cannot be reset. An Event on `self`, bound only to Event
constructors and read afresh by every use, is reset by binding a fresh one when it is set
(Ticker); an Event that reaches clear() through a parameter is MANUAL and unchanged."""
import asyncio


class Ticker:
    def __init__(self):
        self._tick = asyncio.Event()

    async def wait_tick(self):
        await self._tick.wait()
        self._tick.clear()  # reset: a fresh Event once this one is set

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
