"""asyncio.wait_for of a Future the coroutine makes (`fut = asyncio.Future()`) and sets
elsewhere: asyncio-sync-primitives makes it anyio's Future (it counts the timed wait as an
await), and the wait becomes a `fail_after` block around `await fut` on the next pass. On the
deadline the wait is cancelled; the Future itself stays pending (asyncio's was cancelled with
its waiter), which the Future's rewrite notes. A Future whose `cancelled()` is read after such
a wait stays asyncio's (MANUAL), with its wait (`cancelled_read`, not run: on trio an asyncio
Future cannot be awaited)."""
import asyncio


async def ready_soon():
    fut = asyncio.Future()

    async def producer():
        await asyncio.sleep(0.01)
        fut.set_result("ready")

    async def consumer():
        value = await asyncio.wait_for(fut, 1)  # rewritten once the Future is anyio's
        return f"got {value}"

    return await asyncio.gather(producer(), consumer())


async def never_set():
    late = asyncio.Future()
    try:
        await asyncio.wait_for(late, timeout=0.05)  # rewritten
    except asyncio.TimeoutError:
        return "timed out"
    return "set"


async def cancelled_read():
    fut = asyncio.Future()
    try:
        await asyncio.wait_for(fut, 0.05)  # stays: its cancelled() is read below
    except asyncio.TimeoutError:
        pass
    return fut.cancelled()


async def main():
    print("ready soon:", await ready_soon())
    print("never set:", await never_set())


if __name__ == "__main__":
    asyncio.run(main())
