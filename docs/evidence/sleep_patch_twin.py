"""A test that replaces `asyncio.sleep` (pytest-mock's `mocker.patch("asyncio.sleep")`,
`monkeypatch.setattr(asyncio, "sleep", fake)`, `with patch("asyncio.sleep") as s:`,
`@patch("asyncio.sleep")`) to make
retries instant. The code under test, migrated, calls `anyio.sleep`, which that patch does not
reach: the retries sleep for real and the mock sees nothing (B1, tests 1, 2, 5 and 6). A twin of
the patch that puts the same replacement on `anyio.sleep` as well reaches the migrated calls,
and still the calls left on `asyncio.sleep` (a library the run does not migrate), with the same
counts as before (A1 = B2, on both backends). Two limits the tool's rules follow: a call through
a name imported from asyncio (`from asyncio import sleep`) never saw the patch, and migrated it
would reach the twin (test 3: passes in A1, fails in B2; the tool leaves that call as it is);
code that called `anyio.sleep` already is replaced by the twin too (test 4 in B2: the rewrite's
note says so). Found on a Kubernetes operator framework, a
telnet library and a rate limiter outside the corpus, whose every `asyncio.sleep` the patch
guard had to leave.
Needs pytest-mock besides the pinned venv (`PYTHONPATH` to it).
Run: python docs/evidence/sleep_patch_twin.py  (output: sleep_patch_twin.out)
"""
import importlib.metadata
import os
import subprocess
import sys
import tempfile

LIB_ASYNCIO = '''
import asyncio
from asyncio import sleep as plain_sleep


async def retry(op, delays):
    for d in delays:
        try:
            return await op()
        except OSError:
            await asyncio.sleep(d)
    return await op()


async def settle():
    await plain_sleep(0.3)
'''

LIB_ANYIO = '''
import anyio


async def retry(op, delays):
    for d in delays:
        try:
            return await op()
        except OSError:
            await anyio.sleep(max(0, d))
    return await op()


async def settle():
    await anyio.sleep(0.3)
'''

# A library the run does not migrate, and one built on anyio already.
THIRD_PARTY = '''
import asyncio
import anyio


async def backoff():
    await asyncio.sleep(1)


async def anyio_pause():
    await anyio.sleep(0.3)
'''

TEST = '''
import asyncio
import time
from unittest.mock import patch

import anyio
import pytest

import lib
import thirdparty


@pytest.fixture(params=BACKENDS)
def anyio_backend(request):
    return request.param


async def retried():
    fails = [OSError(), OSError()]

    async def op():
        if fails:
            raise fails.pop()
        return "ok"

    t0 = time.monotonic()
    assert await lib.retry(op, [1, 2]) == "ok"
    await thirdparty.backoff()
    return time.monotonic() - t0


@pytest.mark.anyio
async def test_1_mocker(mocker):
    s = MOCKER
    elapsed = await retried()
    assert [c.args[0] for c in s.await_args_list] == [1, 2, 1], s.await_args_list
    assert elapsed < 0.5, elapsed


@pytest.mark.anyio
async def test_2_monkeypatch(monkeypatch):
    slept = []

    async def fake(d):
        slept.append(d)

    MONKEYPATCH
    elapsed = await retried()
    assert slept == [1, 2, 1], slept
    assert elapsed < 0.5, elapsed


@pytest.mark.anyio
async def test_3_from_import_sleeps_for_real(mocker):
    s = MOCKER
    t0 = time.monotonic()
    await lib.settle()
    assert time.monotonic() - t0 >= 0.3, "mocked"


@pytest.mark.anyio
async def test_4_anyio_library_sleeps_for_real(mocker):
    s = MOCKER
    t0 = time.monotonic()
    await thirdparty.anyio_pause()
    assert time.monotonic() - t0 >= 0.3, "mocked"


def _asyncio_sleep_now(*args, **kwargs):
    return getattr(__import__("asyncio"), "sleep")(*args, **kwargs)


@pytest.mark.anyio
DECORATOR
async def test_6_decorator(s):
    elapsed = await retried()
    assert [c.args[0] for c in s.await_args_list] == [1, 2, 1], s.await_args_list
    assert elapsed < 0.5, elapsed


@pytest.mark.anyio
async def test_5_with_patch():
    with WITH:
        elapsed = await retried()
        assert [c.args[0] for c in s.await_args_list] == [1, 2, 1], s.await_args_list
    assert elapsed < 0.5, elapsed
'''

ORIGINAL = {
    "MOCKER": 'mocker.patch("asyncio.sleep")',
    "MONKEYPATCH": 'monkeypatch.setattr(asyncio, "sleep", fake)',
    "WITH": 'patch("asyncio.sleep") as s',
    "DECORATOR": '@patch("asyncio.sleep")',
}
TWIN = {
    "MOCKER": 'mocker.patch("anyio.sleep", new=mocker.patch("asyncio.sleep"))',
    "MONKEYPATCH": 'monkeypatch.setattr(asyncio, "sleep", fake)\n'
    '    monkeypatch.setattr("anyio.sleep", fake)',
    "WITH": 'patch("asyncio.sleep") as s, patch("anyio.sleep", s)',
    # A decorator's mock is made when the test runs: the twin calls whatever asyncio.sleep is.
    "DECORATOR": '@patch("asyncio.sleep")\n@patch("anyio.sleep", new=_asyncio_sleep_now)',
}


def run(label, lib, patches, backends):
    test = TEST.replace("BACKENDS", repr(backends))
    for key, text in patches.items():
        test = test.replace(key, text)
    with tempfile.TemporaryDirectory() as d:
        for name, text in [("lib.py", lib), ("thirdparty.py", THIRD_PARTY), ("test_it.py", test)]:
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider",
             "-p", "no:asyncio", "test_it.py"],
            cwd=d, capture_output=True, text=True)
    lines = [l for l in proc.stdout.splitlines() if l.startswith(("PASSED", "FAILED", "ERROR"))]
    for line in sorted(lines, key=lambda l: l.split("::")[1]):
        outcome, _, rest = line.partition(" ")
        name, _, why = rest.partition(" - ")
        print(f"{label} {outcome} {name.replace('test_it.py::', '')}"
              + (f" - {why[:70]}" if why else ""))


def main():
    print(f"F0 python {sys.version.split()[0]}, pytest {importlib.metadata.version('pytest')}, "
          f"pytest-mock {importlib.metadata.version('pytest-mock')}, "
          f"anyio {importlib.metadata.version('anyio')}, trio {importlib.metadata.version('trio')}")
    run("A1", LIB_ASYNCIO, ORIGINAL, ["asyncio"])
    run("B1", LIB_ANYIO, ORIGINAL, ["asyncio"])
    run("B2", LIB_ANYIO, TWIN, ["asyncio", "trio"])


main()
