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


def test_sync_driver(event_loop):
    """A sync test driving one coroutine on its loop: `asyncio.run`, then `anyio.run`."""

    async def run():
        await asyncio.sleep(0)
        return asyncio.get_running_loop().is_running()

    assert event_loop.run_until_complete(run()) is True


def test_sync_driver_typed(tmp_path, event_loop: asyncio.AbstractEventLoop) -> None:
    async def write(path):
        path.write_text("x")

    result = event_loop.run_until_complete(write(tmp_path / "f"))
    assert result is None
    assert (tmp_path / "f").read_text() == "x"


@pytest.mark.asyncio
async def test_keyword_only(*, event_loop, tmp_path):
    """The request after a bare `*` goes; `tmp_path` keeps the `*` valid."""
    assert event_loop is asyncio.get_running_loop()
    assert tmp_path.is_dir()
