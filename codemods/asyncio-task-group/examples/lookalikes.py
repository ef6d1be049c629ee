"""Look-alikes that must not change: a local TaskGroup class, an attribute, trio's nursery, a
parameter shadowing the from-import, an already-migrated anyio group, and `.result()` on things
that are not handles of an asyncio.TaskGroup."""
import asyncio
from asyncio import TaskGroup

import anyio
import trio


class LocalGroup:
    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False


async def local_class():
    class TaskGroup(LocalGroup):
        pass

    async with TaskGroup() as tg:
        pass


async def attribute(lib):
    async with lib.TaskGroup() as tg:
        t = tg.create_task(asyncio.sleep(0))
    return t.result()


async def nursery():
    async with trio.open_nursery() as nursery:
        nursery.start_soon(trio.sleep, 0)


async def shadowed(TaskGroup):
    async with TaskGroup() as tg:
        t = tg.create_task(asyncio.sleep(0))
    return t.result()


async def already_anyio():
    async with anyio.create_task_group() as tg:
        t = tg.create_task(anyio.sleep(0))
    return t.return_value


def futures(fut):
    # Not a handle: a plain Future's result() stays.
    return fut.result(), fut.done()
