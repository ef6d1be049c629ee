"""Task lists the function does not finish by the forms a group maps, reported where the tasks
are made: the list is returned, waited for by asyncio.wait, gathered with
`return_exceptions=True` for its results, read in a nested function, or looped over with
`else:`; or a task of the list is awaited under a handler that can also catch a cancellation."""
import asyncio


async def work(x):
    await asyncio.sleep(0)
    return x


async def returned():
    tasks = [asyncio.create_task(work(i)) for i in range(2)]
    await asyncio.sleep(0)
    return tasks


async def waited():
    tasks = [asyncio.create_task(work(i)) for i in range(2)]
    await asyncio.sleep(0)
    done, _ = await asyncio.wait(tasks)
    return len(done)


async def results_with_exceptions():
    tasks = [asyncio.create_task(work(i)) for i in range(2)]
    await asyncio.sleep(0)
    return await asyncio.gather(*tasks, return_exceptions=True)


async def read_in_a_nested_function():
    tasks = []
    for i in range(2):
        tasks.append(asyncio.create_task(work(i)))

    async def finish():
        return await asyncio.gather(*tasks)

    return await finish()


async def loop_with_else():
    tasks = [asyncio.create_task(work(i)) for i in range(2)]
    for t in tasks:
        await t
    else:
        print("all done")


async def handler_of_cancellation():
    tasks = [asyncio.create_task(work(i)) for i in range(2)]
    for t in tasks:
        try:
            await t
        except BaseException:
            pass
