"""Errors that reach the event loop's exception handler while a test runs: pytest-asyncio let
asyncio's own handler log them, and the tests passed (one checks the log). The migrated suite
keeps that: the asyncio backend's loops keep asyncio's handler. A test that installs its own
handler still gets it, and sync code after an async test finds no current loop."""
import asyncio
import gc
import logging

import pytest


async def boom():
    raise ZeroDivisionError("never retrieved")


@pytest.mark.asyncio
async def test_task_exception_never_retrieved(caplog):
    task = asyncio.get_running_loop().create_task(boom())
    await asyncio.sleep(0.01)
    del task
    gc.collect()
    await asyncio.sleep(0.01)
    assert "Task exception was never retrieved" in caplog.text


@pytest.mark.asyncio
async def test_error_handed_to_the_handler_is_logged(caplog):
    caplog.set_level(logging.ERROR, logger="asyncio")
    asyncio.get_running_loop().call_exception_handler(
        {"message": "handed over", "exception": KeyError("k")}
    )
    await asyncio.sleep(0)
    assert "handed over" in caplog.text


@pytest.mark.asyncio
async def test_own_handler_is_kept():
    seen = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, context: seen.append(context["message"]))
    try:
        loop.call_exception_handler({"message": "mine"})
        await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(None)
    assert seen == ["mine"]


def test_sync_after_async_finds_no_current_loop():
    with pytest.raises(RuntimeError):
        asyncio.get_event_loop_policy().get_event_loop()
