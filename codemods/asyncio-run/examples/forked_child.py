"""A run in a plain function of a module that starts processes by forking stays asyncio's
(MANUAL): the function may run in a child forked while anyio.run runs in the parent, where
anyio.run raises RuntimeError "Already running asyncio in this thread" and asyncio.run starts
(`docs/evidence/anyio_run_in_forked_child.py`). The module-level run is the parent's and is
rewritten."""
import asyncio
import multiprocessing


async def work():
    return 42


def child(queue):
    queue.put(asyncio.run(work()))  # MANUAL: forked-child


def child_with_a_loop(queue):
    loop = asyncio.new_event_loop()
    try:
        queue.put(loop.run_until_complete(work()))  # MANUAL: forked-child
    finally:
        loop.close()


async def main():
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    for target in (child, child_with_a_loop):
        process = context.Process(target=target, args=(queue,))
        process.start()
        process.join()
        print("child returned:", queue.get())


if __name__ == "__main__":
    asyncio.run(main())  # rewrite
