"""Library code that uses the thread's default event loop outside a coroutine (greenletio's
`GreenletBridge.start()` does): it stays asyncio's (MANUAL), so the tests' runs on that loop
must stay too. Had they become `anyio.run(...)`, the first one would have left the thread
without a current loop and `ready()` would raise RuntimeError in every later test."""

import asyncio


def ready():
    loop = asyncio.get_event_loop()
    return not loop.is_running()
