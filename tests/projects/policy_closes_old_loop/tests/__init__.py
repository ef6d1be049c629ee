"""A test package that installs an event loop policy whose set_event_loop() closes the loop it
replaces (to keep old loops from warning): the loops the migrated suite's conftest makes are
set and unset through it."""
import asyncio


class TestingPolicy(asyncio.DefaultEventLoopPolicy):
    def set_event_loop(self, loop):
        # close any old event loop to prevent it from raising warnings
        if self._local._loop:
            self._local._loop.close()
        super().set_event_loop(loop)


asyncio.set_event_loop_policy(TestingPolicy())
