"""An assertion on the value of wait() or acquire() in test code always held: asyncio's return
True whenever they return (or raise). anyio's return None, so the assertion becomes the
statement that waits (SAFE). Outside test code an assertion may not run at all (`python -O`),
so there it is a condition like any other (`return_values.py`). Through `wait_for` the value
passes a timeout first, which asyncio-timeout hoists: MANUAL here, as for any condition."""
import asyncio


async def test_wait_asserted():
    ev = asyncio.Event()
    ev.set()
    assert await ev.wait()  # rewrite
    assert (await ev.wait()) is True, "set"  # rewrite


async def test_acquire_asserted():
    lock = asyncio.Lock()
    assert await lock.acquire() == True  # noqa: E712  # rewrite
    lock.release()


async def test_wait_for_asserted():
    ready = asyncio.Event()
    ready.set()
    assert await asyncio.wait_for(ready.wait(), 1)  # MANUAL: value-tested
