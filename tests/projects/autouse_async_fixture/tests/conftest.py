import asyncio

import pytest

SEEN = []


@pytest.fixture(autouse=True)
async def session_log():
    """An autouse async fixture of the conftest.py: every test below it, sync ones too, runs it."""
    await asyncio.sleep(0)
    SEEN.append("conftest")
    yield
