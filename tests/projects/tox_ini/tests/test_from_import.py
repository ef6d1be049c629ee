import asyncio

from pytest_asyncio import fixture


@fixture(scope="module", loop_scope="module")
async def server():
    yield "server"


@fixture
async def client(server):
    await asyncio.sleep(0)
    yield f"client of {server}"


async def test_client(client):
    assert client == "client of server"
