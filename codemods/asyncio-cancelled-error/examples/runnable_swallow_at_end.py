"""Handlers that swallow the cancellation as the last thing their coroutine does: the task
ends as it did under asyncio (UNSAFE `swallowed-at-end`)."""
import asyncio


async def ticker(log):
    try:
        while True:
            await asyncio.sleep(0.01)
            log.append("tick")
    except asyncio.CancelledError:
        log.append("ticker stopped")
    finally:
        log.append("ticker finally")


async def consumer(inbox, log):
    while True:
        try:
            item = await inbox.get()
        except asyncio.CancelledError:
            log.append("consumer stopped")
            break
        log.append(f"got {item}")
    log.append("consumer done")


async def main():
    log = []
    t = asyncio.create_task(ticker(log))
    await asyncio.sleep(0.035)
    t.cancel()
    await t
    print(log[-3:])
    inbox = asyncio.Queue()
    inbox.put_nowait(1)
    k = asyncio.create_task(consumer(inbox, log))
    await asyncio.sleep(0.01)
    k.cancel()
    await k
    print(log[-3:])


if __name__ == "__main__":
    asyncio.run(main())
