import asyncio

from lines import Lines


async def test_each_read_is_timed():
    source = Lines(b"hello\n")
    assert await asyncio.wait_for(source.readline(), 1) == b"hello\n", "no line"
    assert not await asyncio.wait_for(source.readline(), 1)
    assert source.reads == 2


async def test_a_read_that_never_ends_times_out():
    class Stuck(Lines):
        async def readline(self):
            await asyncio.sleep(10)

    try:
        assert await asyncio.wait_for(Stuck().readline(), 0.05) is None
    except TimeoutError:
        pass
    else:
        raise AssertionError("not timed out")

