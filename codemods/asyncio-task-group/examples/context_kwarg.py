"""`tg.create_task(coro, context=ctx)`: anyio takes the argument but runs the task in a copy of
`ctx`, so ContextVar changes made by the task no longer show in `ctx` afterwards
(docs/evidence/create_task_context.py); the group is left as it is (MANUAL)."""
import asyncio
import contextvars

counter = contextvars.ContextVar("counter", default=0)


async def bump():
    counter.set(counter.get() + 1)


async def count_in_context():
    ctx = contextvars.copy_context()
    async with asyncio.TaskGroup() as tg:
        tg.create_task(bump(), context=ctx)
    return ctx[counter]


async def named_only():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(bump(), name="bump")
