"""Thread calls with no faithful rewrite: reported, never changed (spec §8)."""
import asyncio
import concurrent.futures

POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4)
PROCESSES = concurrent.futures.ProcessPoolExecutor()


def work(*args):
    return args


async def not_awaited(paths):
    # Coroutine objects handed on: anyio's run_sync coroutine must be awaited or started in a task group.
    jobs = [asyncio.to_thread(work, p) for p in paths]  # MANUAL: not-awaited
    return jobs


async def custom_executors(path):
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(POOL, work, path)  # MANUAL: custom-executor
    await asyncio.get_running_loop().run_in_executor(PROCESSES, work, path)  # MANUAL: custom-executor


async def executor_future(path):
    loop = asyncio.get_running_loop()
    # Handed out: the caller awaits it. (Awaited later in this block, asyncio-create-task
    # starts it as a task of anyio.to_thread.run_sync in a task group.)
    return loop.run_in_executor(None, work, path)  # MANUAL: not-awaited


async def unknown_loop(loop, path):
    return await loop.run_in_executor(None, work, path)  # MANUAL: unknown-loop


class Worker:
    def __init__(self, loop):
        self.loop = loop

    async def run(self, path):
        return await self.loop.run_in_executor(None, work, path)  # MANUAL: unknown-loop


async def rebound_loop(path, other):
    loop = asyncio.get_running_loop()
    if path:
        loop = other
    return await loop.run_in_executor(None, work, path)  # MANUAL: unknown-loop


async def unpacked(args):
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(*args)  # MANUAL: unknown-arguments


def passed_as_value(submit):
    return submit(asyncio.to_thread, work)  # MANUAL: to-thread-as-value


async def nested_coroutine_handed_out(path):
    loop = asyncio.get_running_loop()

    async def job():
        # `job` leaves this function: it may run on another loop, so `loop` is not its own.
        return await loop.run_in_executor(None, work, path)  # MANUAL: unknown-loop

    return job


async def nested_coroutine_rebinding(path, other):
    loop = asyncio.get_running_loop()

    async def job():
        nonlocal loop
        loop = other
        return await loop.run_in_executor(None, work, path)  # MANUAL: unknown-loop

    return await job()
