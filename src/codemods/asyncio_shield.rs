//! asyncio-shield: `await asyncio.shield(f())` → `with anyio.CancelScope(shield=True): await f()` (spec §3).

use super::shared::statements::{unwrap_call, wrap_statement};
use super::shared::timeouts::{inside_timeout_block, is_task_call, keep_running_fix};
use super::{
    Captures, Ctx, awaited_by, call_args, enclosing_statement, keyword_arg, positional_args,
};
use crate::analysis::exceptions::{caught_types, is_cancellation_class};
use crate::analysis::syntax::{awaits_in, is_statement_value, only_await, outer_parentheses};
use crate::codemods::shared::catalogue::messages;
use crate::edit::{Finding, Fix, Outcome, Verdict};
use crate::resolve::named_children;
use tree_sitter::Node;

const ID: &str = "asyncio-shield";

messages!("asyncio-shield");

const HEADER: &str = "with anyio.CancelScope(shield=True):";

/// anyio's shield stops anyio's cancellation only, not asyncio's own (`asyncio.timeout`,
/// `wait_for`): below the release where the timeouts are migrated (4.0) a file's timeouts stay
/// asyncio's and would cancel through the shield.
fn timeouts_migrate(ctx: &Ctx, call: Node) -> Result<(), crate::edit::Finding> {
    if !ctx.text.contains("wait_for") && !ctx.text.contains("timeout") {
        return Ok(());
    }
    super::shared::release::require(
        ctx,
        ID,
        call.start_byte(),
        crate::target::api::Api::ScopeExitWithoutCheckpoint,
        "anyio timeouts around the shield (asyncio's, which stay for this target, cancel through anyio's shield)",
    )
}

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let Some(reference) = caps.get("ref") {
        return plan_reference(ctx, reference);
    }
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    if !ctx.is(callee, "asyncio.shield") {
        return Vec::new();
    }
    if let Err(finding) = timeouts_migrate(ctx, call) {
        return vec![finding.into()];
    }
    let arg = positional_args(call)
        .first()
        .copied()
        .or_else(|| keyword_arg(call, ctx.text, "arg"));
    let Some(arg) = arg.filter(|_| call_args(call).len() == 1) else {
        return vec![manual(
            call,
            "unknown-arguments",
            "asyncio.shield called with unpacked or unknown arguments",
            &format!("{HEADER}\n    value = await f()"),
        )];
    };
    if let Some(wait_for) = enclosing_wait_for(ctx, call) {
        let timeout = timeout_of(ctx, wait_for);
        return vec![manual(
            call,
            "shielded-wait",
            "asyncio.wait_for(asyncio.shield(...)) times out the wait but keeps the work running; `with anyio.fail_after(t): with anyio.CancelScope(shield=True): ...` cannot interrupt the work and may raise no TimeoutError at all",
            &keep_running_fix(ctx, call, timeout),
        )];
    }
    if arg.kind() != "call" || is_task_call(ctx, arg) {
        return vec![manual(
            call,
            "shield-task",
            "asyncio.shield of a Task or Future (or a value that may be one): the task keeps running when the caller is cancelled, which a shielded block cannot express; a plain coroutine object can be awaited inside `with anyio.CancelScope(shield=True):`",
            &keep_running_fix(ctx, call, None),
        )];
    }
    let nested = || {
        manual(
            call,
            "in-expression",
            "asyncio.shield inside a larger expression: only a whole statement can be put in a shielded block",
            &format!(
                "give the shielded await its own statement first, then re-run:\nvalue = await asyncio.shield({})",
                ctx.text_of(arg)
            ),
        )
    };
    let Some(awaited) = awaited_by(ctx.resolver, call) else {
        return vec![manual(
            call,
            "not-awaited",
            "asyncio.shield(...) is not awaited here: its Future is passed on or stored, which a shielded block cannot express",
            &keep_running_fix(ctx, call, None),
        )];
    };
    let top = outer_parentheses(ctx.resolver, awaited);
    let Some(stmt) = enclosing_statement(ctx.resolver, top) else {
        return Vec::new();
    };
    if !awaits_in(arg).is_empty() {
        return vec![manual(
            call,
            "awaiting-argument",
            "an argument of the shielded call awaits: in a shielded block that await would be shielded too",
            "evaluate the awaited argument into a variable first, then re-run",
        )];
    }
    if !is_statement_value(stmt, top) || !only_await(stmt, awaited) {
        return vec![nested()];
    }
    if let Some(refusal) = keeps_work_running(ctx, call, stmt) {
        return vec![refusal];
    }
    let (inner, comments) = unwrap_call(ctx, call, arg, None);
    match wrap_statement(ctx, stmt, HEADER, &comments, inner) {
        Ok(edits) => vec![
            Fix::new(ID, "shield", call.start_byte(), Verdict::Unsafe, edits)
                .note(MESSAGES.text("shield", "note"))
                .into(),
        ],
        Err(why) => vec![manual(
            call,
            "unusual-layout",
            why,
            &format!(
                "{HEADER}\n    <the statement, awaiting {} directly>",
                ctx.text_of(arg)
            ),
        )],
    }
}

/// `asyncio.shield` passed as a value.
fn plan_reference(ctx: &Ctx, reference: Node) -> Vec<Outcome> {
    if !ctx.is(reference, "asyncio.shield") {
        return Vec::new();
    }
    vec![manual(
        reference,
        "shield-as-value",
        "asyncio.shield passed as a value: anyio shields a block (`with anyio.CancelScope(shield=True):`), not an awaitable",
        &format!("await the work in the caller inside `{HEADER}`"),
    )]
}

/// The code around the shielded statement expects the caller to stop waiting while the work
/// runs on: a timeout block, or a `try` that catches `CancelledError`.
fn keeps_work_running(ctx: &Ctx, call: Node, stmt: Node) -> Option<Outcome> {
    if inside_timeout_block(ctx, stmt) {
        return Some(manual(
            call,
            "in-timeout-block",
            "asyncio.shield inside a timeout block: the timeout interrupted the wait and left the work running; a shielded block would keep the timeout from firing until the work is done (maybe never raising TimeoutError)",
            &keep_running_fix(ctx, call, None),
        ));
    }
    cancellation_handler(ctx, stmt).map(|_| {
        manual(
            call,
            "cancel-handler",
            "asyncio.shield inside a `try` that catches CancelledError: the code expects the caller to be cancelled at the await while the shielded work runs on; in `with anyio.CancelScope(shield=True):` the caller cannot be cancelled until the work is done (which may be never), and that handler only runs afterwards",
            &keep_running_fix(ctx, call, None),
        )
    })
}

fn manual(at: Node, kind: &'static str, why: &str, fix: &str) -> Outcome {
    Finding::manual(ID, kind, at.start_byte(), why, fix).into()
}

/// The `except asyncio.CancelledError:` (or `anyio.get_cancelled_exc_class()`, alone or in a
/// tuple) of a `try` around `stmt` in the same function. aiojobs' `Job.wait()` is
/// `try: return await asyncio.shield(self._do_wait(t))` / `except asyncio.CancelledError: raise`
/// ("don't stop the inner coroutine on explicit cancel"): shielded, a cancelled waiter hangs.
fn cancellation_handler<'t>(ctx: &Ctx<'t>, stmt: Node<'t>) -> Option<Node<'t>> {
    let mut child = stmt;
    let mut cur = ctx.parent(stmt);
    while let Some(n) = cur {
        if matches!(
            n.kind(),
            "function_definition" | "lambda" | "class_definition"
        ) {
            return None;
        }
        let in_body = n
            .child_by_field_name("body")
            .is_some_and(|b| b.id() == child.id());
        if n.kind() == "try_statement" && in_body {
            let clause = named_children(n).find(|c| {
                c.kind() == "except_clause"
                    && caught_types(*c)
                        .iter()
                        .any(|t| is_cancellation_class(ctx.code(), *t))
            });
            if clause.is_some() {
                return clause;
            }
        }
        child = n;
        cur = ctx.parent(n);
    }
    None
}

/// The `asyncio.wait_for(...)` call whose awaitable argument is this shield call.
fn enclosing_wait_for<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> Option<Node<'t>> {
    let mut arg = call;
    while let Some(p) = ctx
        .parent(arg)
        .filter(|p| p.kind() == "parenthesized_expression")
    {
        arg = p;
    }
    let holder = ctx.parent(arg)?;
    let args = if holder.kind() == "keyword_argument" {
        ctx.parent(holder)?
    } else {
        holder
    };
    let wait_for = ctx
        .parent(args)
        .filter(|p| args.kind() == "argument_list" && p.kind() == "call")?;
    let callee = wait_for.child_by_field_name("function")?;
    let first = positional_args(wait_for).first().copied();
    let is_fut = first.is_some_and(|f| f.id() == arg.id())
        || keyword_arg(wait_for, ctx.text, "fut").is_some_and(|f| f.id() == arg.id());
    (is_fut && ctx.is(callee, "asyncio.wait_for")).then_some(wait_for)
}

fn timeout_of<'t>(ctx: &Ctx, wait_for: Node<'t>) -> Option<Node<'t>> {
    positional_args(wait_for)
        .get(1)
        .copied()
        .or_else(|| keyword_arg(wait_for, ctx.text, "timeout"))
}
