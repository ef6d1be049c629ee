import asyncio
from unittest import mock

import pytest


async def test_loop_is_running(loop):
    assert loop is asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_soon(fut.set_result, 7)
    assert await fut == 7


async def test_executor(loop):
    assert await loop.run_in_executor(None, sum, [1, 2]) == 3


@pytest.fixture
def owner(event_loop):
    """A stand-in that keeps the test's loop, as a client or server would."""
    owner = mock.MagicMock()
    owner.loop = event_loop
    return owner


@pytest.fixture
def loops(event_loop):
    seen = [event_loop]
    yield seen
    assert seen == [event_loop, event_loop]


async def test_owner_keeps_the_running_loop(owner, loops):
    assert owner.loop is asyncio.get_running_loop()
    fut = owner.loop.create_future()
    owner.loop.call_soon(fut.set_result, 1)
    assert await fut == 1
    loops.append(asyncio.get_running_loop())
