"""A CRLF file stays CRLF."""
import asyncio


async def main():
    sem = asyncio.Semaphore()
    async with sem:
        print("locked:", sem.locked())
    print("value:", sem._value)
