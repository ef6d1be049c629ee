"""SAFE violation: asyncio-task-group/task-group (SAFE), reduced by hand from
taskgroup_wakeup_not_cancelled.py.

`fail()` raises and, in the same event-loop iteration, `setter()` sets the Event that
`waiter()` waits on. asyncio's TaskGroup cancels the waiter with Task.cancel(), which also
cancels a task whose wake-up is already scheduled: the waiter resumes with CancelledError and
never prints. anyio's task group cancels through its cancel scope, which skips a task whose
awaited future is already done and tries again on the next iteration, so the waiter runs on to
its next await. All four rewrites are SAFE (asyncio-sync-primitives/constructor,
asyncio-task-group/task-group, asyncio-sleep/sleep, asyncio-run/asyncio-run).

    asyncio (original):             migrated, anyio's asyncio and trio backends:
    caught ValueError               waiter woke up
                                    caught ValueError

The Event is not the cause (asyncio.Event under anyio's group prints the line too; anyio.Event
under asyncio's TaskGroup does not).
"""
import asyncio


async def main():
    ev = asyncio.Event()

    async def fail():
        raise ValueError("boom")

    async def setter():
        ev.set()

    async def waiter():
        await ev.wait()
        print("waiter woke up")

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(waiter())
            await asyncio.sleep(0)  # the waiter is waiting
            tg.create_task(fail())
            tg.create_task(setter())
    except* ValueError:
        print("caught ValueError")


if __name__ == "__main__":
    asyncio.run(main())
