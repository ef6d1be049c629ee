"""wait_for of a wait for another task's signal: UNSAFE while the project supports Python <=
3.11 (no requires-python here: the default, 3.10). Python 3.11's wait_for resumed the caller an
event-loop iteration after the signal, when the signalling task had run on; the block resumes
it first (scripts/difftest/findings/wait_for_signal_then_task_end.py runs both)."""
import asyncio


async def consumer(done, log):
    done.set()
    raise NotImplementedError


async def waits_for_a_signal(log):
    done = asyncio.Event()
    task = asyncio.create_task(consumer(done, log))
    task.add_done_callback(lambda t: log.append("callback ran"))
    await asyncio.wait_for(done.wait(), 1)  # UNSAFE: the callback has not run yet
    return log


async def waits_for_an_item(queue, cond, lock):
    item = await asyncio.wait_for(queue.get(), 1)  # UNSAFE
    try:
        await asyncio.wait_for(cond.wait_for(lambda: item), 1)  # UNSAFE (move-on)
    except asyncio.TimeoutError:
        pass
    await asyncio.wait_for(lock.acquire(), 1)  # UNSAFE
    await asyncio.wait_for(queue.join(), 1)  # UNSAFE


async def fetch(client):
    # SAFE (edge): a call with arguments, not a primitive's wait.
    return await asyncio.wait_for(client.get("/path"), 1)


async def nested_and_imported(state):
    # UNSAFE: an object's Event, wherever it comes from; the outer wait_for of the nested pair
    # waits on asyncio's own function, not a signal: SAFE (edge) for both.
    await asyncio.wait_for(state.ready.wait(), 1)
    await asyncio.wait_for(asyncio.wait_for(fetch(state), 1), 2)
