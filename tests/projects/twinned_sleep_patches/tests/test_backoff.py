import asyncio
import time
from unittest import mock
from unittest.mock import AsyncMock, patch

from backoff import heartbeat, retry


def flaky(failures):
    left = [OSError() for _ in range(failures)]

    async def op():
        if left:
            raise left.pop()
        return "ok"

    return op


async def test_retry_waits_for_nothing(slept):
    started = time.monotonic()
    assert await retry(flaky(2), [30, 60]) == "ok"
    assert slept == [30, 60]
    assert time.monotonic() - started < 2


async def test_a_named_patch_sees_each_delay():
    with patch("asyncio.sleep") as sleep:
        assert await heartbeat(3, 10) == [0, 1, 2]
    assert [c.args[0] for c in sleep.await_args_list] == [10, 10, 10]


async def test_an_unnamed_patch_reaches_the_test_too():
    with mock.patch.object(asyncio, "sleep", AsyncMock()):
        started = time.monotonic()
        assert await retry(flaky(1), [30]) == "ok"
        await asyncio.sleep(30)
        assert time.monotonic() - started < 2


async def test_a_dotted_target_and_a_lambda(monkeypatch):
    seen = []

    async def record(delay):
        seen.append(delay)

    monkeypatch.setattr("asyncio.sleep", lambda delay: record(delay))
    assert await heartbeat(2, 5) == [0, 1]
    assert seen == [5, 5]


@patch("asyncio.sleep", new_callable=AsyncMock)
async def test_a_decorator_hands_its_mock_to_the_test(sleep):
    started = time.monotonic()
    assert await retry(flaky(1), [30]) == "ok"
    sleep.assert_awaited_once_with(30)
    assert time.monotonic() - started < 2


@mock.patch("asyncio.sleep")
class TestBeats:
    async def test_each_beat_waits_for_nothing(self, sleep):
        assert await heartbeat(2, 40) == [0, 1]
        assert sleep.await_count == 2
