"""gather not awaited where it is called (its future stored or passed on), passed as a value,
or called with arguments anyio.gather has no equivalent for: MANUAL."""
import asyncio
import functools


async def fetch(url):
    await asyncio.sleep(0)
    return url


async def stored(a, b):
    group = asyncio.gather(fetch(a), fetch(b))
    return await group


async def passed_on(a, b, consume):
    return await consume(asyncio.gather(fetch(a), fetch(b)))


def sync_caller(a):
    return asyncio.gather(fetch(a))


async def as_value(a):
    run_all = functools.partial(asyncio.gather, return_exceptions=True)
    return await run_all(fetch(a))


async def in_a_table(a, which):
    # An element of a list (a test's parametrize table) and a comparison: the same value.
    gathers = [asyncio.gather, fetch]
    if gathers[which] == asyncio.gather:
        return await gathers[which](fetch(a))
    return None


async def odd_arguments(a, options, flag):
    await asyncio.gather(fetch(a), **options)
    await asyncio.gather(fetch(a), return_exceptions=flag)
    await asyncio.gather(fetch(url) for url in a)
