"""A cancelled child's cleanup that awaits: asyncio.TaskGroup cancels the child once and the
cleanup in its `finally:` runs; anyio's cancellation is level-triggered, so the cleanup's first
await is cancelled again and the rest of it never runs (both backends). The note of
`asyncio-task-group/task-group` names it. Found by difftest (seed 13 indices 2583 and 3693 of
the generator at commit 350045c). Run with the repository's Python: prints the three runs.
"""

import asyncio

import anyio


async def child():
    try:
        await anyio.sleep(1)
    finally:
        await anyio.sleep(0)
        print("  cleanup done")


async def fail():
    await anyio.sleep(0.01)
    raise ValueError("x")


async def a():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child())
            tg.create_task(fail())
    except* ValueError:
        print("  caught")


async def b():
    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(child)
            tg.start_soon(fail)
    except* ValueError:
        print("  caught")


if __name__ == "__main__":
    print("asyncio.TaskGroup:")
    asyncio.run(a())
    print("anyio, asyncio backend:")
    anyio.run(b)
    print("anyio, trio backend:")
    anyio.run(b, backend="trio")
