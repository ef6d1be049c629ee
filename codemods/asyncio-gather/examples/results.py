"""Results used: anyio.gather returns a tuple, so the result is wrapped in list(), except
where it is unpacked into names (spec D3, §1)."""
import asyncio


async def fetch(url):
    await asyncio.sleep(0)
    return url


async def assigned(urls):
    pages = await asyncio.gather(fetch(urls[0]), fetch(urls[1]))
    pages.append("extra")
    return pages


async def unpacked(a, b):
    first, second = await asyncio.gather(fetch(a), fetch(b))
    (x, *rest) = await asyncio.gather(fetch(a), fetch(b), fetch(a))
    return first, second, x, rest


async def returned(urls):
    return await asyncio.gather(*[fetch(u) for u in urls])


async def nested_in_an_expression(urls):
    # In place: the evaluation order of the surrounding expression does not change.
    print("pages:", await asyncio.gather(*(fetch(u) for u in urls)))
    total = len(await asyncio.gather(fetch(urls[0]))) + 1
    return total


async def built_earlier(urls):
    coros = []
    for u in urls:
        coros.append(fetch(u))
    coros += [fetch("tail")]
    return await asyncio.gather(*coros)


async def multi_line(urls):
    pages = await asyncio.gather(
        fetch(urls[0]),  # keep me
        fetch(urls[1]),
    )
    return pages
