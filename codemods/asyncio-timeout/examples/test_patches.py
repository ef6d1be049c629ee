"""A test that patches asyncio.wait_for (or asyncio.timeout) is reported: once the code under
test is migrated it no longer calls that function, so the patch silently stops working
(aiocache's `patch("asyncio.wait_for", side_effect=asyncio.TimeoutError)`)."""
import asyncio
from unittest import mock
from unittest.mock import patch

import pytest


async def test_acquire_block_timeouts(lock):
    with patch("asyncio.wait_for", autospec=True, side_effect=asyncio.TimeoutError):
        assert await lock.acquire() is None


async def test_no_timeout(api):
    with mock.patch("asyncio.tasks.wait_for") as wait_for:
        await api()
        assert wait_for.call_count == 0


async def test_object_form(api):
    with patch.object(asyncio, "timeout") as timeout:
        await api()
    timeout.assert_called_once()


@pytest.fixture
def no_timeouts(monkeypatch):
    monkeypatch.setattr("asyncio.wait_for", lambda aw, timeout: aw)


def test_lookalikes(monkeypatch):
    # Not asyncio's: left alone.
    with patch("mylib.wait_for"), patch("asyncio.get_running_loop"):
        pass
    monkeypatch.setattr("os.getcwd", lambda: "/")
