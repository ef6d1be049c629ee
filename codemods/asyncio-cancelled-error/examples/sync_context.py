"""CancelledError outside async code, and other references to it."""
import asyncio
import contextlib


def on_done(fut):
    try:
        fut.result()
    except asyncio.CancelledError:  # MANUAL: a done-callback has no running event loop
        print("cancelled")
        raise


def is_cancel(exc):
    return isinstance(exc, asyncio.CancelledError)  # MANUAL: sync code


async def classify(exc):
    if isinstance(exc, (asyncio.CancelledError, KeyboardInterrupt)):  # rewritten
        return "cancel"
    if issubclass(type(exc), asyncio.CancelledError):  # rewritten
        return "cancel"
    return type(exc) is asyncio.CancelledError  # MANUAL: other use


async def quiet():
    with contextlib.suppress(asyncio.CancelledError):  # MANUAL: swallows cancellation
        await asyncio.sleep(1)
