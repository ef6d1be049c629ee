"""Runs on the default loop, consecutive in one test: the only ones of this module. One
anyio.run of them would leave the thread without a current loop for bridge.ready(): MANUAL
shared-loop, as for a single run."""
import asyncio

from bridge import ready


async def double(x):
    await asyncio.sleep(0)
    return x * 2


def test_steps_on_the_default_loop():
    loop = asyncio.get_event_loop()
    loop.run_until_complete(double(1))
    result = loop.run_until_complete(double(4))
    assert result == 8
    assert ready()


def test_the_library_after_the_steps():
    assert ready()
