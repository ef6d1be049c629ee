"""asyncio.gather(..., return_exceptions=True) left to asyncio inside an anyio cancel scope.

Cancelled, CPython's gather (3.11, and the same code later) raises a CancelledError made by
`fut._make_cancelled_error()` on its *last* argument (the loop variable of the result loop);
when that argument had already finished, the error has no message. anyio recognises its own
cancellations by their message ("Cancelled via cancel scope ..."), so the scope lets it
escape: `fail_after` raises CancelledError instead of TimeoutError, `move_on_after` does not
stop it. `asyncio.timeout` counts cancel requests instead and raises TimeoutError.

Found by difftest (seed 11 index 78 of the generator after commit "difftest: ..."): a
timeout block rewritten to `fail_after` around a coroutine whose gather had a Task argument
(MANUAL `asyncio-gather/task-argument`, so the gather stayed). The finding at such a gather
now names this. Run with the repository's Python (anyio installed): prints the outcomes.
"""
import asyncio

import anyio


async def child(delay):
    await asyncio.sleep(delay)
    return delay


async def gathered(last_finishes_first):
    aws = [child(0.07), child(0.001)] if last_finishes_first else [child(0.001), child(0.07)]
    return await asyncio.gather(*aws, return_exceptions=True)


async def under_asyncio(last_finishes_first):
    try:
        async with asyncio.timeout(0.02):
            await gathered(last_finishes_first)
    except TimeoutError:
        return "TimeoutError"


async def under_anyio(last_finishes_first):
    try:
        with anyio.fail_after(0.02):
            await gathered(last_finishes_first)
    except TimeoutError:
        return "TimeoutError"


async def outcome(fn, flag):
    task = asyncio.ensure_future(fn(flag))
    try:
        return await task
    except asyncio.CancelledError:
        return "CancelledError escaped"


async def main():
    for flag in (False, True):
        print(f"last argument finished first: {flag}")
        print("  asyncio.timeout:", await outcome(under_asyncio, flag))
        print("  anyio.fail_after:", await outcome(under_anyio, flag))


if __name__ == "__main__":
    anyio.run(main)
