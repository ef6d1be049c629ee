import asyncio

import pytest


@pytest.fixture
def slept(monkeypatch):
    """Every delay asked for, none waited."""
    asked = []

    async def instant(delay):
        asked.append(delay)

    monkeypatch.setattr(asyncio, "sleep", instant)  # no real waiting in these tests
    return asked
