import asyncio


async def test_loop_is_running(loop):
    assert loop is asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_soon(fut.set_result, 7)
    assert await fut == 7


async def test_executor(loop):
    assert await loop.run_in_executor(None, sum, [1, 2]) == 3
