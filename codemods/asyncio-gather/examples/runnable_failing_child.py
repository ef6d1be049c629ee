"""A failing child with no handler in the gather's function, and a caller that handles it
through a value the tool does not follow (callers are followed by name: `call()` is not seen
as a call of `run_both`): asyncio gives the caller the bare exception and leaves the sibling
running; the task group raises an ExceptionGroup and cancels the sibling (spec §1, 01 A2 vs
B5). A caller that calls `run_both()` by name is seen, and keeps the bare exception
(`runnable_caller_handler.py`)."""
import asyncio

log = []


async def boom():
    await asyncio.sleep(0.01)
    raise ValueError("boom")


async def sibling():
    finished = False
    try:
        await asyncio.sleep(0.05)
        finished = True
    finally:
        log.append("sibling finished" if finished else "sibling cancelled")


async def run_both():
    await asyncio.gather(boom(), sibling())


def describe(exc):
    leaves = [repr(e) for e in getattr(exc, "exceptions", [])]
    return f"{type(exc).__name__} {leaves or repr(exc)}"


async def main():
    call = run_both
    try:
        await call()
    except Exception as exc:  # the caller's handler: another function than the gather's
        print("caller caught:", describe(exc))
    await asyncio.sleep(0.1)
    print("log:", log)
    # Nothing catches it: main itself ends with the error.
    await run_both()
