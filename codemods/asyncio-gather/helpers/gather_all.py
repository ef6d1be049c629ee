async def _gather_all(*coros):
    """anyio.gather() before anyio 4.15: the results in order, from a task group."""
    results = [None] * len(coros)

    async def run(i, coro):
        results[i] = await coro

    async with anyio.create_task_group() as tg:
        for i, coro in enumerate(coros):
            tg.start_soon(run, i, coro)
    return results
