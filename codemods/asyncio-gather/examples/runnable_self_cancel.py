"""return_exceptions=True with a child that raises CancelledError itself (aiotools' actxgroup
test: a context manager's `__aenter__` raising it): asyncio.gather returns the CancelledError in
that child's place. The helper keeps it as the result too; the spec's version made anyio's
group cancel the siblings and return None for all of them
(docs/evidence/gather_return_exceptions_self_cancel.py). On trio, asyncio.CancelledError is not
the cancellation class, so the child's exception ends the group (the `raise` itself is
reported by asyncio-cancelled-error): see runnable_self_cancel.expected."""
import asyncio


async def enter_cancelled():
    await asyncio.sleep(0)
    raise asyncio.CancelledError


async def enter_failing():
    await asyncio.sleep(0)
    raise ZeroDivisionError


async def enter_ok():
    await asyncio.sleep(0.01)
    return "entered"


async def main():
    results = await asyncio.gather(
        enter_cancelled(), enter_failing(), enter_ok(), return_exceptions=True
    )
    print("results:", [type(r).__name__ if isinstance(r, BaseException) else r for r in results])
