"""Star imports of other modules (even ones whose names start with asyncio) are not reported."""
import asyncio
from trio import *
from asyncio_extras import *
from .asyncio import *


async def tick():
    await asyncio.sleep(0)
