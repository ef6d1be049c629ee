async def _gather_return_exceptions(*coros):
    results = [None] * len(coros)

    async def run(i, coro):
        try:
            results[i] = await coro
        except Exception as exc:
            results[i] = exc
        except anyio.get_cancelled_exc_class() as exc:
            # raised by the child itself: a result, as with asyncio.gather;
            # a cancellation of this task is raised again here
            await anyio.lowlevel.checkpoint_if_cancelled()
            results[i] = exc

    async with anyio.create_task_group() as tg:
        for i, coro in enumerate(coros):
            tg.start_soon(run, i, coro)
    return results
