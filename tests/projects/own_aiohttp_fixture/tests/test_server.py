import asyncio

import pytest


@pytest.mark.asyncio
async def test_start(aiohttp_server):
    name = await aiohttp_server("main")
    await asyncio.sleep(0)
    assert name == "main"
