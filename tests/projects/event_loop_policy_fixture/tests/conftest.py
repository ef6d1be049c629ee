"""The suite's loops come from an event loop policy, through pytest-asyncio's
`event_loop_policy` fixture."""
import asyncio

import pytest


class CountingLoop(asyncio.SelectorEventLoop):
    made = 0

    def __init__(self):
        super().__init__()
        CountingLoop.made += 1


class CountingPolicy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self):
        return CountingLoop()


@pytest.fixture(scope="session")
def event_loop_policy():
    return CountingPolicy()
