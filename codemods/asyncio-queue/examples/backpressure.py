"""A bounded queue: the producer waits while the slow consumer catches up."""
import asyncio


async def main():
    q = asyncio.Queue(maxsize=2)
    log = []

    async def producer():
        for i in range(4):
            await q.put(i)  # blocks while two items wait
            log.append(f"put {i}")
        await q.put(None)

    async def consumer():
        await asyncio.sleep(0.05)  # the producer fills the queue meanwhile
        log.append(f"before consuming: size={q.qsize()} full={q.full()}")
        while (item := await q.get()) is not None:
            log.append(f"got {item}")
            await asyncio.sleep(0.02)

    async with asyncio.TaskGroup() as tg:
        tg.create_task(producer())
        tg.create_task(consumer())
    print("\n".join(log))
    print("maxsize:", q.maxsize, "empty:", q.empty())


if __name__ == "__main__":
    asyncio.run(main())
