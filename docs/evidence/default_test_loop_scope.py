"""pytest-asyncio's `asyncio_default_test_loop_scope = module` (an ini option: every test of a
module runs in one event loop), which the migration deletes with the rest of the `asyncio_*`
options. Under pytest-asyncio a loop-bound object one test leaves (a Future the loop resolves
later) is there for the next test (A1, A2). anyio's plugin has no loop scope: each test gets
its own loop, the first one closes at its test's end, and the next test awaits a Future of a
closed loop (B2). A module-scoped async fixture that the tests request keeps anyio's runner,
and so one loop, for the whole module (C1, C2): the replacement the tool's note gives.
Without the option, pytest-asyncio fails the same way (D2): the option is what the tests need.
Run: python docs/evidence/default_test_loop_scope.py  (output: default_test_loop_scope.out)
"""
import plugins

BODY = '''
STATE = {}


async def make():
    loop = asyncio.get_running_loop()
    STATE["future"] = loop.create_future()
    loop.call_later(0.01, STATE["future"].set_result, "resolved by the loop")


async def use():
    assert await STATE["future"] == "resolved by the loop"
'''

NAMES = ("make", "use")
SHARED_LOOP = '''

@pytest.fixture(scope="module")
def anyio_backend():
    return "asyncio"


@pytest.fixture(scope="module", autouse=True)
async def _module_loop(anyio_backend):
    yield
'''
PYTEST_ASYNCIO = plugins.module("asyncio", BODY, NAMES, "asyncio")
ANYIO = plugins.module("asyncio", BODY, NAMES, "anyio", plugins.ANYIO_BACKEND)
ANYIO_SHARED = plugins.module("asyncio", BODY, NAMES, "anyio", SHARED_LOOP)


if __name__ == "__main__":
    plugins.header()
    module_scope = ["-o", "asyncio_default_test_loop_scope=module"]
    plugins.run("A", PYTEST_ASYNCIO, plugins.PYTEST_ASYNCIO_ARGS + module_scope, numbered=True)
    plugins.run("B", ANYIO, plugins.ANYIO_ARGS, numbered=True)
    plugins.run("C", ANYIO_SHARED, plugins.ANYIO_ARGS, numbered=True)
    plugins.run("D", PYTEST_ASYNCIO, plugins.PYTEST_ASYNCIO_ARGS, numbered=True)
