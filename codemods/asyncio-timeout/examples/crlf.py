"""CRLF line endings are kept."""
import asyncio


async def work():
    await asyncio.sleep(0)
    return "ok"


async def main():
    result = await asyncio.wait_for(work(), 1)  # timed
    print(result)
    try:
        await asyncio.wait_for(work(), 1)
    except asyncio.TimeoutError:
        pass  # ignored
    async with asyncio.timeout(1) as cm:
        print(await work(), cm.when() > 0)


if __name__ == "__main__":
    asyncio.run(main())
