"""pytest-asyncio's how-to recipe "Run all tests in the session in the same event loop": the
hook only gives each async test a session loop scope, which anyio's plugin does not have, so
it is deleted (UNSAFE: tests share a loop only while a higher-scoped async fixture keeps it
running), and then its `is_async_test` import."""
import pytest
from pytest_asyncio import is_async_test


def pytest_collection_modifyitems(items):
    pytest_asyncio_tests = (item for item in items if is_async_test(item))
    session_scope_marker = pytest.mark.asyncio(loop_scope="session")
    for async_test in pytest_asyncio_tests:
        async_test.add_marker(session_scope_marker, append=False)
