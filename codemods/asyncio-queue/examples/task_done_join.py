"""task_done()/join() have no memory-stream counterpart: the queue keeps its object as `_Queue`,
whose task_done()/join() count unfinished items as asyncio's do."""
import asyncio


async def worker(queue, done):
    while True:
        item = await queue.get()
        done.append(item)
        queue.task_done()


async def run_all(items):
    queue = asyncio.Queue()
    done = []
    for item in items:
        queue.put_nowait(item)
    async with asyncio.TaskGroup() as tg:
        tg.create_task(worker(queue, done))
        await queue.join()  # returns once every item is marked done
        raise SystemExit(done)
