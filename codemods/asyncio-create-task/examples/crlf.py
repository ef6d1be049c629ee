"""A CRLF file."""
import asyncio


async def job(n):
    await asyncio.sleep(0)
    return n


async def main():
    t = asyncio.create_task(job(1))  # started

    # waiting
    print(await t, t.done())
    print("after")
