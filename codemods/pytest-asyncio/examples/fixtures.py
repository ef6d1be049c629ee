"""pytest_asyncio.fixture with every argument; `import pytest` is added."""
import asyncio

import pytest_asyncio


@pytest_asyncio.fixture
async def plain():
    return 1


@pytest_asyncio.fixture()
async def empty_call():
    return 1


@pytest_asyncio.fixture(loop_scope="module")
async def only_loop_scope():
    yield 1


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_scoped():
    yield asyncio.current_task()


@pytest_asyncio.fixture(
    scope="session",
    loop_scope="session",
    params=[1, 2],
    ids=["one", "two"],
)
async def parametrised(request):
    yield request.param


@pytest_asyncio.fixture(loop_scope="function", autouse=True, name="renamed")
async def _renamed():
    yield


def helper():
    return pytest_asyncio.fixture
