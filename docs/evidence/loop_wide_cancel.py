"""Code that cancels every task of the running loop (`for t in asyncio.all_tasks(): t.cancel()`,
a graceful-shutdown idiom of signal handlers), tested under pytest-asyncio and under anyio's
plugin on the asyncio backend. Under pytest-asyncio the loop runs the test's own task and the
code's, so the test sees its own cancellation (A1). anyio's plugin runs its own tasks on that
loop (the runner task, and the call that waits for it): they are cancelled too, and the test
ends in CancelledError (B1). Cancelling only the test's task (`current_task().cancel()`) passes
under both (A2, B2). Found on python-engineio: `test_signal_handler` calls a SIGINT handler
that cancels every task but its own.
Run: python docs/evidence/loop_wide_cancel.py  (output: loop_wide_cancel.out)
"""
import plugins

BODY = '''

def shutdown():
    """Cancel every task of the loop but the caller's, as a SIGINT handler does."""
    for task in asyncio.all_tasks():
        if task is not asyncio.current_task():
            task.cancel()


async def loop_wide():
    asyncio.get_running_loop().call_soon(shutdown)
    with pytest.raises(asyncio.CancelledError):
        await asyncio.sleep(0.01)


async def own_task():
    asyncio.current_task().cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.sleep(0)
'''


NAMES = ("loop_wide", "own_task")
PYTEST_ASYNCIO = plugins.module("asyncio", BODY, NAMES, "asyncio")
ANYIO = plugins.module("asyncio", BODY, NAMES, "anyio", plugins.ANYIO_BACKEND)


if __name__ == "__main__":
    plugins.header()
    plugins.run("A", PYTEST_ASYNCIO, plugins.PYTEST_ASYNCIO_ARGS, numbered=True)
    plugins.run("B", ANYIO, plugins.ANYIO_ARGS, numbered=True)
