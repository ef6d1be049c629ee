"""`import asyncio as aio`: aio.shield is asyncio.shield."""
import asyncio as aio


async def fetch(n):
    await aio.sleep(0)
    return n * 2


async def main():
    total = 0
    total += await aio.shield(fetch(21))  # augmented assignment: the whole statement moves
    print("total:", total)


if __name__ == "__main__":
    aio.run(main())
