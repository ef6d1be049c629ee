import asyncio
import concurrent.futures

# A compatibility module re-exporting loop access: its callers are elsewhere.
get_running_loop = asyncio.get_running_loop  # MANUAL: api-as-value
all_tasks = asyncio.all_tasks  # MANUAL: api-as-value


def make(factory=asyncio.new_event_loop):  # MANUAL: api-as-value
    return factory()


def schedule(register):
    register(asyncio.current_task)  # MANUAL: api-as-value


async def wait_thread_future(cf: concurrent.futures.Future):
    return await asyncio.wrap_future(cf)  # MANUAL: wrap-future


def stop(console_task):
    asyncio.Future.cancel(console_task)  # MANUAL: future-method


def lookalikes(loop, asyncio_get_running_loop=None):
    # Not asyncio's: a parameter and a plain call of something else.
    other = loop
    return other, asyncio_get_running_loop
