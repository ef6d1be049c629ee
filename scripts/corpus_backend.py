"""pytest plugin for scripts/corpus-check: keep only the tests of one anyio backend.

Loaded with `-p corpus_backend` (this folder on PYTHONPATH); does nothing unless
CORPUS_BACKEND is set to `asyncio` or `trio`. After collection (after anyio's own plugin has
expanded its items) each test is put in one of three classes:

- `param`: the `anyio_backend` fixture is parametrised for it (the root conftest.py written by
  `anyio-migrate --backends asyncio,trio`, or the project's own parametrised fixture); kept
  when its backend is CORPUS_BACKEND, whatever the other parameters and the test id.
- `fixed`: it uses an `anyio_backend` fixture that is not parametrised (a project's own fixture
  returning one backend): it cannot be switched, so it runs in the asyncio run only.
- `plain`: it does not use anyio at all (sync tests, tests still on another plugin): it does not
  depend on the backend, so it runs in the asyncio run only, where it is compared with the
  baseline like every other test.

With CORPUS_BACKEND_REPORT set, the counts of each class kept and the number deselected are
written there as JSON.
"""
import json
import os

import pytest


def _backend_of(item):
    callspec = getattr(item, "callspec", None)
    if callspec is None or "anyio_backend" not in callspec.params:
        return None
    value = callspec.params["anyio_backend"]
    if isinstance(value, (tuple, list)) and value:
        value = value[0]
    return str(value)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    wanted = os.environ.get("CORPUS_BACKEND")
    if not wanted:
        return
    kept, deselected = [], []
    counts = {"param": 0, "fixed": 0, "plain": 0}
    for item in session.items:
        backend = _backend_of(item)
        if backend is not None:
            cls, keep = "param", backend == wanted
        elif "anyio_backend" in getattr(item, "fixturenames", ()):
            cls, keep = "fixed", wanted == "asyncio"
        else:
            cls, keep = "plain", wanted == "asyncio"
        if keep:
            kept.append(item)
            counts[cls] += 1
        else:
            deselected.append(item)
    if deselected:
        session.config.hook.pytest_deselected(items=deselected)
        session.items[:] = kept
    path = os.environ.get("CORPUS_BACKEND_REPORT")
    if path:
        with open(path, "w") as f:
            json.dump({"backend": wanted, "kept": counts, "deselected": len(deselected)}, f)
