"""An `event_loop` fixture (pytest-asyncio before 1.0) that chooses the loop every test runs on:
deleting it would silently run the tests on a plain loop, so it is reported (and keeps the
suite on pytest-asyncio); a plain make-yield-close fixture is deleted."""
import asyncio

import pytest


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    loop.set_debug(True)
    yield loop
    loop.close()


@pytest.mark.asyncio
async def test_debug_loop():
    assert asyncio.get_running_loop().get_debug()
