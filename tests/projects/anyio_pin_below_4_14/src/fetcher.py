"""A library that pins anyio>=4.5,<4.14: what it is migrated to must run on anyio 4.5."""
import asyncio


async def fetch(key, delay=0.01):
    await asyncio.sleep(delay)
    return key.upper()


async def fetch_all(keys):
    """Every key, fetched concurrently, in order."""
    return await asyncio.gather(*(fetch(k) for k in keys))


async def fetch_pair(a, b):
    return await asyncio.gather(fetch(a), fetch(b))


async def fetch_limited(keys, limit=2):
    """At most `limit` fetches at a time."""
    sem = asyncio.Semaphore(limit)
    results = {}

    async def one(k):
        async with sem:
            results[k] = await fetch(k)

    async with asyncio.TaskGroup() as tg:
        for k in keys:
            tg.create_task(one(k))
    return [results[k] for k in keys]


async def fetch_first(keys):
    """The results through task handles (anyio 4.14's create_task: left as it is for 4.5)."""
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(fetch(k)) for k in keys]
    return [t.result() for t in tasks]


async def checksum(data):
    """CPU work in a worker thread."""
    return await asyncio.to_thread(sum, data)
