"""SAFE (edge) violation: asyncio-gather/return-exceptions — children of a gather cancelled
before they started now run to their first await.

Found by scripts/difftest/run.py --count 2000 --seed 2 (index 885; the --safe-only migration of
a program whose full migration differed through UNSAFE rewrites), minimised by --shrink; the
rewrites left are SAFE (asyncio-sleep/sleep, asyncio-sync-primitives/constructor,
asyncio-task-group/task-group, asyncio-run/asyncio-run) and SAFE (edge)
(asyncio-gather/return-exceptions); the blame (migrating with --ignore CODE) is
asyncio-gather/return-exceptions alone.

What differs. n1 fails holding the lock; child 1 gets it and calls n2, whose
`asyncio.gather(n3(), n4(), return_exceptions=True)` wraps both coroutines in tasks; then the
outer group is cancelled. asyncio's gather cancels its children before they ever ran: n3 and
n4 never start. The helper `_gather_return_exceptions` starts them in an anyio task group,
whose cancel scope does not interrupt a task that has not started yet: n3 and n4 run up to
their first await (and log "start"), then are cancelled. The rewrite's note ("failures come
back in the list as before ...; only a child cancelled from elsewhere cannot happen under
anyio") does not name this. See gather_return_exceptions_children_start_reduced.py.

    asyncio (original):                     migrated (anyio, asyncio backend):
      0 n0 holder 0                           0 n0 holder 0
      0 n1 start                              0 n1 start
      1 n0 holder 1                           1 n0 holder 1
                                              1 n3 start
                                              1 n4 start
                                              1 n3 cancelled
                                              1 n4 cancelled
      1 main raised ExceptionGroup[ValueError: n1 failed]   (both)

Judgement: a real gap in the SAFE (edge) note: side effects before a child's first await happen
under anyio although the gather was cancelled before its children started.
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
    rs = await asyncio.gather(n3(), n4(), return_exceptions=True)
    rs = [describe(x) if isinstance(x, BaseException) else x for x in rs]
    log("n2 gather", rs)
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
