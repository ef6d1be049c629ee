"""The test replaces a method of asyncio's class (`asyncio.Lock.locked`): every Lock the code
makes reaches the patch. anyio's Lock is a class of its own, which the patch would not reach
(`busy()` would be False), so the run leaves that constructor as it is; the Event, which no
test patches, becomes anyio's."""
from unittest import mock

from insights import Insights


async def test_busy_when_the_lock_is_taken():
    with mock.patch("asyncio.Lock.locked", return_value=True):
        assert Insights().busy() is True


async def test_serves():
    assert await Insights().serve() == "served"
