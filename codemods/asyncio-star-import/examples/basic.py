"""A star import: reported with the explicit import it should become."""
from asyncio import *


async def worker(lock, n):
    async with lock:
        await sleep(0.01)
    return n


async def run_all():
    lock = Lock()
    results = await gather(worker(lock, 1), worker(lock, 2))
    return await wait_for(shield(worker(lock, sum(results))), 1)
