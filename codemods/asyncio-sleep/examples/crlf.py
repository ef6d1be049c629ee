"""A CRLF file stays CRLF."""
import asyncio


async def main():
    await asyncio.sleep(0)
    x = await asyncio.sleep(0, "crlf")
    print(x)
