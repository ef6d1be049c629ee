from unittest.mock import patch

from napper import cli, clock, timer


async def instant(_seconds):
    return None


async def test_through_the_module_attribute(monkeypatch):
    # The module's own `asyncio`, read through the module: it must still be there.
    monkeypatch.setattr(cli.asyncio, "sleep", instant)
    assert await cli.nap(3600) == "woke"


async def test_through_a_dotted_path():
    with patch("napper.clock.asyncio.sleep", instant):
        assert await clock.tick() == "tick"


async def test_a_module_replaced_whole(monkeypatch):
    class FakeTime:
        @staticmethod
        def sleep(_seconds):
            return None

    monkeypatch.setattr(timer, "time", FakeTime)
    assert await timer.pause() == "paused"
