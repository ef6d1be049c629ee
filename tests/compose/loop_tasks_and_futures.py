# A copy of codemods/asyncio-loop/examples/tasks_and_futures.py (snapshotted there with asyncio-
# loop alone), run with every codemod: asyncio-sync-primitives rewrites the Futures to
# anyio.Future.
"""current_task() (but `.get_name()`, which becomes anyio.get_current_task().name) and
all_tasks() have no same-shape anyio API: reported. asyncio.Future() is asyncio-sync-primitives'
(rewritten to anyio.Future where its uses allow, as here)."""
import asyncio
import asyncio as aio
from asyncio import Future, current_task


async def name_of_this_task():
    return asyncio.current_task().get_name()


async def cancel_myself():
    current_task().cancel()


async def others():
    me = aio.current_task()
    return [t for t in asyncio.all_tasks() if t is not me]


async def handshake():
    fut = asyncio.Future()
    waiter = Future()
    fut.set_result(1)
    waiter.set_result(await fut)
    return await waiter
