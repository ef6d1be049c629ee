"""A task cancelled by hand and then awaited under a handler of the cancellation only:
`except asyncio.CancelledError:` (no `as`, no `raise`), `suppress(asyncio.CancelledError)` or
`pytest.raises(asyncio.CancelledError)`. In the task group, awaiting the cancelled handle raises
anyio.TaskCancelled, so each handler now catches that; a task that finished before the cancel
returns its value as before. (A cancellation of the waiting function itself is no longer
swallowed by such a handler: the note says so.)"""
import asyncio
import contextlib

import pytest

log = []


async def worker(tag):
    try:
        while True:
            await asyncio.sleep(0.005)
    finally:
        log.append(f"{tag} stopped")


async def quick():
    return "quick result"


async def cancel_then_suppress():
    task = asyncio.create_task(worker("suppress"))
    await asyncio.sleep(0.01)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    print("suppress: after the await;", log)


async def cancel_then_except():
    loop = asyncio.get_running_loop()
    task = loop.create_task(worker("except"))
    await asyncio.sleep(0.01)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("except: handler ran;", log)


async def cancel_then_raises():
    task = asyncio.create_task(worker("raises"))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    print("raises: the cancellation was raised;", log)


async def finished_before_cancel():
    task = asyncio.create_task(quick())
    await asyncio.sleep(0.01)
    task.cancel()
    try:
        print("finished:", await task)
    except asyncio.CancelledError:
        print("finished: not reached")


async def main():
    await cancel_then_suppress()
    await cancel_then_except()
    await cancel_then_raises()
    await finished_before_cancel()
