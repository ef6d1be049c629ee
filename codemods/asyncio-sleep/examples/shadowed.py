"""A parameter named like the from-import shadows it; asyncio.sleep passed as a value."""
import asyncio
from asyncio import sleep


async def uses_parameter(sleep):
    await sleep(0)
    print("called the parameter")


async def main():
    await sleep(0)
    print("from-import rewritten; the parameter shadows it in uses_parameter")
    await uses_parameter(asyncio.sleep)
