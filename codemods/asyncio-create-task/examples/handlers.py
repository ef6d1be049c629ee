"""A task awaited under a handler: in a task group `await t` raises anyio.TaskFailed /
anyio.TaskCancelled instead, and the group re-raises the failure when it ends, so the handler
no longer stops it. Seen in real test suites (janus, aiojobs, async-lru, async-limiter,
aiotools, asyncio-dgram). A handler of the task's own failure inside the task's block
(`raises_around_await`, `except_around_await`) keeps it: the task runs on `_kept_failure(...)`
and `await _raise_kept(t)` raises its exception as asyncio's Task did (`kept.rs`). A task
cancelled by hand and awaited under a handler of the cancellation alone is migrated
(runnable_cancel_handlers.py). The other variants stay MANUAL: a handler that can catch a
cancellation with no cancel before the await, one that re-raises, binds the exception or
catches more than the cancellation of a cancelled task, one that encloses the creation, and
`result()` read under a handler."""
import asyncio
import contextlib

import pytest


class QueueShutDown(Exception):
    pass


async def putter():
    await asyncio.sleep(0.01)
    raise QueueShutDown


async def job():
    await asyncio.sleep(10)


async def raises_around_await():
    task = asyncio.create_task(putter())
    await asyncio.sleep(0)
    with pytest.raises(QueueShutDown):
        await task


async def suppress_without_cancel():
    # Nothing here cancels the task: a CancelledError here is this function's own cancellation,
    # which the handler swallows (anyio's handle would raise something else).
    task = asyncio.create_task(job())
    await asyncio.sleep(0)
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def cancel_then_reraise():
    task = asyncio.create_task(job())
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("cancelled")
        raise


async def cancel_then_bound():
    task = asyncio.create_task(job())
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError as exc:
        print("cancelled", exc.args)


async def cancel_then_broad():
    task = asyncio.create_task(job())
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except (asyncio.CancelledError, QueueShutDown):
        pass


async def cancel_handler_outside_the_block():
    # The handler encloses the creation: it would sit outside the task group, where the
    # group's ExceptionGroup arrives instead of anyio.TaskCancelled.
    try:
        task = asyncio.create_task(job())
        await asyncio.sleep(0)
        task.cancel()
        await task
    except asyncio.CancelledError:
        pass


async def except_around_await():
    t = asyncio.create_task(putter())
    try:
        await t
    except QueueShutDown as exc:
        print("caught", repr(exc))


async def result_under_raises():
    t = asyncio.create_task(putter())
    await asyncio.sleep(0.05)
    with pytest.raises(QueueShutDown):
        t.result()


async def awaited_directly():
    with pytest.raises(QueueShutDown):
        await asyncio.create_task(putter())


async def no_handler_is_rewritten():
    t = asyncio.create_task(job())
    await asyncio.sleep(0)
    t.cancel()
