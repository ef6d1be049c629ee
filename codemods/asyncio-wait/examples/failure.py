"""spec §11 B3: a failing awaitable. asyncio raises the error at that item and lets the
others run on; anyio cancels the others and the block raises an ExceptionGroup. The group
holds the original ValueError and the TaskFailed that `fut.return_value` raised in the loop
body (the order of the two depends on the backend)."""
import asyncio


async def job(name, delay, log, fail=False):
    finished = False
    try:
        await asyncio.sleep(delay)
        finished = True
    finally:
        log.append(f"{name} {'finished' if finished else 'interrupted'}")
    if fail:
        raise ValueError(f"{name} failed")
    return name


async def collect(log):
    results = []
    for fut in asyncio.as_completed([job("c", 0.3, log), job("a", 0.1, log), job("b", 0.2, log, fail=True)]):
        results.append(await fut)
        print("got", results[-1])
    return results


async def main():
    log = []
    try:
        await collect(log)
    finally:
        # Long enough for "c" to finish if it is still running.
        await asyncio.sleep(0.4)
        print("log:", log)
