"""Every spelling that resolves to asyncio.gather: a module alias, a from-import, an aliased
from-import."""
import asyncio as aio
from asyncio import gather
from asyncio import gather as run_all


async def fetch(url):
    await aio.sleep(0)
    return url


async def alias(a, b):
    await aio.gather(fetch(a), fetch(b))


async def from_import(a, b):
    first, second = await gather(fetch(a), fetch(b))
    return first, second


async def aliased_from_import(urls):
    return await run_all(*[fetch(u) for u in urls])
