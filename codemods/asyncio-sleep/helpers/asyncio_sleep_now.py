def _asyncio_sleep_now(*args, **kwargs):
    """anyio.sleep while a test's decorator patches asyncio.sleep: what asyncio.sleep is then."""
    return getattr(__import__("asyncio"), "sleep")(*args, **kwargs)
