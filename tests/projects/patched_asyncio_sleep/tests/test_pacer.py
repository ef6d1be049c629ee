import time

from pacer import paced, within


async def test_paced_without_waiting(fake_sleep):
    started = time.monotonic()
    assert await within(5, paced(3, 10)) == [0, 1, 2]
    assert fake_sleep.asked == [10, 10, 10]
    assert time.monotonic() - started < 2
