if sys.version_info < (3, 11):
    from exceptiongroup import BaseExceptionGroup


async def _gather(*coros):
    """asyncio.gather() result/exception shape on top of anyio.gather()."""
    try:
        return list(await anyio.gather(*coros))
    except BaseExceptionGroup as eg:
        first = eg.exceptions[0]
        if all(isinstance(e, Exception) for e in eg.exceptions):
            raise first from first.__cause__
        raise
