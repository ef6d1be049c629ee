"""A gather inside an asyncio.TaskGroup block, and tasks created around a gather."""
import asyncio


async def job(name, delay):
    await asyncio.sleep(delay)
    return name


async def main():
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(job("background", 0.02))
        # The gather's own children form a nested group.
        await asyncio.gather(job("a", 0.01), job("b", 0.01))
        print("gather inside the group finished")
    print("task result:", t.result())

    first = asyncio.create_task(job("first", 0.01))
    pair = await asyncio.gather(job("x", 0), job("y", 0))
    print("pair:", pair)
    print("first:", await first)


if __name__ == "__main__":
    asyncio.run(main())
