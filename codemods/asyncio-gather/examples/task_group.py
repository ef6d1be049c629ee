"""Results discarded, no handler around: the gather becomes a task group (spec D3)."""
import asyncio
import anyio


async def fetch(url, *, timeout=10, name="fetch"):
    await asyncio.sleep(0)


class Client:
    async def close(self, reason):
        await asyncio.sleep(0)


async def plain(client, url):
    await asyncio.gather(fetch(url), fetch(url, timeout=3), client.close("done"))


async def name_keyword(url):
    # start_soon(f, name=...) would take `name` as the task name: it goes through partial.
    await asyncio.gather(fetch(url, name="primary"), fetch())


async def spread_over_lines(client, urls):
    await asyncio.gather(
        fetch(urls[0]),  # the first one
        # the rest, in order
        fetch(
            urls[1],
            timeout=1,
        ),
        client.close("bye"),
    )  # all three at once


async def comprehension(urls):
    await asyncio.gather(*[fetch(u) for u in urls])


async def generator_with_condition(urls, skip):
    await asyncio.gather(*(fetch(u, timeout=2) for u in urls if u not in skip), fetch("last"))


async def nested_loops(hosts, paths):
    await asyncio.gather(*[fetch(h + p) for h in hosts for p in paths if p])


async def deep(lock, batches):
    async with lock:
        for batch in batches:
            if batch:
                await asyncio.gather(fetch(batch[0]), fetch(batch[-1]))


async def name_taken(tg, url):
    # `tg` is a parameter here: the task group gets a fresh name.
    await asyncio.gather(fetch(url), fetch(tg))


async def already_in_a_task_group(url):
    # Code another codemod (or an earlier pass) already rewrote: `tg` is taken, so `tg2`.
    async with anyio.create_task_group() as tg:
        tg.start_soon(fetch, url)
        await asyncio.gather(fetch(url), fetch("""a
multi-line string"""))


async def awaited_in_parentheses(url):
    await (  # both at once
        asyncio.gather(fetch(url), fetch(url, timeout=1))
    )


async def local_instance(url):
    # `client` is bound only to `Client()`, whose `close` is an `async def`: a coroutine.
    client = Client()
    await asyncio.gather(fetch(url), client.close("done"))
