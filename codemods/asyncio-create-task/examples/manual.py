"""Tasks that outlive the function or cannot be followed are reported, never rewritten: a local
task group would make the function wait for them."""
import asyncio
import contextlib

_background_tasks = set()


async def job(n=0):
    await asyncio.sleep(0)
    return n


async def fire_and_forget():
    asyncio.create_task(job())


async def background_set():
    task = asyncio.create_task(job())
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)


class Service:
    async def start(self):
        self._task = asyncio.create_task(job())

    async def stop(self):
        self._task.cancel()


async def returned():
    return asyncio.create_task(job())


async def returned_by_name():
    t = asyncio.create_task(job())
    await asyncio.sleep(0)
    return t


async def never_used():
    t = asyncio.create_task(job())
    print("started")


async def only_polled():
    t = asyncio.create_task(job())
    while not t.done():
        await asyncio.sleep(0.01)
    return t.result()


async def done_callback():
    t = asyncio.create_task(job())
    t.add_done_callback(print)
    await t


def from_sync_code():
    return asyncio.ensure_future(job())


async def ensure_future_of_a_future(fut):
    t = asyncio.ensure_future(fut)
    await t


async def ensure_future_of_unknown(make):
    t = asyncio.ensure_future(make())
    await t


async def comprehension_returned():
    # The list leaves the function: its tasks may outlive it.
    tasks = [asyncio.create_task(job(n)) for n in range(3)]
    for t in tasks:
        await t
    return tasks


async def passed_to_helper(helper):
    t = asyncio.create_task(job())
    await helper(t)


async def used_after_the_block(flag):
    if flag:
        t = asyncio.create_task(job())
    else:
        t = asyncio.create_task(job(1))
    return await t


async def annotated():
    t: asyncio.Task = asyncio.create_task(job())
    await t


async def closure():
    t = asyncio.create_task(job())

    async def wait_for_it():
        return await t

    return await wait_for_it()


async def loop_carried():
    t = None
    for n in range(3):
        if t is not None:
            print(await t)
        t = asyncio.create_task(job(n))


async def extra_arguments(coro, **kw):
    t = asyncio.create_task(coro, **kw)
    await t


async def gathered():
    # Named tasks gathered at once, in order: they become the gather's coroutines (SAFE).
    t1 = asyncio.create_task(job(1))
    t2 = asyncio.create_task(job(2))
    await asyncio.gather(t1, t2)


async def generator_fixture():
    # A task group must not stay open across the yield of an async generator.
    task = asyncio.create_task(job())
    yield
    task.cancel()


@contextlib.asynccontextmanager
async def lifespan():
    # ...but an @asynccontextmanager may keep one open: migrated.
    task = asyncio.create_task(job())
    yield
    task.cancel()


async def with_context(context):
    # aiotools' tests read ContextVars back from `context` afterwards: anyio's create_task runs
    # the task in a copy of it (docs/evidence/create_task_context.py).
    await asyncio.create_task(job(), context=context)
