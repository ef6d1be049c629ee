"""Tasks and Futures as arguments (or what may be one): MANUAL (anyio.gather takes coroutines
only), except tasks made only to be gathered at once: asyncio-create-task unwraps those."""
import asyncio
import contextlib


async def fetch(url):
    await asyncio.sleep(0)
    return url


async def created_tasks(a, b):
    t1 = asyncio.create_task(fetch(a))
    t2 = asyncio.ensure_future(fetch(b))
    return await asyncio.gather(t1, t2)


async def task_list(urls):
    tasks = [asyncio.create_task(fetch(u)) for u in urls]
    await asyncio.gather(*tasks)


async def loop_task(url):
    loop = asyncio.get_running_loop()
    await asyncio.gather(loop.create_task(fetch(url)), fetch(url))


async def future_list(urls):
    futures = []
    for u in urls:
        futures.append(asyncio.ensure_future(fetch(u)))
    await asyncio.gather(*futures)


async def watched(url):
    pending = fetch(url)
    pending.add_done_callback(print)
    await asyncio.gather(pending)


async def parameter(coro, others):
    # A parameter may be a Task: nothing here shows it is a coroutine object.
    await asyncio.gather(coro, fetch("x"))
    await asyncio.gather(*others)


class Worker:
    async def run(self):
        await asyncio.gather(self.job, fetch("x"))


async def same_twice(coro):
    # asyncio.gather runs one awaitable once: reported.
    await asyncio.gather(coro, coro)


class Poller:
    """A task stored on the object and cancelled before it is gathered (the cleanup idiom):
    asyncio.gather raised its CancelledError to `close`, where suppress() caught it; awaited in
    a child task of anyio's, it would cancel `close` itself. Reported, not wrapped."""

    async def close(self):
        if self.task:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(self.task)


async def guarded(job):
    # The handler shows the author expects a cancelled child's CancelledError here: reported.
    try:
        await asyncio.gather(job)
    except asyncio.CancelledError:
        pass
