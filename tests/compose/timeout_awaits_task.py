# A copy of codemods/asyncio-timeout/examples/awaits_task.py (snapshotted there with asyncio-
# timeout alone), run with every codemod: asyncio-create-task's task group goes inside asyncio-
# timeout's block.
"""A timeout block that awaits a Task or Future made elsewhere (an attribute, a parameter):
MANUAL timeout-awaits-task. On the deadline the cancellation reaches that task through the
await, and what comes back is the task's own CancelledError, which anyio's scope may not
take for its own. A name the function binds itself is left to the codemod of what it is
bound to (here asyncio-create-task)."""
import asyncio


class Job:
    def __init__(self, coro):
        self._task = asyncio.ensure_future(coro)

    async def wait(self, timeout):
        async with asyncio.timeout(timeout):  # MANUAL: an attribute
            return await self._task


async def wait_for_it(task, timeout):
    async with asyncio.timeout(timeout):  # MANUAL: a parameter
        return await task


async def own_task(work):
    async with asyncio.timeout(1):  # rewritten: the task is this function's own
        t = asyncio.create_task(work())
        return await t


async def a_call(work):
    async with asyncio.timeout(1):  # rewritten: a call is awaited
        return await work()
