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
import importlib.metadata
import os
import subprocess
import sys
import tempfile

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


def module(marker, fixtures=""):
    """A test module running both scenarios under `@pytest.mark.<marker>`."""
    tests = "".join(f"""

@pytest.mark.{marker}
async def test_{name}():
    await {name}()
""" for name in ("loop_wide", "own_task"))
    return "import asyncio\nimport pytest\n" + BODY + fixtures + tests


PYTEST_ASYNCIO = module("asyncio")
ANYIO = module("anyio", """

@pytest.fixture
def anyio_backend():
    return "asyncio"
""")


def run(label, source, plugin_args):
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "test_it.py"), "w") as f:
            f.write(source)
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider",
             "-W", "ignore::DeprecationWarning", *plugin_args, "test_it.py"],
            cwd=d, capture_output=True, text=True)
    results = [l for l in proc.stdout.splitlines() if l.startswith(("PASSED", "FAILED"))]
    # In the order of the docstring: test_loop_wide (1), then test_own_task (2).
    results.sort(key=lambda l: l.split("::")[1])
    for n, line in enumerate(results):
        print(f"{label[0]}{n + 1} {line.split(' - ')[0].replace('test_it.py::', '')}"
              + (f" - {line.split(' - ', 1)[1][:60]}" if " - " in line else ""))


if __name__ == "__main__":
    print(f"F0 python {sys.version.split()[0]}, pytest {importlib.metadata.version('pytest')}, "
          f"pytest-asyncio {importlib.metadata.version('pytest-asyncio')}, "
          f"anyio {importlib.metadata.version('anyio')}")
    run("A", PYTEST_ASYNCIO, ["-p", "asyncio", "-p", "no:anyio"])
    run("B", ANYIO, ["-p", "no:asyncio"])
