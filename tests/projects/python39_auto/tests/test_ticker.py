"""A project that still supports Python 3.9: auto mode, async fixtures of two scopes, a free
port from pytest-asyncio's fixture, all on the anyio release its Python installs."""
import asyncio

import pytest

from ticker import echo_once, tick

LOG = []


@pytest.fixture(scope="module")
async def ticks():
    LOG.append("setup")
    yield await tick(3)
    LOG.append("teardown")


@pytest.fixture
async def doubled(ticks):
    await asyncio.sleep(0)
    return [2 * t for t in ticks]


async def test_ticks(ticks):
    assert ticks == [0, 1, 2]


async def test_doubled(doubled):
    assert doubled == [0, 2, 4]


async def test_echo(unused_tcp_port):
    assert await echo_once(unused_tcp_port) == b"ping\n"


def test_module_fixture_set_up_once():
    assert LOG == ["setup"]


def test_runs_on_the_anyio_its_python_installs():
    import anyio

    # anyio 4.11 (Python 3.9): no TaskHandle yet (4.14).
    assert not hasattr(anyio, "TaskHandle")
