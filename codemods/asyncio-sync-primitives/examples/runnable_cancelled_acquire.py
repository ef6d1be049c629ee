"""A cancelled task's cleanup takes a free lock: asyncio's acquire() returns at once (it need not
wait), anyio's checks for the cancellation first and raises it, so the cleanup under the lock
never runs (the constructor's SAFE (edge) note), on both backends."""
import asyncio


async def main():
    lock = asyncio.Lock()
    log = []

    async def child():
        try:
            await asyncio.sleep(1)
        finally:
            async with lock:
                log.append("cleanup under the lock")

    async def fail():
        await asyncio.sleep(0.01)
        raise ValueError("boom")

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child())
            tg.create_task(fail())
    except* ValueError:
        print("caught ValueError")
    print("log:", log)


if __name__ == "__main__":
    asyncio.run(main())
