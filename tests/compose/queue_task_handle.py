# A copy of codemods/asyncio-queue/examples/task_handle.py (snapshotted there with asyncio-queue
# alone), run with every codemod: asyncio-create-task's task group and asyncio-queue's streams
# compose.
"""A consumer started with create_task and awaited later: both rewrites compose."""
import asyncio


async def total(numbers):
    s = 0
    while (n := await numbers.get()) is not None:
        s += n
    return s


async def main():
    numbers = asyncio.Queue()
    task = asyncio.create_task(total(numbers))
    for n in range(5):
        await numbers.put(n)
    await numbers.put(None)
    print("total:", await task)


if __name__ == "__main__":
    asyncio.run(main())
