//! `loop.call_soon(cb, *a)` / `loop.call_later(d, cb, *a)` as a statement in a coroutine, on
//! its running loop: the callback becomes a task of a task group that spans the rest of the
//! block, `tg.start_soon(_call_later, d, cb, *a)` with the `_call_later` helper (sleep, then
//! call), so it runs on both backends (UNSAFE: the function now waits for it).

use super::ID;
use super::advice::{CALL_LATER_HELPER, MESSAGES};
use crate::analysis::syntax::{method_call, yields_in};
use crate::codemods::shared::block::wrap;
use crate::codemods::shared::running_loop::is_running_loop_method;
use crate::codemods::shared::tasks::group_of_block;
use crate::codemods::{Ctx, call_args, enclosing_function, is_async_def};
use crate::edit::{Edit, Fix, Outcome, Verdict};
use crate::imports::mentions;
use crate::resolve::named_children;
use tree_sitter::Node;

const NAME: &str = "_call_later";

/// The fix, or `None` when a precondition fails (the loop finding then stays): the call is
/// the whole statement (its handle discarded), on the running loop of the `async def` it is
/// directly in (not a generator, and catching no cancellation), with plain positional
/// arguments (no `context=`) that do not hand the loop itself to the callback, `tg` free in
/// the function (or a group already around the statement), and `_call_later` free or ours in
/// the module.
pub(super) fn plan(ctx: &Ctx, call: Node, method: &str) -> Option<Outcome> {
    if !matches!(method, "call_soon" | "call_later") || !is_running_loop_method(ctx, call, method) {
        return None;
    }
    let stmt = ctx
        .parent(call)
        .filter(|s| s.kind() == "expression_statement" && s.named_child_count() == 1)?;
    let block = ctx.parent(stmt).filter(|b| b.kind() == "block")?;
    let func = enclosing_function(ctx.resolver, call).filter(|f| is_async_def(*f))?;
    // The function awaits after the call, in the block the group spans: asyncio ran the
    // callback at such an await (or later), while the code after the call ran first. With
    // no await there, the group's end is the first wait, and the callback would now run
    // before the function returns, where asyncio ran it after its caller went on (found on a
    // rate limiter's test of that order).
    if !awaits_after(ctx, block, stmt) {
        return None;
    }
    // A group an earlier pass made (or the user wrote) around this statement is joined.
    let group = group_of_block(ctx, block);
    if yields_in(func) || (group.is_none() && mentions(ctx.text_of(func), "tg")) {
        return None;
    }
    // The function expects to be cancelled (it catches the cancellation): a cancellation
    // would now also cancel the callback not yet run, where asyncio's loop ran it anyway
    // (a shutdown that cancels every task, then a handler that waits for what the callback
    // does).
    if crate::analysis::exceptions::catches_cancellation(
        ctx.code(),
        func.child_by_field_name("body")?,
    ) {
        return None;
    }
    let args = call_args(call);
    if args.iter().any(|a| {
        matches!(
            a.kind(),
            "keyword_argument" | "list_splat" | "dictionary_splat"
        )
    }) {
        return None;
    }
    // The loop handed to the callback (`loop.call_soon(beat, loop)`): the callback goes on
    // with asyncio's loop, so the code stays asyncio's; the loop finding says so.
    let (receiver, _) = method_call(call)?;
    if receiver.kind() == "identifier"
        && args
            .iter()
            .any(|a| mentions(ctx.text_of(*a), ctx.text_of(receiver)))
    {
        return None;
    }
    // `call_later(d, cb, *a)` keeps its arguments; `call_soon(cb, *a)` gets the delay 0.
    let inserted = match method {
        "call_later" if args.len() >= 2 => format!("{NAME}, "),
        "call_soon" if !args.is_empty() => format!("{NAME}, 0, "),
        _ => return None,
    };
    let callee = call.child_by_field_name("function")?;
    let open = call.child_by_field_name("arguments")?.start_byte() + 1;
    let helper = crate::codemods::module_helper(ctx, call, NAME, CALL_LATER_HELPER).ok()?;
    let (group, mut edits) = if let Some(name) = group {
        (name, Vec::new())
    } else {
        let last = named_children(block).rfind(|s| s.kind() != "comment")?;
        let header = "async with anyio.create_task_group() as tg:";
        ("tg".to_owned(), wrap(ctx, stmt, last, header).ok()?)
    };
    // Only the callee and the helper's arguments change: the callback and its arguments stay
    // as written (a spot another codemod reports there keeps its text).
    edits.push(Edit::replace(
        callee.byte_range(),
        format!("{group}.start_soon"),
    ));
    edits.push(Edit::insert(open, inserted));
    edits.extend(helper);
    Some(
        Fix::new(
            ID,
            "loop-callback-task",
            call.start_byte(),
            Verdict::Unsafe,
            edits,
        )
        .note(MESSAGES.text("loop-callback-task", "note"))
        .into(),
    )
}

/// A statement of `block` after `stmt` awaits (an `await`, `async with` or `async for`
/// outside nested functions and classes).
fn awaits_after(ctx: &Ctx, block: Node, stmt: Node) -> bool {
    named_children(block)
        .filter(|s| s.start_byte() > stmt.start_byte())
        .any(|s| {
            let mut stack = vec![s];
            while let Some(n) = stack.pop() {
                match n.kind() {
                    "await" => return true,
                    "with_statement" | "for_statement" if ctx.text_of(n).starts_with("async") => {
                        return true;
                    }
                    "function_definition" | "lambda" | "class_definition" => {}
                    _ => stack.extend(named_children(n)),
                }
            }
            false
        })
}
