import asyncio

import sniffio


async def test_runs_on_its_policys_loop(is_tagged):
    await asyncio.sleep(0)
    if sniffio.current_async_library() == "asyncio":
        tagged_loop = type(asyncio.get_running_loop()).__name__ == "TaggedLoop"
        assert tagged_loop == is_tagged


async def test_sleeps():
    await asyncio.sleep(0.01)
