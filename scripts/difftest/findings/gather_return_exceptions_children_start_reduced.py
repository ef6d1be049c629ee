"""SAFE (edge) violation: asyncio-gather/return-exceptions, reduced by hand from
gather_return_exceptions_children_start.py.

`inner()` gathers two children with return_exceptions=True just before the group around it is
cancelled for fail's error. asyncio's gather cancels the two child tasks before they ever run;
the helper `_gather_return_exceptions` starts them with start_soon in an anyio task group,
and anyio does not cancel a task that has not started: each runs to its first await.

    asyncio (original):        migrated, or only the gather migrated (`--select asyncio-gather`,
                               still under asyncio.run and asyncio.TaskGroup):
    caught ValueError          a started
                               b started
                               caught ValueError
"""
import asyncio


async def main():
    async def fail():
        raise ValueError("boom")

    async def child(name):
        print(name, "started")
        await asyncio.sleep(1)

    async def inner():
        await asyncio.gather(child("a"), child("b"), return_exceptions=True)

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail())
            tg.create_task(inner())
    except* ValueError:
        print("caught ValueError")


if __name__ == "__main__":
    asyncio.run(main())
