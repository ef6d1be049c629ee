from __future__ import annotations

import pytest as pt
import pytest_asyncio as pa
from pytest_asyncio import is_async_test


@pa.fixture(loop_scope="module", scope="module")
async def db():
    yield {}


def pytest_collection_modifyitems(items):
    for item in items:
        if is_async_test(item):
            item.add_marker(pt.mark.slow)
