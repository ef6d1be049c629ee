# Every spelling of an asyncio-only API is reported at the call; type checks and
# annotations that only name the classes are left alone (they work on any backend).
import asyncio
import asyncio.subprocess
from asyncio import open_connection as connect


async def main(cmd: str) -> asyncio.StreamReader:
    reader, writer = await connect("localhost", 80)
    proc = await asyncio.subprocess.create_subprocess_shell(cmd, stdout=asyncio.subprocess.PIPE)
    watcher = asyncio.ThreadedChildWatcher()
    barrier = asyncio.Barrier(2)
    fut = asyncio.run_coroutine_threadsafe(main(cmd), loop=None)
    if isinstance(reader, asyncio.StreamReader):
        return reader
    return asyncio.StreamReader()
