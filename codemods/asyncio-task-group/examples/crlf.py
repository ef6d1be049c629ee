"""A CRLF file: the rewrite keeps CRLF line endings."""
import asyncio


async def job(n):
    await asyncio.sleep(0)
    return n


async def main():
    async with asyncio.TaskGroup() as tg:  # keep me
        a = tg.create_task(job(1), name="a")
        b = tg.create_task(job(2))
    print(a.result() + b.result(), a.get_name(), b.done())
