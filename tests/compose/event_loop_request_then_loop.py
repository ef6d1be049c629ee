"""pytest-asyncio's `event_loop` requests, then the other codemods on what they become: a sync
test's run_until_complete becomes `asyncio.run`, then asyncio-run's `anyio.run`; an async
test's request becomes `event_loop = asyncio.get_running_loop()`, then asyncio-loop maps
`event_loop.time()` and deletes the assignment (the cases of pytest-asyncio's
event_loop_request_left.py, whose snapshot there runs pytest-asyncio alone)."""
import asyncio

import pytest


def test_sync(event_loop):
    event_loop.run_until_complete(asyncio.sleep(0))


@pytest.mark.asyncio
async def test_keyword_only_among_others(*, event_loop, tmp_path):
    # Rewritten: `tmp_path` is still after the `*`.
    assert event_loop.time() > 0 and tmp_path
