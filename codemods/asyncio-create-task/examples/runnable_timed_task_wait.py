"""A task the function waits for with a deadline, `await asyncio.wait_for(t, x)` as a statement
of its own: the task goes to a task group and the wait becomes `await t` under `with
anyio.fail_after(x):` (on the deadline the TimeoutError leaves the group, which cancels the
task, as asyncio.wait_for did, and raises an ExceptionGroup). Same output on asyncio and,
migrated, on anyio's asyncio and trio backends."""
import asyncio


async def fetch(ev, log, value):
    await ev.wait()
    log.append(f"fetched {value}")
    return value


async def assigned():
    log = []
    ev = asyncio.Event()
    task = asyncio.create_task(fetch(ev, log, "a"))
    log.append("started")
    ev.set()
    result = await asyncio.wait_for(task, 1.0)
    return result, log


async def returned(log):
    ev = asyncio.Event()
    task = asyncio.create_task(fetch(ev, log, "b"))
    await asyncio.sleep(0)
    ev.set()
    return await asyncio.wait_for(task, timeout=1.0)


async def as_a_statement():
    log = []
    ev = asyncio.Event()
    task = asyncio.create_task(fetch(ev, log, "c"))
    ev.set()
    await asyncio.wait_for(task, None)
    log.append(task.done())
    return log


async def slow(log, value):
    try:
        await asyncio.sleep(10)
    finally:
        log.append(f"stopped {value}")


async def cancelled_then_waited():
    """The cleanup idiom: cancel the task if it still runs, then wait for it however it ended
    (`gather(t, return_exceptions=True)` as a statement: `await t.wait()`)."""
    log = []
    task = asyncio.create_task(slow(log, "e"))
    await asyncio.sleep(0.01)
    if not task.done():
        task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    log.append(task.done())
    return log


async def main():
    print(await assigned())
    log = []
    print(await returned(log), log)
    print(await as_a_statement())
    print(await cancelled_then_waited())


asyncio.run(main())
