"""The caller is cancelled in the loop iteration where the call under wait_for finishes. On
Python 3.11, wait_for sees the result ready and returns it: the cancellation is lost and
`worker` prints "ran on". The `move_on_after` block the migration writes delivers the
cancellation ("cancelled"), as Python 3.12's wait_for does. The note says so."""
import asyncio


async def fetch():
    await asyncio.sleep(0.01)
    return 1


async def worker():
    try:
        await asyncio.wait_for(fetch(), 1)
    except TimeoutError:
        pass
    await asyncio.sleep(0.05)
    print("ran on")


async def demo():  # not `main`: not a runnable example, the outputs differ on purpose
    task = asyncio.create_task(worker())
    await asyncio.sleep(0.01)  # due in the same iteration as fetch()'s sleep
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("cancelled")


asyncio.run(demo())
