"""`await asyncio.wait_for(task, t)` on an asyncio Task (or Future) that stays one (kept on an
object, or passed in) against `with anyio.fail_after(t): await task` on anyio's asyncio backend.
The spec's B10 (`05_timeouts.py`) awaits an anyio task handle, which the deadline does not
cancel; an asyncio Task is different: the block cancels its own task, and asyncio passes a
cancellation on to the future that task awaits (`Task.cancel()` cancels `_fut_waiter`). So at
the deadline the Task ends cancelled and TimeoutError is raised, as with wait_for (A1 = B1); a
cancellation of the caller cancels the Task too (A2 = B2); a pending Future is cancelled at the
deadline (A3 = B3). Where the Task swallows the cancellation and returns a value: at the deadline
both return the value (A4 = B4); when the caller is cancelled, wait_for raised CancelledError
(A5) where the block hands the caller the value (B5).
And the case that keeps the rewrite MANUAL: a done callback that reads the Task's outcome
(`task.exception()`) before the caller's await does (A6 / B6). CPython 3.11's Future hands the
CancelledError the Task saved (the one that carries anyio's "Cancelled via cancel scope" message)
to its first reader only; the caller's `await` then gets a fresh CancelledError with no message,
which anyio's scope does not take for its own: the block raises CancelledError, not TimeoutError
(B6), where wait_for, which counts cancellations, raised TimeoutError (A6). aiojobs' Job adds such
a callback to its task: this is why its `test_wait_with_timeout` and `test_timeout_on_closing`
got CancelledError under `fail_after` (`asyncio-timeout/timeout-awaits-task`). A Task made
elsewhere may have such a callback anywhere, so `wait_for` on one stays MANUAL (`wait-for-task`).
asyncio backend only: asyncio Tasks do not run on trio, before or after.
"""
import asyncio
import sys
from importlib.metadata import version

import anyio


async def slow(log, swallow=False):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append("inner cancelled")
        if swallow:
            return "value"
        raise


def read_outcome(task):
    try:
        task.exception()
    except asyncio.CancelledError:
        pass


async def timed(form, aw, t):
    if form == "wait_for":
        return await asyncio.wait_for(aw, t)
    with anyio.fail_after(t):
        return await aw


async def case(form):
    out = {}
    for key, swallow in (("1", False), ("4", True)):
        log = []
        task = asyncio.create_task(slow(log, swallow))
        await asyncio.sleep(0)
        try:
            log.append(f"result {await timed(form, task, 0.05)!r}")
        except TimeoutError:
            log.append("TimeoutError")
        log.append(f"task cancelled={task.cancelled()}")
        out[key] = log
    for key, swallow in (("2", False), ("5", True)):
        log = []
        task = asyncio.create_task(slow(log, swallow))

        async def waiter():
            log.append(f"waiter got {await timed(form, task, 5)!r}")

        w = asyncio.create_task(waiter())
        await asyncio.sleep(0.01)
        w.cancel()
        try:
            await w
        except asyncio.CancelledError:
            log.append("waiter cancelled")
        log.append(f"task cancelled={task.cancelled()}")
        out[key] = log
    task = asyncio.create_task(asyncio.sleep(1))
    task.add_done_callback(read_outcome)
    await asyncio.sleep(0)
    try:
        await timed(form, task, 0.02)
        out["6"] = ["no exception"]
    except TimeoutError:
        out["6"] = ["TimeoutError"]
    except asyncio.CancelledError as e:
        out["6"] = [f"CancelledError{e.args}"]
    fut = asyncio.get_running_loop().create_future()
    try:
        await timed(form, fut, 0.02)
    except TimeoutError:
        out["3"] = ["TimeoutError", f"future cancelled={fut.cancelled()}"]
    return out


print(f"python {sys.version.split()[0]} | anyio {version('anyio')}")
a = asyncio.run(case("wait_for"))
b = anyio.run(case, "fail_after")
for key in sorted(a):
    print(f"A{key} wait_for            ->", a[key])
    print(f"B{key} fail_after + await  ->", b[key])
