"""Before anyio 4.15 (migrated for anyio 4.14): the Futures the `_Future` helper cannot keep
faithful stay asyncio's, each reported where it is."""
import asyncio


async def cancelled_and_awaited():
    # MANUAL future-helper-cancel: asyncio's await raised CancelledError here.
    fut = asyncio.Future()
    fut.cancel()
    try:
        await fut
    except asyncio.CancelledError:
        return "cancelled"


async def with_a_callback(log):
    # MANUAL future-method: the helper has no add_done_callback.
    fut = asyncio.Future()
    fut.add_done_callback(lambda f: log.append(f.result()))
    fut.set_result(1)
