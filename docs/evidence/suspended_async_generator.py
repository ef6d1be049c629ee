"""An async generator a test advances by hand and leaves suspended, whose cleanup awaits (it
starts a task and waits for it): pytest-asyncio finalizes it with the test's own loop, at the
test's end, so the cleanup has run when the next test starts (A2); anyio's plugin runs the
tests on one loop and finalizes the generator later, when it is collected, and the next test
does not see the cleanup (B2). Closing it in the test gives the same order under both (A4, B4).
The asyncio code is the same on both sides: only the plugin that runs the test changes. Found
on synchronicity (a sync/async bridge library): its `test_athrow_baseexc_async` leaves a
wrapped generator suspended, whose cleanup then starts its task too late ("coroutine '_aclose'
was never awaited", an error under its `filterwarnings = error`).
Run: python docs/evidence/suspended_async_generator.py  (output: suspended_async_generator.out)
"""
import plugins

BODY = '''
events = []


async def cleanup():
    await asyncio.sleep(0)
    events.append("cleaned")


async def numbers():
    try:
        yield 1
        yield 2
    finally:
        # synchronicity's shape: the cleanup runs in a task, waited for with a time limit
        t = asyncio.create_task(cleanup())
        await asyncio.wait_for(asyncio.shield(t), 1)


async def a_left_suspended():
    gen = numbers()
    assert await gen.asend(None) == 1


async def b_after_it():
    await asyncio.sleep(0.01)
    assert events == ["cleaned"], events


async def c_closed():
    events.clear()
    gen = numbers()
    assert await gen.asend(None) == 1
    await gen.aclose()


async def d_after_it():
    await asyncio.sleep(0.01)
    assert events == ["cleaned"], events
'''

NAMES = ("a_left_suspended", "b_after_it", "c_closed", "d_after_it")
PYTEST_ASYNCIO = plugins.module("asyncio", BODY, NAMES, "asyncio")
ANYIO = plugins.module("asyncio", BODY, NAMES, "anyio", plugins.ANYIO_BACKEND)


if __name__ == "__main__":
    plugins.header()
    plugins.run("A", PYTEST_ASYNCIO, plugins.PYTEST_ASYNCIO_ARGS, numbered=True)
    plugins.run("B", ANYIO, plugins.ANYIO_ARGS, numbered=True)
