"""run_until_complete that cannot be rewritten faithfully: reported, never changed."""
import asyncio

import uvloop


async def serve():
    return "served"


async def warm_up():
    return "warm"


MODULE_LOOP = asyncio.new_event_loop()


def module_loop():
    # The loop is a module-level name: other code may use it too.
    return MODULE_LOOP.run_until_complete(serve())


def parameter(loop):
    return loop.run_until_complete(serve())


class Service:
    def __init__(self):
        self.loop = asyncio.new_event_loop()

    def run(self):
        return self.loop.run_until_complete(serve())


def code_between_runs():
    # One anyio.run of both steps would run the print inside the loop.
    loop = asyncio.new_event_loop()
    loop.run_until_complete(warm_up())
    print("warmed up")
    loop.run_until_complete(serve())
    loop.close()


def value_between_runs():
    # An earlier run's value is kept: one anyio.run returns only the last step's.
    loop = asyncio.new_event_loop()
    warm = loop.run_until_complete(warm_up())
    loop.run_until_complete(serve())
    loop.close()
    return warm


def runs_on_one_line():
    loop = asyncio.new_event_loop()
    loop.run_until_complete(warm_up()); loop.run_until_complete(serve())
    loop.close()


def loop_passed_to_a_step():
    loop = asyncio.new_event_loop()
    loop.run_until_complete(warm_up())
    loop.run_until_complete(asyncio.wait_for(serve(), 1))
    loop.close()


def loop_used_for_more():
    loop = asyncio.new_event_loop()
    loop.set_debug(True)
    task = loop.create_task(warm_up())
    loop.run_until_complete(serve())
    loop.run_until_complete(task)
    loop.close()


def other_loop_library():
    loop = uvloop.new_event_loop()
    loop.run_until_complete(serve())


def coroutine_object():
    loop = asyncio.new_event_loop()
    coro = serve()
    loop.run_until_complete(coro)
    loop.close()


def set_up_only_in_a_branch(debug):
    loop = asyncio.new_event_loop()
    if debug:
        asyncio.set_event_loop(loop)
    loop.run_until_complete(serve())


loop = asyncio.get_event_loop()
loop.run_until_complete(serve())


def reused_by_a_loop(jobs):
    loop = asyncio.new_event_loop()
    for _ in jobs:
        loop.run_until_complete(serve())  # one loop for every iteration
    loop.close()


def closed_before_running():
    loop = asyncio.new_event_loop()
    loop.close()
    loop.run_until_complete(serve())  # RuntimeError: the loop is closed
