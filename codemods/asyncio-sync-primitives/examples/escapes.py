"""Where a primitive goes after it is made: followed into this file's functions, flagged when
it leaves them."""
import asyncio

import anyio


async def waiter(stop, log):
    await stop.wait()
    log.append("stopped")


def consume(guard):
    return guard.locked()


async def followed(log):
    stop = asyncio.Event()
    async with anyio.create_task_group() as tg:
        tg.start_soon(waiter, stop, log)  # followed into waiter(): no clear() there
        stop.set()


async def passed_on(registry):
    stop = asyncio.Event()
    registry.append(stop)  # leaves this file's view: flagged
    return stop


def make_event():
    return asyncio.Event()  # not bound to a name: its users cannot be checked


async def semaphore_helper():
    guard = asyncio.Semaphore(1)
    return consume(guard)  # consume() calls locked(), which anyio.Semaphore lacks
