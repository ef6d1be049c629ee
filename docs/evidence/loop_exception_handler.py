"""anyio's pytest plugin fails a test when an exception reaches the asyncio loop's exception
handler while the test runs (a task's exception never retrieved, `loop.call_exception_handler`);
pytest-asyncio only logged it, and the test passed. The asyncio code under test is the same on
both sides: only the plugin that runs the test changes. Found on aiotools: its timer and
`as_completed_safe` tests let child tasks fail unretrieved, and on anyio's asyncio backend they
fail with "Multiple exceptions occurred in asynchronous callbacks".
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
'''

NAMES = ("unretrieved", "handler_called")
PYTEST_ASYNCIO = plugins.module("asyncio, gc", BODY, NAMES, "asyncio")
ANYIO = plugins.module("asyncio, gc", BODY, NAMES, "anyio", plugins.ANYIO_BACKEND)


if __name__ == "__main__":
    plugins.header()
    plugins.run("A1", PYTEST_ASYNCIO, plugins.PYTEST_ASYNCIO_ARGS)
    plugins.run("B1", ANYIO, plugins.ANYIO_ARGS)
