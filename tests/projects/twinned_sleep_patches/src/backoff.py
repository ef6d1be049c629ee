"""Library code that waits between attempts and beats: its tests make the waits instant."""
import asyncio


async def retry(op, delays):
    for delay in delays:
        try:
            return await op()
        except OSError:
            await asyncio.sleep(delay)
    return await op()


async def heartbeat(beats, every):
    sent = []
    for n in range(beats):
        sent.append(n)
        await asyncio.sleep(every)
    return sent
