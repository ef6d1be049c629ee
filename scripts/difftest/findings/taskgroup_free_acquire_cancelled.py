"""SAFE violation: asyncio-task-group/task-group + asyncio-sync-primitives/constructor (both
SAFE) — a free Lock or Semaphore taken in a task of a cancelled group.

Found by scripts/difftest/run.py --count 2000 --seed 2 (index 447; the --safe-only migration of
a program whose full migration differed through UNSAFE rewrites), minimised by --shrink: what
is left has SAFE rewrites only (asyncio-sleep/sleep, asyncio-sync-primitives/constructor and
locked-call, asyncio-task-group/task-group, asyncio-run/asyncio-run).

What differs. n1 fails while holding the lock in n0's group; the lock goes to child 1, which
enters n2 and starts n2's own group of two children, just before n0's group is cancelled.
asyncio cancels only n0's children; n2's children are cancelled when n2 itself receives the
CancelledError one iteration later, so child 0 of n2 takes the free semaphore (asyncio's
acquire() of a free semaphore does not check for cancellation), logs, starts n3 and is
cancelled there. Under anyio the cancel scope of n0's group covers n2's children at once and
anyio's acquire() checks for cancellation even with fast_acquire=True
(checkpoint_if_cancelled), so child 0 is cancelled at `async with sem:` and logs nothing.
Both rewrites are needed: anyio's groups with asyncio.Semaphore, or asyncio's TaskGroup with
anyio.Semaphore, print asyncio's trace. The asyncio-sync-primitives README says "a cancelled
scope still interrupts the acquire", but the verdict is SAFE and the task-group rewrite is
what brings the cancelled scope. See taskgroup_free_acquire_cancelled_reduced.py.

    asyncio (original):                     migrated (anyio, asyncio and trio backends):
      0 n0 holder 0                           0 n0 holder 0
      0 n1 start                              0 n1 start
      1 n0 holder 1                           1 n0 holder 1
      1 n2 enter 0 True
      1 n3 start
      1 n3 cancelled
      1 main raised ExceptionGroup[...]       1 main raised ExceptionGroup[ValueError: n1 failed]

Judgement: a real gap in the SAFE claim: code that ran before the first real suspension
under asyncio is skipped under anyio once a sibling has failed.
"""
import asyncio
import time

UNIT = 0.01
START = [0.0]


def log(*args):
    """Print an event, stamped with the time since main() started, in whole units."""
    units = int((time.monotonic() - START[0]) / UNIT)
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


async def n4():
    log("n4 start")
    done = False
    try:
        await asyncio.sleep(0.01)
        done = True
    finally:
        if not done:
            log("n4 cancelled")
    log("n4 done")
    return 4


async def n2():
    sem = asyncio.Semaphore(1)

    async def limited(i, make):
        async with sem:
            log("n2 enter", i, sem.locked())
            return await make()

    async with asyncio.TaskGroup() as tg:
        t0 = tg.create_task(limited(0, n3))
        t1 = tg.create_task(limited(1, n4))
    rs = [t0.result(), t1.result()]
    log("n2 semaphore", rs, sem.locked())
    return rs


async def n0():
    lock = asyncio.Lock()

    async def guarded(i, make):
        async with lock:
            log("n0 holder", i)
            return await make()

    async with asyncio.TaskGroup() as tg:
        t0 = tg.create_task(guarded(0, n1))
        t1 = tg.create_task(guarded(1, n2))
    rs = [t0.result(), t1.result()]
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
