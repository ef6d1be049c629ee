//! A queue that cannot be split into memory object streams (it travels: stored on a public
//! attribute, returned, its bound methods passed as callbacks, used by `task_done()` / `join()`) keeps
//! its object and its interface: `asyncio.Queue(n)` → `_Queue(n)`, a module helper with
//! asyncio.Queue's public methods written with anyio's Event (so it runs on trio too). Every use
//! stays as written.

use super::MESSAGES;
use super::{Ctx, ID, Kind, kind_of};
use crate::edit::{Edit, Finding, Fix, Import, Outcome, Verdict};
use crate::resolve::named_children;
use tree_sitter::Node;

const NAME: &str = "_Queue";

/// asyncio.Queue's algorithm (3.11's `asyncio/queues.py`: FIFO waiters woken one at a time, a
/// cancelled waiter passing its wake-up on, `task_done()` / `join()` counting unfinished items)
/// with anyio Events instead of Futures. Events are made only in the coroutines.
const HELPER: &str = include_str!("../../../codemods/asyncio-queue/helpers/queue.py");

/// The members of asyncio.Queue the helper has.
const MEMBERS: &[&str] = &[
    "put",
    "put_nowait",
    "get",
    "get_nowait",
    "qsize",
    "empty",
    "full",
    "maxsize",
    "task_done",
    "join",
];

/// The fix, or why the helper cannot stand in for the queue: the file shows a use it lacks (a
/// member outside [`MEMBERS`] on the name the queue is bound to, an `isinstance` /
/// `issubclass` check against asyncio.Queue), or arguments other than `maxsize`.
pub(super) fn plan(
    ctx: &Ctx,
    call: Node,
    callee: Node,
    bound: Option<&str>,
) -> Result<Outcome, String> {
    let args = crate::codemods::call_args(call);
    let plain_args = match args.as_slice() {
        [] => true,
        [a] => {
            a.kind() != "list_splat"
                && a.kind() != "dictionary_splat"
                && (a.kind() != "keyword_argument"
                    || a.child_by_field_name("name")
                        .is_some_and(|n| ctx.text_of(n) == "maxsize"))
        }
        _ => false,
    };
    if !plain_args {
        return Err(
            "the helper that would keep its interface (`_Queue`) takes only `maxsize`".to_owned(),
        );
    }
    if let Some(member) =
        bound.and_then(|name| foreign_member(ctx, scope_of(ctx, call, name), name))
    {
        return Err(format!(
            "the helper that would keep its interface (`_Queue`) has no `{member}`"
        ));
    }
    if crate::codemods::file_checks_class(ctx, "asyncio.Queue") {
        return Err("the helper that would keep its interface (`_Queue`) is not an asyncio.Queue, and this file checks for one (isinstance / issubclass)".to_owned());
    }
    let Ok(helper) = crate::codemods::module_helper(ctx, call, NAME, HELPER) else {
        return Ok(
            Finding::manual(
                ID,
                "helper-name-taken",
                call.start_byte(),
                format!("the queue travels, and the name `{NAME}` for the helper that keeps its interface on anyio is already used here"),
                "rename the existing `_Queue`, then run again",
            )
            .into(),
        );
    };
    let mut edits = vec![Edit::replace(callee.byte_range(), NAME)];
    edits.extend(helper);
    edits.extend(crate::codemods::helper_annotation_edits(
        ctx,
        call,
        NAME,
        |r| kind_of(ctx, r) == Some(Kind::Queue),
    ));
    Ok(Fix::new(
        ID,
        "queue-helper",
        call.start_byte(),
        Verdict::Unsafe,
        edits,
    )
    .note(MESSAGES.text("queue-helper", "note"))
    .with_imports(&[Import::Collections])
    .into())
}

/// Where the name the queue is bound to means this queue: the function that makes it for a
/// plain name, the class for `self.x`, else the module.
fn scope_of<'t>(ctx: &Ctx<'t>, call: Node<'t>, name: &str) -> Node<'t> {
    let wanted: &[&str] = if name.starts_with("self.") {
        &["class_definition"]
    } else if name.contains('.') {
        &[]
    } else {
        &["function_definition"]
    };
    let mut cur = call;
    while let Some(parent) = ctx.parent(cur) {
        if wanted.contains(&parent.kind()) {
            return parent;
        }
        cur = parent;
    }
    cur
}

/// A member the helper lacks, used as `name.member` in `scope` (`name` is the text the queue
/// is bound to: `q`, `self._queue`).
fn foreign_member<'a>(ctx: &Ctx<'a>, scope: Node, name: &str) -> Option<&'a str> {
    let mut stack = vec![scope];
    while let Some(n) = stack.pop() {
        if n.kind() == "attribute"
            && let (Some(object), Some(member)) = (
                n.child_by_field_name("object"),
                n.child_by_field_name("attribute"),
            )
            && ctx.text_of(object) == name
            && !MEMBERS.contains(&ctx.text_of(member))
        {
            return Some(&ctx.text[member.byte_range()]);
        }
        stack.extend(named_children(n));
    }
    None
}
