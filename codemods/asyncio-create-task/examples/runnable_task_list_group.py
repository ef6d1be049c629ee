"""Tasks kept in a local list that the function finishes itself, with other work between the
start and the end: a task group spans from the statement that fills the list to the list's
last use. `await asyncio.gather(*tasks)` becomes `[await t for t in tasks]`, the same with
`return_exceptions=True` (as a statement) a loop of `await t.wait()`, as does `await
asyncio.wait(tasks)` (and `await asyncio.wait([t])` becomes `await t.wait()`, `await
asyncio.gather(t1, t2)` of named tasks `[await t1, await t2]`); a loop over the
list uses each task by the rules of a single task; the list may be filled under an `if` in the
loop and tested for emptiness. Same output on asyncio and, migrated, on anyio's asyncio and
trio backends (a worker's parameters annotated or not, a worker that is a method)."""
import asyncio


async def work(x, log):
    await asyncio.sleep(0.01 * (3 - x))
    log.append(f"work {x}")
    return x * 10


async def comprehension():
    log = []
    tasks = [asyncio.create_task(work(i, log)) for i in range(3)]
    await asyncio.sleep(0)
    log.append(f"started {len(tasks)}")
    results = await asyncio.gather(*tasks)
    return results, log


async def appended_and_awaited_in_turn():
    log = []
    tasks = []
    for i in range(3):
        log.append(f"start {i}")
        tasks.append(asyncio.create_task(work(i, log)))
        await asyncio.sleep(0)
    first_done = tasks[0].done()
    for task in tasks:
        log.append(await task)
    return first_done, log


async def worker_pool():
    # The workers are cancelled: the code they run is this file's, down to the queue's get()
    # (a queue handed in as a parameter could be any object, whose code may wait again when
    # cancelled, and is left to asyncio).
    log = []
    queue = asyncio.Queue()
    for item in range(6):
        queue.put_nowait(item)

    async def worker(name):
        while True:
            item = await queue.get()
            log.append((name, item))
            queue.task_done()

    tasks = []
    for i in range(3):
        task = asyncio.create_task(worker(f"w{i}"))
        tasks.append(task)
    await queue.join()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return sorted(item for _, item in log), [t.cancelled() for t in tasks]


async def typed_worker(name: str, queue: asyncio.Queue, log: list, delay: float = 0) -> None:
    while True:
        item = await queue.get()
        await asyncio.sleep(delay)
        log.append((name, item))
        queue.task_done()


async def typed_worker_pool():
    # The asyncio docs' queue example, with annotated parameters: the queue the workers wait
    # on is handed in as `queue: asyncio.Queue` (bound here to an asyncio.Queue), and the
    # delay as a default parameter.
    log = []
    queue = asyncio.Queue()
    for item in range(6):
        queue.put_nowait(item)
    workers = [asyncio.create_task(typed_worker(f"w{i}", queue, log, 0.001)) for i in range(3)]
    await queue.join()
    for w in workers:
        w.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    return sorted(item for _, item in log), [w.cancelled() for w in workers]


class Pool:
    # A worker that is a method: `self.worker(...)` runs this class's `worker`, whose waits
    # are shown (a class attribute whose name holds "worker" does not rebind it).
    max_workers = 2

    def __init__(self):
        self.log = []

    async def worker(self, name: str, queue: asyncio.Queue) -> None:
        while True:
            item = await queue.get()
            await asyncio.sleep(0)
            self.log.append((name, item))
            queue.task_done()

    async def run(self, items):
        queue = asyncio.Queue()
        for item in items:
            queue.put_nowait(item)
        workers = [asyncio.create_task(self.worker(f"w{i}", queue)) for i in range(self.max_workers)]
        await queue.join()
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        return sorted(item for _, item in self.log)


async def throttles(limits):
    log = []
    tasks = []
    for limit in limits:
        if limit:
            tasks.append(asyncio.create_task(work(limit, log)))
    if tasks:
        await asyncio.wait(tasks)
    return log


async def cancel_and_wait():
    log = []
    task = asyncio.create_task(work(-100, log))
    try:
        await asyncio.sleep(0.01)
    finally:
        task.cancel()
        await asyncio.wait([task])
    return log, task.cancelled()


async def named_then_gathered():
    log = []
    first = asyncio.create_task(work(1, log))
    await asyncio.sleep(0)
    second = asyncio.create_task(work(2, log))
    return await asyncio.gather(first, second), log


async def main():
    print(await comprehension())
    print(await appended_and_awaited_in_turn())
    print(await worker_pool())
    print(await typed_worker_pool())
    print(await Pool().run(range(5)))
    print(await throttles([0, 2, 1]), await throttles([0]))
    print(await cancel_and_wait())
    print(await named_then_gathered())


asyncio.run(main())
