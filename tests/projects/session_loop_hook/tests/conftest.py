"""pytest-asyncio's how-to recipe for running every test in one session loop, beside a
session-scoped async fixture: under anyio's plugin the fixture keeps one loop running for the
whole session, so the tests still share it."""
import asyncio

import pytest
from pytest_asyncio import is_async_test


def pytest_collection_modifyitems(items):
    pytest_asyncio_tests = (item for item in items if is_async_test(item))
    session_scope_marker = pytest.mark.asyncio(loop_scope="session")
    for async_test in pytest_asyncio_tests:
        async_test.add_marker(session_scope_marker, append=False)


@pytest.fixture(scope="session")
async def session_loop():
    yield asyncio.get_running_loop()
