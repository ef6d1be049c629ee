"""A handler that swallows the cancellation as the last thing its coroutine does.

A1: under asyncio, a task whose coroutine swallows `task.cancel()` at its end finishes
normally, and a caller that awaited that coroutine runs on past its own awaits.
B1 (anyio, both backends): the task started in a task group and cancelled through its scope
ends the same way (the rewritten handler runs, nothing is left to cancel).
B2: a caller that awaited the coroutine runs its synchronous code after the call, then is
cancelled at its own next checkpoint: anyio's cancellation stays delivered.
Run with anyio and trio installed."""
import asyncio

import anyio


async def worker_asyncio(log):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append("handler")


async def caller_asyncio(log):
    await worker_asyncio(log)
    log.append("caller after the call")
    await asyncio.sleep(0)
    log.append("caller after its next await")


async def worker_anyio(log):
    try:
        await anyio.sleep(10)
    except anyio.get_cancelled_exc_class():
        log.append("handler")


async def caller_anyio(log):
    await worker_anyio(log)
    log.append("caller after the call")
    await anyio.sleep(0)
    log.append("caller after its next await")


async def asyncio_main():
    for name, coro in (("task", worker_asyncio), ("caller", caller_asyncio)):
        log = []
        t = asyncio.create_task(coro(log))
        await asyncio.sleep(0.01)
        t.cancel()
        await t
        print(f"A1 {name}: {log}, cancelled={t.cancelled()}")


async def anyio_main(backend):
    for label, coro in (("B1 task", worker_anyio), ("B2 caller", caller_anyio)):
        log = []
        async with anyio.create_task_group() as tg:
            tg.start_soon(coro, log)
            await anyio.sleep(0.01)
            tg.cancel_scope.cancel()
        print(f"{label} ({backend}): {log}")


if __name__ == "__main__":
    asyncio.run(asyncio_main())
    for backend in ("asyncio", "trio"):
        anyio.run(anyio_main, backend, backend=backend)
