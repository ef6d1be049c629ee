"""try: wait_for + `except TimeoutError: pass` → move_on_after; prints what it does."""
import asyncio


async def work(delay, log):
    await asyncio.sleep(delay)
    log.append(f"work({delay}) finished")
    return delay


async def main():
    log = []
    try:
        await asyncio.wait_for(work(1, log), 0.05)
    except asyncio.TimeoutError:
        pass  # slow work is skipped
    log.append("after the timed-out call")

    result = None
    try:
        result = await asyncio.wait_for(work(0.01, log), 1)
    except (TimeoutError, asyncio.TimeoutError) as exc:
        pass
    log.append(f"result: {result}")

    # With `finally:` the try stays for it.
    try:
        await asyncio.wait_for(work(1, log), timeout=0.02)
    except TimeoutError:
        ...
    finally:
        log.append("finally ran")

    # With `else:` (runs only without a timeout) the handler is kept: plain fail_after.
    try:
        await asyncio.wait_for(work(1, log), 0.02)
    except TimeoutError:
        pass
    else:
        log.append("else: not reached")

    # A handler that does more than `pass` is kept too.
    try:
        await asyncio.wait_for(work(1, log), 0.02)
    except TimeoutError:
        log.append("handler ran")
    print("\n".join(log))


if __name__ == "__main__":
    asyncio.run(main())
