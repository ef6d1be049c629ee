"""The UNSAFE part of the run_in_executor rewrite (spec §8 A2 vs B2): run_in_executor ran the
function without the caller's ContextVars; anyio.to_thread.run_sync copies them, as
asyncio.to_thread always did. The .expected file records the difference."""
import asyncio
import contextvars

request_id = contextvars.ContextVar("request_id", default="unset")


def read_request_id():
    return request_id.get()


async def main():
    request_id.set("req-42")
    print("to_thread sees:", await asyncio.to_thread(read_request_id))
    loop = asyncio.get_running_loop()
    print("run_in_executor sees:", await loop.run_in_executor(None, read_request_id))
