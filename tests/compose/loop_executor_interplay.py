# A copy of codemods/asyncio-loop/examples/executor_interplay.py (snapshotted there with asyncio-
# loop alone), run with every codemod: asyncio-to-thread and asyncio-run rewrite the loop's uses,
# then asyncio-loop deletes the loop variable.
"""run_in_executor / run_until_complete belong to other codemods: this one reports only the
get_*_loop() call that produced the loop, once, and never the two methods themselves."""
import asyncio
import concurrent.futures

POOL = concurrent.futures.ThreadPoolExecutor(max_workers=2)


async def blocking(f):
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(POOL, f)


async def direct(f):
    return await asyncio.get_running_loop().run_in_executor(POOL, f)


async def default_pool(f):
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, f)


def entry(coro_fn):
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro_fn())
    finally:
        loop.close()
