"""asyncio.run() starts a new event loop in a worker thread that a running loop started
(asyncio.to_thread copies the caller's context into it); anyio.run() there raises
RuntimeError("Already running asyncio in this thread"): the context carries sniffio's
current-library variable. Run with anyio installed: prints `asyncio.run: worked` and
`anyio.run: RuntimeError: Already running asyncio in this thread`."""
import asyncio

import anyio


async def work():
    await asyncio.sleep(0)
    return "worked"


def with_asyncio():
    return asyncio.run(work())


def with_anyio():
    return anyio.run(work)


async def main():
    print("asyncio.run:", await asyncio.to_thread(with_asyncio))
    try:
        print("anyio.run:", await asyncio.to_thread(with_anyio))
    except RuntimeError as e:
        print("anyio.run: RuntimeError:", e)


anyio.run(main)
