"""`supervisor.py` waits on the state's Condition in a task of its own
(`create_task(state.revised.wait())`); `state.py`, which makes the Condition, cannot see that.
asyncio's wait releases the lock from that task; anyio's raises RuntimeError there and the
lock stays held, so `revise()` below would wait forever. The run scans every file first and
leaves that Condition asyncio's; the Event, used only as anyio's has it, becomes anyio's."""
import asyncio

from state import State
from supervisor import next_revision


async def test_a_revision_wakes_the_supervisor():
    state = State()
    worker = asyncio.create_task(asyncio.sleep(10))
    supervising = asyncio.create_task(next_revision(state, {worker}))
    await asyncio.sleep(0.01)
    await asyncio.wait_for(state.revise(), 1)
    assert await asyncio.wait_for(supervising, 1) is True
    worker.cancel()


async def test_ready_is_set_once():
    state = State()
    state.ready.set()
    await state.ready.wait()
