# pytest-asyncio's loop-factory hook, in the shapes that stay MANUAL: several factories (each
# test ran once per factory), or a hook that chooses by the test item.
import asyncio

import uvloop


def pytest_asyncio_loop_factories(config, item):
    if "slow" in item.keywords:
        return {"default": asyncio.new_event_loop}
    return {"default": asyncio.new_event_loop, "uvloop": uvloop.new_event_loop}
