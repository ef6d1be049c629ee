async def _await(awaitable):
    """Await any awaitable in a coroutine: anyio.gather() takes coroutine objects only."""
    return await awaitable
