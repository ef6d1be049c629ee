"""`t.cancel()` of a task made with `asyncio.create_task` is asyncio's `Task.cancel()`; in the
migrated program it cancels the task's scope in its task group, which reaches the task at
another moment:
- a task whose wake-up is already scheduled (its sleep is over, a future it awaits is set)
  runs on to its next await (here to its end), where asyncio cancelled it at that wake-up;
- the cancellation stays: cleanup that awaits in the task's `except CancelledError:` /
  `finally:` is cancelled again at its first await, where asyncio let it run;
- a cancelled task that started tasks of its own (migrated into its own task group) ends only
  after they did, an event-loop iteration or more later: `t.cancelled()` right after
  `t.cancel(); await asyncio.sleep(0)` is still False.
The create-task rewrite's note names them. Found by difftest (seed 16 indices 1955, 6395: a
task whose sleep was over ran on; 3298, 7182, 7252, 8341: `t.cancelled()` read one iteration
after the cancel).
It runs as a script (`asyncio.run`): run it as written and migrated to compare.
"""

import asyncio


async def sleeper(events, name, delay):
    finished = False
    try:
        await asyncio.sleep(delay)
        finished = True
        events.append(name + " finished")
    finally:
        if not finished:
            events.append(name + " cancelled")
            await asyncio.sleep(0)
            events.append(name + " cleanup awaited")


async def with_child(events):
    child = asyncio.create_task(sleeper(events, "child", 0))
    await asyncio.sleep(1)
    return await child


async def cancel_soon(events, make, delay):
    t = asyncio.create_task(make())
    await asyncio.sleep(delay)
    t.cancel()
    await asyncio.sleep(0)
    events.append(f"cancelled one iteration later: {t.cancelled()}")
    await asyncio.sleep(0.05)


async def demo():  # not `main`: not a runnable example, the outputs differ on purpose
    events = []
    await cancel_soon(events, lambda: sleeper(events, "task due", 0.02), 0.02)
    await cancel_soon(events, lambda: sleeper(events, "task sleeping", 1), 0.01)
    await cancel_soon(events, lambda: with_child(events), 0.01)
    for e in events:
        print(e)


if __name__ == "__main__":
    asyncio.run(demo())
