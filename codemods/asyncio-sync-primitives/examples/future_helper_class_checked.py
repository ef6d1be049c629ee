"""Before anyio 4.15 (migrated for anyio 4.14): a file that checks for asyncio.Future keeps
its Futures asyncio's, as the `_Future` helper is not one (MANUAL future-class-checked)."""
import asyncio


def is_future(x):
    return isinstance(x, asyncio.Future)


async def checked():
    fut = asyncio.Future()
    fut.set_result(2)
    return is_future(fut), await fut
