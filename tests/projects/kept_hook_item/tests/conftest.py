"""Each test's loop is chosen from its own markers by pytest-asyncio's hook: anyio's plugin has
no per-test equivalent, so this suite cannot leave pytest-asyncio until that is rewritten by
hand."""
import asyncio

import pytest


class CountingLoop(asyncio.SelectorEventLoop):
    """An asyncio loop that counts the callbacks it schedules."""

    def __init__(self):
        super().__init__()
        self.scheduled = 0

    def call_soon(self, callback, *args, context=None):
        self.scheduled += 1
        return super().call_soon(callback, *args, context=context)


def pytest_asyncio_loop_factories(config, item):
    if item.get_closest_marker("plain_loop"):
        return {"plain": asyncio.new_event_loop}
    return {"counting": CountingLoop}


@pytest.fixture
async def numbers():
    await asyncio.sleep(0)
    return [1, 2, 3]
