"""pytest.raises(asyncio.CancelledError) in an async test expects the backend's cancellation
class (asyncio.CancelledError itself on the asyncio backend); in a sync function there is no
running loop to ask, and suppress() swallows the cancellation: both stay reported. A task the
test cancels and then awaits under pytest.raises is asyncio-create-task's (first test): in its
task group, awaiting the cancelled handle raises anyio.TaskCancelled, which the test expects."""
import asyncio
from contextlib import suppress

import pytest


async def test_cancelled_task():
    task = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_either(job):
    with pytest.raises((asyncio.CancelledError, TimeoutError)):
        await job()


def test_sync(loop, task):
    with pytest.raises(asyncio.CancelledError):
        loop.run_until_complete(task)


async def swallow(job):
    with suppress(asyncio.CancelledError):
        await job()
