"""The project's own fixture, named like pytest-aiohttp's: pytest gives the tests this one."""
import asyncio

import pytest_asyncio


@pytest_asyncio.fixture
async def aiohttp_server():
    servers = []

    async def start(name):
        await asyncio.sleep(0)
        servers.append(name)
        return name

    yield start
    assert servers, "the test started a server"
