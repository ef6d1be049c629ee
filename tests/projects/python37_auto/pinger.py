import asyncio


async def ping(times):
    pongs = []
    for _ in range(times):
        await asyncio.sleep(0)
        pongs.append("pong")
    return pongs
