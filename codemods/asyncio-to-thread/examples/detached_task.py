"""A thread call inside a coroutine this file starts as an asyncio task is MANUAL (aioconsole's
stream writer): that task is outside anyio's task tree, anyio stops its (non-daemon) worker
thread only when the task finishes while the loop still runs, so an application that stops
its loop first (`run_forever()` + `stop()`) hangs at exit. The evidence is
docs/evidence/to_thread_detached_task.py (B1)."""
import asyncio
import sys
from collections import deque


async def _writer_task(buffer, stream):
    loop = asyncio.get_event_loop()
    while buffer:
        data = buffer.popleft()
        await loop.run_in_executor(None, stream.write, data)
    if hasattr(stream, "flush"):
        await loop.run_in_executor(None, stream.flush)


class NonFileStreamWriter:
    def __init__(self, stream):
        self.stream = stream
        self.buffer = deque()
        self.task = None

    def write(self, data):
        self.buffer.append(data)
        self.task = asyncio.ensure_future(_writer_task(self.buffer, self.stream))

    async def _pump(self):
        await asyncio.to_thread(self.stream.flush)

    def pump(self, loop):
        loop.create_task(self._pump())


async def awaited_directly():
    # Not started as a task anywhere: rewritten.
    await asyncio.to_thread(sys.stdout.flush)
