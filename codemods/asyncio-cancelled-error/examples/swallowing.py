"""Handlers that swallow the cancellation: MANUAL, and the clause is left as it is."""
import asyncio


async def passes():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        pass


async def returns():
    try:
        await asyncio.sleep(1)
    except (asyncio.CancelledError, OSError):
        return None


async def sometimes(flag):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        if flag:
            raise
        print("swallowed when flag is false")


async def converts():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as exc:
        raise RuntimeError("stopped") from exc


async def loop_break():
    for _ in range(3):
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            break


async def catch_all(flag):
    try:
        await asyncio.sleep(1)
    except:  # noqa: E722  MANUAL: swallows the cancellation around an await
        print("anything goes")
    try:
        await asyncio.sleep(1)
    except BaseException as exc:  # MANUAL: returns on one path
        if flag:
            return exc
        raise


async def catch_all_not_reported():
    try:
        print("no await in this try body")
    except BaseException:
        pass
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        raise
    except BaseException:  # the cancellation was taken by the clause above
        pass
    try:
        await asyncio.sleep(1)
    except Exception:  # does not catch the cancellation
        pass
