"""Requests of `event_loop` that stay MANUAL blockers: a sync test that drives the loop more
than once (the calls share the loop: separate `asyncio.run` calls would not), in a loop, or with
what may not be a coroutine; a parameter with a default is no fixture request, and removing a
keyword-only one with no other after the `*` would leave a bare `*` (a positional-only one
alone before `/`, a bare `/`). A sync test that drives one coroutine on it gets
`asyncio.run` (`test_sync`, then asyncio-run's `anyio.run`). An async test's plain request becomes `asyncio.get_running_loop()`
(tests/projects/event_loop_request), also after its marker's loop scope is dropped (that
rewrite's UNSAFE note: the test then runs on a loop of its own, the one it now gets)."""
import asyncio

import pytest


def test_sync(event_loop):
    event_loop.run_until_complete(asyncio.sleep(0))


def test_sync_twice(event_loop):  # MANUAL: event-loop-request
    lock = event_loop.run_until_complete(make_lock())
    event_loop.run_until_complete(use(lock))


def test_sync_in_a_loop(event_loop):  # MANUAL: event-loop-request
    for _ in range(2):
        event_loop.run_until_complete(asyncio.sleep(0))


def test_sync_other_fixture(event_loop, server):  # MANUAL: event-loop-request
    # `server` is not a fixture of this module or of pytest: if it is async (a conftest's), it
    # set up on the test's loop, which `asyncio.run` would not be.
    event_loop.run_until_complete(asyncio.sleep(0))


def test_sync_plugin_fixture(event_loop, benchmark):
    # pytest-benchmark's `benchmark` is a sync fixture that touches no loop: `asyncio.run`.
    event_loop.run_until_complete(asyncio.sleep(0))


def test_sync_future(event_loop):
    event_loop.run_until_complete(asyncio.ensure_future(asyncio.sleep(0)))


async def make_lock():
    return asyncio.Lock()


async def use(lock):
    async with lock:
        pass


@pytest.mark.asyncio
async def test_default(event_loop=None):
    assert event_loop is None


@pytest.mark.asyncio
async def test_keyword_only(*, event_loop):
    assert event_loop.time() > 0


@pytest.mark.asyncio
async def test_keyword_only_among_others(*, event_loop, tmp_path):
    # Rewritten: `tmp_path` is still after the `*`.
    assert event_loop.time() > 0 and tmp_path


@pytest.mark.asyncio
async def test_positional_only(event_loop, /, tmp_path):  # MANUAL: event-loop-request
    # Left: `/` would have nothing before it.
    assert event_loop.time() > 0 and tmp_path


@pytest.mark.asyncio(loop_scope="module")
async def test_module_loop(event_loop):
    assert event_loop.is_running()
