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
    # Nothing awaits after the call: asyncio ran `cb` after this function returned and its
    # caller went on, a task group would run it before the return. Left, reported at the call.
    asyncio.get_running_loop().call_soon(cb)


async def direct_then_wait(cb, work):
    # An await follows: asyncio ran `cb` there, and so does the task group (rewritten).
    asyncio.get_running_loop().call_soon(cb)
    await work()


async def expects_cancellation(cb, work):
    # The function catches its own cancellation (a shutdown that cancels every task): in a
    # task group the callback not yet run would be cancelled with it, where asyncio's loop ran
    # it anyway. The loop finding stays.
    loop = asyncio.get_running_loop()
    loop.call_later(0.1, cb)
    try:
        await work()
    except asyncio.CancelledError:
        print("cancelled")
