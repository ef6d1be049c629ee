# A copy of codemods/asyncio-loop/examples/create_future.py (snapshotted there with asyncio-loop
# alone), run with every codemod: asyncio-sync-primitives and asyncio-create-task rewrite the
# loop's uses, then asyncio-loop deletes the loop variable.
"""loop.create_future() on the running loop makes the same Future as asyncio.Future():
asyncio-sync-primitives turns it into anyio.Future() where its uses allow, and the loop
variable goes once nothing else uses it. A Future handed to a loop callback stays asyncio's,
its line as written (reported). A task the loop creates and this function awaits moves to a
task group (asyncio-create-task), and then the loop variable goes too."""
import asyncio


async def handshake():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def answer():
        fut.set_result("ack")

    async with asyncio.TaskGroup() as tg:
        tg.create_task(answer())
        return await fut


async def direct():
    fut = asyncio.get_running_loop().create_future()
    fut.set_result(1)
    return await fut


async def nap():
    await asyncio.sleep(0.01)
    return "slept"


async def spawned():
    loop = asyncio.get_running_loop()
    task = loop.create_task(nap())
    return await task


async def via_callback():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_soon(fut.set_result, 2)
    return await fut


async def main():
    print(await handshake(), await direct())


if __name__ == "__main__":
    asyncio.run(main())
