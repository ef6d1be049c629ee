"""Every spelling is followed (`aio.create_task`, a from-import with or without an alias,
`ensure_future` of an `async def` of this file); look-alikes stay as they are."""
import asyncio as aio
from asyncio import create_task
from asyncio import create_task as spawn
from asyncio import ensure_future

import anyio


async def job(n=0):
    await aio.sleep(0)
    return n


async def via_alias():
    t = aio.create_task(job(1), name="one")
    return await t, t.get_name()


async def via_from_import():
    t = create_task(job(2))
    return await t


async def via_aliased_from_import():
    task = spawn(job(3))
    value = await task
    return value, task.done()


async def via_ensure_future():
    t = ensure_future(job(4))
    return await t


# ------------------------------------------------------------------ look-alikes


async def local_create_task():
    def create_task(coro):
        return coro

    t = create_task(job())
    return await t


async def parameter_shadows(spawn):
    t = spawn(job())
    return await t


async def methods(loop, tg, scheduler):
    # loop.create_task is reported by asyncio-loop; tg and scheduler are not asyncio.
    t1 = loop.create_task(job())
    t2 = tg.create_task(job())
    t3 = scheduler.create_task(job())
    return await t1, await t2, await t3


async def already_anyio():
    async with anyio.create_task_group() as tg:
        t = tg.create_task(job())
        return await t


async def trio_like(trio):
    async with trio.open_nursery() as nursery:
        nursery.start_soon(job)
