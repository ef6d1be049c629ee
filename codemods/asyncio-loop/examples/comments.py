"""Comments inside and around rewritten code survive."""
import asyncio


async def timed(f):
    # The loop is only used for its clock.
    loop = asyncio.get_running_loop()  # the running loop
    start = loop.time()  # start of the call
    await f()
    took = (
        loop.time()  # end
        - start
    )
    return took, asyncio.get_running_loop().time(
        # a comment inside the call: kept, so this call stays and is reported
    )


async def only_statement():
    if True:
        loop = asyncio.get_running_loop()
