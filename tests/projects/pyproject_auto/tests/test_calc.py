"""Auto mode: unmarked async tests and plain async fixtures."""
import asyncio

import pytest

LOG = []


@pytest.fixture
async def numbers():
    await asyncio.sleep(0)
    return [1, 2, 3]


@pytest.fixture(scope="module")
async def shared():
    LOG.append("setup")
    yield {"answer": 42}
    LOG.append("teardown")


async def test_sum(numbers):
    assert sum(numbers) == 6


async def test_shared_1(shared):
    assert shared["answer"] == 42


async def test_shared_2(shared):
    await asyncio.sleep(0)
    assert shared["answer"] == 42


def test_sync():
    assert LOG == ["setup"]
