"""asyncio's Lock / Event / Semaphore / Condition accept instance attributes; anyio's do not
(they define __slots__), so a test double installed on an instance with
`unittest.mock.patch.object(obj, "wait", ...)` fails after the rewrite. Found on aiocache:
TestRedLock::test_acquire_block_timeouts patches `wait` on the Event stored in
`RedLock._EVENTS[key]`.
Run: python docs/evidence/sync_slots.py  (output: sync_slots.out)
"""
import asyncio
import importlib.metadata
import sys
from unittest.mock import Mock, patch

import anyio


def try_patch(obj, method):
    try:
        with patch.object(obj, method, Mock()):
            pass
        return "patched"
    except AttributeError as e:
        return f"AttributeError: {e}"


async def reference():
    for make in (asyncio.Event, asyncio.Lock, lambda: asyncio.Semaphore(1), asyncio.Condition):
        obj = make()
        method = "wait" if hasattr(obj, "wait") else "acquire"
        print(f"A1 {type(obj).__name__}: patch.object(obj, {method!r}) -> {try_patch(obj, method)}")


async def rewrites():
    for make in (anyio.Event, lambda: anyio.Lock(fast_acquire=True),
                 lambda: anyio.Semaphore(1, fast_acquire=True), anyio.Condition):
        obj = make()
        method = "wait" if hasattr(obj, "wait") else "acquire"
        print(f"B1 {type(obj).__name__}: patch.object(obj, {method!r}) -> {try_patch(obj, method)}")


if __name__ == "__main__":
    print("python", sys.version.split()[0], "| anyio", importlib.metadata.version("anyio"))
    print("=== reference: original asyncio code under asyncio.run")
    asyncio.run(reference())
    for backend in ("asyncio", "trio"):
        print(f"=== anyio rewrite, backend={backend}")
        anyio.run(rewrites, backend=backend)
