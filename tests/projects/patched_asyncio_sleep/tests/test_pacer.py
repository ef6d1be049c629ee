import time

from pacer import paced, within


async def test_paced_without_waiting(fake_sleep):
    started = time.monotonic()
    assert await within(5, paced(3, 10)) == [0, 1, 2]
    assert fake_sleep.asked == [10, 10, 10]
    assert time.monotonic() - started < 2


async def test_tick_through_the_modules_own_name():
    from unittest import mock

    import clock

    async def instant(delay):
        return None

    with mock.patch("clock.sleep", instant) as fake:
        started = time.monotonic()
        assert await clock.tick(30) == 30
        assert time.monotonic() - started < 2
    assert fake is instant
