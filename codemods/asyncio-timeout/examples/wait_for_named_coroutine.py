"""asyncio.wait_for of a name bound to a coroutine object (`coro = fetch(); await
asyncio.wait_for(coro, t)`): the name is bound once and awaited nowhere else, so the
`fail_after` block awaits the same coroutine `wait_for` did. A name bound to a Task, or
used again, stays MANUAL wait-for-task (`wait_for_named_values.py`)."""
import asyncio


async def fetch(n, delay=0.01):
    await asyncio.sleep(delay)
    return n * 2


async def named():
    pending = fetch(1)
    result = await asyncio.wait_for(pending, 1)  # rewritten
    return result


async def named_times_out():
    slow = fetch(2, delay=5)
    try:
        await asyncio.wait_for(slow, timeout=0.05)  # rewritten
    except TimeoutError:
        return "timed out"
    return "finished"


async def named_in_expression():
    coro = fetch(3)
    return [await asyncio.wait_for(coro, 1)]  # rewritten, hoisted


async def main():
    print("named:", await named())
    print("slow:", await named_times_out())
    print("in expression:", await named_in_expression())


if __name__ == "__main__":
    asyncio.run(main())
