import asyncio
import logging

import pytest


@pytest.mark.asyncio
async def test_future_failed_by_hand():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fut.set_exception(ZeroDivisionError())  # never retrieved: logged by asyncio, raised by anyio
    await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_watches_asyncio_logger(caplog):
    caplog.set_level(logging.ERROR, logger="asyncio")
    task = asyncio.get_running_loop().create_task(asyncio.sleep(0))
    await task


async def test_reads_asyncio_logger():
    logger = logging.getLogger("asyncio")
    assert logger.name == "asyncio"


@pytest.mark.asyncio
async def test_plain():
    # Not reported: no future failed by hand, no asyncio logger.
    logging.getLogger("app").info("x")
    await asyncio.sleep(0)


def test_sync_set_exception():
    # Sync tests run no event loop under the plugin: not reported.
    fut = asyncio.Future(loop=asyncio.new_event_loop())
    fut.set_exception(ValueError())
