"""asyncio.current_task().get_name() in a coroutine becomes anyio.get_current_task().name: on
the asyncio backend anyio reads the name from the same task. Other uses of current_task()
stay reported."""
import asyncio


async def whoami():
    return asyncio.current_task().get_name()


async def main():
    async with asyncio.TaskGroup() as tg:
        worker = tg.create_task(whoami(), name="worker")
    print("named:", worker.result())


def outside():
    return asyncio.current_task().get_name()


if __name__ == "__main__":
    asyncio.run(main())
