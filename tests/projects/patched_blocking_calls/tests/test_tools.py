import time
from unittest import mock

import tools


async def test_version_without_a_compiler():
    with mock.patch("tools.subprocess.check_output", return_value=b"cc 1.0\nmore") as fake:
        assert await tools.compiler_version() == "cc 1.0"
    fake.assert_called_once_with(["cc", "--version"])


async def test_settle_without_waiting(monkeypatch):
    asked = []
    monkeypatch.setattr(time, "sleep", asked.append)
    started = time.monotonic()
    assert await tools.settle(30) == 30
    assert asked == [30]
    assert time.monotonic() - started < 5


async def test_python_says():
    assert await tools.python_says("hello") == "hello"
