"""Every asyncio.run form of spec §7 (not runnable: `serve` stands for the program's entry point)."""
import asyncio
import asyncio as aio
from asyncio import run


async def serve(host="localhost", port=8000, *, workers=1):
    return (host, port, workers)


class Server:
    async def start(self):
        return "started"


def no_arguments():
    asyncio.run(serve())


def positional(host):
    return asyncio.run(serve(host, 8080))


def keywords(host, options):
    asyncio.run(serve(host, workers=4))
    asyncio.run(serve(**options))


def starred(args):
    asyncio.run(serve(*args))


def loop_options(factory):
    asyncio.run(serve(), debug=True)
    asyncio.run(serve("0.0.0.0"), loop_factory=factory, debug=False)


def method(server):
    aio.run(server.start())  # aliased module
    run(Server().start())  # from-imported name


def comments_survive():
    result = asyncio.run(
        serve(
            "example.org",  # the host
            443,  # the port
        ),
        debug=True,  # loop option
    )
    return result
