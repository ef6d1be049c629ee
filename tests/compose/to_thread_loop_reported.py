"""asyncio-to-thread's MANUAL run_in_executor calls next to asyncio-loop's finding on the
get_running_loop() that made the loop: that codemod reports the loop, this one the call (the
cases of asyncio-to-thread's manual.py, whose snapshot runs asyncio-to-thread alone)."""
import asyncio
import concurrent.futures

POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4)
PROCESSES = concurrent.futures.ProcessPoolExecutor()


def work(*args):
    return args


async def custom_executors(path):
    loop = asyncio.get_running_loop()  # MANUAL: asyncio-loop/get-running-loop
    await loop.run_in_executor(POOL, work, path)  # MANUAL: asyncio-to-thread/custom-executor
    await asyncio.get_running_loop().run_in_executor(PROCESSES, work, path)  # MANUAL: asyncio-to-thread/custom-executor


async def executor_future(path):
    loop = asyncio.get_running_loop()  # MANUAL: asyncio-loop/get-running-loop
    return loop.run_in_executor(None, work, path)  # MANUAL: asyncio-to-thread/not-awaited


async def rebound_loop(path, other):
    loop = asyncio.get_running_loop()  # MANUAL: asyncio-loop/get-running-loop
    if path:
        loop = other
    return await loop.run_in_executor(None, work, path)  # MANUAL: asyncio-to-thread/unknown-loop


async def unpacked(args):
    loop = asyncio.get_running_loop()  # MANUAL: asyncio-loop/get-running-loop
    return await loop.run_in_executor(*args)  # MANUAL: asyncio-to-thread/unknown-arguments


async def nested_coroutine_handed_out(path):
    loop = asyncio.get_running_loop()  # MANUAL: asyncio-loop/get-running-loop

    async def job():
        # `job` leaves this function: it may run on another loop, so `loop` is not its own.
        return await loop.run_in_executor(None, work, path)  # MANUAL: asyncio-to-thread/unknown-loop

    return job


async def nested_coroutine_rebinding(path, other):
    loop = asyncio.get_running_loop()  # MANUAL: asyncio-loop/get-running-loop

    async def job():
        nonlocal loop
        loop = other
        return await loop.run_in_executor(None, work, path)  # MANUAL: asyncio-to-thread/unknown-loop

    return await job()
