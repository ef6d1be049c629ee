"""A task cancelled by hand whose code catches the cancellation and awaits in the handler.

A1: under asyncio, `task.cancel()` once: the handler's await runs and the task returns what the
handler decides.
B1 (anyio, both backends): the same task started with `tg.create_task()` and cancelled through
its handle: the cancellation stays delivered, the handler's await is cancelled too and the task
ends cancelled (awaiting the handle raises anyio.TaskCancelled).
Run with anyio and trio installed."""
import asyncio

import anyio


async def view(sleep):
    try:
        await sleep(10)
    except BaseException:  # asyncio.CancelledError / anyio's cancelled class
        await sleep(0)
    return "handled"


async def middleware(sleep):
    return await view(sleep)


async def a1():
    task = asyncio.create_task(middleware(asyncio.sleep))
    await asyncio.sleep(0.05)
    task.cancel()
    try:
        print("A1 asyncio: returned", await task)
    except asyncio.CancelledError:
        print("A1 asyncio: cancelled")


async def b1():
    async with anyio.create_task_group() as tg:
        task = tg.create_task(middleware(anyio.sleep))
        await anyio.sleep(0.05)
        task.cancel()
        try:
            print("B1 anyio: returned", await task)
        except anyio.TaskCancelled:
            print("B1 anyio: cancelled")


asyncio.run(a1())
for backend in ("asyncio", "trio"):
    print(f"[{backend}]", end=" ")
    anyio.run(b1, backend=backend)
