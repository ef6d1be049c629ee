"""asyncio.Lock / Semaphore -> anyio: an uncontended acquire does not yield in asyncio, it does
in anyio unless the primitive is created with fast_acquire=True (found on janus: its
TestFailingQueue::test_closed_loop_non_failing counts on a task reaching `Condition.wait()`
after one `sleep(0)`; with `anyio.Lock()` the task is still in `acquire()`).

Run: python docs/evidence/sync_fast_acquire.py  (output: sync_fast_acquire.out)
Lines: A = original asyncio code under asyncio.run, B = rewrite under anyio.run on both
backends. Each line shows the order in which a task started just before the acquire and the
acquiring task ran: "holder first" = the acquire did not yield. B2 on trio prints False for
both: trio does not promise that a task started just before a `sleep(0)` runs during it
(spec §6), so only the asyncio backend shows janus' ordering.
"""
import asyncio
import importlib.metadata
import sys

import anyio


async def reference():
    for name, make in (
        ("asyncio.Lock()", asyncio.Lock),
        ("asyncio.Semaphore(2)", lambda: asyncio.Semaphore(2)),
        ("asyncio.BoundedSemaphore(2)", lambda: asyncio.BoundedSemaphore(2)),
        ("asyncio.Condition()", asyncio.Condition),
    ):
        log = []
        prim = make()

        async def other():
            log.append("other task")

        t = asyncio.create_task(other())
        async with prim:
            log.append("holder")
        await t
        print(f"A1 {name}: uncontended `async with` ->", log)

    # janus-style: a waiter must be counted after one sleep(0)
    lock = asyncio.Lock()
    cond = asyncio.Condition(lock)
    waiting = []

    async def getter():
        async with cond:
            waiting.append(1)
            await cond.wait()

    t = asyncio.create_task(getter())
    await asyncio.sleep(0)
    print("A2 Condition(Lock()) waiter counted after one sleep(0):", bool(waiting))
    t.cancel()


async def rewrites():
    for name, make in (
        ("anyio.Lock()", anyio.Lock),
        ("anyio.Lock(fast_acquire=True)", lambda: anyio.Lock(fast_acquire=True)),
        ("anyio.Semaphore(2)", lambda: anyio.Semaphore(2)),
        ("anyio.Semaphore(2, fast_acquire=True)", lambda: anyio.Semaphore(2, fast_acquire=True)),
        (
            "anyio.Semaphore(2, max_value=2, fast_acquire=True)",
            lambda: anyio.Semaphore(2, max_value=2, fast_acquire=True),
        ),
        ("anyio.Condition()", anyio.Condition),
        (
            "anyio.Condition(anyio.Lock(fast_acquire=True))",
            lambda: anyio.Condition(anyio.Lock(fast_acquire=True)),
        ),
    ):
        log = []
        prim = make()

        async def other():
            log.append("other task")

        async with anyio.create_task_group() as tg:
            tg.start_soon(other)
            async with prim:
                log.append("holder")
        print(f"B1 {name}: uncontended `async with` ->", log)

    for name, make in (
        ("anyio.Lock()", anyio.Lock),
        ("anyio.Lock(fast_acquire=True)", lambda: anyio.Lock(fast_acquire=True)),
    ):
        cond = anyio.Condition(make())
        waiting = []

        async def getter():
            async with cond:
                waiting.append(1)
                await cond.wait()

        async with anyio.create_task_group() as tg:
            tg.start_soon(getter)
            await anyio.sleep(0)
            print(f"B2 Condition({name}) waiter counted after one sleep(0):", bool(waiting))
            tg.cancel_scope.cancel()

    # fast_acquire keeps the other semantics: a held lock still blocks, and a cancelled scope
    # still interrupts the acquire
    lock = anyio.Lock(fast_acquire=True)
    order = []

    async def contender():
        async with lock:
            order.append("contender")

    async with anyio.create_task_group() as tg:
        async with lock:
            tg.start_soon(contender)
            await anyio.sleep(0.01)
            order.append("holder released")
    print("B3 Lock(fast_acquire=True) contended:", order)
    with anyio.CancelScope() as scope:
        scope.cancel()
        try:
            await lock.acquire()
            print("B4 acquire in a cancelled scope: acquired")
            lock.release()
        except anyio.get_cancelled_exc_class():
            print("B4 acquire in a cancelled scope: cancelled")


if __name__ == "__main__":
    print("python", sys.version.split()[0], "| anyio", importlib.metadata.version("anyio"),
          "| trio", importlib.metadata.version("trio"))
    print("=== reference: original asyncio code under asyncio.run")
    asyncio.run(reference())
    for backend in ("asyncio", "trio"):
        print(f"=== anyio rewrite, backend={backend}")
        anyio.run(rewrites, backend=backend)
