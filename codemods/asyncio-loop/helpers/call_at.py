async def _call_at(when, cb, *args):
    await anyio.sleep_until(when)
    cb(*args)