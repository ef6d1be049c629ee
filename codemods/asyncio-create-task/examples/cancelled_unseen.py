"""A task cancelled by hand runs code this file does not show: MANUAL cancelled-unseen-code.
anyio keeps delivering the cancellation until the task ends; code there that catches it and
awaits again (asyncio.Condition.wait() re-acquiring its lock) could spin forever. A task that
runs an `async def` of this file is migrated: what that code does is checked here."""
import asyncio

from somewhere import client


async def poll():
    while True:
        await asyncio.sleep(0.01)


async def unseen():
    task = asyncio.create_task(client.fetch())
    await asyncio.sleep(0.05)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass


async def seen():
    task = asyncio.create_task(poll())
    await asyncio.sleep(0.05)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
