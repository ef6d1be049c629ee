"""Many names: the suggested import is split over lines."""
from asyncio import *


async def everything(coros, q_size):
    queue = Queue(q_size)
    lock, event, cond, sem = Lock(), Event(), Condition(), Semaphore(2)
    bounded = BoundedSemaphore(2)
    done, pending = await wait(coros, return_when=FIRST_COMPLETED)
    for fut in as_completed(pending):
        await fut
    task = create_task(sleep(0))
    await shield(task)
    return queue, lock, event, cond, sem, bounded, done, current_task(), CancelledError
