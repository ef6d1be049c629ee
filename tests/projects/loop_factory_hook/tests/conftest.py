"""A custom event loop for the whole suite, chosen through pytest-asyncio's hook."""
import asyncio


class CountingLoop(asyncio.SelectorEventLoop):
    """An asyncio loop that counts the callbacks it schedules."""

    def __init__(self):
        super().__init__()
        self.scheduled = 0

    def call_soon(self, callback, *args, context=None):
        self.scheduled += 1
        return super().call_soon(callback, *args, context=context)


def pytest_asyncio_loop_factories(config, item):
    return {"counting": CountingLoop}
