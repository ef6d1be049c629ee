"""A conftest with pytest-asyncio hooks and pytest-aiohttp fixtures."""
import asyncio

import pytest


def pytest_asyncio_loop_factories(config, item):
    return {"default": asyncio.new_event_loop}


@pytest.mark.asyncio
async def test_app(aiohttp_client):
    client = await aiohttp_client(make_app())
    assert client


def make_app():
    return object()
