"""A module that never imports asyncio: its sync tests run one coroutine each on pytest-asyncio's
`event_loop`, one of them parametrized (its argument is a value, not a fixture)."""
import pytest


class Tally:
    def __init__(self):
        self.seen = []

    async def record(self, value):
        self.seen.append(value)


@pytest.fixture(name="tally")
def tally_fixture():
    return Tally()


@pytest.mark.parametrize("count", [1, 3])
def test_records_each(event_loop, tally, count):
    async def record_all(n):
        for i in range(n):
            await tally.record(i)

    event_loop.run_until_complete(record_all(count))
    assert tally.seen == list(range(count))
