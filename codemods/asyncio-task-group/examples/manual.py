"""A TaskGroup that cannot be migrated as a whole is left untouched and reported: a subclass, a
group created outside `async with`, a group passed around or stored, private `tg._tasks`, a
handle with `add_done_callback` (no half-migrated group: nothing in that group is rewritten), a
handle returned or passed on, handles in a dict."""
import asyncio
from asyncio import TaskGroup


async def job(n):
    await asyncio.sleep(0)
    return n


class Supervisor(asyncio.TaskGroup):
    pass


class Service:
    def __init__(self):
        self._tg = TaskGroup()

    async def start(self):
        await self._tg.__aenter__()


def annotated(tg: asyncio.TaskGroup):
    return tg


async def spawn_into(tg):
    return tg.create_task(job(0))


async def passed_on():
    async with asyncio.TaskGroup() as tg:
        await spawn_into(tg)


async def private_set():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(job(1))
        print(len(tg._tasks))


async def done_callback():
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(job(2))
        t.add_done_callback(print)
        other = tg.create_task(job(3))
    return t.result(), other.result()


async def returned():
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(job(4))
    return t


async def dict_of_handles(urls):
    async with asyncio.TaskGroup() as tg:
        by_url = {u: tg.create_task(job(u)) for u in urls}
    return {u: t.result() for u, t in by_url.items()}


async def cancel_with_message():
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(job(5))
        t.cancel("no longer needed")


async def other_task_methods():
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(job(6))
        t.set_name("renamed")
    return t.get_stack()


async def rebound_handle():
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(job(7))
    t = None
    return t


async def generator():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(job(8))
        yield 1
