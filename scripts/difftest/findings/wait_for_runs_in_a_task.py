"""Python 3.11's `asyncio.wait_for` runs the coroutine in a task of its own: the coroutine
starts an event-loop iteration after the call, and the caller hears of its end an iteration
after it. `anyio.fail_after` / `move_on_after` run it in the caller's task, so work other tasks
do in those iterations now comes in another order: here a task created before the call used to
run first, and the caller used to see the task's result ready. (Python 3.12's wait_for is
built on asyncio.timeout and runs the coroutine in the caller's task too.) The note of the
wait_for rewrites names it. Found by difftest (seed 15 indices 4708, 5261, 7330 and 8417 of the
generator at commit 3b91e62: a sibling's timer due at the same unit fired first, a task was or
was not done when cancelled, a gather's next child started or not before the failure reached
the caller). Run with the repository's Python.
"""

import asyncio
import anyio


async def step(events, name):
    events.append(name + " started")
    await asyncio.sleep(0)
    events.append(name + " ended")


async def with_wait_for(events):
    other = asyncio.create_task(step(events, "other task"))
    await asyncio.wait_for(step(events, "coroutine"), 1)
    events.append(f"caller back, other task done: {other.done()}")
    await other


async def with_fail_after(events):
    other = asyncio.create_task(step(events, "other task"))
    with anyio.fail_after(1):
        await step(events, "coroutine")
    events.append(f"caller back, other task done: {other.done()}")
    await other


async def main():
    for fn in (with_wait_for, with_fail_after):
        events = []
        await fn(events)
        print(fn.__name__ + ":", "; ".join(events))


if __name__ == "__main__":
    asyncio.run(main())
