"""as_completed uses that cannot be rewritten: each one is reported, nothing changes."""
import asyncio
import contextlib


async def fetch(n):
    await asyncio.sleep(0.01 * n)
    return n


async def with_timeout():
    for fut in asyncio.as_completed([fetch(1), fetch(2)], timeout=5):
        print(await fut)


async def from_a_name(coros):
    # possibly empty: anyio.as_completed() raises ValueError with no awaitables
    for fut in asyncio.as_completed(coros):
        print(await fut)


async def from_a_comprehension(ns):
    for fut in asyncio.as_completed([fetch(n) for n in ns]):
        print(await fut)


async def from_an_empty_list():
    for fut in asyncio.as_completed([]):
        print(await fut)


async def with_a_splat(more):
    for fut in asyncio.as_completed([fetch(1), *more]):
        print(await fut)


async def per_item_handling():
    for fut in asyncio.as_completed([fetch(1), fetch(2)]):
        try:
            print(await fut)
        except ValueError as exc:
            print("failed:", exc)


async def per_item_suppress():
    for fut in asyncio.as_completed([fetch(1), fetch(2)]):
        with contextlib.suppress(ValueError):
            print(await fut)


async def of_tasks(loop):
    for fut in asyncio.as_completed([loop.create_task(fetch(1)), fetch(2)]):
        print(await fut)


async def of_futures():
    for fut in asyncio.as_completed([asyncio.Future(), fetch(2)]):
        print(await fut)


async def of_names(a, b):
    for fut in asyncio.as_completed([a, b]):
        print(await fut)


async def variable_used_otherwise(pending):
    for fut in asyncio.as_completed([fetch(1), fetch(2)]):
        pending.append(fut)


async def awaited_twice():
    for fut in asyncio.as_completed([fetch(1), fetch(2)]):
        print(await fut, await fut)


async def awaited_in_a_closure():
    for fut in asyncio.as_completed([fetch(1), fetch(2)]):
        async def show():
            print(await fut)
        await show()


async def tuple_target():
    for fut, in asyncio.as_completed([fetch(1)]):
        print(await fut)


async def body_on_the_header_line():
    for fut in asyncio.as_completed([fetch(1)]): print(await fut)


async def generator():
    for fut in asyncio.as_completed([fetch(1), fetch(2)]):
        yield await fut


def not_a_loop():
    return list(asyncio.as_completed([fetch(1), fetch(2)]))


async def read_after_the_loop(a, b):
    # After the loop `fut` held the last awaitable; it would hold a task handle: reported.
    for fut in asyncio.as_completed([a(), b()]):
        print(await fut)
    return fut
