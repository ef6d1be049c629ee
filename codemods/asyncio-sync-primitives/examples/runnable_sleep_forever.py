"""The "sleep until cancelled" idiom: an Event or a Future made and awaited at once, which
nothing else can set → `await anyio.sleep_forever()` (SAFE sleep-forever). Both end only by the
cancellation, raised at the await."""
import asyncio


async def forever_event(log):
    try:
        await asyncio.Event().wait()
    finally:
        log.append("event: cancelled")


async def forever_future(log):
    try:
        await asyncio.Future()
    finally:
        log.append("future: cancelled")


async def main():
    log = []
    for sleeper in (forever_event, forever_future):
        try:
            async with asyncio.timeout(0.05):
                await sleeper(log)
        except TimeoutError:
            log.append("timed out")
    print(log)


asyncio.run(main())
