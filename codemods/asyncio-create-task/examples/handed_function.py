"""A function handed to other code as an argument may be awaited under a handler there: its
task's failure, which `await t` hands on bare, may reach that handler, so the task stays
asyncio's (MANUAL caller-handler). Awaited where it is made, as here, counts as `await t`.
A function defined in a function is called by name only in the function that defines it, so
each `work` names its own hand-off (lines 21 and 29) as its witness."""
import asyncio

import pytest


async def fetch(key):
    if key == "bad":
        raise KeyError(key)
    return key


async def run_for(runner, key):
    async def work():
        return await asyncio.create_task(fetch(key))

    return await runner(work)


async def test_the_failure_reaches_the_test(runner):
    async def work():
        return await asyncio.create_task(fetch("bad"))

    with pytest.raises(KeyError):
        await runner.run(work)
