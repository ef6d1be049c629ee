import pytest_asyncio


def make(pytest):
    @pytest_asyncio.fixture
    async def inner():
        return pytest

    return inner
