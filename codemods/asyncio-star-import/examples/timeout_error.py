"""A bare TimeoutError next to a star import: on 3.10 it is asyncio's, not the builtin."""
from asyncio import *


async def fetch(coro):
    try:
        return await wait_for(coro, 1)
    except TimeoutError:
        return None
