"""`f = loop.run_in_executor(None, fn, *args)` on the running loop, awaited later in the same
block: the thread's future becomes a task of `anyio.to_thread.run_sync(fn, *args,
abandon_on_cancel=True)` in a task group from the call to the last use, and the loop
variable goes once nothing else uses it. (Awaited where it is made, the call is
asyncio-to-thread's.) The thread now starts when the task first runs, at the next await.
Futures appended to a list in a `for` loop and awaited one by one later become tasks of that
group too (`listed`), and a failure the function handles where it awaits the future is kept
for that await (`kept`: `_kept_failure` / `_raise_kept`), as asyncio's future kept it."""
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


def failing(n):
    raise ValueError(f"thread {n} failed")


async def kept():
    loop = asyncio.get_running_loop()
    f = loop.run_in_executor(None, failing, 1)
    await asyncio.sleep(0.01)
    try:
        await f
    except ValueError as exc:
        print("caught:", exc)


async def listed():
    loop = asyncio.get_running_loop()
    done = threading.Event()
    futures = []
    for n in range(3):
        futures.append(loop.run_in_executor(None, blocking, n, done))
    await asyncio.sleep(0.01)
    print("all running:", not any(f.done() for f in futures))
    done.set()
    for f in futures:
        print("listed:", await f)


async def listed_kept():
    loop = asyncio.get_running_loop()
    futures = []
    for n in range(2):
        futures.append(loop.run_in_executor(None, failing, n))
    for f in futures:
        try:
            await f
        except ValueError as exc:
            print("caught:", exc)


async def main():
    await overlap()
    await nested()
    await kept()
    await listed()
    await listed_kept()
