import anyio
import pytest


@pytest.mark.asyncio
async def test_sleep():
    with anyio.move_on_after(0.01) as scope:
        await anyio.sleep(1)
    assert scope.cancelled_caught
