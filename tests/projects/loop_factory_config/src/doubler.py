"""Library code: migrated whatever runs its tests."""
import asyncio


async def double(n):
    await asyncio.sleep(0.01 * (3 - n))
    return 2 * n


async def double_all(numbers):
    return await asyncio.gather(*[double(n) for n in numbers])


async def double_within(n, seconds):
    return await asyncio.wait_for(double(n), seconds)
