"""Task lists that do not become coroutines (no SAFE rewrite): something is awaited between
the list and the gather (or among gather's arguments), so the tasks already run there; or the
list is used again; or a task is named. A list the function finishes itself goes to a task
group instead (UNSAFE, `listed.rs`: the first four functions). Named tasks gathered in another
order than they were made, or with a comment on their line (deleting the line would lose it),
or around a `def` that rebinds a name an earlier task's coroutine uses (made later, it would
call the new function) do not become the gather's coroutines either: they go to a task group,
and the gather of the handles becomes their awaits (`timed.rs`)."""
import asyncio


async def work(x):
    await asyncio.sleep(0)
    return x


async def awaited_between():
    tasks = [asyncio.create_task(work(i)) for i in range(2)]
    await asyncio.sleep(0)
    return await asyncio.gather(*tasks)


async def used_again():
    tasks = [asyncio.create_task(work(i)) for i in range(2)]
    await asyncio.gather(*tasks)
    return [t.result() for t in tasks]


async def named():
    tasks = [asyncio.create_task(work(i), name=f"w{i}") for i in range(2)]
    return await asyncio.gather(*tasks)


async def appended_then_awaited(xs):
    tasks = []
    for x in xs:
        tasks.append(asyncio.create_task(work(x)))
        await asyncio.sleep(0)
    await asyncio.gather(*tasks)


async def awaited_argument():
    return await asyncio.gather(asyncio.create_task(work(1)), await work(2))


async def named_out_of_order():
    a = asyncio.create_task(work(1))
    b = asyncio.create_task(work(2))
    return await asyncio.gather(b, a)


async def named_with_comment():
    a = asyncio.create_task(work(1))  # the first
    b = asyncio.create_task(work(2))
    return await asyncio.gather(a, b)


async def named_used_again():
    a = asyncio.create_task(work(1))
    b = asyncio.create_task(work(2))
    await asyncio.gather(a, b)
    return a.result()


async def named_around_a_rebinding_def():
    a = asyncio.create_task(work(1))

    async def work(x):
        return -x

    b = asyncio.create_task(work(2))
    return await asyncio.gather(a, b)
