import asyncio

import pytest


@pytest.mark.asyncio
async def test_tagged_loop(answer):
    await asyncio.sleep(0)
    assert getattr(asyncio.get_running_loop(), "tag", None) == "tagged"
    assert answer == 42
