"""Tasks only gathered, right away (a list made by a comprehension or appended in a loop and
gathered by the next statement, tasks made in gather's own arguments, or named tasks made one
after another and gathered by the next statement, in that order): the coroutines go
to gather instead (it starts them as tasks, in the same order, at the same moment), and
asyncio-gather migrates the gather. Same output on asyncio and, migrated, on anyio's asyncio
and trio backends."""
import asyncio


async def work(x, log):
    await asyncio.sleep(0.05 * (3 - x))
    log.append(x)
    return x * 10


async def fails(x):
    await asyncio.sleep(0)
    raise ValueError(x)


async def gathered():
    log = []
    tasks = [asyncio.create_task(work(i, log)) for i in range(3)]
    results = await asyncio.gather(*tasks)
    return results, log


async def returned():
    log = []
    loop = asyncio.get_running_loop()
    jobs = [loop.create_task(work(i, log)) for i in range(2) if i >= 0]
    return await asyncio.gather(*jobs)


async def with_failures():
    futures = [asyncio.ensure_future(fails(i)) for i in range(2)]
    results = await asyncio.gather(*futures, return_exceptions=True)
    return [repr(r) for r in results]


async def appended(n):
    log = []
    tasks = []
    for i in range(n):
        log.append(f"start {i}")
        tasks.append(asyncio.create_task(work(i, log)))
    await asyncio.gather(*tasks)
    return log


async def in_the_call():
    log = []
    first = asyncio.create_task(work(2, log))
    return await asyncio.gather(
        asyncio.create_task(work(0, log)), *(asyncio.create_task(work(i, log)) for i in (1, 2))
    ), await first, log


async def named_pair():
    log = []
    slow = asyncio.create_task(work(0, log))
    quick = asyncio.ensure_future(work(2, log))
    results = await asyncio.gather(slow, quick, return_exceptions=True)
    return results, log


async def named_around_a_def():
    log = []
    first = asyncio.create_task(work(1, log))

    async def second_work():
        return await work(2, log)

    second = asyncio.create_task(second_work())
    results = await asyncio.gather(first, second)
    return results, log


async def main():
    print(await gathered())
    print(await returned())
    print(await with_failures())
    print(await appended(3))
    print(await in_the_call())
    print(await named_pair())
    print(await named_around_a_def())


if __name__ == "__main__":
    asyncio.run(main())
