"""asyncio.TaskGroup on the error paths. A failing child makes both groups raise an
ExceptionGroup and cancel the siblings (same on both libraries). What differs is reading a failed
handle: `.result()` raises anyio.TaskFailed (cause: the original) instead of the original, and
`await t` inside the block hands the body a TaskFailed (an Exception) where asyncio cancelled the
body, so an `except Exception` inside the block now runs and the group also carries the TaskFailed
(UNSAFE). See runnable_failure.expected."""
import asyncio


def describe(exc):
    """Type names, with the members of an exception group sorted (backends differ in order)."""
    members = getattr(exc, "exceptions", None)
    if members is None:
        return type(exc).__name__
    return f"{type(exc).__name__}[{', '.join(sorted(describe(e) for e in members))}]"


async def fail(delay):
    await asyncio.sleep(delay)
    raise ValueError("child failed")


async def slow():
    await asyncio.sleep(1)
    return "slow"


async def failing_child():
    try:
        async with asyncio.TaskGroup() as tg:
            bad = tg.create_task(fail(0.01))
            sibling = tg.create_task(slow())
    except Exception as exc:  # noqa: BLE001
        print("group raised:", describe(exc))
    print("sibling cancelled:", sibling.cancelled(), "| done:", sibling.done())
    print("failed task: done", bad.done(), "| exception()", repr(bad.exception()))
    try:
        bad.result()
    except Exception as exc:  # noqa: BLE001
        print("result() raised:", describe(exc), "| cause:", repr(exc.__cause__))


async def awaited_inside_with_handler():
    try:
        async with asyncio.TaskGroup() as tg:
            t = tg.create_task(fail(0))
            try:
                await t
            except Exception as exc:  # noqa: BLE001
                print("body handler ran:", describe(exc))
    except Exception as exc:  # noqa: BLE001
        print("group raised:", describe(exc))


async def awaited_inside():
    try:
        async with asyncio.TaskGroup() as tg:
            t = tg.create_task(fail(0))
            await t
            print("not reached")
    except Exception as exc:  # noqa: BLE001
        print("group raised:", describe(exc))


async def main():
    await failing_child()
    await awaited_inside_with_handler()
    await awaited_inside()
