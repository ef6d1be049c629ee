import pytest
import pytest_asyncio


@pytest_asyncio.fixture(loop_scope="module")
async def fx():
    return 1


@pytest.mark.asyncio
async def test_crlf(fx):
    assert fx == 1
