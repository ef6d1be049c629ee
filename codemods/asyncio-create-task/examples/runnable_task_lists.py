"""A list of tasks gathered by the next statement, and used nowhere else: the list holds the
coroutines instead (gather starts them as tasks, in the same order, at the same moment), and
asyncio-gather migrates the gather. Same output on asyncio and, migrated, on anyio's asyncio
and trio backends."""
import asyncio


async def work(x, log):
    await asyncio.sleep(0.01 * (3 - x))
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


async def main():
    print(await gathered())
    print(await returned())
    print(await with_failures())


if __name__ == "__main__":
    asyncio.run(main())
