//! asyncio-star-import: `from asyncio import *` is reported (spec §14) with the explicit import it should become.

use super::{Captures, Ctx};
use crate::analysis::scopes::{Role, role, scope_bindings};
use crate::edit::{Finding, Outcome};
use crate::resolve::named_children;
use std::collections::BTreeSet;
use std::fmt::Write;
use tree_sitter::Node;

const ID: &str = "asyncio-star-import";

/// Longest suggested import line before it is split over several lines.
const MAX_LINE: usize = 79;

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    let (Some(stmt), Some(module)) = (caps.get("import"), caps.get("module")) else {
        return Vec::new();
    };
    let path: String = ctx
        .text_of(module)
        .split('.')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(".");
    let provided: Vec<&str> = if path == "asyncio" {
        ASYNCIO_ALL.iter().map(|(name, _)| *name).collect()
    } else if let Some(sub) = path.strip_prefix("asyncio.") {
        ASYNCIO_ALL
            .iter()
            .filter(|(_, from)| *from == sub)
            .map(|(name, _)| *name)
            .collect()
    } else {
        return other_module(ctx, stmt, &path);
    };
    let used = used_names(ctx, &provided);
    let timeout_error = used.contains("TimeoutError");
    let explicit: Vec<&str> = used
        .iter()
        .copied()
        .filter(|n| *n != "TimeoutError")
        .collect();
    let mut message = format!(
        "`from {path} import *` hides which asyncio names this module uses, so no codemod can rewrite them (every module-level name is ambiguous)"
    );
    let mut suggestion = Vec::new();
    if used.is_empty() {
        message.push_str("; the module uses none of the names it provides");
        suggestion.push(
            "delete it (unless the module re-exports asyncio's names on purpose), then re-run anyio-migrate"
                .to_owned(),
        );
    } else {
        let list: Vec<&str> = used.iter().copied().collect();
        let _ = write!(message, "; names used from it: {}", list.join(", "));
        suggestion.push("replace it with explicit imports, then re-run anyio-migrate:".to_owned());
        if explicit.is_empty() {
            suggestion.push(
                "(delete it: only TimeoutError is used, and the builtin is the one to keep)"
                    .to_owned(),
            );
        } else {
            suggestion.push(import_line(&path, &explicit));
        }
    }
    if timeout_error {
        message.push_str("; it also shadows the builtin `TimeoutError`: on Python 3.10 that name becomes asyncio.TimeoutError, which is not the builtin TimeoutError that anyio's fail_after()/fail_at() raise, so `except TimeoutError:` would stop catching timeouts after migration (on 3.11+ both are the same class)");
        suggestion.push(
            "leave TimeoutError out of the import: the builtin is what anyio's timeouts raise (on 3.10, an unmigrated asyncio.wait_for() still raises asyncio.TimeoutError)".to_owned(),
        );
    }
    vec![
        Finding::manual(
            ID,
            "star-import",
            stmt.start_byte(),
            message,
            suggestion.join("\n"),
        )
        .into(),
    ]
}

/// `from M import *` of another module whose names are not known (`analysis::star_names`
/// reads those of the project's own modules): it may rebind any module-level name (`asyncio`,
/// `pytest`), so the resolver gives none of them a meaning and nothing in the module is
/// rewritten. Reported where that hides asyncio code (the module imports asyncio or
/// `pytest_asyncio`) or, in test code, async tests and fixtures; there it also keeps the suite on
/// pytest-asyncio, since the switch to anyio's plugin cannot see them (found on a probe of
/// unseen projects: a `conftest.py` with `from .device_fixtures import *` hid its autouse async
/// fixture, and every sync test failed after the switch).
fn other_module(ctx: &Ctx, stmt: Node, path: &str) -> Vec<Outcome> {
    // A project module whose names are known (`analysis::star_names`) hides nothing.
    if ctx.resolver.star_resolved(stmt.start_byte()) {
        return Vec::new();
    }
    let test_code = ctx.path.is_some_and(crate::source::is_test_code);
    let asyncio =
        ctx.resolver.imports_from("asyncio") || ctx.resolver.imports_from("pytest_asyncio");
    // Test code that names asyncio (a marker, a fixture decorator, `pytest_asyncio`); the
    // registry's pre-filter passes no text without "asyncio" to this codemod.
    let async_code = test_code
        && ctx.text.contains("asyncio")
        && crate::analysis::syntax::descendants(ctx.tree.root_node())
            .into_iter()
            .any(crate::analysis::syntax::is_async_def);
    if !(asyncio || async_code) {
        return Vec::new();
    }
    let mut message = format!(
        "`from {path} import *` may rebind any module-level name of this module (`asyncio`, `pytest`, ...), so none of its asyncio code is rewritten"
    );
    if test_code {
        message.push_str(", and the switch to anyio's pytest plugin cannot see its tests and fixtures (an async fixture that sync tests use, a marker)");
    }
    let finding = Finding::manual(
        ID,
        "unresolved-star-import",
        stmt.start_byte(),
        message,
        format!(
            "import the names this module uses from `{path}` explicitly (`from {path} import name, ...`), then run anyio-migrate again"
        ),
    );
    vec![
        if test_code {
            finding.blocking()
        } else {
            finding
        }
        .into(),
    ]
}

/// Names from `provided` that the module reads and does not bind itself: those the star
/// import supplies.
fn used_names<'a>(ctx: &Ctx, provided: &[&'a str]) -> BTreeSet<&'a str> {
    let root = ctx.tree.root_node();
    let mut used = BTreeSet::new();
    let mut own: Vec<(&str, bool)> = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if n.kind() == "identifier" {
            let text = ctx.text_of(n);
            if let Some(name) = provided.iter().find(|p| **p == text)
                && !used.contains(name)
                && role(ctx.code(), n) == Role::Read
                && ctx.resolver.refers_to_module_scope(text, n)
                && !binds_at_module(ctx, root, text, &mut own)
            {
                used.insert(*name);
            }
            continue;
        }
        stack.extend(named_children(n));
    }
    used
}

/// The module binds `name` itself (a def, an assignment, another import), memoised.
fn binds_at_module<'s>(
    ctx: &Ctx,
    root: Node,
    name: &'s str,
    memo: &mut Vec<(&'s str, bool)>,
) -> bool {
    if let Some((_, b)) = memo.iter().find(|(n, _)| *n == name) {
        return *b;
    }
    let b = !scope_bindings(ctx.code(), root, name).sites.is_empty();
    memo.push((name, b));
    b
}

/// `from M import a, b`, split over lines in parentheses when it gets long.
fn import_line(path: &str, names: &[&str]) -> String {
    let one = format!("from {path} import {}", names.join(", "));
    if one.len() <= MAX_LINE {
        return one;
    }
    let mut out = format!("from {path} import (\n");
    let mut line = String::from("   ");
    for name in names {
        if line.len() + name.len() + 2 > MAX_LINE {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from("   ");
        }
        line.push(' ');
        line.push_str(name);
        line.push(',');
    }
    out.push_str(line.trim_end());
    out.push_str("\n)");
    out
}

/// `asyncio.__all__` on `CPython` 3.11 (Linux), with the submodule whose `__all__` lists each name:
/// generated with `sorted(asyncio.__all__)` and each `asyncio.<sub>.__all__`.
const ASYNCIO_ALL: &[(&str, &str)] = &[
    ("ALL_COMPLETED", "tasks"),
    ("AbstractChildWatcher", "unix_events"),
    ("AbstractEventLoop", "events"),
    ("AbstractEventLoopPolicy", "events"),
    ("AbstractServer", "events"),
    ("Barrier", "locks"),
    ("BaseEventLoop", "base_events"),
    ("BaseProtocol", "protocols"),
    ("BaseTransport", "transports"),
    ("BoundedSemaphore", "locks"),
    ("BrokenBarrierError", "exceptions"),
    ("BufferedProtocol", "protocols"),
    ("CancelledError", "exceptions"),
    ("Condition", "locks"),
    ("DatagramProtocol", "protocols"),
    ("DatagramTransport", "transports"),
    ("DefaultEventLoopPolicy", "unix_events"),
    ("Event", "locks"),
    ("FIRST_COMPLETED", "tasks"),
    ("FIRST_EXCEPTION", "tasks"),
    ("FastChildWatcher", "unix_events"),
    ("Future", "futures"),
    ("Handle", "events"),
    ("IncompleteReadError", "exceptions"),
    ("InvalidStateError", "exceptions"),
    ("LifoQueue", "queues"),
    ("LimitOverrunError", "exceptions"),
    ("Lock", "locks"),
    ("MultiLoopChildWatcher", "unix_events"),
    ("PidfdChildWatcher", "unix_events"),
    ("PriorityQueue", "queues"),
    ("Protocol", "protocols"),
    ("Queue", "queues"),
    ("QueueEmpty", "queues"),
    ("QueueFull", "queues"),
    ("ReadTransport", "transports"),
    ("Runner", "runners"),
    ("SafeChildWatcher", "unix_events"),
    ("SelectorEventLoop", "unix_events"),
    ("Semaphore", "locks"),
    ("SendfileNotAvailableError", "exceptions"),
    ("Server", "base_events"),
    ("StreamReader", "streams"),
    ("StreamReaderProtocol", "streams"),
    ("StreamWriter", "streams"),
    ("SubprocessProtocol", "protocols"),
    ("SubprocessTransport", "transports"),
    ("Task", "tasks"),
    ("ThreadedChildWatcher", "unix_events"),
    ("Timeout", "timeouts"),
    ("TimeoutError", "exceptions"),
    ("TimerHandle", "events"),
    ("Transport", "transports"),
    ("WriteTransport", "transports"),
    ("_enter_task", "tasks"),
    ("_get_running_loop", "events"),
    ("_leave_task", "tasks"),
    ("_register_task", "tasks"),
    ("_set_running_loop", "events"),
    ("_unregister_task", "tasks"),
    ("all_tasks", "tasks"),
    ("as_completed", "tasks"),
    ("create_subprocess_exec", "subprocess"),
    ("create_subprocess_shell", "subprocess"),
    ("create_task", "tasks"),
    ("current_task", "tasks"),
    ("ensure_future", "tasks"),
    ("gather", "tasks"),
    ("get_child_watcher", "events"),
    ("get_event_loop", "events"),
    ("get_event_loop_policy", "events"),
    ("get_running_loop", "events"),
    ("iscoroutine", "coroutines"),
    ("iscoroutinefunction", "coroutines"),
    ("isfuture", "futures"),
    ("new_event_loop", "events"),
    ("open_connection", "streams"),
    ("open_unix_connection", "streams"),
    ("run", "runners"),
    ("run_coroutine_threadsafe", "tasks"),
    ("set_child_watcher", "events"),
    ("set_event_loop", "events"),
    ("set_event_loop_policy", "events"),
    ("shield", "tasks"),
    ("sleep", "tasks"),
    ("start_server", "streams"),
    ("start_unix_server", "streams"),
    ("timeout", "timeouts"),
    ("timeout_at", "timeouts"),
    ("to_thread", "threads"),
    ("wait", "tasks"),
    ("wait_for", "tasks"),
    ("wrap_future", "futures"),
];
