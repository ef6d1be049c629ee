async def _asyncio_sleep(delay, result=None):
    """asyncio.sleep(delay, result=None) on anyio: a negative delay does not wait."""
    await anyio.sleep(max(0, delay))
    return result
