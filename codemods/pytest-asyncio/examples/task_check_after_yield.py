"""A check that a block left no task running, reading asyncio.all_tasks() after its yield (a
context manager, an async generator fixture): under anyio's pytest plugin a fixture's teardown
runs while a task of the plugin's waits for it, which such a check counts as left running, so
each is MANUAL task-check-after-yield and keeps the suite on pytest-asyncio. A check inside the
test itself, or before the yield, is left alone."""
import asyncio
import contextlib

import pytest


@contextlib.contextmanager
def no_leaked_tasks():
    before = asyncio.all_tasks()
    yield
    current = asyncio.current_task()
    leaked = [t for t in asyncio.all_tasks() if t not in before and t is not current]
    assert not leaked, leaked


@pytest.fixture
async def quiet_loop():
    yield
    assert len(asyncio.all_tasks()) == 1


@pytest.mark.asyncio
async def test_counts_its_own(quiet_loop):
    tasks = asyncio.all_tasks()  # the test's own check: left alone
    assert asyncio.current_task() in tasks
