"""asyncio.wait_for as a statement, an assignment and a return; prints what it does."""
import asyncio
from asyncio import wait_for as wf


async def fetch(n):
    await asyncio.sleep(0.01)
    return n * 2


async def discard():
    await asyncio.wait_for(fetch(1), 1)


async def assign():
    value = await asyncio.wait_for(fetch(2), timeout=1)  # the keyword spelling
    return value


async def give_back(limit):
    return await wf(fetch(3), limit)  # a from-import with an alias


async def keywords_and_comments():
    value = await asyncio.wait_for(
        fut=fetch(4),  # the slow part
        timeout=1.5,
    )
    return value


async def no_timeout():
    # `None` means no deadline: the call is simply awaited.
    first = await asyncio.wait_for(fetch(5), None)
    pending = asyncio.wait_for(fetch(6), timeout=None)
    return first, await pending


async def main():
    await discard()
    print("assign:", await assign())
    print("return:", await give_back(1))
    print("keywords:", await keywords_and_comments())
    print("no timeout:", await no_timeout())


if __name__ == "__main__":
    asyncio.run(main())
