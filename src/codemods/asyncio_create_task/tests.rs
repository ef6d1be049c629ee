//! Unit tests of the create-task planner.

use super::*;
use crate::edit::{normalize, splice};

/// The statements of the first function body, and the edits of wrapping `a..=b`.
fn wrapped(src: &str, a: usize, b: usize) -> (String, Vec<Edit>, Vec<Edit>) {
    let (ours, theirs) = Ctx::with(src, |ctx| {
        let body = crate::codemods::shared::block::first_body(ctx);
        let ours = wrap_exclusive(ctx, body[a], body[b], "with x:", &[]).unwrap();
        let theirs =
            crate::codemods::shared::block::wrap(ctx, body[b], body[b], "with y:").unwrap();
        (ours, theirs)
    })
    .unwrap();
    let crlf = src.contains("\r\n");
    (splice(src, &normalize(ours.clone()), crlf), ours, theirs)
}

#[test]
fn wraps_like_block_wrap_and_keeps_crlf() {
    let src =
        "def f():\n    a()\n    # note\n    s = \"\"\"\nkeep\n\"\"\"\n\n    b()  # tail\n    c()\n";
    let (out, _, _) = wrapped(src, 0, 3);
    assert_eq!(
        out,
        "def f():\n    with x:\n        a()\n        # note\n        s = \"\"\"\nkeep\n\"\"\"\n\n        b()  # tail\n    c()\n"
    );
    let src = "def f():\r\n\ta()\r\n\tb()\r\n";
    let (out, _, _) = wrapped(src, 0, 1);
    assert_eq!(out, "def f():\r\n\twith x:\r\n\t\ta()\r\n\t\tb()\r\n");
}

/// Fixes and findings of this codemod alone.
fn run(src: &str) -> crate::engine::Migration {
    crate::engine::migrate_alone(ID, src, crate::target::Targets::default())
}

#[test]
fn tasks_passed_to_asyncio_are_left_and_reported_at_the_call() {
    let src = "import asyncio\nasync def f():\n    t1 = asyncio.create_task(a())\n    t2 = asyncio.create_task(b())\n    await asyncio.gather(t1, t2, return_exceptions=True)\n    t3 = asyncio.create_task(c())\n    done, _ = await asyncio.wait([t3])\n";
    let m = run(src);
    assert_eq!(m.output, src);
    let ours: Vec<(usize, &str)> = m
        .findings
        .iter()
        .filter(|f| f.finding.codemod == ID)
        .map(|f| (f.line, f.finding.message.as_str()))
        .collect();
    assert_eq!(ours.len(), 3, "{ours:?}");
    assert!(
        ours[0].0 == 3 && ours[0].1.contains("`t1` is passed to asyncio.gather"),
        "{ours:?}"
    );
    assert!(
        ours[1].0 == 4 && ours[1].1.contains("`t2` is passed to asyncio.gather"),
        "{ours:?}"
    );
    assert!(
        ours[2].0 == 6 && ours[2].1.contains("`t3` is passed to asyncio.wait"),
        "{ours:?}"
    );
}

#[test]
fn tasks_started_one_after_another_share_one_group() {
    let src = "import asyncio\nasync def f():\n    a = asyncio.create_task(x())\n    b = asyncio.create_task(y())\n    print(await a)\n    print(await b, b.done())\n";
    assert_eq!(
        run(src).output,
        "import anyio\nasync def f():\n    async with anyio.create_task_group() as tg:\n        a = tg.create_task(x())\n        b = tg.create_task(y())\n        print(await a)\n        print(await b, b.status not in (anyio.TaskHandle.Status.PENDING, anyio.TaskHandle.Status.CANCELLING))\n"
    );
}

#[test]
fn every_edit_of_an_overlapping_wrap_touches_one_of_ours() {
    // block::wrap of the last statement, as another codemod's group would make it: each of
    // its inserts lands inside one of our ranges or at the start of one, so the engine
    // cannot apply both in one pass.
    let src = "def f():\n    a()\n    b()\n";
    let (_, ours, theirs) = wrapped(src, 0, 1);
    for t in &theirs {
        let p = t.range.start;
        assert!(
            ours.iter()
                .any(|o| (o.range.start < p && p < o.range.end) || o.range.start == p),
            "{t:?} misses {ours:?}"
        );
    }
}

/// A creation that starts a line of a multi-line list (its callee the line's first
/// character): the group's re-indentation and the creation's edit are one edit of that line,
/// not two that overlap (a run stopped on such a test before).
#[test]
fn a_creation_that_starts_a_line_of_a_list_is_reindented_once() {
    let src = "import asyncio\nimport pytest\nasync def f(conn):\n    tasks = [\n        asyncio.create_task(conn.send(\n            1))\n        for _ in range(3)\n    ]\n    for task in tasks:\n        with pytest.raises(ValueError):\n            await task\n";
    let m = run(src);
    assert_eq!(
        m.output,
        "import anyio\nimport pytest\n\n\nasync def _kept_failure(coro):\n    \"\"\"Run coro as a task group's task whose exception is kept for its awaiter, as asyncio's\n    Task kept it, instead of failing the group: `await _raise_kept(t)` raises it.\"\"\"\n    try:\n        return False, await coro\n    except Exception as exc:\n        return True, exc\n\n\nasync def _raise_kept(handle):\n    \"\"\"Await a task started on `_kept_failure(coro)`: its value, or the exception it kept.\"\"\"\n    failed, value = await handle\n    if failed:\n        raise value\n    return value\n\n\nasync def f(conn):\n    async with anyio.create_task_group() as tg:\n        tasks = [\n            tg.create_task(_kept_failure(conn.send(\n                1)))\n            for _ in range(3)\n        ]\n        for task in tasks:\n            with pytest.raises(ValueError):\n                await _raise_kept(task)\n"
    );
}

/// The handler of a cancelled task that asyncio-cancelled-error already rewrote
/// (`pytest.raises(anyio.get_cancelled_exc_class())`, in an earlier pass) is the same handler:
/// it catches `anyio.TaskCancelled`, what awaiting a cancelled handle raises.
#[test]
fn a_cancellation_handler_already_written_for_anyio_is_the_cancelled_tasks_handler() {
    let src = "import asyncio\nimport anyio\nimport pytest\nasync def job():\n    await asyncio.sleep(1)\nasync def test_cancel():\n    t = asyncio.create_task(job())\n    t.cancel()\n    with pytest.raises(anyio.get_cancelled_exc_class()):\n        await t\n";
    assert_eq!(
        run(src).output,
        "import asyncio\nimport anyio\nimport pytest\nasync def job():\n    await asyncio.sleep(1)\nasync def test_cancel():\n    async with anyio.create_task_group() as tg:\n        t = tg.create_task(job())\n        t.cancel()\n        with pytest.raises(anyio.TaskCancelled):\n            await t\n"
    );
}

/// A task appended to a list under a name read earlier in the loop (the previous iteration's
/// task there) is not put in a group: that read would get a handle, not a Task.
#[test]
fn a_named_task_read_earlier_in_its_loop_keeps_its_finding() {
    let src = "import asyncio\nasync def job():\n    await asyncio.sleep(0)\nasync def f():\n    tasks = []\n    task = None\n    for _ in range(2):\n        if task is not None:\n            print(task.done())\n        task = asyncio.create_task(job())\n        tasks.append(task)\n    for t in tasks:\n        await t\n";
    let m = run(src);
    assert_eq!(m.output, src);
    assert!(
        m.findings
            .iter()
            .any(|f| f.line == 10
                && f.finding.code() == "asyncio-create-task/read-across-iterations"),
        "{:?}",
        m.findings
            .iter()
            .map(|f| (f.line, f.finding.code()))
            .collect::<Vec<_>>()
    );
}

/// A list filled by two appends may hold what is no task of one group (here a Future): its
/// tasks are not grouped, where a loop of `t.wait()` would fail on the Future.
#[test]
fn a_list_filled_by_two_appends_keeps_its_finding() {
    let src = "import asyncio\nasync def job():\n    await asyncio.sleep(0)\nasync def f(fut):\n    tasks = []\n    for _ in range(2):\n        tasks.append(asyncio.create_task(job()))\n        tasks.append(fut)\n    await asyncio.wait(tasks)\n";
    let m = run(src);
    assert_eq!(m.output, src);
    assert!(
        m.findings
            .iter()
            .any(|f| f.line == 7 && f.finding.code() == "asyncio-create-task/task-escapes"),
        "{:?}",
        m.findings
            .iter()
            .map(|f| (f.line, f.finding.code()))
            .collect::<Vec<_>>()
    );
}

#[test]
fn code_spread_over_lines_is_quoted_on_one_line() {
    let src = "import asyncio\nfrom lib import poll\nasync def f(bot):\n    t = asyncio.create_task(poll(\n        bot=bot,\n        limit=3,\n    ))\n    await asyncio.sleep(1)\n    t.cancel()\n";
    let m = run(src);
    let unseen: Vec<&str> = m
        .findings
        .iter()
        .filter(|f| f.finding.kind == "cancelled-unseen-code")
        .map(|f| f.finding.message.as_str())
        .collect();
    assert_eq!(unseen.len(), 1, "{unseen:?}");
    assert!(
        unseen[0].contains("`poll( bot=bot, limit=3, )`") && !unseen[0].contains('\n'),
        "{unseen:?}"
    );
}

/// A task cancelled by hand whose coroutine sleeps for `max(0, d)` waits on nothing but the
/// sleep when `max` is the builtin; a `max` the module imports may return anything.
#[test]
fn number_builtins_in_a_wait_are_shown_unless_rebound() {
    let body = "async def paced(q: asyncio.Queue, d: float = 0):\n    while True:\n        await q.get()\n        await asyncio.sleep(max(0, d))\nasync def f():\n    q = asyncio.Queue()\n    t = asyncio.create_task(paced(q, 0.1))\n    await asyncio.sleep(1)\n    t.cancel()\n    await t\n";
    let unseen = |src: &str| {
        run(src)
            .findings
            .iter()
            .filter(|f| f.finding.kind == "cancelled-unseen-code")
            .map(|f| f.finding.message.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        unseen(&format!("import asyncio\n{body}")),
        Vec::<String>::new()
    );
    let rebound = unseen(&format!("import asyncio\nfrom lib import max\n{body}"));
    assert_eq!(rebound.len(), 1, "{rebound:?}");
    assert!(rebound[0].contains("max(0, d)"), "{rebound:?}");
}
