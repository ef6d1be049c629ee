//! The asyncio-only APIs and what to use instead: the advice of every finding.

/// An asyncio API with no same-shape anyio replacement that needs asyncio's own event loop.
pub(super) struct AsyncioOnly {
    pub(super) path: &'static str,
    /// The kind of the finding at its calls (several APIs of one sort share one).
    pub(super) kind: &'static str,
    /// What it is.
    pub(super) what: &'static str,
    /// What to use instead.
    pub(super) advice: &'static str,
}

/// The asyncio APIs with no same-shape anyio replacement that need asyncio's own event loop
/// (the streams, subprocess, server and loop-policy APIs). Reported at every call; none of them
/// is rewritten.
pub(super) const ASYNCIO_ONLY: &[AsyncioOnly] = &[
    AsyncioOnly {
        path: "asyncio.open_connection",
        kind: "open-connection",
        what: "opens asyncio streams",
        advice: "`stream = await anyio.connect_tcp(host, port)` gives one byte stream (`await stream.send(data)`, `await stream.receive()`); for readline()/readexactly() wrap it: `anyio.streams.buffered.BufferedByteReceiveStream(stream)`",
    },
    AsyncioOnly {
        path: "asyncio.open_unix_connection",
        kind: "open-connection",
        what: "opens asyncio streams",
        advice: "`stream = await anyio.connect_unix(path)` gives one byte stream; for readline()/readexactly() wrap it in `anyio.streams.buffered.BufferedByteReceiveStream`",
    },
    AsyncioOnly {
        path: "asyncio.start_server",
        kind: "start-server",
        what: "starts an asyncio server",
        advice: "`listener = await anyio.create_tcp_listener(local_host=host, local_port=port)`, then `await listener.serve(handler)` in a task group (the handler gets one stream instead of (reader, writer)); cancel the task group to stop it",
    },
    AsyncioOnly {
        path: "asyncio.start_unix_server",
        kind: "start-server",
        what: "starts an asyncio server",
        advice: "`listener = await anyio.create_unix_listener(path)`, then `await listener.serve(handler)` in a task group (the handler gets one stream instead of (reader, writer))",
    },
    AsyncioOnly {
        path: "asyncio.create_subprocess_exec",
        kind: "subprocess",
        what: "starts an asyncio subprocess",
        advice: "`async with await anyio.open_process([prog, *args]) as process:` (process.stdin/stdout are anyio streams; `await process.wait()`), or `result = await anyio.run_process([prog, *args])` to run it to the end",
    },
    AsyncioOnly {
        path: "asyncio.create_subprocess_shell",
        kind: "subprocess",
        what: "starts an asyncio subprocess",
        advice: "`async with await anyio.open_process(cmd) as process:` (a string runs in the shell), or `result = await anyio.run_process(cmd)` to run it to the end",
    },
    AsyncioOnly {
        path: "asyncio.run_coroutine_threadsafe",
        kind: "run-coroutine-threadsafe",
        what: "submits a coroutine to an asyncio loop from another thread",
        advice: "take `token = anyio.lowlevel.current_token()` in the event-loop thread, then call `anyio.from_thread.run(fn, *args, token=token)` in the other thread (it blocks until fn returns)",
    },
    AsyncioOnly {
        path: "asyncio.Barrier",
        kind: "barrier",
        what: "makes an asyncio barrier",
        advice: "anyio has no Barrier: count arrivals and set an `anyio.Event()` when the last party arrives (`await event.wait()` in the others)",
    },
    AsyncioOnly {
        path: "asyncio.Timeout",
        kind: "timeout-class",
        what: "makes an asyncio timeout context",
        advice: "`with anyio.fail_after(delay):` or `with anyio.CancelScope(deadline=when):` (a scope's `deadline` can be moved like Timeout.reschedule())",
    },
    AsyncioOnly {
        path: "asyncio.StreamReader",
        kind: "stream-class",
        what: "makes an asyncio stream",
        advice: "an anyio stream pair: `send, receive = anyio.create_memory_object_stream[bytes]()` in memory, or the stream that anyio.connect_tcp()/open_process() returns",
    },
    AsyncioOnly {
        path: "asyncio.StreamWriter",
        kind: "stream-class",
        what: "makes an asyncio stream",
        advice: "the stream that anyio.connect_tcp()/open_process() returns (`await stream.send(data)`)",
    },
    AsyncioOnly {
        path: "asyncio.StreamReaderProtocol",
        kind: "stream-class",
        what: "makes an asyncio protocol",
        advice: "the stream that anyio.connect_tcp()/create_tcp_listener() gives replaces protocol and transport",
    },
    AsyncioOnly {
        path: "asyncio.SelectorEventLoop",
        kind: "loop-class",
        what: "makes an asyncio event loop",
        advice: "anyio.run() makes its own loop: pass a factory on the asyncio backend with `anyio.run(main, backend_options={\"loop_factory\": factory})`",
    },
    AsyncioOnly {
        path: "asyncio.ProactorEventLoop",
        kind: "loop-class",
        what: "makes an asyncio event loop",
        advice: "anyio.run() makes its own loop: pass a factory on the asyncio backend with `anyio.run(main, backend_options={\"loop_factory\": factory})`",
    },
    AsyncioOnly {
        path: "asyncio.DefaultEventLoopPolicy",
        kind: "event-loop-policy",
        what: "configures asyncio's loops",
        advice: "anyio.run() makes its own loop and trio has no policy: `anyio.run(main, backend_options={\"loop_factory\": factory})` on the asyncio backend",
    },
    AsyncioOnly {
        path: "asyncio.get_child_watcher",
        kind: "child-watcher",
        what: "configures asyncio's subprocess watcher",
        advice: "delete it: anyio.open_process()/run_process() need no child watcher",
    },
    AsyncioOnly {
        path: "asyncio.set_child_watcher",
        kind: "child-watcher",
        what: "configures asyncio's subprocess watcher",
        advice: "delete it: anyio.open_process()/run_process() need no child watcher",
    },
];

/// What `path` is and its replacement, when it is one of [`ASYNCIO_ONLY`] (child watchers too).
pub(super) fn asyncio_only(path: &str) -> Option<&'static AsyncioOnly> {
    /// asyncio's child watcher classes (`asyncio.ThreadedChildWatcher`, ...).
    const CHILD_WATCHER_CLASS: AsyncioOnly = AsyncioOnly {
        path: "asyncio.ChildWatcher",
        kind: "child-watcher",
        what: "configures asyncio's subprocess watcher",
        advice: "delete it: anyio.open_process()/run_process() need no child watcher",
    };
    if let Some(class) = path.strip_prefix("asyncio.")
        && class.ends_with("ChildWatcher")
        && !class.contains('.')
    {
        return Some(&CHILD_WATCHER_CLASS);
    }
    ASYNCIO_ONLY.iter().find(|a| a.path == path)
}

/// An asyncio API this codemod reports, for a call made through another module's re-export of
/// it (`from .compat import get_running_loop`): what goes wrong, and the replacement.
pub fn reexported_api(path: &str) -> Option<(String, &'static str)> {
    if VALUE_APIS.contains(&path) {
        return Some((
            "needs an asyncio event loop: on anyio's trio backend it raises RuntimeError (no running event loop)".to_owned(),
            value_advice(path),
        ));
    }
    if path == "asyncio.Future" {
        return Some((
            "makes an asyncio-only object (bound to asyncio's loop): it does not work on anyio's trio backend".to_owned(),
            FUTURE_ADVICE,
        ));
    }
    asyncio_only(path).map(|a| {
        (
            format!("{}, which needs asyncio's event loop: on anyio's trio backend it fails with RuntimeError (no asyncio event loop)", a.what),
            a.advice,
        )
    })
}

/// The last component of every path [`reexported_api`] knows (`get_running_loop`, `Barrier`,
/// ...; the child watchers by their common suffix): a text containing none of them re-exports
/// nothing.
pub fn reexportable_names() -> impl Iterator<Item = &'static str> {
    VALUE_APIS
        .iter()
        .copied()
        .chain(["asyncio.Future", "asyncio.ChildWatcher"])
        .chain(ASYNCIO_ONLY.iter().map(|a| a.path))
        .map(|path| path.rsplit('.').next().unwrap_or(path))
}

/// Loop-access functions reported when passed or stored as a value (`get_loop =
/// asyncio.get_running_loop`, a compatibility module re-exporting them).
pub(super) const VALUE_APIS: &[&str] = &[
    "asyncio.get_running_loop",
    "asyncio.get_event_loop",
    "asyncio.new_event_loop",
    "asyncio.all_tasks",
    "asyncio.current_task",
    "asyncio.wrap_future",
];

pub(super) fn value_advice(path: &str) -> &'static str {
    match path {
        "asyncio.all_tasks" => "anyio.get_running_tasks() lists TaskInfo objects (no cancel())",
        "asyncio.current_task" => "anyio.get_current_task() returns a TaskInfo (no cancel())",
        "asyncio.wrap_future" => {
            "await anyio.to_thread.run_sync(cf_future.result, abandon_on_cancel=True)"
        }
        _ => {
            "anyio has no loop object: replace each use of the loop (`anyio-migrate explain asyncio-loop`)"
        }
    }
}

pub(super) const STORED_ADVICE: &str = "replace every use of the loop (`anyio-migrate explain asyncio-loop` lists them): loop.time() → anyio.current_time(); call_soon/call_later/call_at → a task group; call_soon_threadsafe → anyio.from_thread.run_sync(cb, *a, token=token); create_future → anyio.Future() (anyio >= 4.15; before it the migration writes a module helper `_Future` with asyncio.Future's interface); create_task → tg.create_task(coro)";

pub(super) const EXCEPTION_HANDLER_NOTE: &str = "`loop.call_exception_handler()` is an asyncio event-loop API (no asyncio loop on anyio's trio backend); and on the asyncio backend, anyio's pytest plugin re-raises every exception handed to the loop's exception handler in the test that is running, where asyncio (and pytest-asyncio) only logged it: a test that reaches this call fails after the migration";

/// Said of the servers whose connection handler runs in a task asyncio watches: an exception
/// it raises goes to the loop's exception handler.
pub(super) const SERVER_HANDLER_NOTE: &str = "and on the asyncio backend, an exception the connection handler raises is handed to the loop's exception handler, which asyncio (and pytest-asyncio) only logged and anyio's pytest plugin re-raises in the test that is running: a test whose server handler fails fails after the migration";

/// The callback helpers (their files end without a newline: suggestions quote them too).
pub(super) const CALL_LATER_HELPER: &str =
    include_str!("../../../codemods/asyncio-loop/helpers/call_later.py");
pub(super) const CALL_AT_HELPER: &str =
    include_str!("../../../codemods/asyncio-loop/helpers/call_at.py");

pub(super) const FUTURE_ADVICE: &str = "anyio.Future() (anyio >= 4.15): fut.set_result(v) → fut.return_value = v; fut.set_exception(e) → fut.exception = e; fut.result() → fut.return_value; fut.done() → fut.status is not anyio.Future.Status.PENDING; `await fut` works, but a failed future raises FutureFailed (cause: the original) and a cancelled one FutureCancelled (an Exception subclass); there is no add_done_callback. Or: anyio.Event() plus a value holder";

/// The replacement for one loop method (spec §8 table, §12, §7).
pub(super) fn method_advice(method: &str) -> String {
    let advice = match method {
        "time" => {
            "loop.time() → anyio.current_time() (on trio its origin differs from time.monotonic())"
        }
        "call_soon" => {
            "loop.call_soon(cb, *a) → tg.start_soon(_call_later, 0, cb, *a) in a task group that outlives the callback"
        }
        "call_later" => {
            "h = loop.call_later(d, cb, *a) → h = tg.start_soon(_call_later, d, cb, *a) in a task group that outlives the callback; h.cancel() still cancels it (anyio >= 4.14)"
        }
        "call_at" => {
            "loop.call_at(when, cb, *a) → tg.start_soon(_call_at, when, cb, *a), with `when` measured by anyio.current_time()"
        }
        "call_soon_threadsafe" => {
            "loop.call_soon_threadsafe(cb, *a) → take token = anyio.lowlevel.current_token() in the event-loop thread, then call anyio.from_thread.run_sync(cb, *a, token=token) in the other thread (it blocks until cb has run; call_soon_threadsafe returned at once)"
        }
        "create_future" => {
            "loop.create_future() → anyio.Future() (anyio >= 4.15; set_result(v) → fut.return_value = v, set_exception(e) → fut.exception = e; awaiting a failed one raises FutureFailed) or anyio.Event() plus a value holder"
        }
        "create_task" => {
            "loop.create_task(coro) → tg.create_task(coro) (anyio >= 4.14) or tg.start_soon(fn, *args), in a task group that outlives the task (a local group makes the caller wait)"
        }
        "run_in_executor" => {
            "loop.run_in_executor(None, f, *a) → await anyio.to_thread.run_sync(f, *a, abandon_on_cancel=True) (see asyncio-to-thread)"
        }
        "run_until_complete" => {
            "loop.run_until_complete(main()) → anyio.run(main) (see asyncio-run)"
        }
        "set_event_loop" => {
            "asyncio.set_event_loop(loop) → delete it: anyio.run() sets up its own loop"
        }
        "run_coroutine_threadsafe" => {
            "asyncio.run_coroutine_threadsafe(fn(*a), loop) → take token = anyio.lowlevel.current_token() in the event-loop thread, then call anyio.from_thread.run(fn, *a, token=token) in the other thread (it blocks until fn returns)"
        }
        "call_exception_handler" => {
            "report the error without the loop: log it (logger.error(msg, exc_info=exc)) or re-raise it where the caller can handle it; tests that expect the log must change with it"
        }
        "close" => "loop.close() → delete it: anyio.run() closes its own loop",
        "run_forever" => {
            "loop.run_forever() → anyio.run(main) with `await anyio.sleep_forever()` in main"
        }
        "add_signal_handler" => {
            "loop.add_signal_handler(sig, cb) → in a task: `with anyio.open_signal_receiver(sig) as signals: async for _ in signals: cb()`"
        }
        "getaddrinfo" => "loop.getaddrinfo(...) → await anyio.getaddrinfo(...)",
        "create_connection" => "loop.create_connection(...) → await anyio.connect_tcp(host, port)",
        "create_server" => {
            "loop.create_server(...) → await anyio.create_tcp_listener(local_port=port)"
        }
        "subprocess_exec" | "subprocess_shell" => {
            "loop.subprocess_exec/subprocess_shell(...) → await anyio.open_process(...) or anyio.run_process(...)"
        }
        "set_debug" => {
            "loop.set_debug(True) → anyio.run(main, backend_options={\"debug\": True}) (asyncio backend only)"
        }
        other => return format!("loop.{other}: no anyio equivalent"),
    };
    advice.to_owned()
}
