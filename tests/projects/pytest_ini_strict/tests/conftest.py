import asyncio

import pytest


@pytest.fixture(scope="session")
def event_loop():
    """pytest-asyncio < 1.0 let a suite replace its loop like this."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture
def greeting():
    return "hello"
