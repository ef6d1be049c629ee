//! The one table of codemods: id, summary, verdicts, query, planner, documentation.

use crate::codemods::asyncio_loop::Reexport;
use crate::codemods::{self, Ctx, PlanFn};
use crate::prefilter;

pub struct Codemod {
    pub id: &'static str,
    pub summary: &'static str,
    /// The verdicts this codemod can give, for `list`.
    pub verdicts: &'static str,
    /// Source text of `codemods/<id>/query.scm`.
    pub query: &'static str,
    /// `codemods/<id>/README.md`, printed by `explain`.
    pub readme: &'static str,
    /// The pre-filter: a file (or a pass's text) is looked at by this codemod only when every
    /// group has one of its substrings in the text (all groups, any substring within a group).
    /// Each group is a necessary condition for any rewrite or finding of the codemod.
    pub triggers: &'static [&'static [&'static str]],
    /// The pre-filter's second stage, run on a text the triggers let through: a lexical test
    /// (`prefilter.rs`), also a necessary condition of every outcome.
    pub refine: Option<fn(&str) -> bool>,
    pub plan: PlanFn,
    /// What the codemod asks of the run beyond its own planning of each file.
    pub hooks: Hooks,
}

/// A codemod's part in the passes over the whole run (`lib.rs`) and what the per-file pipeline
/// collects for them (`engine.rs`); most codemods have none.
pub struct Hooks {
    /// The passes over the whole run, after every file's own migration, run when the codemod
    /// is enabled.
    pub project: &'static [ProjectPass],
    /// Collected from each file's first tree: the module-level names it binds to asyncio APIs
    /// (for [`ProjectPass::Reexports`]).
    pub exports: Option<fn(&Ctx) -> Vec<Reexport>>,
}

impl Hooks {
    pub const NONE: Self = Self {
        project: &[],
        exports: None,
    };
}

/// A pass over the whole run (`lib.rs`: `project_passes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectPass {
    /// pytest-asyncio's: configuration and dependency files, the suites that must stay on
    /// pytest-asyncio, the root conftest.py.
    PytestAsyncio,
    /// asyncio APIs called through another module's re-export of them.
    Reexports,
    /// Members anyio's primitives lack, used in another file on an attribute a rewrite changed.
    ForeignMembers,
    /// Runs on the thread's default loop made `anyio.run` while another file of the project
    /// keeps using that loop outside a coroutine: migrated again, those runs stay.
    DefaultLoop,
}

impl Codemod {
    /// The codemod asks for `pass`.
    pub fn runs(&self, pass: ProjectPass) -> bool {
        self.hooks.project.contains(&pass)
    }
}

macro_rules! codemod {
    ($id:literal, $module:ident, $verdicts:literal, $summary:literal, $triggers:expr) => {
        codemod!($id, $module, $verdicts, $summary, $triggers, None)
    };
    ($id:literal, $module:ident, $verdicts:literal, $summary:literal, $triggers:expr, $refine:expr) => {
        codemod!(
            $id,
            $module,
            $verdicts,
            $summary,
            $triggers,
            $refine,
            Hooks::NONE
        )
    };
    ($id:literal, $module:ident, $verdicts:literal, $summary:literal, $triggers:expr, $refine:expr, $hooks:expr) => {
        Codemod {
            id: $id,
            summary: $summary,
            verdicts: $verdicts,
            query: include_str!(concat!("../codemods/", $id, "/query.scm")),
            readme: crate::edit::codes::readme_of($id),
            triggers: $triggers,
            refine: $refine,
            plan: codemods::$module::plan,
            hooks: $hooks,
        }
    };
}

/// The pre-filter's groups are necessary conditions, derived from each planner: a text without
/// them gives the codemod no rewrite and no finding (checked by execution:
/// `scripts/stdlib-check`, `tests/prefilter_soundness.rs` and `tests/prefilter.rs` compare runs
/// with and without the pre-filter, `engine::NO_PREFILTER_ENV`). So are the lexical tests of `refine` (`prefilter.rs`).
/// Names resolve only through imports (`resolve.rs`): a name resolving to `asyncio.X` needs
/// "asyncio" spelled in an import (`import asyncio as aio`, `from asyncio import X as y`,
/// `import asyncio.events`; `from asyncio import *` binds nothing) and "X" spelled in an
/// attribute or an import (`asyncio.tasks.sleep` folds to `asyncio.sleep`). Matching is on bytes,
/// as the resolver's is.
const ASYNCIO: &[&str] = &["asyncio"];

pub static CODEMODS: &[Codemod] = &[
    codemod!(
        "asyncio-gather",
        asyncio_gather,
        "SAFE (edge), UNSAFE, MANUAL",
        "asyncio.gather -> task group (results discarded) or anyio.gather, with the spec's helpers",
        // Every outcome needs a name resolving to `asyncio.gather` (see `ASYNCIO` above).
        &[ASYNCIO, &["gather"]]
    ),
    codemod!(
        "asyncio-task-group",
        asyncio_task_group,
        "SAFE (edge), UNSAFE, MANUAL",
        "asyncio.TaskGroup -> anyio.create_task_group(), Task methods on the handles mapped",
        // Every outcome needs a name resolving to `asyncio.TaskGroup`.
        &[ASYNCIO, &["TaskGroup"]]
    ),
    codemod!(
        "asyncio-create-task",
        asyncio_create_task,
        "SAFE, UNSAFE, MANUAL",
        "create_task / ensure_future awaited in the same block -> a task group around them",
        // `asyncio.create_task`, `asyncio.ensure_future`, or `.create_task` /
        // `.run_in_executor` on the running loop.
        &[
            ASYNCIO,
            &["create_task", "ensure_future", "run_in_executor"]
        ]
    ),
    codemod!(
        "asyncio-shield",
        asyncio_shield,
        "UNSAFE, MANUAL",
        "await asyncio.shield(f()) -> with anyio.CancelScope(shield=True): await f()",
        // `asyncio.shield` called or used as a value.
        &[ASYNCIO, &["shield"]]
    ),
    codemod!(
        "asyncio-timeout",
        asyncio_timeout,
        "SAFE, SAFE (edge), UNSAFE, MANUAL",
        "wait_for / asyncio.timeout / timeout_at / async_timeout -> fail_after / fail_at / move_on_after",
        // `asyncio.wait_for` / `asyncio.timeout[_at]` / `async_timeout.timeout[_at]` called or
        // used as a value, a test patching one of them (`patch("asyncio.wait_for")`,
        // `patch.object(asyncio, "timeout")`), or an `async_timeout` import ("timeout" is in
        // "timeout_at" and "async_timeout"). Without "asyncio", the lexical test wants an
        // import of `async_timeout` (`prefilter::timeout`).
        &[&["asyncio", "async_timeout"], &["wait_for", "timeout"]],
        Some(prefilter::timeout)
    ),
    codemod!(
        "asyncio-wait",
        asyncio_wait,
        "UNSAFE, MANUAL",
        "asyncio.wait reported with the structured patterns; as_completed loops -> anyio.as_completed",
        // `asyncio.wait` or `asyncio.as_completed`.
        &[ASYNCIO, &["wait", "as_completed"]]
    ),
    codemod!(
        "asyncio-queue",
        asyncio_queue,
        "UNSAFE, MANUAL",
        "asyncio.Queue confined to a function or class -> memory object streams (q_send, q_recv)",
        // `asyncio.Queue` / `LifoQueue` / `PriorityQueue` called or used as a value.
        &[ASYNCIO, &["Queue"]]
    ),
    codemod!(
        "asyncio-run",
        asyncio_run,
        "SAFE, UNSAFE, MANUAL",
        "asyncio.run(main(...)) and loop.run_until_complete -> anyio.run(main, ...)",
        // `asyncio.run` / `asyncio.Runner` (called or as values), or `.run_until_complete()` on
        // any object (reported when it cannot be traced to a loop): (asyncio and (run or
        // Runner)) or run_until_complete, which contains "run".
        &[&["asyncio", "run_until_complete"], &["run", "Runner"]],
        None,
        Hooks {
            project: &[ProjectPass::DefaultLoop],
            exports: None,
        }
    ),
    codemod!(
        "asyncio-sleep",
        asyncio_sleep,
        "SAFE, UNSAFE, MANUAL",
        "asyncio.sleep -> anyio.sleep (max(0, x) for computed delays, sleep_forever for inf)",
        // `asyncio.sleep` called or used as a value, or a test patching it.
        &[ASYNCIO, &["sleep"]]
    ),
    codemod!(
        "blocking-sleep",
        blocking_sleep,
        "UNSAFE, MANUAL",
        "time.sleep(x) inside async def -> await anyio.sleep(x)",
        // A call resolving to `time.sleep` (`import time`, `from time import sleep as s`), run
        // by an `async def` itself (the planner returns nothing elsewhere): lexically, the
        // keywords `async def`.
        &[&["time"], &["sleep"], &["async"]],
        Some(prefilter::blocking_sleep)
    ),
    codemod!(
        "blocking-io",
        blocking_io,
        "UNSAFE, MANUAL",
        "subprocess.run/call/check_call/check_output, `with open()`, pathlib I/O, requests.get/post/... inside async def -> anyio.run_process, anyio.open_file, anyio.Path, a worker thread",
        // A call resolving to a subprocess function, `os.system`, the builtin `open`, a method
        // of a `pathlib` path, a `requests` function or `urlopen`, run by an `async def` itself
        // (the planner returns nothing elsewhere): lexically, the keywords `async def` and one
        // of the names.
        &[
            &["async"],
            &[
                "subprocess",
                "open",
                "system",
                "pathlib",
                "requests",
                "urllib"
            ]
        ],
        Some(prefilter::blocking_io)
    ),
    codemod!(
        "asyncio-to-thread",
        asyncio_to_thread,
        "SAFE (edge), UNSAFE, MANUAL",
        "asyncio.to_thread / run_in_executor(None, ...) -> anyio.to_thread.run_sync",
        // `asyncio.to_thread` (called or as a value), or `.run_in_executor()` on any object:
        // (asyncio and to_thread) or run_in_executor.
        &[
            &["asyncio", "run_in_executor"],
            &["to_thread", "run_in_executor"],
        ]
    ),
    codemod!(
        "asyncio-sync-primitives",
        asyncio_sync_primitives,
        "SAFE, SAFE (edge), UNSAFE, MANUAL",
        "Lock, Event, Semaphore, BoundedSemaphore, Condition, Future -> anyio equivalents",
        // asyncio's Lock / Event / (Bounded)Semaphore / Condition / Future (calls, annotations,
        // values), or an `anyio.Semaphore` / `anyio.Future` whose uses an earlier pass left to
        // finish.
        &[
            &["asyncio", "anyio"],
            &[
                "Lock",
                "Event",
                "Semaphore",
                "Condition",
                "Future",
                "create_future"
            ]
        ],
        None,
        Hooks {
            project: &[ProjectPass::ForeignMembers],
            exports: None,
        }
    ),
    codemod!(
        "asyncio-timeout-error",
        asyncio_timeout_error,
        "SAFE, MANUAL",
        "except asyncio.TimeoutError -> except TimeoutError",
        // `asyncio.TimeoutError` referenced, or imported by name from asyncio.
        &[ASYNCIO, &["TimeoutError"]]
    ),
    codemod!(
        "asyncio-cancelled-error",
        asyncio_cancelled_error,
        "SAFE, SAFE (edge), UNSAFE, MANUAL",
        "except asyncio.CancelledError -> anyio.get_cancelled_exc_class(), shielded cleanup",
        // `asyncio.CancelledError` (an `except` clause or a reference) or `.cancel()` on
        // `asyncio.current_task()` / a name bound to `asyncio.create_task(...)`: asyncio and
        // (cancel or Cancel); or a bare `except:` / `except BaseException` around an await,
        // `async with` or `async for`: except and (await or async). "asyncio" contains "async",
        // so (asyncio or await or async) is the second group alone. Without "asyncio", the
        // lexical test wants the catch-all's tokens: a bare `except:` (or an `except` clause
        // and the name `BaseException`) and an `await` / `async with` / `async for`
        // (`prefilter::cancelled_error`).
        &[
            &["asyncio", "except"],
            &["async", "await"],
            &["cancel", "Cancel", "except"],
        ],
        Some(prefilter::cancelled_error)
    ),
    codemod!(
        "asyncio-loop",
        asyncio_loop,
        "SAFE, SAFE (edge), UNSAFE, MANUAL",
        "event-loop APIs: iscoroutinefunction -> inspect, loop.time() -> anyio.current_time(), the rest reported",
        // Calls and values resolving to `asyncio.*` (every asyncio-only API is spelled through
        // the asyncio module or a from-import of it, so any file mentioning asyncio stays in),
        // or the loop methods reported on any receiver: `x.call_exception_handler()` and the
        // callback methods (`CALLBACK_METHODS` in asyncio_loop.rs: call_soon[_threadsafe],
        // call_later, call_at, create_future). `loop.time()` is rewritten only when traced to
        // `asyncio.get_*_loop()`.
        &[&[
            "asyncio",
            "call_soon",
            "call_later",
            "call_at",
            "create_future",
            "call_exception_handler",
        ]],
        None,
        Hooks {
            project: &[ProjectPass::Reexports],
            exports: Some(codemods::asyncio_loop::exports_of),
        }
    ),
    codemod!(
        "asyncio-star-import",
        asyncio_star_import,
        "MANUAL",
        "from asyncio import * is reported: replace it with explicit imports",
        // `from asyncio import *` or `from asyncio.<sub> import *`.
        &[ASYNCIO, &["*"]]
    ),
    codemod!(
        "pytest-asyncio",
        pytest_asyncio,
        "SAFE, SAFE (edge), UNSAFE, MANUAL",
        "pytest-asyncio markers, fixtures, event_loop, config and dependencies -> anyio's pytest plugin",
        // Its outcomes, each with what it needs in the text:
        // - `pytest.mark.asyncio`, `pytest_asyncio.*` and its imports, a `pytest_asyncio_*`
        //   hook, a test watching the "asyncio" logger: asyncio and test ("pytest", `test*`);
        // - fixtures named event_loop / event_loop_policy / anyio_backend, sync tests requesting
        //   an async fixture of the module: fixture and pytest (the decorator resolves to
        //   `pytest.fixture` or `pytest_asyncio.fixture`);
        // - a test or fixture requesting event_loop[_policy], unused_tcp/udp_port[_factory] or
        //   pytest-aiohttp's `aiohttp_*`: that name and test;
        // - an async test calling `.set_exception()`: set_exception, async and test;
        // - a `unittest.IsolatedAsyncioTestCase` subclass: that name;
        // - a parametrized async test that is a classmethod or staticmethod (after its marker
        //   became anyio's): parametrize, async, pytest and test;
        // - a lookup of pytest-asyncio's plugin (`pluginmanager.getplugin("asyncio")`):
        //   getplugin or hasplugin, and asyncio;
        // - an async test advancing an async generator by hand (`gen.asend(...)`, `anext(gen)`,
        //   `gen.__anext__()`): asend, athrow or anext, async and test (its markers may have
        //   become anyio's, so no "asyncio" is left).
        // The groups are that disjunction multiplied out ("asyncio" contains "async", "pytest"
        // contains "test").
        // - a generator reading `asyncio.all_tasks()` after its yield: all_tasks.
        &[
            &[
                "test",
                "IsolatedAsyncioTestCase",
                "getplugin",
                "hasplugin",
                "all_tasks",
            ],
            &[
                "asyncio",
                "all_tasks",
                "fixture",
                "event_loop",
                "unused_tcp_port",
                "unused_udp_port",
                "aiohttp_",
                "set_exception",
                "IsolatedAsyncioTestCase",
                "parametrize",
                "asend",
                "athrow",
                "anext",
            ],
            &[
                "async",
                "all_tasks",
                "fixture",
                "event_loop",
                "unused_tcp_port",
                "unused_udp_port",
                "aiohttp_",
                "IsolatedAsyncioTestCase",
            ],
            &[
                "pytest",
                "asyncio",
                "all_tasks",
                "event_loop",
                "unused_tcp_port",
                "unused_udp_port",
                "aiohttp_",
                "set_exception",
                "IsolatedAsyncioTestCase",
                "asend",
                "athrow",
                "anext",
            ],
        ],
        None,
        Hooks {
            project: &[ProjectPass::PytestAsyncio],
            exports: None,
        }
    ),
];

/// Look a codemod up by id.
pub fn find(id: &str) -> Option<&'static Codemod> {
    CODEMODS.iter().find(|c| c.id == id)
}

pub use crate::edit::codes::{
    CODES_HEADING, INDEX, PROJECT_CODES_HEADING, PROJECT_PASSES, is_catalogued_id, parse_code_line,
    section_lines,
};

/// Where a code is documented.
#[derive(Clone, Copy)]
pub enum CodeSource {
    /// The `## Codes` section of a codemod's README (the project pass of pytest-asyncio included).
    Codemod(&'static Codemod),
    /// The `## Codes of the project passes` section of `codemods/README.md`.
    ProjectPasses,
}

/// One line of a `## Codes` section (`edit::codes::CodeLine`: code, verdicts, description),
/// with the codemod whose README it is in.
#[derive(Clone, Copy)]
pub struct CodeEntry {
    pub line: &'static crate::edit::codes::CodeLine,
    pub source: CodeSource,
}

impl std::ops::Deref for CodeEntry {
    type Target = crate::edit::codes::CodeLine;

    fn deref(&self) -> &Self::Target {
        self.line
    }
}

/// Every documented code, in README order (codemods first, then the project passes).
pub fn code_entries() -> &'static [CodeEntry] {
    use crate::edit::codes::{Readme, code_lines};
    static ENTRIES: std::sync::OnceLock<Vec<CodeEntry>> = std::sync::OnceLock::new();
    ENTRIES.get_or_init(|| {
        code_lines()
            .iter()
            .filter_map(|line| {
                let source = match line.readme {
                    Readme::Codemod(id) => CodeSource::Codemod(find(id)?),
                    Readme::Index => CodeSource::ProjectPasses,
                };
                Some(CodeEntry { line, source })
            })
            .collect()
    })
}

/// The catalogue's entry for `code` (`asyncio-sleep/sleep-forever`).
pub fn code_entry(code: &str) -> Option<&'static CodeEntry> {
    code_entries().iter().find(|e| e.code == code)
}

/// `code` is in the catalogue.
pub fn known_code(code: &str) -> bool {
    code_entry(code).is_some()
}

/// The known id closest to `id`, for "did you mean" hints.
pub fn closest(id: &str) -> Option<&'static str> {
    closest_of(id, CODEMODS.iter().map(|c| c.id))
}

/// The candidate nearest to `word` by edit distance, when near enough to be a typo of it.
pub fn closest_of<'c>(word: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    candidates
        .map(|c| (edit_distance(word, c), c))
        .min()
        .filter(|(d, _)| *d <= word.len().max(3) / 2 + 2)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_near_misses_only() {
        assert_eq!(closest("asyncio-slep"), Some("asyncio-sleep"));
        assert_eq!(closest("asyncio_run"), Some("asyncio-run"));
        assert_eq!(closest("completely-unrelated-name-xyz"), None);
    }

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut ids: Vec<_> = CODEMODS.iter().map(|c| c.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), CODEMODS.len());
        assert!(
            ids.iter()
                .all(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        );
    }
}
