"""Fixtures from before async fixtures: sync fixtures that run coroutines on pytest-asyncio's
`event_loop` (`event_loop.run_until_complete(...)`) in their setup and teardown."""
import asyncio

import pytest

EVENTS = []


async def open_resource(name):
    await asyncio.sleep(0)
    EVENTS.append(("open", name))
    return {"name": name, "open": True}


async def close_resource(res):
    await asyncio.sleep(0)
    res["open"] = False
    EVENTS.append(("close", res["name"]))


@pytest.fixture
def resource(event_loop):
    res = event_loop.run_until_complete(open_resource("db"))
    yield res
    event_loop.run_until_complete(close_resource(res))
    # The teardown ran its coroutine to the end (a failure here errors the test).
    assert not res["open"]
    assert EVENTS[-1] == ("close", "db")


@pytest.fixture
def ready(event_loop):
    return event_loop.run_until_complete(open_resource("cache"))


@pytest.fixture
def counter(event_loop):
    """A nested coroutine run at teardown."""
    seen = []
    yield seen

    async def drain():
        await asyncio.sleep(0)
        seen.clear()

    event_loop.run_until_complete(drain())
    assert seen == []


@pytest.mark.asyncio
async def test_uses_resource(resource, counter):
    assert resource["open"]
    counter.append(1)
    await asyncio.sleep(0)
    assert ("open", "db") in EVENTS


@pytest.mark.asyncio
async def test_ready_and_resource(ready, resource):
    assert ready["name"] == "cache"
    assert resource["open"]
