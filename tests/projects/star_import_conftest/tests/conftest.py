"""Fixtures, some of them from a module of their own through a star import. The module is the
project's own, so the names it binds are known (`answer`, `pytest`): the autouse async
fixture below, which the sync tests use too, is seen, and the suite switches to anyio's plugin."""
import asyncio

import pytest

from .helpers import *  # noqa: F403


@pytest.fixture(autouse=True)
async def _close_sessions():
    yield
    await asyncio.sleep(0)
