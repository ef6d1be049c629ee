"""`import async_timeout` in a `try` whose handler catches its failure probes for the package:
it stays when the rewrites leave it unused, so the flag keeps saying whether the package is
installed (aiothreading's tests skip a test by it). Not runnable here: async_timeout is not
installed."""
try:
    import async_timeout

    HAVE_ASYNC_TIMEOUT = True
except ModuleNotFoundError:
    HAVE_ASYNC_TIMEOUT = False


async def fetch(session):
    async with async_timeout.timeout(3):
        return await session.get("/")
