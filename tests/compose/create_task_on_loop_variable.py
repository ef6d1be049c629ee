"""Tasks created on the running loop through a variable: asyncio-create-task starts them in a
task group, and once no use of `loop` is left, asyncio-loop deletes the assignment (the cases
of asyncio-create-task's runnable_normal.py, whose snapshot there runs asyncio-create-task
alone); prints what it does."""
import asyncio


async def fetch(n, delay=0.01):
    await asyncio.sleep(delay)
    return n * 10


async def loop_variable():
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


async def main():
    await loop_variable()
    await nested_coroutine()


if __name__ == "__main__":
    asyncio.run(main())
