"""asyncio.create_task(coro, context=ctx) / asyncio.TaskGroup.create_task(coro, context=ctx)
-> anyio's TaskGroup.create_task(coro, context=ctx): the signature is the same (spec §2), the
meaning is not. asyncio runs the task *in* `ctx`, so ContextVar changes made by the task are
visible in `ctx` afterwards (`ctx.run(var.get)`); anyio runs it in a copy, and `ctx` is left as
it was. aiotools' tests (test_utils_gather, test_utils_race, test_utils_as_completed) start
`_inner()` with `context=context` and then read counters from `context`.
Run: python docs/evidence/create_task_context.py  (output: create_task_context.out)
"""
import asyncio
import contextvars
import importlib.metadata
import sys

import anyio

var = contextvars.ContextVar("var", default=0)


async def inner():
    var.set(var.get() + 1)
    return var.get()


async def reference():
    ctx = contextvars.copy_context()
    r = await asyncio.create_task(inner(), context=ctx)
    print("A1 asyncio.create_task(inner(), context=ctx): returned", r, "| ctx[var] afterwards:", ctx.get(var, 0))
    ctx = contextvars.copy_context()
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(inner(), context=ctx)
    print("A2 asyncio.TaskGroup().create_task(inner(), context=ctx): returned", t.result(),
          "| ctx[var] afterwards:", ctx.get(var, 0))


async def rewrites():
    ctx = contextvars.copy_context()
    async with anyio.create_task_group() as tg:
        r = await tg.create_task(inner(), context=ctx)
    print("B1 anyio tg.create_task(inner(), context=ctx): returned", r, "| ctx[var] afterwards:", ctx.get(var, 0))
    ctx = contextvars.copy_context()
    async with anyio.create_task_group() as tg:
        h = tg.create_task(inner(), context=ctx)
    print("B2 anyio tg.create_task(inner(), context=ctx), read after the group: returned",
          h.return_value, "| ctx[var] afterwards:", ctx.get(var, 0))


if __name__ == "__main__":
    print("python", sys.version.split()[0], "| anyio", importlib.metadata.version("anyio"))
    print("=== reference: original asyncio code under asyncio.run")
    asyncio.run(reference())
    for backend in ("asyncio", "trio"):
        print(f"=== anyio rewrite, backend={backend}")
        anyio.run(rewrites, backend=backend)
