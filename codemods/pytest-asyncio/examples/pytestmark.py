import pytest

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_one():
    pass
