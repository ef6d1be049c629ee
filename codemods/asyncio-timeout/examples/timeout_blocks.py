"""async with asyncio.timeout / timeout_at → a plain `with` fail_after / fail_at block, with the
timeout object's methods mapped onto anyio's CancelScope; prints what it does."""
import asyncio

lock = asyncio.Lock()


async def slow():
    await asyncio.sleep(1)


async def main():
    async with asyncio.timeout(1) as cm:
        await asyncio.sleep(0)
        cm.reschedule(None)  # no deadline any more
    print("expired:", cm.expired())

    try:
        async with asyncio.timeout(10) as cm:
            loop = asyncio.get_running_loop()
            cm.reschedule(loop.time() + 0.05)  # move the deadline closer
            print("deadline moved:", cm.when() - loop.time() < 1)
            await slow()
    except TimeoutError:
        print("timed out; expired:", cm.expired())

    # expired() is True as soon as the deadline fires, inside the block too (cancel_called).
    try:
        async with asyncio.timeout(0.02) as cm:
            try:
                await slow()
            finally:
                print("expired inside the block:", cm.expired())
    except TimeoutError:
        pass

    try:
        async with asyncio.timeout_at(asyncio.get_running_loop().time() + 0.05):
            await slow()
    except TimeoutError:
        print("timeout_at: TimeoutError")

    # Several items: the timeout becomes its own (plain) block around the rest.
    async with asyncio.timeout(1), lock:
        print("holding the lock, under a timeout")
    try:
        async with lock, asyncio.timeout(0.05) as cm:
            await slow()
    except TimeoutError:
        print("lock then timeout: TimeoutError, expired:", cm.expired())


if __name__ == "__main__":
    asyncio.run(main())
