//! The one table of codemods: id, summary, verdicts, query, planner, documentation.

use crate::codemods::{self, PlanFn};

pub struct Codemod {
    pub id: &'static str,
    pub summary: &'static str,
    /// The verdicts this codemod can give, for `list`.
    pub verdicts: &'static str,
    /// Source text of `codemods/<id>/query.scm`.
    pub query: &'static str,
    /// `codemods/<id>/README.md`, printed by `explain`.
    pub readme: &'static str,
    /// A file that contains none of these substrings is not parsed for this codemod.
    pub triggers: &'static [&'static str],
    pub plan: PlanFn,
}

macro_rules! codemod {
    ($id:literal, $module:ident, $verdicts:literal, $summary:literal, $triggers:expr) => {
        Codemod {
            id: $id,
            summary: $summary,
            verdicts: $verdicts,
            query: include_str!(concat!("../codemods/", $id, "/query.scm")),
            readme: include_str!(concat!("../codemods/", $id, "/README.md")),
            triggers: $triggers,
            plan: codemods::$module::plan,
        }
    };
}

pub static CODEMODS: &[Codemod] = &[
    codemod!(
        "asyncio-gather",
        asyncio_gather,
        "SAFE (edge), UNSAFE, MANUAL",
        "asyncio.gather -> task group (results discarded) or anyio.gather, with the spec's helpers",
        &["gather"]
    ),
    codemod!(
        "asyncio-task-group",
        asyncio_task_group,
        "SAFE, SAFE (edge), UNSAFE, MANUAL",
        "asyncio.TaskGroup -> anyio.create_task_group(), Task methods on the handles mapped",
        &["TaskGroup"]
    ),
    codemod!(
        "asyncio-create-task",
        asyncio_create_task,
        "UNSAFE, MANUAL",
        "create_task / ensure_future awaited in the same block -> a task group around them",
        &["create_task", "ensure_future"]
    ),
    codemod!(
        "asyncio-shield",
        asyncio_shield,
        "UNSAFE, MANUAL",
        "await asyncio.shield(f()) -> with anyio.CancelScope(shield=True): await f()",
        &["shield"]
    ),
    codemod!(
        "asyncio-timeout",
        asyncio_timeout,
        "SAFE, SAFE (edge), UNSAFE, MANUAL",
        "wait_for / asyncio.timeout / timeout_at / async_timeout -> fail_after / fail_at / move_on_after",
        &["wait_for", "timeout"]
    ),
    codemod!(
        "asyncio-wait",
        asyncio_wait,
        "UNSAFE, MANUAL",
        "asyncio.wait reported with the structured patterns; as_completed loops -> anyio.as_completed",
        &["wait", "as_completed"]
    ),
    codemod!(
        "asyncio-queue",
        asyncio_queue,
        "UNSAFE, MANUAL",
        "asyncio.Queue confined to a function or class -> memory object streams (q_send, q_recv)",
        &["Queue", "QueueEmpty", "QueueFull"]
    ),
    codemod!(
        "asyncio-run",
        asyncio_run,
        "SAFE, UNSAFE, MANUAL",
        "asyncio.run(main(...)) and loop.run_until_complete -> anyio.run(main, ...)",
        &["asyncio"]
    ),
    codemod!(
        "asyncio-sleep",
        asyncio_sleep,
        "SAFE, UNSAFE, MANUAL",
        "asyncio.sleep -> anyio.sleep (max(0, x) for computed delays, sleep_forever for inf)",
        &["asyncio"]
    ),
    codemod!(
        "blocking-sleep",
        blocking_sleep,
        "UNSAFE, MANUAL",
        "time.sleep(x) inside async def -> await anyio.sleep(x)",
        &["sleep"]
    ),
    codemod!(
        "asyncio-to-thread",
        asyncio_to_thread,
        "SAFE (edge), UNSAFE, MANUAL",
        "asyncio.to_thread / run_in_executor(None, ...) -> anyio.to_thread.run_sync",
        &["asyncio", "run_in_executor"]
    ),
    codemod!(
        "asyncio-sync-primitives",
        asyncio_sync_primitives,
        "SAFE, UNSAFE, MANUAL",
        "Lock, Event, Semaphore, BoundedSemaphore, Condition -> anyio equivalents",
        &["asyncio"]
    ),
    codemod!(
        "asyncio-timeout-error",
        asyncio_timeout_error,
        "SAFE, MANUAL",
        "except asyncio.TimeoutError -> except TimeoutError",
        &["asyncio"]
    ),
    codemod!(
        "asyncio-cancelled-error",
        asyncio_cancelled_error,
        "SAFE, SAFE (edge), UNSAFE, MANUAL",
        "except asyncio.CancelledError -> anyio.get_cancelled_exc_class(), shielded cleanup",
        &["asyncio"]
    ),
    codemod!(
        "asyncio-loop",
        asyncio_loop,
        "SAFE, SAFE (edge), MANUAL",
        "event-loop APIs: iscoroutinefunction -> inspect, loop.time() -> anyio.current_time(), the rest reported",
        &["asyncio"]
    ),
    codemod!(
        "asyncio-star-import",
        asyncio_star_import,
        "MANUAL",
        "from asyncio import * is reported: replace it with explicit imports",
        &["asyncio"]
    ),
    codemod!(
        "pytest-asyncio",
        pytest_asyncio,
        "SAFE, SAFE (edge), UNSAFE, MANUAL",
        "pytest-asyncio markers, fixtures, event_loop, config and dependencies -> anyio's pytest plugin",
        &[
            "asyncio",
            "event_loop",
            "IsolatedAsyncioTestCase",
            "anyio_backend",
            "fixture"
        ]
    ),
];

/// Look a codemod up by id.
pub fn find(id: &str) -> Option<&'static Codemod> {
    CODEMODS.iter().find(|c| c.id == id)
}

/// The known id closest to `id`, for "did you mean" hints.
pub fn closest(id: &str) -> Option<&'static str> {
    CODEMODS
        .iter()
        .map(|c| (edit_distance(id, c.id), c.id))
        .min()
        .filter(|(d, _)| *d <= id.len().max(3) / 2 + 2)
        .map(|(_, id)| id)
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
