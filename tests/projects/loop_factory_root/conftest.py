import asyncio

import pytest


class TaggedLoop(asyncio.SelectorEventLoop):
    tag = "tagged"


# The hook lives in the root conftest.py, where the run also puts its anyio_backend fixture.
def pytest_asyncio_loop_factories():
    return {"tagged": TaggedLoop}


@pytest.fixture
def answer():
    return 42
