//! `async with asyncio.timeout(t) [as cm]:` (and `timeout_at`, `async_timeout`) → `with
//! anyio.fail_after(t) [as cm]:`, the uses of `cm` mapped to anyio's `CancelScope`.

use super::MESSAGES;
use super::wait_for::LEVEL_NOTE;
use super::{ID, children, manual};
use crate::codemods::shared::block::{self, Refusal};
use crate::codemods::shared::statements::{comments_in, indent_line_starts};
use crate::codemods::shared::timeouts::TimeoutKind;
use crate::codemods::{Ctx, call_args, keyword_arg, positional_args};
use crate::edit::{Edit, Fix, Import, Outcome, Verdict};
use crate::resolve::named_children;
use crate::source::{line_indent, line_start};
use tree_sitter::Node;

// ---------------------------------------------------------------- timeout blocks

/// `async with asyncio.timeout(t) as cm:` → `with anyio.fail_after(t) as cm:`, with the uses of
/// `cm` mapped onto anyio's `CancelScope`.
pub(super) fn plan_timeout(ctx: &Ctx, call: Node, callee: Node, kind: TimeoutKind) -> Vec<Outcome> {
    let name = kind.spelling();
    if kind.at
        && let Err(finding) = crate::codemods::shared::release::require(
            ctx,
            ID,
            call.start_byte(),
            crate::target::api::Api::DeadlineScopes,
            "`anyio.fail_at()`",
        )
    {
        return vec![finding.into()];
    }
    let fix_text = format!("`with {}(...) as cm:` directly", kind.replacement());
    let (item, alias, with_stmt) = match async_with_item(ctx, call) {
        Ok(found) => found,
        Err(why) => {
            return vec![manual(
                call,
                "not-a-with-item",
                &format!("{name}(...) {why}"),
                &fix_text,
            )];
        }
    };
    let positional = positional_args(call);
    let keyword = keyword_arg(call, ctx.text, kind.parameter());
    if call_args(call).len() != 1 || (positional.len() != 1 && keyword.is_none()) {
        return vec![manual(
            call,
            "unknown-arguments",
            &format!("{name}(...) called with unpacked or unknown arguments"),
            &fix_text,
        )];
    }
    if let Some(refusal) = body_refusal(ctx, with_stmt, name) {
        return vec![refusal];
    }
    let mut item_edits = vec![Edit::replace(callee.byte_range(), kind.replacement())];
    if let Some(value) = keyword
        && kind.at
        && !kind.package
        && let Some(key) = ctx
            .parent(value)
            .and_then(|kw| kw.child_by_field_name("name"))
    {
        // asyncio.timeout_at(when=...) → anyio.fail_at(deadline=...).
        item_edits.push(Edit::replace(key.byte_range(), "deadline"));
    }
    let mut uses = CmUses::default();
    if let Some(alias) = alias {
        let target = named_children(alias).find(|c| c.kind() != "comment");
        let Some(target) = target.filter(|t| t.kind() == "identifier") else {
            return vec![manual(
                call,
                "cm-not-a-name",
                &format!("the {name}(...) object is stored in something other than a plain name"),
                &fix_text,
            )];
        };
        if let Err(why) = cm_uses(ctx, target, kind, &mut uses) {
            return vec![manual(
                call,
                "unsupported-cm-use",
                &why,
                MESSAGES.text("unsupported-cm-use", "advice"),
            )];
        }
    }
    let mut edits = std::mem::take(&mut uses.edits);
    match header_edits(ctx, with_stmt, item, item_edits) {
        Ok(more) => edits.extend(more),
        Err(why) => {
            return vec![manual(
                call,
                "unusual-layout",
                why,
                &format!(
                    "split the `async with` into nested blocks and use `with {}(...)` for the timeout",
                    kind.replacement()
                ),
            )];
        }
    }
    let mut fix = Fix::new(
        ID,
        "timeout-block",
        call.start_byte(),
        Verdict::SafeEdge,
        edits,
    )
    .note(timeout_note(kind, &uses.notes));
    if uses.math {
        fix = fix.with_imports(&[Import::Math]);
    }
    vec![fix.into()]
}

/// What in the block's body stops the rewrite: a `yield`, or an async generator closed there.
/// The first `await x` in `body` (not in a nested function) whose operand is an object made
/// elsewhere: an attribute (`self._task`), or a name the enclosing functions do not assign
/// (a parameter, a global). A name the function binds itself (`t = asyncio.create_task(...)`,
/// `fut = asyncio.Future()`) is left to the codemods that rewrite what it is bound to.
fn awaited_object<'t>(ctx: &Ctx<'t>, body: Node<'t>, with_stmt: Node<'t>) -> Option<Node<'t>> {
    // The outermost enclosing function: a closure's variable is assigned in an outer one.
    let mut func = crate::codemods::enclosing_function(ctx.resolver, with_stmt);
    while let Some(outer) = func.and_then(|f| crate::codemods::enclosing_function(ctx.resolver, f))
    {
        func = Some(outer);
    }
    let assigned_here = |name: &str| {
        func.is_some_and(|f| {
            crate::analysis::syntax::descendants(f).iter().any(|n| {
                n.kind() == "assignment"
                    && n.child_by_field_name("left")
                        .is_some_and(|l| l.kind() == "identifier" && ctx.text_of(l) == name)
            })
        })
    };
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "function_definition" | "lambda" | "class_definition" => continue,
            "await" => {
                if let Some(v) = n.named_child(0).filter(|v| {
                    v.kind() == "attribute"
                        || (v.kind() == "identifier" && !assigned_here(ctx.text_of(*v)))
                }) {
                    return Some(v);
                }
            }
            _ => {}
        }
        let mut children: Vec<Node> = named_children(n).collect();
        children.reverse();
        stack.extend(children);
    }
    None
}

fn body_refusal(ctx: &Ctx, with_stmt: Node, name: &str) -> Option<Outcome> {
    // An `@asynccontextmanager`'s yield runs the caller's block in the same task: allowed.
    if let (Some(body), Some(func)) = (
        with_stmt.child_by_field_name("body"),
        crate::codemods::enclosing_function(ctx.resolver, with_stmt),
    ) && let Some(y) = crate::codemods::shared::tasks::has_own_yield(ctx, body, func)
    {
        return Some(manual(
            y,
            "yield-in-timeout",
            &format!(
                "a `yield` inside the {name}(...) block: the generator is suspended there with the block open, and anyio's timeout is a cancel scope, which must not stay open across a yield (it would cancel or fail whatever code the consumer runs meanwhile, and exiting it in another task raises RuntimeError)"
            ),
            "yield outside the timeout: compute the value inside `with anyio.fail_after(...):` and yield it after the block, or move the timeout to the consumer",
        ));
    }
    if let Some(awaited) = with_stmt
        .child_by_field_name("body")
        .and_then(|b| awaited_object(ctx, b, with_stmt))
    {
        return Some(manual(
            with_stmt,
            "timeout-awaits-task",
            &format!(
                "the {name}(...) block awaits `{}`, a Task or Future (or what may be one), not a call: on the deadline the cancellation reaches that task through the await, and what it raises back is the task's own; asyncio's timeout takes it for its own and raises TimeoutError, anyio's scope may not, and the block then raises CancelledError (aiojobs' close and wait, both awaiting their job's Task)",
                ctx.text_of(awaited)
            ),
            super::TASK_FIX,
        ));
    }
    if let Some(closing) = closes_async_generator(ctx, with_stmt) {
        return Some(manual(
            closing,
            "closes-async-generator",
            &format!(
                "`{}(...)` closes an async generator inside the {name}(...) block: its cleanup runs after the deadline, and under anyio every await of that cleanup is cancelled again (asyncio delivered one CancelledError), so the generator's cleanup (e.g. a task group waiting for its children) is cut short or retried",
                closing
                    .child_by_field_name("function")
                    .map_or("aclosing", |f| ctx.text_of(f))
            ),
            MESSAGES.text("closes-async-generator", "advice"),
        ));
    }
    None
}

/// The `with_item` a timeout call is, its `as` target, and the `async with` statement.
pub(super) fn async_with_item<'t>(
    ctx: &Ctx<'t>,
    call: Node<'t>,
) -> Result<(Node<'t>, Option<Node<'t>>, Node<'t>), &'static str> {
    const NOT_AN_ITEM: &str =
        "is not used directly as an `async with` item: anyio's timeouts are plain `with` blocks";
    let parent = ctx.parent(call).ok_or(NOT_AN_ITEM)?;
    let (item, alias) = match parent.kind() {
        "with_item" => (parent, None),
        "as_pattern" if parent.named_child(0).is_some_and(|c| c.id() == call.id()) => {
            let item = ctx
                .parent(parent)
                .filter(|g| g.kind() == "with_item")
                .ok_or(NOT_AN_ITEM)?;
            (item, parent.child_by_field_name("alias"))
        }
        _ => return Err(NOT_AN_ITEM),
    };
    let with_stmt = ctx
        .parent(item)
        .and_then(|clause| ctx.parent(clause))
        .filter(|w| w.kind() == "with_statement")
        .ok_or(NOT_AN_ITEM)?;
    if children(with_stmt)
        .next()
        .is_none_or(|c| c.kind() != "async")
    {
        return Err("in a plain `with`: it is an async context manager");
    }
    Ok((item, alias, with_stmt))
}

/// `async with` → `with` for a single item; nested blocks for several.
pub(super) fn header_edits(
    ctx: &Ctx,
    with_stmt: Node,
    item: Node,
    item_edits: Vec<Edit>,
) -> Result<Vec<Edit>, Refusal> {
    let items: Vec<Node> = ctx
        .parent(item)
        .map(|clause| {
            named_children(clause)
                .filter(|c| c.kind() == "with_item")
                .collect()
        })
        .unwrap_or_default();
    if items.len() == 1 {
        let (Some(async_kw), Some(with_kw)) =
            (children(with_stmt).next(), children(with_stmt).nth(1))
        else {
            return Err("unexpected `async with` shape");
        };
        let mut edits = vec![Edit::delete(async_kw.start_byte()..with_kw.start_byte())];
        edits.extend(item_edits);
        return Ok(edits);
    }
    let k = items
        .iter()
        .position(|i| i.id() == item.id())
        .ok_or("unexpected `async with` shape")?;
    let new_item = crate::edit::splice_within(ctx.text, item.byte_range(), &item_edits);
    split_with(ctx, with_stmt, &items, k, &new_item)
}

/// An `aclosing(...)` item among the block's own items or in an `async with` of its body (not
/// in a nested function): aiotools' `test_as_completed_safe_timeout_in_middle` closes its
/// `as_completed_safe()` generator inside `asyncio.timeout(0.15)`; under `anyio.fail_after`
/// the generator's task scope, waiting for its cancelled children, is cancelled over and over
/// (the test went from 0.01 s to 20 s, and sometimes hung).
pub(super) fn closes_async_generator<'t>(ctx: &Ctx, with_stmt: Node<'t>) -> Option<Node<'t>> {
    let mut stack = vec![with_stmt];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "function_definition" | "lambda" | "class_definition" => continue,
            "call"
                if ctx
                    .parent(n)
                    .is_some_and(|p| matches!(p.kind(), "with_item" | "as_pattern")) =>
            {
                let closing = n.child_by_field_name("function").is_some_and(|f| {
                    let name = match f.kind() {
                        "attribute" => f
                            .child_by_field_name("attribute")
                            .map_or("", |a| ctx.text_of(a)),
                        _ => ctx.text_of(f),
                    };
                    name == "aclosing"
                });
                if closing {
                    return Some(n);
                }
            }
            _ => {}
        }
        stack.extend(named_children(n));
    }
    None
}

pub(super) fn timeout_note(kind: TimeoutKind, extra: &[&str]) -> String {
    let mut note = format!(
        "{} → {}: a plain `with`; the timed-out body sees the backend's cancellation exception (trio.Cancelled on trio); {LEVEL_NOTE}",
        kind.spelling(),
        kind.replacement()
    );
    if kind.at {
        note.push_str("; the deadline is read on anyio.current_time()'s clock, whose origin on trio is not loop.time()'s");
    }
    for e in extra {
        note.push_str("; ");
        note.push_str(e);
    }
    note
}

/// The rewritten uses of a timeout object, and what they change.
#[derive(Default)]
pub(super) struct CmUses {
    pub(super) edits: Vec<Edit>,
    pub(super) notes: Vec<&'static str>,
    pub(super) math: bool,
}

/// Map the uses of the timeout object bound to `target` (up to the next `with ... as` of
/// the same name) onto `CancelScope`: `when()` → `deadline`, `reschedule(x)` → `deadline = x`,
/// `expired()` → `cancel_called`.
pub(super) fn cm_uses(
    ctx: &Ctx,
    target: Node,
    kind: TimeoutKind,
    out: &mut CmUses,
) -> Result<(), String> {
    let name = ctx.text_of(target);
    let refs = ctx.resolver.references(ctx.tree, name, target);
    let is_with_binding = |n: Node| {
        ctx.parent(n)
            .is_some_and(|p| p.kind() == "as_pattern_target")
            && ctx
                .parent(n)
                .and_then(|p| ctx.parent(p))
                .and_then(|p| ctx.parent(p))
                .is_some_and(|p| p.kind() == "with_item")
    };
    let mut owner: Option<usize> = None;
    for r in refs {
        if is_with_binding(r) {
            owner = Some(r.id());
            continue;
        }
        if owner.is_none() {
            return Err(format!(
                "`{name}` is used before the {} block binds it",
                kind.spelling()
            ));
        }
        if owner != Some(target.id()) {
            continue;
        }
        map_use(ctx, r, name, kind, out)?;
        if let Some(why) = mutated_outside_lifetime(ctx, target, r) {
            return Err(why);
        }
    }
    Ok(())
}

/// A mutator (`reschedule`, `update`, `reject`, `shift`) called where asyncio's timeout
/// raises `RuntimeError` and anyio's `CancelScope` accepts it silently: after the block (a
/// finished timeout), or in a block that catches the cancellation, where the code can go on
/// after the timeout expired (an expiring timeout). Found on async-timeout's own tests
/// (`test_shift_by_expired`, `test_reject_finished`, ...).
fn mutated_outside_lifetime(ctx: &Ctx, target: Node, r: Node) -> Option<String> {
    let member = ctx
        .parent(r)
        .filter(|a| a.kind() == "attribute")
        .and_then(|a| a.child_by_field_name("attribute"))
        .map(|m| ctx.text_of(m))?;
    if !matches!(member, "reschedule" | "update" | "reject" | "shift") {
        return None;
    }
    let mut with = target;
    while with.kind() != "with_statement" {
        with = ctx.parent(with)?;
    }
    let body = with.child_by_field_name("body")?;
    let name = ctx.text_of(target);
    if !crate::analysis::syntax::inside(body, r) {
        return Some(format!(
            "`{name}.{member}()` is called after the block ends: asyncio's timeout raised RuntimeError for a finished timeout, anyio's CancelScope takes the new deadline silently"
        ));
    }
    crate::analysis::exceptions::catches_cancellation(ctx.code(), body).then(|| format!(
        "`{name}.{member}()` is called in a block that catches the cancellation, so it may run after the timeout expired: asyncio's timeout raised RuntimeError then, anyio's CancelScope takes the new deadline silently"
    ))
}

pub(super) fn map_use(
    ctx: &Ctx,
    ident: Node,
    name: &str,
    kind: TimeoutKind,
    out: &mut CmUses,
) -> Result<(), String> {
    let escapes = || {
        format!("the timeout object `{name}` is used in a way anyio's CancelScope does not support")
    };
    let attr = ctx
        .parent(ident)
        .filter(|p| {
            p.kind() == "attribute"
                && p.child_by_field_name("object")
                    .is_some_and(|o| o.id() == ident.id())
        })
        .ok_or_else(escapes)?;
    let member = attr
        .child_by_field_name("attribute")
        .map(|a| ctx.text_of(a))
        .unwrap_or_default();
    let call = ctx.parent(attr).filter(|p| {
        p.kind() == "call"
            && p.child_by_field_name("function")
                .is_some_and(|f| f.id() == attr.id())
    });
    let unsupported = || format!("`{name}.{member}` has no anyio CancelScope equivalent");
    let Some(call) = call else {
        return map_attribute(attr, name, member, kind, out).ok_or_else(unsupported);
    };
    if !comments_in(ctx, call.byte_range(), None).is_empty() {
        return Err(format!("a comment inside `{name}.{member}(...)`"));
    }
    let args = call_args(call);
    let statement = crate::analysis::syntax::own_statement(ctx.resolver, call).is_some();
    match (member, args.as_slice()) {
        ("when", []) => {
            out.edits
                .push(Edit::replace(call.byte_range(), format!("{name}.deadline")));
            push_note(
                out,
                "`cm.when()` → `cm.deadline` is inf, not None, without a deadline",
            );
        }
        ("expired", []) => {
            // cancel_called, not cancelled_caught: like expired() it is set as soon as the
            // deadline fires, inside the block too, and when the body swallows the cancellation.
            out.edits.push(Edit::replace(
                call.byte_range(),
                format!("{name}.cancel_called"),
            ));
        }
        ("reschedule" | "update", [arg])
            if statement && (member == "reschedule" || kind.package) =>
        {
            let value = match arg.kind() {
                "keyword_argument" => arg.child_by_field_name("value").ok_or_else(unsupported)?,
                "list_splat" | "dictionary_splat" => return Err(unsupported()),
                _ => *arg,
            };
            let text = if value.kind() == "none" {
                out.math = true;
                "math.inf".to_owned()
            } else {
                // Arithmetic and number literals are never None; a name or a call may be.
                if !matches!(
                    value.kind(),
                    "binary_operator" | "integer" | "float" | "unary_operator"
                ) {
                    push_note(
                        out,
                        "`cm.deadline = x` raises TypeError when x is None (reschedule(None) removed the deadline)",
                    );
                }
                ctx.text_of(value).to_owned()
            };
            out.edits.push(Edit::replace(
                call.byte_range(),
                format!("{name}.deadline = {text}"),
            ));
        }
        ("reject", []) if statement && kind.package => {
            out.math = true;
            out.edits.push(Edit::replace(
                call.byte_range(),
                format!("{name}.deadline = math.inf"),
            ));
        }
        ("shift", [delay]) if statement && kind.package && delay.kind() != "keyword_argument" => {
            push_note(
                out,
                "`cm.deadline += d` on a timeout without deadline leaves it inf (shift() raised RuntimeError)",
            );
            out.edits.push(Edit::replace(
                call.byte_range(),
                format!("{name}.deadline += {}", ctx.text_of(*delay)),
            ));
        }
        _ => return Err(unsupported()),
    }
    Ok(())
}

/// `cm.expired` / `cm.deadline` read as properties (`async_timeout`'s spelling).
pub(super) fn map_attribute(
    attr: Node,
    name: &str,
    member: &str,
    kind: TimeoutKind,
    out: &mut CmUses,
) -> Option<()> {
    match member {
        "expired" if kind.package => {
            out.edits.push(Edit::replace(
                attr.byte_range(),
                format!("{name}.cancel_called"),
            ));
        }
        "deadline" if kind.package => {
            push_note(out, "`cm.deadline` is inf, not None, without a deadline");
        }
        _ => return None,
    }
    Some(())
}

pub(super) fn push_note(out: &mut CmUses, note: &'static str) {
    if !out.notes.contains(&note) {
        out.notes.push(note);
    }
}

/// `async with a, asyncio.timeout(t), b:` → nested `async with a:` / `with fail_after(t):` /
/// `async with b:` blocks (the same meaning), the body indented to match.
pub(super) fn split_with(
    ctx: &Ctx,
    with_stmt: Node,
    items: &[Node],
    k: usize,
    new_item: &str,
) -> Result<Vec<Edit>, Refusal> {
    let (Some(colon), Some(body)) = (
        children(with_stmt).find(|c| c.kind() == ":"),
        with_stmt.child_by_field_name("body"),
    ) else {
        return Err("unexpected `async with` shape");
    };
    if !comments_in(ctx, with_stmt.start_byte()..colon.end_byte(), None).is_empty() {
        return Err("a comment inside a multi-item `async with` header");
    }
    if body.start_position().row == colon.start_position().row
        || !ctx.text[line_start(ctx.text, with_stmt.start_byte())..with_stmt.start_byte()]
            .trim()
            .is_empty()
    {
        return Err("the `async with` shares its line with its body or another statement");
    }
    let indent = line_indent(ctx.text, with_stmt.start_byte());
    let step = block::step_for(ctx, indent);
    let join = |nodes: &[Node]| {
        nodes
            .iter()
            .map(|n| ctx.text_of(*n))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut headers = Vec::new();
    if k > 0 {
        headers.push(format!("async with {}:", join(&items[..k])));
    }
    headers.push(format!("with {new_item}:"));
    if k + 1 < items.len() {
        headers.push(format!("async with {}:", join(&items[k + 1..])));
    }
    let mut text = String::new();
    for (depth, header) in headers.iter().enumerate() {
        if depth > 0 {
            text.push('\n');
            text.push_str(indent);
            text.push_str(&step.repeat(depth));
        }
        text.push_str(header);
    }
    // From the line start: an outer fix that indents this line clashes with ours (see `claim`).
    let mut edits = vec![Edit::replace(
        line_start(ctx.text, with_stmt.start_byte())..colon.end_byte(),
        format!("{indent}{text}"),
    )];
    let body_start = line_start(ctx.text, body.start_byte());
    edits.extend(indent_line_starts(
        ctx,
        body_start,
        body.end_byte(),
        &step.repeat(headers.len() - 1),
    ));
    Ok(edits)
}
