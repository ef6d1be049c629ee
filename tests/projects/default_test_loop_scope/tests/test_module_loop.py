"""The tests of this module run in one loop (the configured test loop scope): the Future the
module-scoped fixture makes is resolved by that loop while the tests run. Under anyio's plugin
the fixture keeps its runner, and so its loop, for the module: the tests pass there too, and
the deletion of the option is reported UNSAFE for the tests that relied on it without one."""
import asyncio

import pytest


@pytest.fixture(scope="module")
async def resolved_later():
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    loop.call_later(0.01, future.set_result, "resolved by the loop")
    yield future


async def test_first(resolved_later):
    assert await resolved_later == "resolved by the loop"


async def test_second(resolved_later):
    assert resolved_later.done()
