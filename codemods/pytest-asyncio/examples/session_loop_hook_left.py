"""A collection hook that does more than the session-loop recipe stays: its use of
`is_async_test` is a blocker (the suite stays on pytest-asyncio)."""
import pytest
from pytest_asyncio import is_async_test


def pytest_collection_modifyitems(items):
    slow = pytest.mark.slow
    for item in items:
        if is_async_test(item):  # MANUAL: pytest-asyncio-api
            item.add_marker(pytest.mark.asyncio(loop_scope="session"))
            item.add_marker(slow)
