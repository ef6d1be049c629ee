"""Nothing here is pytest-asyncio's."""
import pytest


class Marks:
    asyncio = "not a marker"


class mark:
    asyncio = "not pytest's"


def test_locals():
    pytest = Marks()
    assert pytest.asyncio


def test_attributes(self=None):
    mark.asyncio
    Marks.asyncio


@pytest.mark.anyio
async def test_already_anyio():
    pass


def fixture(f):
    return f


@fixture
async def not_a_pytest_fixture():
    return 1


def test_uses_lookalike(not_a_pytest_fixture):
    pass


def event_loop_helper(event_loop):
    return event_loop
