"""return_exceptions=True: the spec's `_gather_return_exceptions` helper, SAFE (edge);
return_exceptions=False is the default and is dropped."""
import asyncio


async def fetch(url):
    await asyncio.sleep(0)
    return url


async def collect(urls):
    results = await asyncio.gather(*[fetch(u) for u in urls], return_exceptions=True)
    return [r for r in results if not isinstance(r, Exception)]


async def collect_lines(a, b):
    results = await asyncio.gather(
        fetch(a),
        fetch(b),  # second
        return_exceptions=True,
    )
    return results


async def default_flag(a, b):
    await asyncio.gather(fetch(a), fetch(b), return_exceptions=False)
    pages = await asyncio.gather(fetch(a), return_exceptions=False, )
    return pages


async def guarded_collect(a):
    try:
        return await asyncio.gather(fetch(a), return_exceptions=True)
    except ValueError:
        return []
