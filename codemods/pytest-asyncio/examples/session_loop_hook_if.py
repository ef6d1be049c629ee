"""The same recipe written with a test inside the loop and the marker written out."""
import pytest
import pytest_asyncio


def pytest_collection_modifyitems(session, config, items):
    """Run every async test in the session loop."""
    for item in items:
        if pytest_asyncio.is_async_test(item):
            item.add_marker(pytest.mark.asyncio(loop_scope="session"), append=False)
