async def _call_later(delay, cb, *args):
    if delay > 0:
        await anyio.sleep(delay)
    cb(*args)