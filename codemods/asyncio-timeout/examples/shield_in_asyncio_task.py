"""A shield does not keep anyio's timeout off cleanup that runs in a task asyncio made: after
the deadline anyio cancels the block's task again on every event-loop iteration (its
cancellation is level-triggered), and a task awaiting another asyncio task passes each
`Task.cancel()` on to it, so the shielded await in that task's handler is cancelled too and
its cleanup is cut. Awaited directly in the block, the same shielded cleanup runs. Under
asyncio, one CancelledError arrives and the cleanup runs in both. The tool leaves
`loop.create_task` as a MANUAL finding; the timeout notes say a shield inside an asyncio
task the block awaits does not hold. Found by difftest (seed 16 index 7939).
It runs as a script (`asyncio.run`): run it as written and migrated to compare.
"""

import asyncio


async def child(name):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print(name, "cancelled")
        await asyncio.sleep(0)
        print(name, "cleanup done")
        raise


async def demo():  # not `main`: not a runnable example, the outputs differ on purpose
    try:
        async with asyncio.timeout(0.01):
            await asyncio.get_running_loop().create_task(child("asyncio task"))
    except TimeoutError:
        print("timed out")
    try:
        async with asyncio.timeout(0.01):
            await child("same task")
    except TimeoutError:
        print("timed out")


if __name__ == "__main__":
    asyncio.run(demo())
