"""Async tests and fixtures requesting pytest-asyncio's `event_loop` (before 1.0): each gets the
loop running it from `asyncio.get_running_loop()` instead."""
import asyncio

import pytest


@pytest.fixture
async def started(event_loop):
    """An async fixture runs on the test's loop."""
    return event_loop


@pytest.fixture
async def unused(event_loop):
    return 5


@pytest.mark.asyncio
async def test_fixture_loop_is_the_test_loop(event_loop, started):
    """Doc."""
    assert started is event_loop
    assert event_loop is asyncio.get_running_loop()


@pytest.mark.asyncio
async def test_typed(event_loop: asyncio.AbstractEventLoop):
    fut = event_loop.create_future()
    event_loop.call_soon(fut.set_result, 7)
    assert await fut == 7
    assert await event_loop.run_in_executor(None, sum, [1, 2]) == 3


@pytest.mark.asyncio
async def test_not_read(unused, event_loop):
    assert unused == 5
