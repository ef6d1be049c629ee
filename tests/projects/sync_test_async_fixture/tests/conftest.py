"""Async fixtures that sync tests request: pytest-asyncio's auto mode set them up for any test."""
import asyncio

import pytest
import pytest_asyncio

events = []


@pytest.fixture
async def token():
    await asyncio.sleep(0)
    return "t0k3n"


@pytest.fixture
async def connection():
    await asyncio.sleep(0)
    events.append("open")
    yield {"open": True}
    await asyncio.sleep(0)
    events.append("close")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared():
    await asyncio.sleep(0)
    yield [1, 2, 3]


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def settings():
    await asyncio.sleep(0)
    return {"debug": False}


@pytest.fixture
def repository(connection):
    """A sync fixture built on an async one."""
    return {"connection": connection}
