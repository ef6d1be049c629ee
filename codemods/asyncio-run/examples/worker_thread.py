"""asyncio.run() in a sync function run by an asyncio.to_thread() that is not awaited at once
(asyncio-to-thread leaves it): UNSAFE asyncio-run-in-thread. anyio.run refuses to start in a
thread asyncio.to_thread started (it copies the loop's context), where asyncio.run started a
new loop there (docs/evidence/anyio_run_in_worker_thread.py runs both)."""
import asyncio


async def work():
    await asyncio.sleep(0)
    return "worked"


def run_blocking():
    # A sync API: called from a worker thread below.
    return asyncio.run(work())


async def submit():
    task = asyncio.ensure_future(asyncio.to_thread(run_blocking))
    return await task


if __name__ == "__main__":
    print(asyncio.run(submit()))
