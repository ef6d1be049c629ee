"""A supervisor that waits for a revision of the state in a task of its own, beside its
workers, while it holds the condition's lock."""
import asyncio


async def next_revision(state, workers):
    async with state.revised:
        waiter = asyncio.create_task(state.revised.wait())
        done, _ = await asyncio.wait({waiter, *workers}, return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:
            waiter.cancel()
        return waiter in done
