"""A test that patches asyncio.sleep is reported: the migrated code under test calls
anyio.sleep, so the patch no longer takes effect."""
import asyncio
from unittest.mock import AsyncMock, patch


async def test_retry_backs_off(client):
    with patch("asyncio.sleep", new_callable=AsyncMock) as sleep:
        await client.fetch_with_retry()
    sleep.assert_awaited()


async def test_object_form(client, monkeypatch):
    monkeypatch.setattr(asyncio, "sleep", AsyncMock())
    await client.fetch_with_retry()


async def test_lookalike():
    with patch("time.sleep"):
        await asyncio.sleep(0)
