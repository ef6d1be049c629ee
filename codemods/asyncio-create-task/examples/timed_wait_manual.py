"""Timed waits for a task that stay as they are (the task is reported where it is made): the
TimeoutError would be caught inside the group, which then waits for the task asyncio had
cancelled; the wait is not a statement of its own (the `with` would take more than the wait); it
spans lines; the call has other arguments."""
import asyncio


async def job():
    await asyncio.sleep(0)
    return 1


async def caught():
    t = asyncio.create_task(job())
    try:
        return await asyncio.wait_for(t, 1)
    except asyncio.TimeoutError:
        return None


async def inside_an_expression(results):
    t = asyncio.create_task(job())
    results.append(await asyncio.wait_for(t, 1))


async def over_lines():
    t = asyncio.create_task(job())
    return await asyncio.wait_for(
        t, 1
    )
