"""Every spelling of the thread calls of spec §8 (not runnable: it only shows the rewrites)."""
import asyncio
import asyncio as aio
from asyncio import get_running_loop, to_thread


def work(*args, **kwargs):
    return args, kwargs


async def positional(path):
    return await asyncio.to_thread(work, path, 1)


async def keywords(path, options):
    data = await asyncio.to_thread(work, path, mode="rb")
    more = await aio.to_thread(work, **options)  # aliased module
    return data, more


async def starred(args, kwargs):
    await to_thread(work, *args)  # from-imported name
    await to_thread(work, *args, **kwargs)


async def multi_line(path):
    first = await asyncio.to_thread(
        work,
        path,  # the file
    )
    second = await asyncio.to_thread(
        work,
        path,
        mode="rb",
    )
    third = await (asyncio.to_thread(work, path))
    return first, second, third


async def executor(path):
    loop = asyncio.get_running_loop()
    head = await loop.run_in_executor(None, work, path)
    tail = await loop.run_in_executor(
        None,
        work,
        path,  # the file
    )
    return head, tail


async def direct_loop(path):
    await aio.get_event_loop().run_in_executor(None, work, path)
    return await get_running_loop().run_in_executor(None, work)


async def nested(path):
    async def inner():
        return await asyncio.to_thread(work, path)

    return await inner()
