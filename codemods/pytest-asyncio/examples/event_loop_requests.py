import pytest


@pytest.mark.asyncio
async def test_executor(event_loop):
    await event_loop.run_in_executor(None, print, "hi")


def test_sync_driver(event_loop):
    event_loop.run_until_complete(work())


@pytest.fixture
def policy_name(event_loop_policy):
    return type(event_loop_policy).__name__


async def work():
    pass


def helper(event_loop):
    """Not a test: its parameter is nobody's fixture request."""
    return event_loop
