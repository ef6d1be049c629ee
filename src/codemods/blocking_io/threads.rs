//! The module-level request functions of `requests` in a coroutine → the same call in a worker
//! thread, `await anyio.to_thread.run_sync(functools.partial(requests.get, ...))`. Each call
//! makes its own session, so running it in a thread shares nothing with the event loop's
//! thread.

use super::{ID, MESSAGES, needs_parentheses};
use crate::codemods::Ctx;
use crate::edit::{Edit, Fix, Import, Verdict};
use tree_sitter::Node;

/// `requests`' functions that send one request on a session of their own.
const REQUESTS: &[&str] = &[
    "requests.delete",
    "requests.get",
    "requests.head",
    "requests.options",
    "requests.patch",
    "requests.post",
    "requests.put",
    "requests.request",
];

pub(super) fn is_request(api: &str) -> bool {
    REQUESTS.contains(&api)
}

/// `f(args)` → `await anyio.to_thread.run_sync(functools.partial(f, args))` (`f` as written;
/// `run_sync(f)` when there are no arguments).
pub(super) fn rewrite(ctx: &Ctx, call: Node, callee: Node) -> Option<Fix> {
    let args = call.child_by_field_name("arguments")?;
    let parens = needs_parentheses(ctx, call);
    let open = if parens { "(await " } else { "await " };
    let written = ctx.text_of(callee);
    let empty = crate::resolve::named_children(args).next().is_none();
    let close = if parens { ")" } else { "" };
    let edits = if empty {
        vec![Edit::replace(
            call.byte_range(),
            format!("{open}anyio.to_thread.run_sync({written}){close}"),
        )]
    } else {
        // One insertion closes both `partial(` and `(await`: equal edits at one place are one.
        vec![
            Edit::replace(
                callee.start_byte()..args.start_byte() + 1,
                format!("{open}anyio.to_thread.run_sync(functools.partial({written}, "),
            ),
            Edit::insert(call.end_byte(), format!("){close}")),
        ]
    };
    let mut fix = Fix::new(
        ID,
        "request-in-thread",
        call.start_byte(),
        Verdict::Unsafe,
        edits,
    )
    .note(MESSAGES.text("request-in-thread", "note"));
    if !empty {
        fix = fix.with_imports(&[Import::Functools]);
    }
    Some(fix)
}
