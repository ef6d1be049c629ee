# A custom asyncio event loop (or policy) subclasses asyncio's classes: reported at the base.
import asyncio
from asyncio import base_events


class TimeTravelLoop(asyncio.BaseEventLoop):
    def time(self):
        return 0.0


class Selector(asyncio.SelectorEventLoop):
    pass


class Policy(asyncio.DefaultEventLoopPolicy):
    pass


class Spelled(base_events.BaseEventLoop):
    pass


class NotALoop(asyncio.Event):
    # Not a loop class: asyncio-loop leaves it (asyncio-sync-primitives reports it).
    pass


def check(loop):
    # A class named in isinstance() is not a subclass.
    return isinstance(loop, asyncio.BaseEventLoop)
