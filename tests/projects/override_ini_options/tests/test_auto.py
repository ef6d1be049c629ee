"""Unmarked async tests and an async fixture: auto mode, set by `-o asyncio_mode=auto` in
addopts, runs them; after the run `-o anyio_mode=auto` does."""
import asyncio

import pytest


@pytest.fixture
async def value():
    await asyncio.sleep(0)
    return 42


async def test_unmarked(value):
    await asyncio.sleep(0)
    assert value == 42


def test_sync():
    assert True
