"""The timeout path of wait_for: TimeoutError, caught and uncaught; prints what it does."""
import asyncio


async def slow():
    await asyncio.sleep(1)
    return "slow result"


async def main():
    try:
        await asyncio.wait_for(slow(), 0.05)
    except asyncio.TimeoutError as exc:
        print("caught:", type(exc).__name__)
    try:
        result = await asyncio.wait_for(slow(), timeout=0.05)
        print("not reached", result)
    except TimeoutError:
        print("caught the builtin TimeoutError too")
    # Uncaught: main() ends with the TimeoutError.
    await asyncio.wait_for(slow(), 0.01)


if __name__ == "__main__":
    asyncio.run(main())
