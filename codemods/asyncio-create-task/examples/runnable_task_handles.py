"""Tasks with their handles used, for an anyio without `tg.create_task()` (this example is
migrated for anyio 4.12): the module helper `_TaskGroup` gives the task group anyio 4.14's
`create_task()` and handle, so the rewrite is the one anyio 4.14 gets. Results, states, a
task cancelled by hand and awaited under a handler of the cancellation, and asyncio.TaskGroup
with a handle read after the group. Same output on asyncio and, migrated, on anyio's asyncio
and trio backends."""
import asyncio


async def double(x):
    await asyncio.sleep(0.01)
    return 2 * x


async def forever(log):
    try:
        while True:
            await asyncio.sleep(0.005)
    finally:
        log.append("forever stopped")


async def results():
    a = asyncio.create_task(double(1))
    b = asyncio.create_task(double(2), name="b")
    print("first:", await a)
    print("second:", await b, b.done(), b.cancelled(), b.result())


async def cancelled():
    log = []
    task = asyncio.create_task(forever(log))
    await asyncio.sleep(0.02)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("cancelled:", log)


async def in_a_group():
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(double(21))
        tg.create_task(double(0))
    print("group:", t.result(), t.done())


async def main():
    await results()
    await cancelled()
    await in_a_group()


if __name__ == "__main__":
    asyncio.run(main())
