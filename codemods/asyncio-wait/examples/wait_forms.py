"""asyncio.wait in every form: always reported with the structured pattern for that form."""
import asyncio
import asyncio as aio
import concurrent.futures
from asyncio import FIRST_COMPLETED, wait


async def job(n):
    await asyncio.sleep(0.01 * n)
    return n


async def first_completed(loop):
    tasks = [loop.create_task(job(n)) for n in (1, 2)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for t in pending:
        t.cancel()
    return done.pop().result()


async def first_completed_from_import(loop):
    finished, unfinished = await wait(
        [loop.create_task(job(1)), loop.create_task(job(2))],
        return_when=FIRST_COMPLETED,  # the from-imported constant
    )
    return finished


async def with_timeout(coros):
    done, pending = await aio.wait(coros, timeout=0.05)
    return len(done), len(pending)


async def first_completed_with_timeout(tasks):
    done, _ = await asyncio.wait(tasks, timeout=1, return_when="FIRST_COMPLETED")
    return done


async def all_completed(loop):
    tasks = {loop.create_task(job(n)) for n in range(3)}
    (done, pending) = await asyncio.wait(tasks)
    return [t.result() for t in done]


async def all_completed_explicit(tasks):
    await asyncio.wait(tasks, return_when=asyncio.ALL_COMPLETED, timeout=None)


async def first_exception(tasks):
    result = await asyncio.wait(tasks, return_when=concurrent.futures.FIRST_EXCEPTION)
    return result


async def unknown_mode(tasks, mode):
    return await asyncio.wait(tasks, return_when=mode)
