"""anyio's pytest plugin fails a test when an exception reaches the asyncio loop's exception
handler while the test runs (a task's exception never retrieved, `loop.call_exception_handler`);
pytest-asyncio only logged it, and the test passed. The asyncio code under test is the same on
both sides: only the plugin that runs the test changes. Found on aiotools: its timer and
`as_completed_safe` tests let child tasks fail unretrieved, and on anyio's asyncio backend they
fail with "Multiple exceptions occurred in asynchronous callbacks".
Run: python docs/evidence/loop_exception_handler.py  (output: loop_exception_handler.out)
"""
import importlib.metadata
import os
import subprocess
import sys
import tempfile

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

def module(marker, fixtures=""):
    """A test module running both scenarios under `@pytest.mark.<marker>`."""
    tests = "".join(f"""

@pytest.mark.{marker}
async def test_{name}():
    await {name}()
""" for name in ("unretrieved", "handler_called"))
    return "import asyncio, gc\nimport pytest\n" + BODY + fixtures + tests


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
    for line in proc.stdout.splitlines():
        if line.startswith(("PASSED", "FAILED")):
            print(f"{label} {line.split(' - ')[0].replace('test_it.py::', '')}"
                  + (f" - {line.split(' - ', 1)[1][:60]}" if " - " in line else ""))


if __name__ == "__main__":
    print(f"F0 python {sys.version.split()[0]}, pytest {importlib.metadata.version('pytest')}, "
          f"pytest-asyncio {importlib.metadata.version('pytest-asyncio')}, "
          f"anyio {importlib.metadata.version('anyio')}")
    run("A1", PYTEST_ASYNCIO, ["-p", "asyncio", "-p", "no:anyio"])
    run("B1", ANYIO, ["-p", "no:asyncio"])
