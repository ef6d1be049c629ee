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


async def closer(log):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        await asyncio.sleep(0.01)
        log.append("closer cleaned up after its await")
        return "closed"
    log.append("not reached")


async def main():
    log = []
    t = asyncio.create_task(ticker(log))
    await asyncio.sleep(0.035)
    t.cancel()
    await t
    c = asyncio.create_task(closer(log))
    await asyncio.sleep(0.01)
    c.cancel()
    print("closer returned", await c)
    print(log[-4:])


if __name__ == "__main__":
    asyncio.run(main())
