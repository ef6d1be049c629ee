"""asyncio.sleep passed as a value: its callers may pass `result` (a callback API that calls
each callback with an argument), keywords, or a negative delay; the helper that replaces it has
asyncio's signature, so each call gives what asyncio.sleep gave."""
import asyncio
from functools import partial


async def fire(callbacks, *args):
    return [await cb(*args) for cb in callbacks]


async def main():
    print(await fire([partial(asyncio.sleep, 0.01)], "event data"))
    print(await fire([asyncio.sleep], 0, "no wait"))
    print(await fire([asyncio.sleep], -1))
    nap = asyncio.sleep
    print(await nap(delay=0, result="keywords"))


if __name__ == "__main__":
    asyncio.run(main())
