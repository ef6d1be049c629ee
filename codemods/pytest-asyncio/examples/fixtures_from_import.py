import pytest
from pytest_asyncio import fixture


@fixture(scope="module")
async def server():
    yield "server"


@fixture
async def client(server):
    yield server


@pytest.mark.asyncio
async def test_client(client):
    assert client == "server"
