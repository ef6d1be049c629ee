//! Where a blocking call runs: in the coroutine itself (an `async def` body), and what lies
//! between it and the `async def` that an `await` put there would change (a generator
//! expression, a synchronous `with` block that may hold a lock). blocking-sleep and blocking-io
//! turn such calls into awaits.

use crate::codemods::Ctx;
use tree_sitter::Node;

/// The `async def` whose own code runs `node`: the innermost def, lambda or class whose code
/// holds it is that `async def` (a def's body runs in the def, but its decorators, defaults and
/// annotations run where the def statement is; a nested def, lambda or class body is ordinary
/// synchronous code, often run in a worker thread, where blocking is intended).
pub fn running_async_def<'t>(ctx: &Ctx<'t>, node: Node<'t>) -> Option<Node<'t>> {
    let mut child = node;
    for n in ctx.ancestors(node) {
        match n.kind() {
            "function_definition" | "class_definition"
                if n.child_by_field_name("body")
                    .is_some_and(|b| b.id() == child.id()) =>
            {
                return (n.kind() == "function_definition"
                    && crate::analysis::syntax::is_async_def(n))
                .then_some(n);
            }
            "lambda" => return None,
            _ => {}
        }
        child = n;
    }
    None
}

/// A generator expression between `node` and the def: its body runs lazily, wherever it is
/// consumed, and cannot hold an `await` without becoming an async generator.
pub fn inside_generator_expression<'t>(ctx: &Ctx<'t>, node: Node<'t>, def: Node<'t>) -> bool {
    ctx.ancestors(node)
        .take_while(|n| n.id() != def.id())
        .any(|n| n.kind() == "generator_expression")
}

/// Context managers that hold nothing another task could wait for: anyio's cancel scopes and
/// timeouts, `contextlib.suppress`, `pytest.raises` / `warns`, the builtin `open`.
const HOLDS_NOTHING: &[&str] = &[
    "anyio.CancelScope",
    "anyio.fail_after",
    "anyio.fail_at",
    "anyio.move_on_after",
    "anyio.move_on_at",
    "contextlib.suppress",
    "pytest.raises",
    "pytest.warns",
];

/// The innermost synchronous `with` statement between `node` and the def whose context
/// managers are not all known to hold nothing other tasks wait for: a new suspension point
/// inside it would let other tasks run while it holds what it holds (a `threading.Lock`
/// that no task on the loop could contend for while the call blocked the loop).
pub fn inside_sync_with<'t>(ctx: &Ctx<'t>, node: Node<'t>, def: Node<'t>) -> Option<Node<'t>> {
    let harmless = |item: Node| {
        let value = item.child_by_field_name("value").unwrap_or(item);
        let value = match value.kind() {
            "as_pattern" => value.named_child(0).unwrap_or(value),
            _ => value,
        };
        value.kind() == "call"
            && value.child_by_field_name("function").is_some_and(|f| {
                ctx.qualified(f)
                    .is_some_and(|q| HOLDS_NOTHING.contains(&q.as_str()))
                    || crate::codemods::is_builtin(ctx, f, "open")
            })
    };
    ctx.ancestors(node)
        .take_while(|n| n.id() != def.id())
        .find(|n| {
            n.kind() == "with_statement"
                && !crate::analysis::syntax::is_async_with(*n)
                && !crate::resolve::named_children(*n)
                    .find(|c| c.kind() == "with_clause")
                    .is_some_and(|c| {
                        crate::resolve::named_children(c)
                            .filter(|i| i.kind() == "with_item")
                            .all(harmless)
                    })
        })
}
