"""The suite runs every async test once per event loop policy: a parametrised
`event_loop_policy` fixture (pytest-asyncio's), one parameter skipped when its
module is missing, and a fixture of the suite that asks which policy it got."""
import asyncio

import pytest


class TaggedLoop(asyncio.SelectorEventLoop):
    pass


class TaggedPolicy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self):
        return TaggedLoop()


def optional_policy_module():
    try:
        import a_policy_module_that_is_not_installed as module
    except ImportError:
        return None
    return module


@pytest.fixture(params=("default", "tagged", "optional"))
def event_loop_policy(request):
    if request.param == "default":
        return asyncio.DefaultEventLoopPolicy()
    if request.param == "optional":
        module = optional_policy_module()
        if module is None:
            pytest.skip("the optional policy's module is not installed")
        return module.EventLoopPolicy()
    return TaggedPolicy()


@pytest.fixture
def is_tagged(event_loop_policy):
    return isinstance(event_loop_policy, TaggedPolicy)
