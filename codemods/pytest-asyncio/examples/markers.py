"""Markers on functions, methods and classes, with and without arguments."""
import pytest

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]


@pytest.mark.asyncio
async def test_plain():
    pass


@pytest.mark.asyncio()
async def test_empty_call():
    pass


@pytest.mark.asyncio(loop_scope="module")
async def test_module_loop():
    pass


@pytest.mark.asyncio(scope="session")
async def test_old_scope_keyword():
    pass


@pytest.mark.asyncio(loop_scope="function")
async def test_function_loop():
    pass


@pytest.mark.asyncio(
    loop_scope="class",  # shares the loop with the other methods
)
async def test_commented_arguments():
    pass


@pytest.mark.asyncio
class TestThing:
    async def test_method(self):
        pass

    @pytest.mark.asyncio  # redundant, but harmless
    async def test_marked_method(self):
        pass


@pytest.mark.parametrize(
    "x",
    [pytest.param(1, marks=pytest.mark.asyncio), 2],
)
async def test_param_marks(x):
    pass
