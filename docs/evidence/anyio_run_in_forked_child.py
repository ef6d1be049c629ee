"""A child process forked while a run is going on in the parent (multiprocessing's "fork"
start method, the default on Linux before Python 3.14) calls a run of its own. `asyncio.run()`
checks the process id and starts a new loop there (A1, and B2 when only the parent's run is
anyio's); `anyio.run()` raises RuntimeError "Already running asyncio in this thread" when the
parent's run is anyio's (B1): the child inherits the parent's context, where anyio's marker of
a running event loop (sniffio's current-library variable) is set. When only the child's run is
anyio's, it starts (B3). Found on a probe of unseen projects: a scheduler's process tasks
(`rocketry`, `execution="process"`) all failed this way after the migration."""
import asyncio
import multiprocessing

import anyio


async def work():
    await asyncio.sleep(0)
    return 42


def child_asyncio(queue):
    try:
        queue.put(asyncio.run(work()))
    except RuntimeError as e:
        queue.put(f"RuntimeError: {e}")


def child_anyio(queue):
    try:
        queue.put(anyio.run(work))
    except RuntimeError as e:
        queue.put(f"RuntimeError: {e}")


async def parent(child):
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=child, args=(queue,))
    process.start()
    process.join()
    return queue.get()


if __name__ == "__main__":
    print("A1 asyncio.run parent, asyncio.run child:", asyncio.run(parent(child_asyncio)))
    print("B1 anyio.run parent, anyio.run child:", anyio.run(parent, child_anyio))
    print("B2 anyio.run parent, asyncio.run child:", anyio.run(parent, child_asyncio))
    print("B3 asyncio.run parent, anyio.run child:", asyncio.run(parent(child_anyio)))
