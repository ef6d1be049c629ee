# A copy of codemods/asyncio-create-task/examples/runnable_executor.py (snapshotted there with
# asyncio-create-task alone), run with every codemod: asyncio-loop deletes the loop variable once
# asyncio-create-task took its last use.
"""`f = loop.run_in_executor(None, fn, *args)` on the running loop, awaited later in the same
block: the thread's future becomes a task of `anyio.to_thread.run_sync(fn, *args,
abandon_on_cancel=True)` in a task group from the call to the last use, and the loop
variable goes once nothing else uses it. (Awaited where it is made, the call is
asyncio-to-thread's.) The thread now starts when the task first runs, at the next await."""
import asyncio
import threading


def blocking(n, done):
    done.wait(1)
    return n * 2


async def overlap():
    loop = asyncio.get_running_loop()
    done = threading.Event()
    f = loop.run_in_executor(None, blocking, 21, done)
    await asyncio.sleep(0.01)
    print("thread still running:", not f.done())
    done.set()
    print("result:", await f)


async def nested():
    loop = asyncio.get_running_loop()

    async def go(n):
        done = threading.Event()
        done.set()
        f = loop.run_in_executor(None, blocking, n, done)
        return await f

    print("nested:", await go(1), await go(2))


async def main():
    await overlap()
    await nested()
