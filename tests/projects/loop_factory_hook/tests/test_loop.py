import asyncio

import sniffio


async def test_runs_on_the_custom_loop_under_asyncio():
    await asyncio.sleep(0)
    if sniffio.current_async_library() == "asyncio":
        loop = asyncio.get_running_loop()
        assert type(loop).__name__ == "CountingLoop"
        assert loop.scheduled > 0


async def test_sleeps():
    await asyncio.sleep(0.01)
