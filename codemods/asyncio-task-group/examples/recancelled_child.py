"""A child that awaits in its `except CancelledError:` without re-raising (aiotools' tests):
asyncio.TaskGroup cancels each child once and lets that await run, while anyio cancels it
again at the await, so the child would never get to raise ZeroDivisionError. Where that
handler ends its coroutine, asyncio-cancelled-error rewrites it with the await shielded
(`swallowed-at-end`), and the group is migrated (`sibling_child`); where the coroutine goes
on after it, the handler stays MANUAL and so does the group (`stubborn_child`). A child
whose handler re-raises is fine: its awaits are shielded too."""
import asyncio


async def failing_child():
    await asyncio.sleep(0.1)
    raise ValueError("child error")


async def sibling_child():
    try:
        await asyncio.sleep(1.0)
    except asyncio.CancelledError:
        await asyncio.sleep(0.5)
        raise ZeroDivisionError()


async def stubborn_child():
    try:
        await asyncio.sleep(1.0)
    except asyncio.CancelledError:
        await asyncio.sleep(0.5)
    await asyncio.sleep(0)
    raise ZeroDivisionError()


async def polite_child(log):
    try:
        await asyncio.sleep(1.0)
    except asyncio.CancelledError:
        await asyncio.sleep(0.1)
        log.append("cleaned up")
        raise


async def parent():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(failing_child())
        tg.create_task(sibling_child())


async def polite_parent(log):
    async with asyncio.TaskGroup() as tg:
        tg.create_task(failing_child())
        tg.create_task(polite_child(log))


async def stubborn_parent():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(failing_child())
        tg.create_task(stubborn_child())


async def main():
    for job in (parent, polite_parent):
        log = []
        try:
            await (job() if job is parent else job(log))
        except* ValueError as group:
            print(job.__name__, "ValueError", len(group.exceptions))
        except* ZeroDivisionError as group:
            print(job.__name__, "ZeroDivisionError", len(group.exceptions))
        print(job.__name__, log)


if __name__ == "__main__":
    asyncio.run(main())
