import asyncio
import logging

log = logging.getLogger(__name__)


class Scope:
    def __init__(self):
        self._loop = asyncio.get_running_loop()

    def child_failed(self, exc):
        # Reported at the call: besides trio, anyio's pytest plugin re-raises it on asyncio.
        self._loop.call_exception_handler({"message": "child failed", "exception": exc})


def report(exc):
    asyncio.get_running_loop().call_exception_handler({"exception": exc})


def not_a_loop(handler, exc):
    # A lookalike on an unknown receiver is still the loop API by its distinctive name.
    handler.call_exception_handler({"exception": exc})
    log.error("failed", exc_info=exc)
