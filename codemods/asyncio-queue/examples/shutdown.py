"""Queue.shutdown() (Python 3.13): closing a stream raises other exceptions."""
import asyncio


async def stop_early():
    q = asyncio.Queue()
    q.put_nowait(1)
    q.shutdown()
    try:
        await q.get()
        await q.get()
    except asyncio.QueueShutDown:
        return "shut down"
