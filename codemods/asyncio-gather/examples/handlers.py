"""A handler in the same function could see a child's failure: `_gather` keeps the bare
exception (and the list) so it still matches; siblings are cancelled now (spec §1)."""
import asyncio
import contextlib


async def fetch(url):
    await asyncio.sleep(0)
    return url


async def guarded(urls):
    try:
        await asyncio.gather(fetch(urls[0]), fetch(urls[1]))
    except ValueError:
        print("bad url")


async def guarded_result(urls):
    try:
        pages = await asyncio.gather(*[fetch(u) for u in urls], return_exceptions=False)
    except (KeyError, ValueError) as exc:
        print("failed:", exc)
        return []
    return pages


async def suppressed(url):
    with contextlib.suppress(ValueError):
        await asyncio.gather(fetch(url), fetch(url))


async def only_finally(url):
    # try/finally has no handler: task group.
    try:
        await asyncio.gather(fetch(url), fetch(url))
    finally:
        print("done")


async def in_the_handler(url):
    # The except clause itself is not protected by its own try.
    try:
        await fetch(url)
    except ValueError:
        await asyncio.gather(fetch("fallback"), fetch(url))


async def nested_function(urls):
    try:
        async def inner():
            # Another function: the outer handler does not see inner's await.
            await asyncio.gather(fetch(urls[0]), fetch(urls[1]))
        return inner
    except ValueError:
        return None
