"""A timeout's mutators (`reschedule`, and async_timeout's `update`, `reject`, `shift`) where
asyncio's timeout raised RuntimeError and anyio's CancelScope would take the new deadline
silently: after the block (a finished timeout), or in a block that catches the cancellation
(the code goes on after the timeout expired). Both stay as written, reported; inside a block
that cannot go on after expiry the mutator is rewritten (first function)."""
import asyncio
from contextlib import suppress

import async_timeout


async def inside(job):
    async with async_timeout.timeout(1) as cm:
        cm.shift(1)
        await job()


async def after_the_block(job):
    async with async_timeout.timeout(1) as cm:
        await job()
    cm.shift(1)


async def after_expiry(job):
    async with async_timeout.timeout(0.01) as cm:
        with suppress(asyncio.CancelledError):
            await job()
        cm.reject()


async def rescheduled_after(job):
    async with asyncio.timeout(1) as cm:
        await job()
    cm.reschedule(None)
