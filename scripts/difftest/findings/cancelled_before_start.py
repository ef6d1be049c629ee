"""A task cancelled before it ran: asyncio never starts its coroutine (the cancellation is
thrown in before the first line), anyio's task group starts every child and cancels it at its
first await, so "child started" is printed (both backends). Named by the notes of
asyncio-create-task/create-task and asyncio-task-group/task-group. Found by difftest (seed 11
index 165 of the generator at commit 4913efc). Run with the repository's Python.
"""

import asyncio

import anyio


async def child():
    print("  child started")
    await anyio.sleep(1)


async def a():
    t = asyncio.ensure_future(child())
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("  cancelled")
    async with asyncio.TaskGroup() as tg:
        tg.create_task(child())
        tg.create_task(boom())


async def boom():
    raise ValueError


async def b():
    async with anyio.create_task_group() as tg:
        t = tg.create_task(child())
        t.cancel()
    print("  handle:", t.status)
    async with anyio.create_task_group() as tg:
        tg.create_task(child())
        tg.create_task(boom())


if __name__ == "__main__":
    runs = (
        ("asyncio", lambda: asyncio.run(a())),
        ("anyio, asyncio backend", lambda: anyio.run(b)),
        ("anyio, trio backend", lambda: anyio.run(b, backend="trio")),
    )
    for name, fn in runs:
        print(name)
        try:
            fn()
        except BaseExceptionGroup as e:
            print("  raised", type(e).__name__)
