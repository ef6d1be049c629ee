import asyncio

import pytest

from conftest import events


@pytest.fixture
async def local():
    await asyncio.sleep(0)
    return 42


def test_token(token):
    assert token == "t0k3n"


def test_connection_and_scopes(connection, shared, settings):
    assert connection["open"]
    assert shared == [1, 2, 3]
    assert settings == {"debug": False}
    # A sync test may still run its own event loop.
    assert asyncio.run(asyncio.sleep(0, "ran")) == "ran"


def test_local(local):
    assert local == 42


class TestGrouped:
    def test_in_class(self, token):
        assert token.startswith("t0")


async def test_teardown_ran():
    assert events.count("open") == events.count("close") >= 1


async def test_async(token):
    await asyncio.sleep(0)
    assert token


@pytest.fixture
def wrapped_token(token):
    return f"<{token}>"


def test_through_a_conftest_sync_fixture(repository):
    assert repository["connection"]["open"]


def test_through_a_module_sync_fixture(wrapped_token):
    assert wrapped_token == "<t0k3n>"


@pytest.mark.usefixtures("connection")
def test_through_usefixtures():
    assert events.count("open") > events.count("close")
