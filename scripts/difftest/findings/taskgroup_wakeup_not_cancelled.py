"""SAFE violation: asyncio-task-group/task-group (SAFE) — a child woken just before the group
is cancelled.

Found by scripts/difftest/run.py (an early generator version, seed 1, index 17: a TaskGroup of
three children taking turns at an asyncio.Lock), minimised by its --shrink. Every rewrite of
this file is SAFE: asyncio-sleep/sleep, asyncio-sync-primitives/constructor,
asyncio-task-group/task-group, asyncio-run/asyncio-run.

What differs. n1 fails while holding the lock; its release hands the lock to child 1, which
runs n2 and fails at once; that release hands the lock to child 2 in the same event-loop
iteration in which the group is cancelled for n1's failure. asyncio's TaskGroup cancels every
child with Task.cancel(), which for a child whose wake-up is already scheduled sets
`_must_cancel`: child 2 resumes with CancelledError inside `lock.acquire()` and never holds the
lock. anyio's task group (asyncio backend) delivers its cancel scope only to tasks still
waiting (`_deliver_cancellation` skips a task whose `_fut_waiter` is done) and retries on the
next iteration: child 2 resumes normally, holds the lock, logs and starts n3, and is cancelled
only at n3's first await. The lock is not the cause: asyncio.Lock under anyio's group does
the same, anyio.Lock under asyncio's TaskGroup does not (see
taskgroup_wakeup_not_cancelled_reduced.py for the same effect with an Event). On the trio
backend this program prints asyncio's trace (trio's Lock does not hand the lock to a cancelled
waiter), the reduced one anyio's.

    target/pyenv/bin/python scripts/difftest/findings/taskgroup_wakeup_not_cancelled.py

prints under asyncio (the original):

      0 n0 holder 0
      0 n1 start
      1 n0 holder 1
      1 n2 start
      1 main raised ExceptionGroup[ValueError: n1 failed, ValueError: n2 failed early]

and, migrated (`anyio-migrate --write --target-anyio 4.16 --target-python 3.11`), on anyio's
asyncio backend (the time stamps, in 10 ms units, may read 1 or 2 on a loaded machine):

      0 n0 holder 0
      0 n1 start
      1 n0 holder 1
      1 n2 start
      1 n0 holder 2          <- child 2 acquires the lock after the group was cancelled
      1 n3 start
      1 n3 cancelled
      1 main raised ExceptionGroup[ValueError: n1 failed, ValueError: n2 failed early]

Judgement: a real (narrow) gap in the SAFE claim: code between a child's wake-up and its next
await runs under anyio although the group was already cancelled. The README of
asyncio-task-group does not mention it.
"""
import asyncio
import time

UNIT = 0.01
START = [0.0]


def log(*args):
    """Print an event, stamped with the time since main() started, in units."""
    units = round((time.monotonic() - START[0]) / UNIT)
    print(f"{units:3d}", *args, flush=True)


def describe(exc):
    if isinstance(exc, BaseExceptionGroup):
        return type(exc).__name__ + "[" + ", ".join(describe(e) for e in exc.exceptions) + "]"
    msg = str(exc)
    return type(exc).__name__ + (": " + msg if msg else "")


async def n1():
    log("n1 start")
    done = False
    try:
        await asyncio.sleep(0.01)
        done = True
    finally:
        if not done:
            log("n1 cancelled")
    raise ValueError("n1 failed")


async def n2():
    log("n2 start")
    raise ValueError("n2 failed early")


async def n3():
    log("n3 start")
    done = False
    try:
        await asyncio.sleep(0.01)
        done = True
    finally:
        if not done:
            log("n3 cancelled")
    log("n3 done")
    return 3


async def n0():
    lock = asyncio.Lock()

    async def guarded(i, make):
        async with lock:
            log("n0 holder", i)
            return await make()

    async with asyncio.TaskGroup() as tg:
        t0 = tg.create_task(guarded(0, n1))
        t1 = tg.create_task(guarded(1, n2))
        t2 = tg.create_task(guarded(2, n3))
    rs = [t0.result(), t1.result(), t2.result()]
    log("n0 lock", rs, lock.locked())
    return rs


async def main():
    START[0] = time.monotonic()
    try:
        result = await n0()
    except Exception as exc:
        log("main raised", describe(exc))
    else:
        log("main result", result)


if __name__ == "__main__":
    asyncio.run(main())
