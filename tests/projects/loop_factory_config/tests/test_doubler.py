import asyncio

import pytest
import sniffio

from doubler import double_all, double_within


async def test_double_all(numbers):
    assert await double_all(numbers) == [2, 4, 6]
    if sniffio.current_async_library() == "asyncio":
        assert type(asyncio.get_running_loop()).__name__ == "CountingLoop"


@pytest.mark.asyncio
async def test_double_within():
    assert await double_within(4, 1) == 8
    with pytest.raises(TimeoutError):
        await double_within(1, 0.001)
