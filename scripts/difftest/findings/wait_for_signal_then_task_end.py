"""A wait for another task's signal (`await asyncio.wait_for(done.wait(), t)`), then a look at
what that task did right after signalling: on Python <= 3.11 wait_for ran `done.wait()` in a
task of its own and the caller heard of its end an event-loop iteration later, so by then the
signalling task had run on (here: it failed right after `done.set()`, and its done-callback had
logged the failure). `anyio.fail_after` (and Python 3.12's wait_for, built on asyncio.timeout)
resumes the caller in the iteration the event is set, before the task's done-callback runs.
Found by the fourteenth corpus set (purepythonmilter's test_session_command_queue_not_implemented,
which passes on Python 3.11 and fails on 3.12 unmigrated). The wait_for rewrite of such a wait
is UNSAFE when the project supports Python <= 3.11. Run with Python 3.11 and 3.12: the first
line differs between them, the second does not.
"""

import asyncio

import anyio


async def consumer(done, log):
    await asyncio.sleep(0)
    done.set()
    raise NotImplementedError("no handler")


async def observe(wait):
    log = []
    done = asyncio.Event()
    task = asyncio.create_task(consumer(done, log))
    task.add_done_callback(lambda t: log.append(f"logged {t.exception()!r}"))
    await wait(done)
    seen = list(log)
    await asyncio.gather(task, return_exceptions=True)
    return seen


async def with_wait_for(done):
    await asyncio.wait_for(done.wait(), 1)


async def with_fail_after(done):
    with anyio.fail_after(1):
        await done.wait()


async def main():
    print("wait_for:  ", await observe(with_wait_for))
    print("fail_after:", await observe(with_fail_after))


if __name__ == "__main__":
    asyncio.run(main())
