"""asyncio.shield that is not a whole statement: MANUAL."""
import asyncio


async def work(x=0):
    await asyncio.sleep(0)
    return x


async def larger_expression():
    print(await asyncio.shield(work()))
    total = 1 + await asyncio.shield(work())
    return total


async def awaiting_argument():
    return await asyncio.shield(work(await work(1)))


async def shares_a_line(flag):
    if flag: await asyncio.shield(work())


def as_a_value(run_later):
    run_later(asyncio.shield, work())
