//! What several codemods share and no one codemod owns: statement-level edits, task-handle and
//! task-group helpers, shared messages. Not a codemod: no codemod imports another, they all
//! import from here (and from `crate::analysis` for the soundness questions).

pub mod block;
pub mod catalogue;
pub mod coroutine;
pub mod messages;
pub mod refusal;
pub mod release;
pub mod running_loop;
pub mod statements;
pub mod task_handles;
pub mod tasks;
pub mod timeouts;

/// The module helper asyncio-sync-primitives makes `asyncio.Future()` into below anyio 4.15
/// (asyncio.Future's interface on anyio), which asyncio-timeout then times like anyio's Future.
pub const FUTURE_HELPER: &str = "_Future";
