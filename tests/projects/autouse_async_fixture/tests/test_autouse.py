"""Autouse async fixtures (the module's, a class's, the conftest's) in a suite in auto mode:
pytest-asyncio ran them for the sync tests too; anyio's plugin runs async fixtures only for
tests that use `anyio_backend`, so each sync test in their reach is marked to use it."""
import asyncio

import pytest

from conftest import SEEN

CALLS = []


@pytest.fixture(autouse=True)
async def reset():
    await asyncio.sleep(0)
    CALLS.clear()
    CALLS.append("module")
    yield
    CALLS.append("done")


def test_sync_sees_the_module_fixture():
    assert CALLS == ["module"]
    assert SEEN


@pytest.mark.parametrize("n", [1, 2])
def test_sync_parametrized(n):
    assert CALLS == ["module"] and n in (1, 2)


async def test_async_sees_it_too():
    await asyncio.sleep(0)
    assert CALLS == ["module"]


class TestWithItsOwn:
    @pytest.fixture(autouse=True)
    async def per_class(self):
        await asyncio.sleep(0)
        CALLS.append("class")
        yield

    def test_sync_in_class(self):
        assert CALLS == ["module", "class"]


def test_sync_overrides_nothing(tmp_path):
    assert tmp_path.exists() and CALLS == ["module"]
