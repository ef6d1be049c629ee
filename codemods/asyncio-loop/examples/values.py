import asyncio
import concurrent.futures

# A compatibility module re-exporting loop access: its callers are elsewhere.
get_running_loop = asyncio.get_running_loop
all_tasks = asyncio.all_tasks


def make(factory=asyncio.new_event_loop):
    return factory()


def schedule(register):
    register(asyncio.current_task)


async def wait_thread_future(cf: concurrent.futures.Future):
    return await asyncio.wrap_future(cf)


def stop(console_task):
    asyncio.Future.cancel(console_task)


def lookalikes(loop, asyncio_get_running_loop=None):
    # Not asyncio's: a parameter and a plain call of something else.
    other = loop
    return other, asyncio_get_running_loop
