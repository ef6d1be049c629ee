"""A task whose failure the function handles where it awaits it (`try`/`except`, `suppress`,
`pytest.raises`, `self.assertRaises`, a test's helper named after it or a function of the
file whose every `return` gives one, inside the task's block): the task runs on the module helper
`_kept_failure(coro)` and the await is `await _raise_kept(t)`, which raises the exception the
task kept, as asyncio's Task did, so the handler still catches it and the task group does not
fail. Same output on asyncio and, migrated, on anyio's asyncio and trio backends."""
import asyncio
import contextlib


class FailReply(Exception):
    pass


async def request(ev, value):
    await ev.wait()
    if value is None:
        raise FailReply("no value")
    return value


async def handled_by_try():
    ev = asyncio.Event()
    t = asyncio.create_task(request(ev, None))
    await asyncio.sleep(0)
    ev.set()
    try:
        await t
    except FailReply as exc:
        return f"caught {exc}"


async def suppressed_then_ok():
    ev = asyncio.Event()
    bad = asyncio.create_task(request(ev, None))
    good = asyncio.create_task(request(ev, 5))
    ev.set()
    with contextlib.suppress(FailReply):
        await bad
    return await good, bad.done()


class Case:
    """A unittest-style check: the test's own helper returns the context manager."""

    def assertRaisesFailReply(self):
        return contextlib.suppress(FailReply)

    async def handled_by_helper(self):
        ev = asyncio.Event()
        t = asyncio.create_task(request(ev, None))
        ev.set()
        with self.assertRaisesFailReply():
            await t
        return "the helper caught it"

    def failure_expected(self):
        return contextlib.suppress(FailReply)

    async def handled_by_any_helper(self):
        ev = asyncio.Event()
        t = asyncio.create_task(request(ev, None))
        ev.set()
        with self.failure_expected():
            await t
        return "a helper of another name caught it"


async def main():
    print(await handled_by_try())
    print(await suppressed_then_ok())
    print(await Case().handled_by_helper())
    print(await Case().handled_by_any_helper())


asyncio.run(main())
