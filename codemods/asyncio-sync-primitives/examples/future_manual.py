"""Futures left to asyncio, each reported where it is: a done callback, a bound method handed to
the loop, a future failed (or cancelled) here and awaited here, one whose cancelled() is read
while a task awaits it (asyncio's became cancelled with that task), one passed to code this
file does not show, one made with arguments, one not stored, and the class as a factory."""
import asyncio
import collections

import somewhere


async def callback():
    fut = asyncio.Future()
    fut.add_done_callback(print)
    asyncio.get_running_loop().call_soon(fut.set_result, 1)
    return await fut


async def failed():
    fut = asyncio.Future()
    fut.set_exception(ValueError("no"))
    try:
        await fut
    except ValueError:
        return "caught"


async def cancelled():
    fut = asyncio.Future()
    fut.cancel()
    await fut


async def cancelled_waiter_observed(scheduler):
    fut = asyncio.Future()

    async def job():
        await fut

    await scheduler.run_and_cancel(job)
    return fut.cancelled()


async def cancelled_not_awaited():
    fut = asyncio.Future()
    fut.cancel()
    return fut.cancelled()


async def handed_over():
    fut = asyncio.Future()
    somewhere.register(fut)
    await fut


async def with_loop(loop):
    fut = asyncio.Future(loop=loop)
    await fut


async def many():
    futures = [asyncio.Future() for _ in range(3)]
    await asyncio.wait(futures)


def checks(x):
    return isinstance(x, asyncio.Future)


async def waits_on(fut: asyncio.Future):
    await fut


class Pending(collections.defaultdict):
    # asyncio.Future as a factory: the Futures it makes are used where nothing follows them.
    def __init__(self):
        super().__init__(asyncio.Future)
