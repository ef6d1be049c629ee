"""The error paths of `t = asyncio.create_task(...); ...; await t` (UNSAFE), shown side by side
in runnable_failure.expected:
2. an exception between create_task and the await now cancels the task (before, it kept running
   detached and finished later);
3. awaiting a cancelled task raises anyio.TaskCancelled, an Exception subclass, instead of
   CancelledError, and the group raises it in an ExceptionGroup;
4. uncaught, the failure leaves main as an ExceptionGroup with the TaskFailed and the original
   (the order of the two differs between the backends);
5. a task never awaited that failed (cancelled afterwards, which does nothing to a finished
   task) now fails the group; asyncio dropped its exception.
A task awaited under an `except`, `suppress(...)` or `pytest.raises(...)` (case 1) is MANUAL:
see handlers.py."""
import asyncio

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


async def error_before_await():
    t = asyncio.create_task(slow("detached"))
    if not log:
        raise KeyError("between create_task and await")
    await t


async def cancelled_task():
    t = asyncio.create_task(slow("cancelled"))
    await asyncio.sleep(0)
    t.cancel()
    await t
    print("3. not reached")


async def never_awaited():
    t = asyncio.create_task(fail())
    try:
        await asyncio.sleep(0.03)
    finally:
        t.cancel()
    print("5. not awaited; cancelled after it failed:", t.cancelled())


async def uncaught():
    t = asyncio.create_task(fail())
    await t


SCENARIOS = {
    "error_before_await": error_before_await,
    "cancelled_task": cancelled_task,
    "never_awaited": never_awaited,
}


async def attempt(name):
    """Run a scenario kept in a table: callers are followed by name and through the
    arguments a function is handed in, not through a table's values, so this handler is not
    seen and the scenarios keep their task groups (a handler seen in a caller keeps the task
    on asyncio: runnable_caller_handler.py)."""
    try:
        await SCENARIOS[name]()
    except BaseException as exc:  # noqa: BLE001
        return exc
    return None


async def main():
    exc = await attempt("error_before_await")
    print("2. raised:", describe(exc))
    await asyncio.sleep(0.1)
    print("2. the task finished later:", log)
    exc = await attempt("cancelled_task")
    print("3. raised:", describe(exc), "| an Exception:", isinstance(exc, Exception))
    exc = await attempt("never_awaited")
    print("5. raised:", describe(exc))
    await uncaught()
