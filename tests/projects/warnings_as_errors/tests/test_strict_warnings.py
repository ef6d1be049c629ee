"""A suite that turns warnings into errors: once its pytest-asyncio options are deleted,
pytest-asyncio (still installed until the dependencies are synced) would warn at start-up that
`asyncio_default_fixture_loop_scope` is unset, and pytest would stop; the migration adds
`-p no:asyncio` to addopts."""
import asyncio


async def test_sleeps():
    await asyncio.sleep(0)


def test_sync():
    assert True
