"""The error paths of `t = asyncio.create_task(...); ...; await t` (UNSAFE), shown side by side
in runnable_failure.expected:
1. a failed task: `await t` raises anyio.TaskFailed (cause: the original), so `except ValueError`
   around it no longer matches (`except Exception` gets the TaskFailed), and the group raises an
   ExceptionGroup with the original at block exit;
2. an exception between create_task and the await now cancels the task (before, it kept running
   detached and finished later);
3. awaiting a cancelled task raises anyio.TaskCancelled, an Exception subclass, instead of
   CancelledError, so `suppress(asyncio.CancelledError)` around it no longer suppresses it;
4. uncaught, the failure leaves main as an ExceptionGroup with the TaskFailed and the original
   (the order of the two differs between the backends)."""
import asyncio
import contextlib

log = []


def describe(exc):
    """Type names, with the members of an exception group sorted."""
    members = getattr(exc, "exceptions", None)
    if members is None:
        return type(exc).__name__
    return f"{type(exc).__name__}[{', '.join(sorted(describe(e) for e in members))}]"


async def fail():
    await asyncio.sleep(0.01)
    raise ValueError("task failed")


async def slow(tag):
    await asyncio.sleep(0.05)
    log.append(f"{tag} finished")


async def caught_around_await():
    t = asyncio.create_task(fail())
    try:
        await t
    except ValueError as exc:
        print("1. except ValueError caught:", repr(exc))


async def caught_broadly():
    t = asyncio.create_task(fail())
    try:
        await t
    except Exception as exc:  # noqa: BLE001
        print("1b. except Exception caught:", type(exc).__name__, "| cause:", repr(exc.__cause__))


async def error_before_await():
    t = asyncio.create_task(slow("detached"))
    if not log:
        raise KeyError("between create_task and await")
    await t


async def cancelled_task():
    t = asyncio.create_task(slow("cancelled"))
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except BaseException as exc:  # noqa: BLE001
        print("3. await of a cancelled task:", type(exc).__name__,
              "| an Exception:", isinstance(exc, Exception), "| cancelled():", t.cancelled())


async def cancelled_and_suppressed():
    t = asyncio.create_task(slow("suppressed"))
    await asyncio.sleep(0)
    t.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await t
    print("3b. the cancellation was suppressed")


async def uncaught():
    t = asyncio.create_task(fail())
    await t


async def main():
    try:
        await caught_around_await()
    except BaseException as exc:  # noqa: BLE001
        print("1. escaped the function:", describe(exc))
    try:
        await caught_broadly()
    except BaseException as exc:  # noqa: BLE001
        print("1b. escaped the function:", describe(exc))
    try:
        await error_before_await()
    except BaseException as exc:  # noqa: BLE001
        print("2. raised:", describe(exc))
    await asyncio.sleep(0.1)
    print("2. the task finished later:", log)
    await cancelled_task()
    try:
        await cancelled_and_suppressed()
    except Exception as exc:  # noqa: BLE001
        print("3b. raised:", describe(exc))
    await uncaught()
