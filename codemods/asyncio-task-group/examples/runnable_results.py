"""asyncio.TaskGroup on the normal path: handles read after the block (SAFE). The group call
becomes anyio.create_task_group(); tg.create_task() is kept word for word; every Task method
used on a handle is mapped to anyio's TaskHandle."""
import asyncio


async def fetch(n, delay=0.01):
    await asyncio.sleep(delay)
    return n * 10


async def forever():
    await asyncio.sleep(3600)


async def basics():
    async with asyncio.TaskGroup() as tg:
        # Named tasks keep their names on both libraries.
        first = tg.create_task(fetch(1), name="first")
        second = tg.create_task(
            fetch(2),  # a comment inside the call stays
            name="second",
        )
        sleeper = tg.create_task(forever(), name="sleeper")
        print("done right after creation:", first.done(), "| still running:", not second.done())
        await asyncio.sleep(0)
        sleeper.cancel()  # cancels only that task; the group exits normally

    print("results:", first.result(), second.result())
    print("names:", first.get_name(), second.get_name(), sleeper.get_name())
    print("coroutine:", first.get_coro().__qualname__)
    print("exception of a finished task:", first.exception())
    print("done:", first.done(), "| cancelled:", first.cancelled(), sleeper.cancelled())
    print("as a value:", [first.done() == True, (second.cancelled())])
    print("awaited after the block:", await first)


async def many():
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(fetch(i, 0)) for i in range(4)]
        pair = [tg.create_task(fetch(7)), tg.create_task(fetch(8))]
    print("comprehension:", [t.result() for t in tasks], "| count:", len(tasks))
    for t in pair:
        print("pair item:", t.result(), t.done())
    print("indexed:", tasks[0].result(), pair[-1].get_name() == pair[-1].get_name())


async def without_name():
    async with asyncio.TaskGroup():
        await asyncio.sleep(0)
    print("group without a name: ok")


async def main():
    await basics()
    await many()
    await without_name()
