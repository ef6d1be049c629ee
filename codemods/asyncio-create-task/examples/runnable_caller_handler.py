"""A task awaited with no handler in its own function, whose failure a caller handles: left to
asyncio (MANUAL caller-handler), so the caller's `except ValueError` still stops it; a task
whose callers handle nothing becomes a task group. On trio the task left to asyncio cannot
start (no asyncio loop): the `.expected` file shows it."""
import asyncio


async def fetch(item):
    await asyncio.sleep(0)
    if item == "bad":
        raise ValueError(f"cannot fetch {item}")
    return item.upper()


async def fetch_one(item):
    task = asyncio.create_task(fetch(item))  # MANUAL: caller-handler
    await asyncio.sleep(0)
    return await task


async def fetch_quietly(item):
    task = asyncio.create_task(fetch(item))  # rewrite
    await asyncio.sleep(0)
    return await task


async def main():
    print(await fetch_one("a"))
    try:
        await fetch_one("bad")
    except ValueError as exc:
        print("the caller caught:", repr(exc))
    print(await fetch_quietly("b"))

