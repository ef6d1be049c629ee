"""time.sleep in an async def where no statement-level `await` can go: reported, unchanged."""
import time


async def worker(delays):
    value = time.sleep(0.01)  # its value (None) is used
    waits = (time.sleep(d) for d in delays)  # a generator expression runs lazily
    for _ in waits:
        pass
    time.sleep(*delays[:1])  # unpacked arguments
    return value


async def holding_a_thread_lock(lock):
    # Reported: under `await anyio.sleep` other tasks run while the lock is held, and one that
    # blocks on it stalls the loop.
    with lock:
        time.sleep(0.1)

