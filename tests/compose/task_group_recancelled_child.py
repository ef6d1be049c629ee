# A copy of codemods/asyncio-task-group/examples/recancelled_child.py (snapshotted there with
# asyncio-task-group alone), run with every codemod: asyncio-cancelled-error shields the re-
# raising handler's awaits.
"""A child that awaits in its `except CancelledError:` without re-raising keeps the group
MANUAL (aiotools' tests): asyncio.TaskGroup cancels each child once and lets that await run,
while anyio cancels it again at the await, so the child would never get to raise
ZeroDivisionError. A child whose handler re-raises is fine: asyncio-cancelled-error shields
its awaits."""
import asyncio


async def failing_child():
    await asyncio.sleep(0.1)
    raise ValueError("child error")


async def sibling_child():
    try:
        await asyncio.sleep(1.0)
    except asyncio.CancelledError:
        await asyncio.sleep(0.5)
        raise ZeroDivisionError()


async def polite_child(log):
    try:
        await asyncio.sleep(1.0)
    except asyncio.CancelledError:
        await asyncio.sleep(0.1)
        log.append("cleaned up")
        raise


async def parent():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(failing_child())
        tg.create_task(sibling_child())


async def polite_parent(log):
    async with asyncio.TaskGroup() as tg:
        tg.create_task(failing_child())
        tg.create_task(polite_child(log))


async def wrapped_sibling():
    # The handler is one call down: followed through `await sibling_child()`.
    await sibling_child()


async def indirect_parent():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(failing_child())
        tg.create_task(wrapped_sibling())
