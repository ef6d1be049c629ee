"""CRLF line endings are kept."""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    await asyncio.sleep(0.01)
    print("elapsed:", loop.time() - start >= 0.005)
    print("coroutine function:", asyncio.iscoroutinefunction(main))
