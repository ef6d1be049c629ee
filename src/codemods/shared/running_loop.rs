//! `loop.m(...)` on the running loop of the coroutine that makes the call. In a coroutine,
//! `asyncio.get_running_loop()` and `asyncio.get_event_loop()` return the loop running it, so
//! `loop.create_task(c)` is `asyncio.create_task(c)` and `loop.create_future()` is
//! `asyncio.Future()` (a loop class overriding those methods is not seen: the codemods' READMEs
//! say so).

use crate::analysis::scopes::{owner_scope, scope_bindings};
use crate::analysis::syntax::is_async_def;
use crate::codemods::{Ctx, call_args, enclosing_function};
use tree_sitter::Node;

/// `call` is `R.method(...)` in an `async def`, where `R` is `asyncio.get_running_loop()` /
/// `asyncio.get_event_loop()` called there without arguments, or a name of that coroutine
/// (not global or nonlocal) bound once, by an assignment of such a call. Asked of every call
/// in a file: the method name is checked first.
pub fn is_running_loop_method(ctx: &Ctx, call: Node, method: &str) -> bool {
    let Some(callee) = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "attribute")
    else {
        return false;
    };
    let (Some(receiver), Some(name)) = (
        callee.child_by_field_name("object"),
        callee.child_by_field_name("attribute"),
    ) else {
        return false;
    };
    if ctx.text_of(name) != method {
        return false;
    }
    let Some(coroutine) = enclosing_function(call).filter(|f| is_async_def(*f)) else {
        return false;
    };
    if is_loop_call(ctx, receiver) {
        return true;
    }
    if receiver.kind() != "identifier" {
        return false;
    }
    let code = ctx.code();
    let Some(owner) = owner_scope(code, receiver) else {
        return false;
    };
    let bindings = scope_bindings(code, owner, ctx.text_of(receiver));
    owner.id() == coroutine.id()
        && !bindings.declared
        && matches!(bindings.sites.as_slice(), [site] if site
            .parent()
            .filter(|a| a.kind() == "assignment")
            .and_then(|a| a.child_by_field_name("right"))
            .is_some_and(|right| is_loop_call(ctx, right)))
}

/// `asyncio.get_running_loop()` or `asyncio.get_event_loop()` without arguments.
fn is_loop_call(ctx: &Ctx, node: Node) -> bool {
    node.kind() == "call"
        && call_args(node).is_empty()
        && node.child_by_field_name("function").is_some_and(|f| {
            matches!(
                ctx.qualified(f).as_deref(),
                Some("asyncio.get_running_loop" | "asyncio.get_event_loop")
            )
        })
}
