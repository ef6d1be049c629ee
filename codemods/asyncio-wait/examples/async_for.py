"""Python 3.13's `async for` over asyncio.as_completed: the same rewrite as the `for` form
(no `main`: the original needs Python 3.13, the executed examples run on 3.11)."""
import asyncio


async def fetch(n):
    await asyncio.sleep(0.01 * n)
    return n


async def total():
    result = 0
    async for task in asyncio.as_completed([fetch(2), fetch(1)]):  # trailing comment stays
        result += await task
    return result


async def leaves_at_once():
    async for task in asyncio.as_completed([fetch(2), fetch(1)]):
        return await task
