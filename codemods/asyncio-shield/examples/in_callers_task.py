"""`await asyncio.shield(f())` runs `f()` in a task of its own: it starts an event-loop
iteration after the call, its ContextVar changes stay in that task, and a `Task.cancel()` of
the caller leaves it running (the caller gets the CancelledError at once).
`with anyio.CancelScope(shield=True): await f()` runs `f()` in the caller's task: it starts at
once (before a task created just before the call), its ContextVar changes are the caller's,
and the shield holds against anyio's cancellation (task groups, timeouts) only: a
`Task.cancel()` of the caller by code still on asyncio (here a task kept in a list, which the
tool leaves as a MANUAL finding; a framework cancelling its request task is the same) reaches
`f()`. The shield rewrite's note names all three. Found by
difftest (seed 16 indices 420, 9859: the start order; 1753, 2281: a native cancel through the
shield).
It runs as a script (`asyncio.run`): run it as written and migrated to compare.
"""

import asyncio
import contextvars

VAR = contextvars.ContextVar("VAR", default="unset")


async def work(events, name):
    events.append(name + " started")
    VAR.set(name)
    try:
        await asyncio.sleep(0.05)
        events.append(name + " finished")
    except asyncio.CancelledError:
        events.append(name + " cancelled")
        raise


async def caller(events):
    other = asyncio.ensure_future(work(events, "other task"))
    await asyncio.shield(work(events, "shielded call"))
    events.append(f"caller back, VAR = {VAR.get()}")
    await other


async def cancelled_caller(events):
    await asyncio.shield(work(events, "shielded call"))
    events.append("caller back")


async def demo():  # not `main`: not a runnable example, the outputs differ on purpose
    events = []
    await caller(events)
    # Kept in a list, the task stays asyncio's (a task awaited here alone would move to a task
    # group, whose cancellation the shield holds against).
    tasks = [asyncio.get_running_loop().create_task(cancelled_caller(events))]
    t = tasks[0]
    await asyncio.sleep(0.01)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        events.append("caller task cancelled")
    await asyncio.sleep(0.1)
    for e in events:
        print(e)


if __name__ == "__main__":
    asyncio.run(demo())
