"""Tests that leave tasks behind: a helper that feeds the test, a task only checked on, a
task started in a test method. pytest-asyncio cancelled what each left when it closed the
test's loop; the last test checks that every one was stopped."""
import asyncio

STOPPED = []


async def feed(queue, n):
    for i in range(n):
        await queue.put(i)
        await asyncio.sleep(0.001)
    await asyncio.sleep(10)


async def forever(tag):
    try:
        await asyncio.sleep(10)
    except BaseException:  # cancelled (a task waited for would end after 10 s, unrecorded)
        STOPPED.append(tag)
        raise


async def test_reads_what_a_helper_feeds():
    queue = asyncio.Queue()
    asyncio.create_task(forever("feeder"))
    asyncio.create_task(feed(queue, 3))
    assert [await queue.get() for _ in range(3)] == [0, 1, 2]


async def test_checks_on_a_task_it_leaves():
    t = asyncio.create_task(forever("checked"))
    await asyncio.sleep(0.01)
    assert not t.done()  # still running when the test ends


class TestMethods:
    async def test_left_in_a_method(self):
        asyncio.create_task(forever("method"))
        await asyncio.sleep(0)


async def test_every_task_left_was_stopped():
    await asyncio.sleep(0)
    assert set(STOPPED) == {"checked", "feeder", "method"}
