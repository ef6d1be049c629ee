# A loop received as a parameter annotated as asyncio's: its uses are reported at the parameter.
import asyncio
from typing import Optional


class Notifier:
    def setup(self, loop: asyncio.AbstractEventLoop, method) -> None:
        task = loop.create_task(self.notify(method))
        task.add_done_callback(print)

    def maybe(self, loop: Optional[asyncio.AbstractEventLoop] = None) -> None:
        if loop is not None:
            loop.run_forever()

    def later(self, loop: "asyncio.AbstractEventLoop | None") -> None:
        # A string annotation is not followed.
        loop.stop()

    def reported_at_the_call(self, loop: asyncio.AbstractEventLoop) -> None:
        # call_soon is reported where it is called, not again at the parameter.
        loop.call_soon(print)

    def unused(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        # Not used: nothing to report.
        pass

    def other(self, loop: int, method) -> None:
        # Not an asyncio loop.
        loop.create_task(method)

    async def notify(self, method):
        method()
