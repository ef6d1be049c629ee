import asyncio

import sniffio


async def test_runs_on_the_policys_loop():
    await asyncio.sleep(0)
    if sniffio.current_async_library() == "asyncio":
        assert type(asyncio.get_running_loop()).__name__ == "CountingLoop"


async def test_sleeps():
    await asyncio.sleep(0.01)
