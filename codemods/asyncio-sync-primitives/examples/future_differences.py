"""What the asyncio-sync-primitives/future rewrite changes (its UNSAFE note), on both backends:
awaiting a Future that is already done yields to the other tasks first, and a waiter cancelled
by its timeout leaves the Future pending (asyncio cancelled the Future with its waiter, so the
later `done()` was True and the result was never set)."""
import asyncio


async def main():
    log = []
    ready = asyncio.Future()
    ready.set_result("awaited a done future")

    async def other():
        log.append("other task ran")

    async with asyncio.TaskGroup() as tg:
        tg.create_task(other())
        log.append(await ready)
    print(log)

    answer = asyncio.Future()

    async def waiter():
        try:
            async with asyncio.timeout(0.01):
                await answer
        except TimeoutError:
            print("waiter timed out")

    await waiter()
    print("done after the waiter's timeout:", answer.done())
    if not answer.done():
        answer.set_result(42)
        print("set afterwards:", answer.result())


if __name__ == "__main__":
    asyncio.run(main())
