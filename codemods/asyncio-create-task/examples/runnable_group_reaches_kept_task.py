"""A task the group starts (`a`) and, created after it, one that stays asyncio's (`b`, started
with `context=`, whose ContextVar changes asyncio makes visible in that context afterwards):
the group around `a` reaches `b`'s last use too, so `b` is reported for its own reason, not as
a task used after the group's block. `a` is done by the time the extra statements run, so
the group waits for nothing more. Same output on asyncio and, migrated, on anyio's asyncio
and trio backends (`b` stays asyncio's: see the `.expected` file for trio)."""
import asyncio
import contextvars

seen = contextvars.ContextVar("seen", default="unset")


async def work(tag):
    await asyncio.sleep(0)
    return tag


async def mark():
    seen.set("marked")


async def main():
    a = asyncio.create_task(work("a"))
    ctx = contextvars.copy_context()
    b = asyncio.create_task(mark(), context=ctx)
    print("a:", await a)
    print("b done after a:", b.done())
    await b
    print("b's context:", ctx[seen])
