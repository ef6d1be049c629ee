"""What asyncio-timeout reports instead of rewriting (MANUAL)."""
import asyncio
import functools


async def work():
    await asyncio.sleep(0)


async def a_task():
    task = asyncio.create_task(work())
    # wait_for cancelled the task on timeout; a fail_after block around `await task` would not.
    await asyncio.wait_for(task, 1)
    await asyncio.wait_for(asyncio.ensure_future(work()), 1)


async def shielded():
    await asyncio.wait_for(asyncio.shield(work()), 1)


async def not_awaited():
    await asyncio.gather(asyncio.wait_for(work(), 1), work())
    coro = asyncio.wait_for(work(), 1)
    await coro


async def evaluated_again(ready):
    while await asyncio.wait_for(ready(), 1):
        pass
    if ready is None:
        pass
    elif await asyncio.wait_for(ready(), 1):
        pass
    values = [await asyncio.wait_for(ready(), 1) for _ in range(2)]
    maybe = ready and await asyncio.wait_for(ready(), 1)
    return values, maybe


async def awaiting_argument(get):
    return await asyncio.wait_for(get(await get()), 1)


async def shares_a_line(flag):
    if flag: await asyncio.wait_for(work(), 1)


async def unknown_arguments(args):
    await asyncio.wait_for(*args)


async def timeout_objects():
    cm = asyncio.timeout(1)
    async with cm:
        await work()
    async with asyncio.timeout(1) as scope:
        await work()
    return scope  # the object escapes


async def unsupported_method():
    async with asyncio.timeout(1) as cm:
        if cm.expired:  # a bound method, always true
            pass


def as_values():
    return functools.partial(asyncio.wait_for, timeout=1)


helper = asyncio.timeout
