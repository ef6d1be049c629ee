//! `loop.m(...)` on the running loop of the coroutine that makes the call. In a coroutine,
//! `asyncio.get_running_loop()` and `asyncio.get_event_loop()` return the loop running it, so
//! `loop.create_task(c)` is `asyncio.create_task(c)` and `loop.create_future()` is
//! `asyncio.Future()` (a loop class overriding those methods is not seen: the codemods' READMEs
//! say so).

use crate::analysis::bindings::is_binding_site;
use crate::analysis::scopes::{name_uses, scope_bindings, single_assignment};
use crate::analysis::syntax::{field_is, is_async_def, method_call};
use crate::codemods::{Ctx, call_args, enclosing_function};
use tree_sitter::Node;

/// `call` is `R.method(...)` in an `async def`, where `R` is `asyncio.get_running_loop()` /
/// `asyncio.get_event_loop()` called there without arguments, or a name (not global or
/// nonlocal, rebound by no nested function) bound once, by an assignment of such a call, in
/// that coroutine or in one that runs it in its own task (`runs_in_task_of`). Asked of every
/// call in a file: the method name is checked first.
pub fn is_running_loop_method(ctx: &Ctx, call: Node, method: &str) -> bool {
    let Some((receiver, name)) = method_call(call) else {
        return false;
    };
    if ctx.text_of(name) != method {
        return false;
    }
    let Some(coroutine) = enclosing_function(ctx.resolver, call).filter(|f| is_async_def(*f))
    else {
        return false;
    };
    if is_loop_call(ctx, receiver) {
        return true;
    }
    if receiver.kind() != "identifier" {
        return false;
    }
    let code = ctx.code();
    let Some((owner, site, value)) = single_assignment(code, receiver) else {
        return false;
    };
    let name = ctx.text_of(receiver);
    is_loop_call(ctx, value)
        // No nested function rebinds it (`nonlocal loop`).
        && name_uses(code, owner, name, false)
            .iter()
            .all(|u| u.id() == site.id() || !is_binding_site(ctx.resolver, *u))
        && runs_in_task_of(ctx, coroutine, owner)
}

/// `inner` is `outer`, or an `async def` that only `outer` runs, in its own task: defined in
/// `outer` (or in such a coroutine of it, recursively), undecorated, its name bound once and
/// every other mention `await inner(...)` in the function that defines it. The running loop of
/// `inner` is then `outer`'s.
fn runs_in_task_of(ctx: &Ctx, inner: Node, outer: Node) -> bool {
    let code = ctx.code();
    let mut cur = inner;
    while cur.id() != outer.id() {
        let Some(parent) = enclosing_function(ctx.resolver, cur).filter(|f| is_async_def(*f))
        else {
            return false;
        };
        let Some(def_name) = cur.child_by_field_name("name") else {
            return false;
        };
        if cur.kind() != "function_definition"
            || !is_async_def(cur)
            || ctx
                .parent(cur)
                .is_some_and(|p| p.kind() == "decorated_definition")
        {
            return false;
        }
        let name = ctx.text_of(def_name);
        let bindings = scope_bindings(code, parent, name);
        let awaited_here = |u: &Node| {
            u.id() == def_name.id()
                || (enclosing_function(ctx.resolver, *u).is_some_and(|f| f.id() == parent.id())
                    && ctx
                        .parent(*u)
                        .filter(|c| c.kind() == "call" && field_is(*c, "function", *u))
                        .and_then(|c| ctx.parent(c))
                        .is_some_and(|a| a.kind() == "await"))
        };
        if bindings.declared
            || bindings.sites.len() != 1
            || !name_uses(code, parent, name, false)
                .iter()
                .all(awaited_here)
        {
            return false;
        }
        cur = parent;
    }
    true
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
