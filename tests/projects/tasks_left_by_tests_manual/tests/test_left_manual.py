"""Tasks tests leave behind that keep their finding: what the group to the test's end would
change or could not do."""
import asyncio

import pytest


async def forever():
    await asyncio.sleep(10)


async def cleans_up_slowly(log):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        await asyncio.sleep(0)  # a cancelled anyio task is cancelled again here
        log.append("cleaned")
        raise


async def test_returns_early():
    asyncio.create_task(forever())
    if True:
        return
    await asyncio.sleep(0)


async def test_cleanup_awaits():
    asyncio.create_task(cleans_up_slowly([]))
    await asyncio.sleep(0)


async def test_unseen_code():
    queue = asyncio.Queue()
    asyncio.create_task(queue.get())
    await asyncio.sleep(0)


@pytest.mark.xfail(raises=ZeroDivisionError, strict=True)
async def test_expected_to_fail():
    asyncio.create_task(forever())
    1 / 0


async def test_nested_in_a_block():
    for _ in range(2):
        asyncio.create_task(forever())
    await asyncio.sleep(0)


async def helper_not_a_test():
    asyncio.create_task(forever())
    await asyncio.sleep(0)


async def test_calls_the_helper():
    await helper_not_a_test()


async def fails_when_cancelled():
    try:
        await asyncio.sleep(10)
    finally:
        raise RuntimeError("asyncio logs this; a task group would raise it")


async def test_task_that_fails_when_cancelled():
    worker = asyncio.create_task(fails_when_cancelled())
    await asyncio.sleep(0)
    assert not worker.done()


async def fails_at_once():
    raise ValueError("read by the test")


async def test_reads_the_failure_of_a_task_it_leaves():
    failing = asyncio.create_task(fails_at_once())
    await asyncio.sleep(0.01)
    assert isinstance(failing.exception(), ValueError)
