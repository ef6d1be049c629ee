async def _call_later(delay, cb, *args):
    await anyio.sleep(delay)
    cb(*args)