"""TaskGroup imported from asyncio or its backport, whichever the running Python has: the
imports and each use are reported (MANUAL), none rewritten."""
try:
    from asyncio import TaskGroup as AsyncioTaskGroup
except ImportError:
    from taskgroup import TaskGroup as AsyncioTaskGroup  # type: ignore


class Group:
    def __init__(self):
        self._task_group = AsyncioTaskGroup()


async def run(app):
    async with AsyncioTaskGroup() as tg:
        tg.create_task(app())
