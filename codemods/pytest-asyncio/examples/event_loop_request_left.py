"""Requests of `event_loop` that stay MANUAL blockers: a sync test drives the loop itself, a
parameter with a default is no fixture request, and removing a keyword-only one would leave a
bare `*`. An async test's plain request becomes `asyncio.get_running_loop()`
(tests/projects/event_loop_request), also after its marker's loop scope is dropped (that
rewrite's UNSAFE note: the test then runs on a loop of its own, the one it now gets)."""
import asyncio

import pytest


def test_sync(event_loop):
    event_loop.run_until_complete(asyncio.sleep(0))


@pytest.mark.asyncio
async def test_default(event_loop=None):
    assert event_loop is None


@pytest.mark.asyncio
async def test_keyword_only(*, event_loop):
    assert event_loop.time() > 0


@pytest.mark.asyncio(loop_scope="module")
async def test_module_loop(event_loop):
    assert event_loop.is_running()
