"""Every spelling of asyncio.TaskGroup is migrated: an aliased module, a from-import, an aliased
from-import, a function-local import, a parenthesized with-item, two groups in one `async with`."""
import asyncio as aio
from asyncio import TaskGroup
from asyncio import TaskGroup as Group


async def job(n):
    await aio.sleep(0)
    return n


async def via_alias():
    async with aio.TaskGroup() as tg:
        a = tg.create_task(job(1))
    return a.result()


async def via_from_import():
    async with TaskGroup() as tg:
        b = tg.create_task(job(2), name="b")
    return b.get_name(), b.result()


async def via_aliased_from_import():
    async with Group() as group:
        c = group.create_task(job(3))
    return c.done() and c.result()


async def via_local_import():
    import asyncio

    async with asyncio.TaskGroup() as tg:
        tg.create_task(job(4))


async def parenthesized_and_two_items():
    async with (aio.TaskGroup() as tg):
        a = tg.create_task(job(5))
    async with aio.TaskGroup() as first, TaskGroup() as second:
        b = first.create_task(job(6))
        c = second.create_task(job(7))
    return a.result() + b.result() + c.result()
