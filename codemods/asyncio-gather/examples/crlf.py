"""A CRLF file: new lines keep CRLF."""
import asyncio


async def fetch(url, timeout=1):
    await asyncio.sleep(0)
    return url


async def run(urls):
    await asyncio.gather(
        fetch(urls[0]),  # first
        fetch(urls[1], timeout=2),
    )
    pages = await asyncio.gather(*[fetch(u) for u in urls])
    try:
        await asyncio.gather(fetch(urls[0]))
    except ValueError:
        pass
    return pages
