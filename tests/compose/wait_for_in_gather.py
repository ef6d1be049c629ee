"""A wait_for inside a gathered coroutine call, and a gather inside a timeout."""
import asyncio


async def fetch(n):
    await asyncio.sleep(0.01 * n)
    return n * 10


async def timed(n):
    return await asyncio.wait_for(fetch(n), 1)


async def main():
    # The gathered children themselves time out their work.
    a, b = await asyncio.gather(timed(1), timed(2))
    print("unpacked:", a, b)
    # A gather whose result is discarded, inside a timeout block.
    async with asyncio.timeout(1):
        await asyncio.gather(fetch(1), fetch(2))
    print("discarded gather inside a timeout finished")
    results = await asyncio.wait_for(asyncio.gather(fetch(3), fetch(1)), 1)
    print("timed gather:", results)


if __name__ == "__main__":
    asyncio.run(main())
