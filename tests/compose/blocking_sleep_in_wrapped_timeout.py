"""A `time.sleep` whose rewrite waits a pass (the task group's block wraps it) inside a timeout
block that the same run rewrites to `with anyio.fail_after(...)`: in the later pass the
resolver must see `anyio.fail_after` as anyio's although `import anyio` comes only at the end,
or the run stops short of what a second run does (found by the long fuzz run)."""
import asyncio
import time


async def work(n):
    await asyncio.sleep(0)
    return n


async def main():
    async with asyncio.timeout(1):
        t = asyncio.create_task(work(1))
        time.sleep(0)
        print("result:", await t)


if __name__ == "__main__":
    asyncio.run(main())
