"""A project that still supports Python 3.8 and runs its async tests in auto mode: anyio 4.5,
the newest release 3.8 installs, has no auto mode, so each async test gets a marker."""
import asyncio

import pytest

from relay import relay


@pytest.fixture(scope="module")
async def numbers():
    await asyncio.sleep(0)
    yield [1, 2, 3]
    await asyncio.sleep(0)  # an async teardown


async def test_relay(numbers):
    assert await relay(numbers) == [1, 2, 3]


@pytest.mark.parametrize("n", [0, 2])
async def test_relay_prefix(numbers, n):
    assert await relay(numbers[:n]) == numbers[:n]


@pytest.mark.asyncio
async def test_already_marked(greeting):
    assert greeting == "hello"


class TestInClass:
    @pytest.fixture
    async def doubled(self, numbers):
        await asyncio.sleep(0)
        return [2 * n for n in numbers]

    async def test_method(self, doubled):
        assert await relay(doubled) == [2, 4, 6]


class Checks:
    async def test_inherited(self, greeting):
        assert greeting == "hello"


class TestInherits(Checks):
    pass


async def test_runs_on_the_anyio_its_python_installs():
    import anyio

    # anyio 4.5 (Python 3.8): no free port fixtures yet (4.11).
    assert not hasattr(anyio, "TaskHandle")
