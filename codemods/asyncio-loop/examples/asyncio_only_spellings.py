# Every spelling of an asyncio-only API is reported at the call; type checks and
# annotations that only name the classes are left alone (they work on any backend).
import asyncio
import asyncio.subprocess
from asyncio import open_connection as connect


async def main(cmd: str) -> asyncio.StreamReader:
    reader, writer = await connect("localhost", 80)  # MANUAL: open-connection
    proc = await asyncio.subprocess.create_subprocess_shell(cmd, stdout=asyncio.subprocess.PIPE)  # MANUAL: subprocess
    watcher = asyncio.ThreadedChildWatcher()  # MANUAL: child-watcher
    barrier = asyncio.Barrier(2)  # MANUAL: barrier
    fut = asyncio.run_coroutine_threadsafe(main(cmd), loop=None)  # MANUAL: run-coroutine-threadsafe
    if isinstance(reader, asyncio.StreamReader):
        return reader
    return asyncio.StreamReader()  # MANUAL: stream-class
