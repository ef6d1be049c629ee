"""anyio's pytest plugin fails a test when an exception reaches the asyncio loop's exception
handler while the test runs (a task's exception never retrieved, `loop.call_exception_handler`);
pytest-asyncio only logged it, and the test passed. The asyncio code under test is the same on
both sides: only the plugin that runs the test changes. Found on aiotools: its timer and
`as_completed_safe` tests let child tasks fail unretrieved, and on anyio's asyncio backend they
fail with "Multiple exceptions occurred in asynchronous callbacks".
B2: the same anyio tests with the `anyio_backend` fixture the run writes (its asyncio backend's
`loop_factory` makes a loop on which anyio's plugin does not take over the exception handler):
what reaches the handler goes to asyncio's own handler, which logs it, as under pytest-asyncio,
and the tests pass as they did; a handler the test installs itself is kept (test_own_handler, all runs).
B3: after an anyio test, sync code finds no current event loop, with anyio's runner alone and
with the factory (which sets its loop current while it is open, as the runner does).
Run: python docs/evidence/loop_exception_handler.py  (output: loop_exception_handler.out)
"""
import plugins

BODY = '''
async def boom():
    raise ZeroDivisionError


async def unretrieved():
    t = asyncio.get_running_loop().create_task(boom())
    await asyncio.sleep(0.01)
    del t
    gc.collect()  # the task's exception, never retrieved, goes to the loop's handler
    await asyncio.sleep(0.01)


async def handler_called():
    asyncio.get_running_loop().call_exception_handler({"message": "m", "exception": KeyError("k")})
    await asyncio.sleep(0)


async def own_handler():
    seen = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, context: seen.append(context["message"]))
    loop.call_exception_handler({"message": "mine"})
    await asyncio.sleep(0)
    loop.set_exception_handler(None)
    assert seen == ["mine"]
'''

NAMES = ("unretrieved", "handler_called", "own_handler")
PYTEST_ASYNCIO = plugins.module("asyncio, gc", BODY, NAMES, "asyncio")
ANYIO = plugins.module("asyncio, gc", BODY, NAMES, "anyio", plugins.ANYIO_BACKEND)
# The fixture the run writes (src/project/conftest.rs, LOGGING_LOOP), as it writes it.
LOOP_FACTORY = """

def _loop_logging_handler_errors():
    loop = asyncio.new_event_loop()
    set_handler, close = loop.set_exception_handler, loop.close

    def set_exception_handler(handler):
        if not type(getattr(handler, "__self__", None)).__module__.startswith("anyio."):
            set_handler(handler)

    def close_as_current_loop():
        del loop.close  # an event loop policy's set_event_loop() may close the old loop
        asyncio.set_event_loop(None)
        close()

    try:
        loop.set_exception_handler = set_exception_handler
        loop.close = close_as_current_loop
    except AttributeError:
        return loop
    asyncio.set_event_loop(loop)
    return loop


@pytest.fixture
def anyio_backend():
    return "asyncio", {"loop_factory": _loop_logging_handler_errors}
"""
LOGGING = plugins.module("asyncio, gc", BODY, NAMES, "anyio", LOOP_FACTORY)
# B3: after an anyio test, sync code finds no current loop (the closed one is not left
# current), with and without the factory.
CURRENT = """

def current():
    try:
        return asyncio.get_event_loop()
    except RuntimeError as e:
        return str(e)


@pytest.mark.anyio
async def test_a_inside():
    await asyncio.sleep(0)


def test_b_after():
    after = current()
    assert isinstance(after, str), "closed" if after.is_closed() else "open"
"""
PLAIN_CURRENT = "import asyncio\nimport pytest\n" + plugins.ANYIO_BACKEND + CURRENT
FACTORY_CURRENT = "import asyncio\nimport pytest\n" + LOOP_FACTORY + CURRENT

if __name__ == "__main__":
    plugins.header()
    plugins.run("A1", PYTEST_ASYNCIO, plugins.PYTEST_ASYNCIO_ARGS)
    plugins.run("B1", ANYIO, plugins.ANYIO_ARGS)
    plugins.run("B2", LOGGING, plugins.ANYIO_ARGS)
    plugins.run("B3", PLAIN_CURRENT, plugins.ANYIO_ARGS)
    plugins.run("B3", FACTORY_CURRENT, plugins.ANYIO_ARGS)
