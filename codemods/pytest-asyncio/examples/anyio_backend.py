import pytest


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture(params=["asyncio", "trio"])
def other_backend(request):
    return request.param
