"""Nested functions and shadowing: the name `run` is resolved in each scope."""
import asyncio
from asyncio import run


async def serve(n=0):
    return n


def outer():
    def inner(value):
        return run(serve(value))

    def shadow(run):
        return run(serve(1))  # a parameter named `run`: not asyncio's

    loop = asyncio.new_event_loop()

    def uses_outer_loop():
        return loop.run_until_complete(serve(2))  # the loop belongs to `outer`

    return inner(3), shadow(print), uses_outer_loop()


def make_runner():
    def runner():
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(serve(4))
        finally:
            loop.close()

    return runner
