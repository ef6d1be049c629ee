"""Fixtures that request pytest-asyncio's `event_loop` only so that they run with the test's
loop set (they never read it), asked for by async tests, by sync tests and by one another; a
plain helper has a parameter of the same name."""
import asyncio

import pytest


class Counter:
    def __init__(self):
        self.lock = asyncio.Lock()
        self.count = 0

    async def bump(self):
        async with self.lock:
            self.count += 1


@pytest.fixture
def counter(event_loop):
    return Counter()


@pytest.fixture
def pair(event_loop, counter):
    return counter, Counter()


def count_of(counter):
    return counter.count


def test_sync_gets_the_counter(counter):
    assert count_of(counter) == 0


def test_sync_gets_the_pair(pair):
    assert pair[0] is not pair[1]


async def test_async_bumps(counter):
    await counter.bump()
    assert count_of(counter) == 1


async def test_async_pair(pair):
    first, second = pair
    await first.bump()
    assert (count_of(first), count_of(second)) == (1, 0)
