import asyncio

import pytest


@pytest.mark.asyncio
async def test_one():
    await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_two():
    await asyncio.sleep(0)
