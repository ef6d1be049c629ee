"""An async generator closed inside the timeout block (`aclosing(...)`) is MANUAL: its cleanup
runs after the deadline, and anyio cancels every await of that cleanup again where asyncio
delivered one CancelledError (aiotools' `as_completed_safe()` generator waits for its cancelled
children when closed: the test went from 0.01 s to 20 s under `anyio.fail_after`, and sometimes
hung)."""
import asyncio
from contextlib import aclosing


async def results(jobs):
    try:
        for job in jobs:
            yield await job
    finally:
        await asyncio.sleep(0.1)  # cleanup that awaits, e.g. waiting for cancelled children


async def first_two(jobs):
    out = []
    try:
        async with (
            asyncio.timeout(0.15),
            aclosing(results(jobs)) as ag,
        ):
            async for r in ag:
                out.append(r)
    except TimeoutError:
        pass
    return out


async def nested(jobs):
    async with asyncio.timeout(1):
        async with aclosing(results(jobs)) as ag:
            return [r async for r in ag]


async def closed_outside(jobs):
    # The generator is closed outside the timeout: rewritten.
    async with aclosing(results(jobs)) as ag:
        async with asyncio.timeout(1):
            return await anext(ag)
