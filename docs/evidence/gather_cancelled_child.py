"""A Task cancelled before it is gathered (the cleanup idiom: `task.cancel()`, then
`with contextlib.suppress(asyncio.CancelledError): await asyncio.gather(task)`): asyncio.gather
raises the child's CancelledError to its caller as an exception, which the suppress() catches,
and the caller runs on (A1). The gather codemod's form for an argument it cannot show to be a
coroutine, `_gather(_await(task))`, awaits the task in a child of anyio's task group: the child
raises CancelledError, the group takes it for a cancellation, and the caller ends cancelled,
past the suppress() (B1). Awaiting the task itself behaves as A1 (B2). Found on a mower-client
library outside the corpus (its session's `close()`), whose tests then ended in CancelledError.
"""
import asyncio
import contextlib
import sys

import anyio


async def _await(awaitable):
    return await awaitable


async def _gather(*coros):
    try:
        return list(await anyio.gather(*coros))
    except BaseExceptionGroup as eg:
        first = eg.exceptions[0]
        if all(isinstance(e, Exception) for e in eg.exceptions):
            raise first from first.__cause__
        raise


async def forever():
    await asyncio.sleep(100)


async def close(form):
    task = asyncio.create_task(forever())
    await asyncio.sleep(0)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        if form == "asyncio.gather":
            await asyncio.gather(task)
        elif form == "_gather(_await(task))":
            await _gather(_await(task))
        else:
            await task
    await asyncio.sleep(0.01)
    return "caller ran on"


def run(label, runner, form):
    try:
        print(label, form, "->", runner(form))
    except BaseException as e:  # noqa: BLE001 - the outcome is what is compared
        print(label, form, "->", type(e).__name__)


print(f"python {sys.version.split()[0]} | anyio {anyio.__version__ if hasattr(anyio, '__version__') else __import__('importlib.metadata').metadata.version('anyio')}")
run("A1", lambda f: asyncio.run(close(f)), "asyncio.gather")
run("B1", lambda f: anyio.run(close, f), "_gather(_await(task))")
run("B2", lambda f: anyio.run(close, f), "await task")
