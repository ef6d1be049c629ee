"""A loop parameter with a fallback (`loop = loop or asyncio.get_event_loop()`): the uses after
the fallback are of a loop, the one passed or this one, so the fallback's finding lists them
(here `create_task`, which is reported nowhere else: task groups have a `create_task` too)."""
import asyncio


def spawn(coro, loop=None):
    loop = loop or asyncio.get_event_loop()
    return loop.create_task(coro)


def checked_first(coro, loop=None):
    # Before the fallback the parameter may be None: that use is not listed.
    if loop is not None and loop.is_closed():
        raise RuntimeError("closed")
    loop = loop or asyncio.get_event_loop()
    return loop.create_task(coro)


def other_name(coro, given=None):
    # Not the parameter's own fallback: the finding says the loop escapes into that line, and
    # `loop.create_task` is reported where it is.
    loop = given or asyncio.get_event_loop()
    return loop.create_task(coro)
