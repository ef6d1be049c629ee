"""A shield inside a `try` that catches CancelledError is MANUAL: the author expects the caller
to be cancelled at the await while the shielded work goes on (aiojobs' `Job.wait()`). Under
`with anyio.CancelScope(shield=True):` the cancelled caller would wait for the work instead,
forever if the work never ends."""
import asyncio


class Job:
    def __init__(self, task):
        self._task = task

    async def _do_wait(self, timeout):
        async with asyncio.timeout(timeout):
            return await self._task

    async def wait(self, timeout=None):
        try:
            return await asyncio.shield(self._do_wait(timeout))
        except asyncio.CancelledError:
            # Don't stop inner coroutine on explicit cancel
            raise
        except Exception:
            await self.close()
            raise

    async def close(self):
        self._task.cancel()


async def tuple_handler(work):
    try:
        await asyncio.shield(work())
    except (asyncio.CancelledError, KeyError):
        raise


async def outer_handler(work):
    try:
        if work:
            value = await asyncio.shield(work())
            return value
    except asyncio.exceptions.CancelledError:
        raise


async def other_handler_is_rewritten(work):
    try:
        await asyncio.shield(work())
    except KeyError:
        pass
