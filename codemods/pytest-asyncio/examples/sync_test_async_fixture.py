import pytest
import pytest_asyncio


@pytest_asyncio.fixture
async def afx():
    return 1


@pytest.fixture(name="named")
async def _named_async():
    return 2


@pytest.fixture
def sync_fx():
    return 3


def test_sync(afx, sync_fx):
    assert afx == 1


class TestGroup:
    def test_method(self, named):
        assert named == 2


@pytest.mark.asyncio
async def test_async(afx, named):
    assert (afx, named) == (1, 2)
