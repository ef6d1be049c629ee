"""The loop comes from a command-line option, read by pytest-asyncio's hook through `config`:
the hook becomes a helper that an `anyio_backend` fixture calls with pytest's config."""
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


def pytest_addoption(parser):
    parser.addoption("--plain-loop", action="store_true", help="use asyncio's own loop")


def pytest_asyncio_loop_factories(config, item):
    if config.getoption("--plain-loop"):
        return {"plain": asyncio.new_event_loop}
    return {"counting": CountingLoop}


@pytest.fixture
async def numbers():
    await asyncio.sleep(0)
    return [1, 2, 3]
