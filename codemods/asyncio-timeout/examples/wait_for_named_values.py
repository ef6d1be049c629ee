"""asyncio.wait_for of a name. Rewritten: a coroutine method of the running loop bound to a
name first (a "future" in name only: `loop.create_connection()` is an `async def` of every
asyncio loop, so the call makes a coroutine object, never a Task or Future; asyncio-loop
reports the loop method itself). MANUAL wait-for-task: a name that may hold a Task or Future,
or one used again or bound twice (`wait_for_named_coroutine.py` runs the rewritten forms)."""
import asyncio


async def fetch(n):
    await asyncio.sleep(0.01)
    return n * 2


class Proto(asyncio.Protocol):
    pass


async def connect(host, port):
    loop = asyncio.get_running_loop()
    connect_future = loop.create_connection(Proto, host=host, port=port)
    transport, protocol = await asyncio.wait_for(connect_future, timeout=1.0)  # rewritten
    return transport, protocol


async def resolve(host):
    infos = asyncio.get_running_loop().getaddrinfo(host, 80)
    return await asyncio.wait_for(infos, 2)  # rewritten


async def not_the_running_loop(loop, host):
    infos = loop.getaddrinfo(host, 80)
    return await asyncio.wait_for(infos, 2)  # MANUAL: a loop passed in, of unknown kind


async def executor(fn):
    loop = asyncio.get_running_loop()
    fut = loop.run_in_executor(None, fn)
    return await asyncio.wait_for(fut, 2)  # MANUAL: run_in_executor makes a Future


async def a_task():
    task = asyncio.create_task(fetch(4))
    return await asyncio.wait_for(task, 1)  # MANUAL: a Task


async def used_again():
    coro = fetch(5)
    print("made", type(coro).__name__)
    return await asyncio.wait_for(coro, 1)  # MANUAL: the name is used again


async def bound_twice(flag):
    coro = fetch(6)
    if flag:
        coro = fetch(7)
    return await asyncio.wait_for(coro, 1)  # MANUAL: bound twice
