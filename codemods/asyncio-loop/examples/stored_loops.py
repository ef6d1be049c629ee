"""Loops kept on self or received as arguments."""
import asyncio


class Dispatcher:
    def __init__(self):
        self._loop = asyncio.get_event_loop()

    def post(self, cb):
        # Traced to __init__'s get_event_loop(): reported there, once.
        self._loop.call_soon_threadsafe(cb)

    def stamp(self):
        return self._loop.time()


class Relay:
    def __init__(self, loop):
        self.loop = loop

    def post(self, cb):
        # Not traceable to a get_*_loop() call: reported here.
        self.loop.call_soon(cb)

    def spawn(self, coro):
        # create_task on a receiver named as a loop, not traceable: reported here too (a task
        # group's create_task, `tg.create_task`, is not).
        return self.loop.create_task(coro)


def schedule(loop, cb):
    loop.call_later(1, cb)
    return loop.time()


async def hand_over(register):
    # Passed on: the receiver needs its own replacement.
    register(asyncio.get_running_loop())


async def two_loops():
    loop = asyncio.get_running_loop()
    if loop.time() > 0:
        loop = asyncio.get_event_loop()
    return loop.time()
