import asyncio

import pytest


@pytest.fixture
async def greeting():
    await asyncio.sleep(0)
    return "hello"
