"""Deep nesting: the task inside an `if` inside a `for` inside `async with`; comments and blank
lines inside the moved code are kept; the group name avoids names the function uses (`tg` is
taken here, so the new group is `tg2`); a task started directly inside an existing anyio task
group (and used only there) joins that group instead of nesting a new one."""
import asyncio

import anyio


async def job(n=0):
    await asyncio.sleep(0)
    return n


async def deep(lock, batches, tg):
    async with lock:
        for batch in batches:
            if batch:
                t = asyncio.create_task(job(batch))  # started here

                # a comment, and a blank line above
                print("waiting for", batch)
                """A string statement
spanning lines: its inner lines are not re-indented."""
                result = await t  # awaited here
                print(result)
            print("after the if")
    tg.cancel_scope.cancel()


async def joins_existing_group():
    async with anyio.create_task_group() as group:
        group.start_soon(job)
        t = asyncio.create_task(job(1))
        print(await t)
        print(t.result())


async def nested_function():
    async def inner():
        t = asyncio.create_task(job(2))
        return await t

    return await inner()


async def existing_group_used_after(flag):
    async with anyio.create_task_group() as group:
        t = asyncio.create_task(job(3))
    return await t


async def chain():
    a = asyncio.create_task(job(1))
    b = asyncio.create_task(job(2))
    c = asyncio.create_task(
        job(3),  # a comment inside the call is kept
        name="c",
    )
    print(await a)
    print(await b)
    d = asyncio.create_task(job(4))
    print(await c + await d)
    print("after every task")


async def early_return(cache):
    t = asyncio.create_task(job(5))
    if cache:
        return cache  # now waits for the task first: said in the note
    return await t
