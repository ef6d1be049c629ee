"""CRLF line endings are kept."""
import asyncio


async def work():
    await asyncio.sleep(0)
    return "ok"


async def main():
    result = await asyncio.shield(work())  # shielded
    print(result)


if __name__ == "__main__":
    asyncio.run(main())
