# A copy of codemods/asyncio-loop/examples/callbacks.py (snapshotted there with asyncio-loop
# alone), run with every codemod: asyncio-create-task takes loop.create_task(), so asyncio-loop's
# finding no longer lists it.
"""A running loop used for callbacks, futures and tasks: one finding at get_running_loop()."""
import asyncio
import threading


async def tick():
    pass


async def notify_later(cb, delay):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_soon(print, "scheduled")
    handle = loop.call_later(delay, fut.set_result, "late")
    loop.call_at(loop.time() + delay, cb)
    worker = threading.Thread(target=loop.call_soon_threadsafe, args=(cb,))
    worker.start()
    task = loop.create_task(tick())
    result = await fut
    handle.cancel()
    await task
    return result


async def direct(cb):
    # Used right where it is obtained: still one finding, at the call.
    asyncio.get_running_loop().call_soon(cb)
