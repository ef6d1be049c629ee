"""Look-alikes that are not asyncio.gather: never rewritten."""
import asyncio
from asyncio import gather


async def fetch(url):
    await asyncio.sleep(0)
    return url


class Pool:
    async def gather(self, *coros):
        return [await c for c in coros]

    async def run(self, a):
        return await self.gather(fetch(a))


async def local_name(a):
    gather = Pool().gather
    return await gather(fetch(a))


async def shadowing_parameter(a, gather):
    return await gather(fetch(a))


async def other_module(trio_like, a):
    await trio_like.gather(fetch(a))


def helper():
    def gather(*args):
        return list(args)
    return gather(1, 2)


async def real_one(a):
    # Only this one changes.
    await gather(fetch(a), fetch(a))
