"""Results discarded, but some argument cannot be a `start_soon` child as written: the call
stays a gather, on anyio (`anyio.gather` takes the same coroutine objects)."""
import asyncio


async def fetch(url):
    await asyncio.sleep(0)
    return url


async def built_earlier(urls):
    coros = [fetch(u) for u in urls]
    await asyncio.gather(*coros)


async def coroutine_in_a_name(url):
    first = fetch(url)
    await asyncio.gather(first, fetch(url))


async def shares_a_line(urls):
    if urls: await asyncio.gather(fetch(urls[0]), fetch(urls[1]))


async def awaits_inside(url, make):
    # A child built by an await: in a task group, `fetch(url)` would already run meanwhile.
    await asyncio.gather(fetch(url), fetch(await make()))


async def loop_variable_in_use(urls):
    u = "kept"
    await asyncio.gather(*[fetch(u) for u in urls])
    return u


async def asyncio_children(url):
    # asyncio calls stay calls, so their own codemods still see them.
    await asyncio.gather(asyncio.sleep(1), fetch(url))


async def nothing():
    await asyncio.gather()


async def commented_comprehension(urls):
    await asyncio.gather(*[
        fetch(u)  # one per url
        for u in urls
    ])


async def semicolon(url):
    await asyncio.gather(fetch(url), fetch(url)); print("done")
