//! anyio 4.14's `tg.create_task()` and `TaskHandle` for an older anyio (4.0 to 4.13): the
//! module helper `_TaskGroup` (an anyio task group with `create_task()`) and `_TaskHandle`,
//! `_TaskFailed`, `_TaskCancelled`, `_TaskNotFinished`, written as anyio 4.14 writes them, on
//! `CancelScope` and `Event` (pure Python there too). A fix planned for 4.14 becomes the
//! older target's by respelling the names it writes ([`backport`]); every other part of the
//! rewrite, and its verdict and note, stay as they are.
//!
//! Proven by `codemods/asyncio-create-task/examples/runnable_task_handles.py` (migrated for anyio
//! 4.12 by its `.target-anyio` file, the floors test runs it on anyio 4.0 to 4.11 too) and by
//! the floors runs of every other runnable example that starts tasks.

use crate::codemods::Ctx;
use crate::edit::{Finding, Fix};
use tree_sitter::Node;

/// The helper group's name: the class the `async with` makes.
pub const GROUP: &str = "_TaskGroup";

/// The helper's source lives with asyncio-create-task's data (the codemod whose example proves
/// it); asyncio-task-group writes it too.
const HELPER: &str = include_str!("../../../codemods/asyncio-create-task/helpers/task_group.py");

/// What the backport adds to a fix's note.
const NOTE: &str = "anyio < 4.14 has no `tg.create_task()`: the task group is the module helper `_TaskGroup` (an anyio task group with anyio 4.14's `create_task()`), and the handle, `_TaskFailed` and `_TaskCancelled` are anyio 4.14's TaskHandle and exceptions written as anyio writes them; once the project requires anyio >= 4.14, `anyio.create_task_group()`, `anyio.TaskHandle`, `anyio.TaskFailed` and `anyio.TaskCancelled` replace them";

/// anyio's names in the text a fix writes, and the helper's.
const NAMES: &[(&str, &str)] = &[
    ("anyio.create_task_group", "_TaskGroup"),
    ("anyio.TaskHandle", "_TaskHandle"),
    ("anyio.TaskCancelled", "_TaskCancelled"),
    ("anyio.TaskFailed", "_TaskFailed"),
    ("anyio.TaskNotFinished", "_TaskNotFinished"),
];

/// The fix planned for anyio 4.14 (`tg.create_task()` and its handle), for the target's older
/// anyio: anyio's names in its edits respelled as the helper's, the helper added once after the
/// imports, the note extended. `Err` when the helper's name means something else at `at`.
pub fn backport(ctx: &Ctx, at: Node, mut fix: Fix) -> Result<Fix, Finding> {
    let Ok(helper) = crate::codemods::module_helper(ctx, at, GROUP, HELPER) else {
        return Err(Finding::manual(
            fix.codemod,
            "helper-name-taken",
            at.start_byte(),
            format!(
                "anyio < 4.14 has no `tg.create_task()`, and the name `{GROUP}` of the module helper that gives a task group one is already used here"
            ),
            format!("rename the existing `{GROUP}`, then run again"),
        ));
    };
    for edit in &mut fix.edits {
        for (anyio, ours) in NAMES {
            if edit.text.contains(anyio) {
                edit.text = edit.text.replace(anyio, ours);
            }
        }
    }
    fix.edits.extend(helper);
    fix.note = Some(match fix.note.take() {
        Some(note) => format!("{note}; {NOTE}"),
        None => NOTE.to_owned(),
    });
    Ok(fix)
}

/// `callee` makes the helper group (`_TaskGroup()`, the class this module adds).
pub fn is_helper_group_callee(ctx: &Ctx, callee: Node) -> bool {
    callee.kind() == "identifier"
        && ctx.text_of(callee) == GROUP
        && ctx.resolver.defining_scope(GROUP, callee) == Some(ctx.tree.root_node().id())
}
