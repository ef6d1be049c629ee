import asyncio

import pytest

from doubler import double_all, double_within


async def test_double_all(numbers):
    assert await double_all(numbers) == [2, 4, 6]
    assert type(asyncio.get_running_loop()).__name__ == "CountingLoop"


@pytest.mark.asyncio
async def test_double_within():
    assert await double_within(4, 1) == 8
    with pytest.raises(TimeoutError):
        await double_within(1, 0.001)


@pytest.mark.plain_loop
async def test_plain_loop():
    assert type(asyncio.get_running_loop()).__name__ != "CountingLoop"
