"""A child whose cleanup awaits, cancelled when its sibling fails. asyncio.TaskGroup cancels it
once and the `finally:` runs to the end ("cleanup done"); under anyio the cancellation is
level-triggered, so the cleanup's first await is cancelled again and "cleanup done" is never
printed. The group's note says so and how to shield the cleanup."""
import asyncio


async def child(conn):
    try:
        await asyncio.sleep(1)
    finally:
        await asyncio.sleep(0)  # say, await conn.aclose()
        print("cleanup done")


async def fail():
    await asyncio.sleep(0.01)
    raise ValueError("boom")


async def demo():  # not `main`: not a runnable example, the outputs differ on purpose
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child(None))
            tg.create_task(fail())
    except* ValueError:
        print("caught")


asyncio.run(demo())
