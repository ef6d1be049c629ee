"""A conftest with pytest-asyncio's loop plumbing."""
import asyncio

import pytest
import uvloop


@pytest.fixture(scope="session")
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="session")
def event_loop_policy():
    return uvloop.EventLoopPolicy()


@pytest.fixture
def settings():
    return {"debug": True}
