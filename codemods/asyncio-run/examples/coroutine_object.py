"""asyncio.run of something that is not a call of the async function: reported (spec §7 B8,
`anyio.run(coro)` raises TypeError: 'coroutine' object is not callable)."""
import asyncio


async def serve():
    return "served"


async def other():
    return "other"


def held_in_variable():
    coro = serve()
    return asyncio.run(coro)


def conditional(flag):
    return asyncio.run(serve() if flag else other())


def asyncio_api():
    asyncio.run(asyncio.wait_for(serve(), timeout=5))
    asyncio.run(asyncio.gather(serve(), other()))


def unknown_arguments(args, options):
    asyncio.run(*args)
    asyncio.run(serve(), **options)
    asyncio.run(main=serve())
