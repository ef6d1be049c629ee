"""The classic worker pool: one producer, N consumers, one sentinel per consumer."""
import asyncio

WORKERS = 3
SENTINEL = None


async def worker(name, queue: asyncio.Queue[int], results):
    # Each worker takes items until it sees its sentinel.
    while True:
        item = await queue.get()
        if item is SENTINEL:
            break
        results.append((item, item * item))
        await asyncio.sleep(0)


async def produce(queue, count):
    for i in range(count):
        await queue.put(i)
    for _ in range(WORKERS):
        await queue.put(SENTINEL)  # one stop signal per worker


async def main():
    queue = asyncio.Queue()
    results = []

    await asyncio.gather(
        produce(queue, 10),
        *[worker(f"w{i}", queue, results) for i in range(WORKERS)],
    )
    print("squares:", sorted(results))
    print("all consumed:", queue.empty())


if __name__ == "__main__":
    asyncio.run(main())
