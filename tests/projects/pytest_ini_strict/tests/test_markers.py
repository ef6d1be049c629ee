import asyncio

import pytest
import pytest_asyncio

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def resource():
    yield id(asyncio.get_running_loop())


@pytest_asyncio.fixture
async def doubled(greeting):
    await asyncio.sleep(0)
    return greeting * 2


async def test_module_marker(doubled):
    assert doubled == "hellohello"


@pytest.mark.asyncio(loop_scope="module")
async def test_shares_the_module_loop(resource):
    assert resource == id(asyncio.get_running_loop())


@pytest.mark.asyncio
class TestGrouped:
    async def test_method(self, greeting):
        await asyncio.sleep(0)
        assert greeting == "hello"
