"""asyncio.shield of a Task or Future, or a shield that is not awaited: MANUAL."""
import asyncio


async def work():
    await asyncio.sleep(0)


async def shield_a_task():
    task = asyncio.create_task(work())
    await asyncio.shield(task)


async def shield_a_new_task():
    await asyncio.shield(asyncio.ensure_future(work()))


async def keep_the_future():
    fut = asyncio.shield(work())
    await fut


async def pass_it_on():
    await asyncio.gather(asyncio.shield(work()), work())
