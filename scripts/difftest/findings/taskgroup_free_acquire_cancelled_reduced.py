"""SAFE violation: asyncio-task-group/task-group + asyncio-sync-primitives/constructor (both
SAFE), reduced by hand from taskgroup_free_acquire_cancelled.py.

`fail()` and `inner()` start together; `inner()` starts `worker()` in a nested group, then
the outer group is cancelled for fail's error. asyncio cancels `inner()`, and `worker()` only
when the nested TaskGroup gets that CancelledError: meanwhile `worker()` takes the free
semaphore (asyncio's acquire() does not check for cancellation when it need not wait). Under
anyio the outer cancel scope covers `worker()` at once, and anyio's acquire() checks for
cancellation even with fast_acquire=True. Every rewrite is SAFE.

    asyncio (original):             migrated (anyio's asyncio and trio backends):
    worker started                  worker started
    worker holds the semaphore      caught ValueError
    caught ValueError

With the semaphore left as asyncio.Semaphore (anyio's groups around it) the migrated program
prints asyncio's three lines.
"""
import asyncio


async def main():
    sem = asyncio.Semaphore(1)

    async def fail():
        raise ValueError("boom")

    async def worker():
        print("worker started")
        async with sem:
            print("worker holds the semaphore")
            await asyncio.sleep(1)

    async def inner():
        async with asyncio.TaskGroup() as tg2:
            tg2.create_task(worker())

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail())
            tg.create_task(inner())
    except* ValueError:
        print("caught ValueError")


if __name__ == "__main__":
    asyncio.run(main())
