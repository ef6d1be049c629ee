"""Idioms deep inside if / for / async with, with comments and blank lines around them."""
import asyncio


async def step(i):
    await asyncio.sleep(0)
    return i


async def main():
    lock = asyncio.Lock()
    total = []
    for i in range(3):
        if i % 2 == 0:
            async with lock:
                # children of this round

                await asyncio.gather(step(i), step(i + 1))  # discarded
                total.append(await asyncio.wait_for(step(i), 1))
    print("total:", total)
    try:
        await asyncio.wait_for(asyncio.sleep(1), 0.01)
    except asyncio.TimeoutError:
        print("timed out as expected")


if __name__ == "__main__":
    asyncio.run(main())
