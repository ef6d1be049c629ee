"""A shield inside a wait_for, a shield inside a timeout block, a wait_for passed to a gather:
never rewritten naively (MANUAL), never broken."""
import asyncio


async def save():
    await asyncio.sleep(0.01)
    return "saved"


async def timed_save():
    return await asyncio.wait_for(asyncio.shield(save()), 1)


async def shielded_in_block():
    async with asyncio.timeout(1):
        return await asyncio.shield(save())


async def work(n):
    return n


async def timed_child():
    await asyncio.gather(work(3), asyncio.wait_for(work(4), 1))
