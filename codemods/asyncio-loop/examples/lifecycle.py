"""Loops made by hand around the entry point: anyio.run() owns the loop, so these are reported."""
import asyncio
import uvloop


async def serve():
    await asyncio.sleep(0)


def start():
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.create_task(serve())
        loop.run_forever()
    finally:
        loop.close()


def legacy():
    loop = asyncio.get_event_loop()
    return loop.time()


def reset():
    asyncio.set_event_loop(asyncio.new_event_loop())
    asyncio.set_event_loop(None)


MODULE_LOOP = asyncio.get_event_loop()
