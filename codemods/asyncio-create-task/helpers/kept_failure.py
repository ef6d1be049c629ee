async def _kept_failure(coro):
    """Run coro as a task group's task whose exception is kept for its awaiter, as asyncio's
    Task kept it, instead of failing the group: `await _raise_kept(t)` raises it."""
    try:
        return False, await coro
    except Exception as exc:
        return True, exc


async def _raise_kept(handle):
    """Await a task started on `_kept_failure(coro)`: its value, or the exception it kept."""
    failed, value = await handle
    if failed:
        raise value
    return value
