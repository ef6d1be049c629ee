"""A project that still supports Python 3.8: markers and async fixtures only (no auto mode,
no port fixtures), so its tests run on anyio 4.5's plugin, the newest 3.8 installs."""
import asyncio

import pytest
import pytest_asyncio

EVENTS = []


@pytest_asyncio.fixture(scope="module")
async def relay():
    EVENTS.append("open")
    queue = []
    yield queue
    EVENTS.append("close")


@pytest_asyncio.fixture
async def primed(relay):
    await asyncio.sleep(0)
    relay.append("primed")
    return relay


@pytest.mark.asyncio
async def test_primed(primed):
    assert primed[-1] == "primed"


@pytest.mark.asyncio
class TestRelay:
    async def test_shared(self, relay):
        await asyncio.sleep(0)
        assert relay[0] == "primed"

    async def test_append(self, relay):
        relay.append("x")
        assert relay[-1] == "x"


def test_sync_sees_the_async_fixture(primed):
    assert EVENTS == ["open"]


def test_runs_on_the_anyio_its_python_installs():
    import anyio

    # anyio 4.5 (Python 3.8): no free port fixtures yet (4.9), no anyio_mode (4.11).
    import anyio.pytest_plugin as plugin

    assert not hasattr(plugin, "free_tcp_port")
    assert not hasattr(anyio, "TaskHandle")
