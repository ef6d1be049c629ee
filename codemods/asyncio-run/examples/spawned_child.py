"""A module whose processes start with the "spawn" method: a child starts afresh, with none of
the parent's context, so its run is rewritten like any other."""
import asyncio
import multiprocessing


async def work():
    return 42


def child(queue):
    queue.put(asyncio.run(work()))  # rewrite


def start(queue):
    context = multiprocessing.get_context("spawn")
    process = context.Process(target=child, args=(queue,))
    process.start()
    return process
