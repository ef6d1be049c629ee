"""Nothing here is asyncio.run: no line may change, nothing is reported."""
import asyncio

import trio


async def serve():
    return "served"


class Runner:
    def run(self, coro):
        return coro

    def start(self):
        return self.run(serve())


def run(coro):
    return coro


def local_run():
    return run(serve())


def other_library():
    return trio.run(serve)


def shadowed(asyncio):
    return asyncio.run(serve())


def in_a_method():
    return Runner().run(serve())
