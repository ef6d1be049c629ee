"""Cancelling by hand: raising CancelledError and Task.cancel() are MANUAL."""
import asyncio
from asyncio import CancelledError


class Worker:
    def __init__(self):
        self.task = None

    def stop(self):
        self.task.cancel()  # not provably an asyncio Task: left to asyncio-create-task


async def job():
    await asyncio.sleep(1)


async def give_up(reason):
    if reason:
        raise asyncio.CancelledError(reason)
    raise CancelledError


async def cancel_tasks(scope, task):
    mine = asyncio.create_task(job())
    mine.cancel()
    asyncio.current_task().cancel()
    task.cancel()  # a parameter: unknown
    scope.cancel()  # an anyio scope: fine
    other = asyncio.create_task(job())
    other = None
    other.cancel()  # rebound: unknown
