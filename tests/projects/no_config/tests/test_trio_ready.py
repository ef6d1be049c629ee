"""Only anyio APIs in the tests: they can run on both backends once migrated."""
import anyio
import pytest
import pytest_asyncio


@pytest_asyncio.fixture
async def event():
    return anyio.Event()


async def set_later(event):
    await anyio.sleep(0)
    event.set()


@pytest.mark.asyncio
async def test_event(event):
    async with anyio.create_task_group() as tg:
        tg.start_soon(set_later, event)
    await event.wait()
    assert event.is_set()
