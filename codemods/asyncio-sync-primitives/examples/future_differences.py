"""What the asyncio-sync-primitives/future rewrite changes (its UNSAFE note), on both backends:
awaiting a Future that is already done is a checkpoint (past a deadline it raises the
cancellation, where asyncio's await returned the value at once; it also lets other tasks run
first, in an order trio does not fix, so not printed here), and a waiter cancelled by its
timeout leaves the Future pending (asyncio cancelled the Future with its waiter, so the later
`done()` was True and the result was never set)."""
import asyncio


async def main():
    ready = asyncio.Future()
    ready.set_result("the value")
    try:
        async with asyncio.timeout(0):
            print("got", await ready)
            await asyncio.sleep(1)
    except TimeoutError:
        print("timed out")

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
