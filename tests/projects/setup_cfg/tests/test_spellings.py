import anyio
import pytest_asyncio as pa
from pytest import mark


@pa.fixture(loop_scope="function")
async def offset(base):
    await anyio.sleep(0)
    return base + 1


@mark.asyncio
async def test_marked(offset):
    assert offset == 11


async def test_unmarked(offset):
    assert offset == 11
