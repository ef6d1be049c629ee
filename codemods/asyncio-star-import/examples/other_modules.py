"""Star imports of other modules (even ones whose names start with asyncio): each may rebind
`asyncio`, so the module's asyncio code stays as it is, reported at each of them."""
import asyncio
from trio import *
from asyncio_extras import *
from .asyncio import *


async def tick():
    await asyncio.sleep(0)
