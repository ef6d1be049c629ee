"""create_task / ensure_future / create_task on the running loop awaited later in the same block:
each becomes `tg.create_task(...)` in a task group that spans from the creation to the last use
of the task. Tasks started one after another end up in ONE group. On the normal path the output
is the same (UNSAFE only for the error paths, see runnable_failure.py)."""
import asyncio


async def fetch(n, delay=0.01):
    await asyncio.sleep(delay)
    return n * 10


async def background(log):
    try:
        while True:
            await asyncio.sleep(0.005)
    finally:
        log.append("background stopped")


async def several():
    first = asyncio.create_task(fetch(1), name="first")
    second = asyncio.ensure_future(fetch(2))

    # Work in between runs while both tasks run.
    print("started; first done yet:", first.done())
    a = await first
    b = await second
    print("results:", a, b, first.result(), second.result())
    print("name:", first.get_name(), "| done:", first.done(), "| cancelled:", not first.cancelled())


async def inline():
    print("inline:", await asyncio.create_task(fetch(3)))


async def running_loop():
    t = asyncio.get_running_loop().create_task(fetch(4))
    print("running loop task:", await t)


async def loop_variable():
    # `loop` is the running loop: loop.create_task() is asyncio.create_task(), and once no use
    # of `loop` is left, asyncio-loop deletes the assignment.
    loop = asyncio.get_running_loop()
    t = loop.create_task(fetch(8))
    u = asyncio.get_event_loop().create_task(fetch(9))
    print("loop variable:", await t, await u)


async def nested_coroutine():
    # `go` runs only as `await go(...)` here: in this task, on this loop.
    loop = asyncio.get_running_loop()

    async def go(n):
        t = loop.create_task(fetch(n))
        return await t

    print("nested:", await go(10), await go(11))


async def cancelled_helper():
    log = []
    helper = asyncio.create_task(background(log))
    try:
        print("work:", await fetch(5))
    finally:
        helper.cancel()
    await asyncio.sleep(0.01)
    print(log)


async def in_a_loop():
    totals = []
    for n in range(3):
        if n % 2 == 0:
            t = asyncio.create_task(fetch(n, 0))
            totals.append(await t)
    print("loop:", totals)


async def reused_name():
    t = asyncio.create_task(fetch(6))
    print("first use:", await t)
    t = asyncio.create_task(fetch(7))
    print("second use:", await t)


async def main():
    await several()
    await inline()
    await running_loop()
    await loop_variable()
    await nested_coroutine()
    await cancelled_helper()
    await in_a_loop()
    await reused_name()
