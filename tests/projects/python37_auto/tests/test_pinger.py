"""A project that still supports Python 3.7 and runs its async tests in auto mode: anyio 3.7,
the newest release 3.7 installs, has markers and async fixtures but no auto mode."""
import asyncio

import pytest

from pinger import ping


@pytest.fixture
async def warmed():
    await asyncio.sleep(0)
    yield "warm"


async def test_ping(warmed):
    assert warmed == "warm"
    assert await ping(2) == ["pong", "pong"]


class TestPing:
    async def test_none(self):
        assert await ping(0) == []


async def test_runs_on_the_anyio_its_python_installs():
    import anyio

    # anyio 3 (Python 3.7) still has its own ExceptionGroup class (4.0 removed it).
    assert hasattr(anyio, "ExceptionGroup")
