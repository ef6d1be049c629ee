"""A task made by asyncio.create_task and cancelled by hand: asyncio-create-task starts it in a
task group, so its `.cancel()` is the handle's and asyncio-cancelled-error (which alone reports
it, `task-cancel`) says nothing; awaiting the cancelled handle under pytest.raises expects
anyio.TaskCancelled. The cases of asyncio-cancelled-error's raise_and_cancel.py and
pytest_raises.py whose snapshots there run asyncio-cancelled-error alone."""
import asyncio

import pytest


async def job():
    await asyncio.sleep(1)


async def cancel_own_task():
    mine = asyncio.create_task(job())
    mine.cancel()


async def test_cancelled_task():
    task = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
