"""asyncio.gather(..., return_exceptions=True) -> the spec's `_gather_return_exceptions` helper
(§1) when a child raises the cancellation exception itself (aiotools' `actxgroup` test: a
context manager whose `__aenter__` raises `asyncio.CancelledError`, gathered with
return_exceptions=True, expects the CancelledError back in the results).

The spec's helper catches `Exception` only. On anyio's asyncio backend a child task that raises
CancelledError by itself makes the task group cancel its siblings and exit *without* an error:
the results hold None for the raising child and for every cancelled sibling (B1). The fixed
helper also catches the backend's cancellation class and keeps it as the result unless the
task really is being cancelled (`anyio.lowlevel.checkpoint_if_cancelled()` re-raises then), which
gives asyncio's results (B2) and still lets an outer cancellation through at once (B3).
On trio the cancellation class cannot be raised by hand (no public constructor), so the case
only exists on the asyncio backend; B2/B3 show the helper is harmless there.
Run: python docs/evidence/gather_return_exceptions_self_cancel.py  (output: .out beside it)
"""
import asyncio
import importlib.metadata
import sys
import time

import anyio
import anyio.lowlevel


async def spec_helper(*coros):
    results = [None] * len(coros)

    async def run(i, coro):
        try:
            results[i] = await coro
        except Exception as exc:  # cancellation (BaseException) still propagates
            results[i] = exc

    async with anyio.create_task_group() as tg:
        for i, coro in enumerate(coros):
            tg.start_soon(run, i, coro)
    return results


async def fixed_helper(*coros):
    results = [None] * len(coros)

    async def run(i, coro):
        try:
            results[i] = await coro
        except Exception as exc:
            results[i] = exc
        except anyio.get_cancelled_exc_class() as exc:
            # raised by the child itself: a result, as with asyncio.gather; a real
            # cancellation of this task is raised again here
            await anyio.lowlevel.checkpoint_if_cancelled()
            results[i] = exc

    async with anyio.create_task_group() as tg:
        for i, coro in enumerate(coros):
            tg.start_soon(run, i, coro)
    return results


async def self_cancel():
    await anyio.sleep(0) if anyio_running() else await asyncio.sleep(0)
    raise asyncio.CancelledError


async def fails():
    await anyio.sleep(0) if anyio_running() else await asyncio.sleep(0)
    raise ZeroDivisionError


async def value():
    await anyio.sleep(0.01) if anyio_running() else await asyncio.sleep(0.01)
    return "ok"


async def slow(log):
    try:
        await anyio.sleep(1)
    finally:
        log.append("slow child ended")


def anyio_running():
    try:
        anyio.get_current_task()
        return True
    except Exception:  # noqa: BLE001
        return False


def show(results):
    return [r if isinstance(r, str) else type(r).__name__ if r is not None else None for r in results]


async def reference():
    print("A1 asyncio.gather(self_cancel(), fails(), value(), return_exceptions=True) ->",
          show(await asyncio.gather(self_cancel(), fails(), value(), return_exceptions=True)))


async def rewrites():
    if anyio.get_cancelled_exc_class() is asyncio.CancelledError:
        print("B1 spec helper  ->", show(await spec_helper(self_cancel(), fails(), value())))
        print("B2 fixed helper ->", show(await fixed_helper(self_cancel(), fails(), value())))
    else:
        print("B1/B2 skipped: trio.Cancelled cannot be raised by a child")
        print("B2 fixed helper, plain children ->", show(await fixed_helper(fails(), value())))
    log = []
    t0 = time.perf_counter()
    with anyio.move_on_after(0.05) as scope:
        await fixed_helper(slow(log), value())
        print("B3 not reached")
    print(f"B3 fixed helper under an outer move_on_after(0.05): cancelled_caught={scope.cancelled_caught}"
          f" after {time.perf_counter() - t0:.2f}s, {log}")


if __name__ == "__main__":
    print("python", sys.version.split()[0], "| anyio", importlib.metadata.version("anyio"))
    print("=== reference: original asyncio code under asyncio.run")
    asyncio.run(reference())
    for backend in ("asyncio", "trio"):
        print(f"=== anyio rewrite, backend={backend}")
        anyio.run(rewrites, backend=backend)
