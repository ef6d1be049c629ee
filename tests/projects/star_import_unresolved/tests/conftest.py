"""Fixtures, some of them from a module of their own through a star import whose names cannot
be known (its `__all__` is computed), which may rebind any name here (`asyncio`, `pytest`): the
autouse async fixture below, which the sync tests use too, cannot be seen by the switch to
anyio's plugin, so the suite stays on pytest-asyncio."""
import asyncio

import pytest

from .helpers import *  # noqa: F403


@pytest.fixture(autouse=True)
async def _close_sessions():
    yield
    await asyncio.sleep(0)
