"""TaskGroups deep inside other blocks, nested in each other, and used from a nested function;
comments around and inside are kept. A handle read under an `except` inside the group is UNSAFE
(a failure arrives as anyio.TaskFailed), and so is `await t` inside the group."""
import asyncio
import contextlib


async def job(n):
    await asyncio.sleep(0)
    return n


async def deep(lock, batches):
    async with lock:
        for batch in batches:
            if batch:
                # one group per batch
                async with asyncio.TaskGroup() as tg:  # trailing comment
                    handles = [tg.create_task(job(n)) for n in batch]

                    # blank line above and a comment here
                    async with asyncio.TaskGroup() as inner:
                        extra = inner.create_task(job(0), name="extra")
                print([h.result() for h in handles], extra.get_name())


async def spawner():
    async with asyncio.TaskGroup() as tg:

        def spawn(n):
            tg.create_task(job(n))

        spawn(1)
        spawn(2)


async def read_under_except():
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(job(1))
        await asyncio.sleep(0.1)
        try:
            value = t.result()
        except asyncio.InvalidStateError:
            value = None
    return value


async def awaited_inside():
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(job(1))
        first = await t
        second = tg.create_task(job(first))
    return second.result()


async def sequential_groups():
    # The same names in two groups: each group's handles are mapped.
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(job(1))
    print(t.result())
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(job(2))
    print(t.result(), t.cancelled())


async def comment_in_rewritten_call():
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(job(3))
    return t.result(  # this comment is dropped: the rewrite is flagged UNSAFE
    )


@contextlib.asynccontextmanager
async def lifespan():
    # An @asynccontextmanager may keep the group open across its yield.
    async with asyncio.TaskGroup() as tg:
        tg.create_task(job(4))
        yield
