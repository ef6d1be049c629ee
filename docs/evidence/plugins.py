"""The harness the pytest-plugin comparisons share (loop_exception_handler.py,
loop_wide_cancel.py, suspended_async_generator.py): one test module per plugin, the same scenarios under
`@pytest.mark.asyncio` (pytest-asyncio) and `@pytest.mark.anyio` (anyio's plugin, asyncio
backend), each run by pytest in a temporary folder."""
import importlib.metadata
import os
import subprocess
import sys
import tempfile

ANYIO_BACKEND = """

@pytest.fixture
def anyio_backend():
    return "asyncio"
"""

PYTEST_ASYNCIO_ARGS = ["-p", "asyncio", "-p", "no:anyio"]
ANYIO_ARGS = ["-p", "no:asyncio"]


def module(imports, body, names, marker, fixtures=""):
    """A test module running each scenario `name()` of `body` as `test_<name>`."""
    tests = "".join(f"""

@pytest.mark.{marker}
async def test_{name}():
    await {name}()
""" for name in names)
    return f"import {imports}\nimport pytest\n" + body + fixtures + tests


def header():
    print(f"F0 python {sys.version.split()[0]}, pytest {importlib.metadata.version('pytest')}, "
          f"pytest-asyncio {importlib.metadata.version('pytest-asyncio')}, "
          f"anyio {importlib.metadata.version('anyio')}")


def run(label, source, plugin_args, numbered=False):
    """Print each test's outcome under `label`; `numbered`: in test-name order, labelled
    `<letter><n>`."""
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "test_it.py"), "w") as f:
            f.write(source)
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider",
             "-W", "ignore::DeprecationWarning", *plugin_args, "test_it.py"],
            cwd=d, capture_output=True, text=True)
    results = [l for l in proc.stdout.splitlines() if l.startswith(("PASSED", "FAILED"))]
    if numbered:
        results.sort(key=lambda l: l.split("::")[1])
    for n, line in enumerate(results):
        tag = f"{label[0]}{n + 1}" if numbered else label
        print(f"{tag} {line.split(' - ')[0].replace('test_it.py::', '')}"
              + (f" - {line.split(' - ', 1)[1][:60]}" if " - " in line else ""))
