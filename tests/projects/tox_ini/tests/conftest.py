import pytest

# Loaded by name as well as by its entry point: the name must go with pytest-asyncio.
pytest_plugins = ["pytest_asyncio", "pytester"]


@pytest.fixture
def anyio_backend():
    return "asyncio"
