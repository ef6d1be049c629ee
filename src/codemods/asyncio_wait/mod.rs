//! asyncio-wait: `asyncio.wait` reported with the structured pattern that fits its form;
//! `for fut in asyncio.as_completed([...])` loops → `anyio.as_completed` (spec §11).

use super::shared::block::{code_lines, owns_lines, step_for};
use super::{
    Captures, Ctx, awaited_by, call_args, enclosing_function, is_async_def, keyword_arg,
    positional_args,
};
use crate::analysis::awaitable::{self, Awaitable};
use crate::analysis::bindings::is_binding_site;
use crate::analysis::exceptions::under_except;
use crate::analysis::syntax::yields_in;
use crate::codemods::shared::catalogue::messages;
use crate::edit::{Edit, Finding, Fix, Outcome, Verdict};
use crate::resolve::named_children;
use crate::source::{line_indent, line_start};
use crate::target::api::Api;
use tree_sitter::Node;

mod all_tasks;

const ID: &str = "asyncio-wait";

messages!("asyncio-wait");

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    match ctx.qualified(callee).as_deref() {
        Some("asyncio.wait") => vec![plan_wait(ctx, call)],
        Some("asyncio.as_completed") => vec![plan_as_completed(ctx, call, callee)],
        _ => Vec::new(),
    }
}

// ------------------------------------------------------------------ as_completed loops

/// Why an `as_completed` loop is reported instead of rewritten.
enum Refusal {
    NotALoop,
    NotAsync,
    Timeout,
    Arguments,
    Empty,
    PossiblyEmpty,
    NotCoroutines,
    Target,
    VariableUse,
    PerItem,
    /// A handler around the loop, in its function or in a caller (named), was written for the
    /// bare failure the loop raised at that item.
    Handled(String),
    Yield,
    Layout(&'static str),
}

impl Refusal {
    fn message(&self) -> String {
        let text = match self {
            Self::NotALoop => MESSAGES.text("as-completed-value", "problem"),
            Self::NotAsync => MESSAGES.text("outside-async-def", "problem"),
            Self::Timeout => MESSAGES.text("as-completed-timeout", "problem"),
            Self::Arguments => MESSAGES.text("unknown-arguments", "problem"),
            Self::Empty => MESSAGES.text("no-awaitables", "problem"),
            Self::PossiblyEmpty => MESSAGES.text("maybe-empty", "problem"),
            Self::NotCoroutines => MESSAGES.text("not-coroutines", "problem"),
            Self::Target => MESSAGES.text("loop-target", "problem"),
            Self::VariableUse => MESSAGES.text("loop-variable-use", "problem"),
            Self::PerItem => MESSAGES.text("per-item-handler", "problem"),
            Self::Handled(place) => {
                return MESSAGES.fill("handled-failure", "problem", &[("place", place)]);
            }
            Self::Yield => MESSAGES.text("yield-in-loop", "problem"),
            Self::Layout(why) => why,
        };
        text.to_owned()
    }
}

fn plan_as_completed(ctx: &Ctx, call: Node, callee: Node) -> Outcome {
    let stmt = ctx.parent(call).filter(|p| {
        p.kind() == "for_statement"
            && p.child_by_field_name("right")
                .is_some_and(|r| r.id() == call.id())
    });
    let Some(stmt) = stmt else {
        return loop_finding(ctx, call, None, &Refusal::NotALoop);
    };
    match rewrite_loop(ctx, stmt, call, callee) {
        // Its form is `anyio.as_completed()` and the TaskHandles it yields (anyio 4.15).
        Ok(fix) => match super::shared::release::require(
            ctx,
            ID,
            call.start_byte(),
            Api::AsCompleted,
            "`anyio.as_completed()`",
        ) {
            Ok(()) => fix.into(),
            Err(finding) => finding.into(),
        },
        Err(refusal) => loop_finding(ctx, call, Some(stmt), &refusal),
    }
}

/// A handler that sees the loop's failure bare: around the loop in its function, or in a
/// caller the run sees (`analysis::callers`).
fn handled(ctx: &Ctx, stmt: Node, func: Node) -> Result<(), Refusal> {
    if under_except(ctx.code(), stmt, func) {
        return Err(Refusal::Handled(
            "a handler around the loop in this function catches it".to_owned(),
        ));
    }
    match ctx.catching.seen(ctx.code(), func, ctx.path) {
        Some(caller) => Err(Refusal::Handled(caller.describe())),
        None => Ok(()),
    }
}

/// `for fut in asyncio.as_completed([a(), b()]):` + body →
/// `async with anyio.as_completed(a(), b()) as it:` + `async for fut in it:` + body one step
/// deeper, with `await fut` → `fut.return_value`.
fn rewrite_loop(ctx: &Ctx, stmt: Node, call: Node, callee: Node) -> Result<Fix, Refusal> {
    let func = enclosing_function(ctx.resolver, stmt)
        .filter(|f| is_async_def(*f))
        .ok_or(Refusal::NotAsync)?;
    if keyword_arg(call, ctx.text, "timeout").is_some() {
        return Err(Refusal::Timeout);
    }
    let args = call_args(call);
    let [arg] = args.as_slice() else {
        return Err(Refusal::Arguments);
    };
    if matches!(
        arg.kind(),
        "keyword_argument" | "list_splat" | "dictionary_splat"
    ) {
        return Err(Refusal::Arguments);
    }
    if !matches!(arg.kind(), "list" | "tuple" | "set") {
        return Err(Refusal::PossiblyEmpty);
    }
    let elements = elements(*arg);
    if elements.is_empty() {
        return Err(Refusal::Empty);
    }
    // `*xs` may be empty, and may hold Tasks.
    if elements.iter().all(|e| e.kind() == "list_splat") {
        return Err(Refusal::PossiblyEmpty);
    }
    if !elements.iter().all(|e| is_coroutine_call(ctx, *e)) {
        return Err(Refusal::NotCoroutines);
    }
    let (Some(target), Some(body)) = (
        stmt.child_by_field_name("left"),
        stmt.child_by_field_name("body"),
    ) else {
        return Err(Refusal::Target);
    };
    if target.kind() != "identifier" {
        return Err(Refusal::Target);
    }
    let var = ctx.text_of(target);
    let awaited = single_await(ctx, stmt, target, body, func).ok_or(Refusal::VariableUse)?;
    if catches_around(ctx, awaited, body) {
        return Err(Refusal::PerItem);
    }
    handled(ctx, stmt, func)?;
    if yields_in(body) {
        return Err(Refusal::Yield);
    }
    let colon = header_colon(ctx, stmt, call)?;

    let indent = line_indent(ctx.text, stmt.start_byte());
    let step = step_for(ctx, indent);
    let it = free_name(ctx, func, stmt, "it");
    let body_start = ctx.text[colon.end_byte()..]
        .find('\n')
        .map_or(ctx.text.len(), |i| colon.end_byte() + i + 1);
    // `(await fut).x` → `fut.return_value.x`: the attribute needs no parentheses.
    let replaced = ctx
        .parent(awaited)
        .filter(|p| p.kind() == "parenthesized_expression" && named_children(*p).count() == 1)
        .unwrap_or(awaited);
    let mut edits = vec![
        // From the line start: a fix that wraps the loop in a new block (a step inserted
        // into this indentation) overlaps this one and waits for the next pass.
        Edit::replace(
            line_start(ctx.text, stmt.start_byte())..callee.end_byte(),
            format!("{indent}async with anyio.as_completed"),
        ),
        // The display's brackets go: its elements become the call's arguments.
        Edit::delete(arg.start_byte()..arg.start_byte() + 1),
        Edit::delete(arg.end_byte() - 1..arg.end_byte()),
        Edit::replace(call.end_byte()..colon.end_byte(), format!(" as {it}:")),
        Edit::insert(
            body_start,
            format!("{indent}{step}async for {var} in {it}:\n"),
        ),
    ];
    edits.extend(guarded_indent(
        ctx,
        body_start..stmt.end_byte(),
        indent,
        &step,
        replaced.start_byte(),
    ));
    edits.push(Edit::replace(
        replaced.byte_range(),
        format!("{var}.return_value"),
    ));
    let mut note = MESSAGES.text("as-completed", "note").to_owned();
    if leaves_early(ctx, body, stmt, func) {
        note.push_str("; leaving the loop early (break/return) now cancels the awaitables still running, which asyncio left running");
    }
    Ok(Fix::new(
        ID,
        "as-completed",
        call.start_byte(),
        Verdict::Unsafe,
        crate::edit::normalize(edits),
    )
    .note(note))
}

/// The elements of a list/tuple/set display, without comments.
pub(super) fn elements(display: Node) -> Vec<Node> {
    named_children(display)
        .filter(|n| n.kind() != "comment")
        .collect()
}

/// A call that gives no asyncio Task or Future (`analysis::awaitable`): `anyio.as_completed`
/// awaits any awaitable, but a Task would not exist on trio and was started before the loop.
fn is_coroutine_call(ctx: &Ctx, node: Node) -> bool {
    node.kind() == "call" && awaitable::of_call(ctx.code(), node) != Awaitable::TaskOrFuture
}

/// The one `await var` of the loop body, when that is the only use of the loop variable in
/// the whole loop (header, body and `else`), directly in the loop's coroutine, and nothing
/// after the loop reads the variable.
fn single_await<'t>(
    ctx: &Ctx<'t>,
    stmt: Node<'t>,
    target: Node<'t>,
    body: Node<'t>,
    func: Node<'t>,
) -> Option<Node<'t>> {
    let refs = ctx
        .resolver
        .references(ctx.tree, ctx.text_of(target), target);
    // After the loop the variable held the last awaitable; it would now hold a task handle.
    if refs.iter().any(|r| r.start_byte() >= stmt.end_byte()) {
        return None;
    }
    let uses: Vec<Node> = refs
        .into_iter()
        .filter(|r| {
            r.id() != target.id()
                && r.start_byte() >= stmt.start_byte()
                && r.end_byte() <= stmt.end_byte()
        })
        .collect();
    let [only] = uses.as_slice() else {
        return None;
    };
    let awaited = awaited_by(ctx.resolver, *only)?;
    let inside_body =
        awaited.start_byte() >= body.start_byte() && awaited.end_byte() <= body.end_byte();
    (inside_body && enclosing_function(ctx.resolver, awaited).is_some_and(|f| f.id() == func.id()))
        .then_some(awaited)
}

/// Is `node` inside a `try` body with an `except`, or a `with contextlib.suppress(...)`,
/// that sits in the loop body?
fn catches_around(ctx: &Ctx, node: Node, body: Node) -> bool {
    let mut child = node;
    while let Some(parent) = ctx.parent(child) {
        if parent.id() == body.id() {
            return false;
        }
        let catches = match parent.kind() {
            "try_statement" => {
                parent
                    .child_by_field_name("body")
                    .is_some_and(|b| b.id() == child.id())
                    && named_children(parent)
                        .any(|c| matches!(c.kind(), "except_clause" | "except_group_clause"))
            }
            "with_statement" => suppresses(ctx, parent),
            _ => false,
        };
        if catches {
            return true;
        }
        child = parent;
    }
    false
}

/// A `with` whose items include `contextlib.suppress(...)`.
fn suppresses(ctx: &Ctx, with: Node) -> bool {
    crate::analysis::syntax::any_item_call(with, |n| {
        n.child_by_field_name("function")
            .is_some_and(|f| ctx.is(f, "contextlib.suppress"))
    })
}

/// A `break` of this loop or a `return` of its function inside the body.
fn leaves_early(ctx: &Ctx, body: Node, stmt: Node, func: Node) -> bool {
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "return_statement" => {
                if enclosing_function(ctx.resolver, n).is_some_and(|f| f.id() == func.id()) {
                    return true;
                }
            }
            "break_statement" => {
                let mut cur = ctx.parent(n);
                while let Some(c) = cur {
                    if matches!(c.kind(), "for_statement" | "while_statement") {
                        break;
                    }
                    cur = ctx.parent(c);
                }
                if cur.is_some_and(|c| c.id() == stmt.id()) {
                    return true;
                }
            }
            "function_definition" | "lambda" | "class_definition" => {}
            _ => stack.extend(named_children(n)),
        }
    }
    false
}

/// The header's `:` when the header can be rewritten in place: the loop owns its lines, no
/// comment sits in the replaced parts, and the body starts on a line of its own.
fn header_colon<'t>(ctx: &Ctx<'t>, stmt: Node<'t>, call: Node<'t>) -> Result<Node<'t>, Refusal> {
    if !owns_lines(ctx, stmt, stmt) {
        return Err(Refusal::Layout(
            "the loop shares its line with another statement",
        ));
    }
    let mut cursor = stmt.walk();
    let colon = stmt
        .children(&mut cursor)
        .find(|c| c.kind() == ":" && c.start_byte() >= call.end_byte())
        .ok_or(Refusal::Layout("the loop header has no `:` after the call"))?;
    if ctx.text[stmt.start_byte()..call.start_byte()].contains('#')
        || !ctx.text[call.end_byte()..colon.start_byte()]
            .trim()
            .is_empty()
    {
        return Err(Refusal::Layout(
            "a comment or parenthesis in the loop header",
        ));
    }
    let after = &ctx.text[colon.end_byte()..];
    let rest_of_line = &after[..after.find('\n').unwrap_or(after.len())];
    let trimmed = rest_of_line.trim();
    if !(trimmed.is_empty() || trimmed.starts_with('#')) || !after.contains('\n') {
        return Err(Refusal::Layout(
            "the loop body shares its line with the loop header",
        ));
    }
    Ok(colon)
}

/// `base`, `base2`, ...: a name bound nowhere the loop can see and used nowhere in its
/// function, so the new binding shadows nothing.
fn free_name(ctx: &Ctx, func: Node, at: Node, base: &str) -> String {
    let used_in = |name: &str| {
        let mut stack = vec![func];
        while let Some(n) = stack.pop() {
            if n.kind() == "identifier" && ctx.text_of(n) == name {
                return true;
            }
            stack.extend(named_children(n));
        }
        false
    };
    crate::codemods::first_free(base, |name| {
        ctx.resolver.is_bound(name, at) || used_in(name)
    })
}

/// One more `step` after the common `indent` on every line that starts in `lines` (blank
/// lines and lines inside a multi-line string excepted), like `block::indent_lines`, but each
/// edit replaces the line's whole indentation and its first character. So a fix of another
/// codemod in the same pass that inserts a line into the body (at a line start, or before a
/// statement) or re-indents it overlaps this one and waits for the next pass: composed with
/// these edits, its new line would miss the extra step. `keep` is where another edit of this
/// fix starts; a line's edit stops before it.
fn guarded_indent(
    ctx: &Ctx,
    lines: std::ops::Range<usize>,
    indent: &str,
    step: &str,
    keep: usize,
) -> Vec<Edit> {
    code_lines(ctx, lines.start, lines.end)
        .map(|(pos, line)| {
            let ws = line.len() - line.trim_start_matches([' ', '\t']).len();
            let at = if line.starts_with(indent) {
                indent.len()
            } else {
                0
            };
            let first = line[ws..].chars().next().map_or(0, char::len_utf8);
            let end = if pos + ws == keep { ws } else { ws + first };
            Edit::replace(
                pos..pos + end,
                format!("{}{step}{}", &line[..at], &line[at..end]),
            )
        })
        .collect()
}

fn loop_finding(ctx: &Ctx, call: Node, stmt: Option<Node>, refusal: &Refusal) -> Outcome {
    let var = stmt
        .and_then(|s| s.child_by_field_name("left"))
        .filter(|t| t.kind() == "identifier")
        .map_or("handle", |t| ctx.text_of(t));
    let arg = positional_args(call).first().copied();
    let coros = arg.map_or_else(Coros::unknown, |a| coros(ctx, a));
    let timeout = keyword_arg(call, ctx.text, "timeout").map(|t| ctx.text_of(t));
    let pattern_of = |unpacked: &str, indent: &str| {
        format!(
            "{indent}async with anyio.as_completed({unpacked}) as it:\n{indent}    async for {var} in it:\n{indent}        result = {var}.return_value  # was: await {var}"
        )
    };
    let pattern = |indent: &str| pattern_of(&coros.unpacked, indent);
    let suggestion = match refusal {
        Refusal::Timeout => format!(
            "with anyio.fail_after({}):  # TimeoutError when time is up, as before; the rest are cancelled\n{}",
            timeout.unwrap_or("t"),
            pattern("    ")
        ),
        Refusal::PossiblyEmpty => {
            // Test a name for emptiness, not a fresh list of coroutines that then never run.
            let bound = arg.filter(|a| a.kind() == "identifier");
            let (first, name, pattern) = match bound {
                Some(a) => (String::new(), ctx.text_of(a).to_owned(), pattern("    ")),
                None => (
                    format!("coros = {}\n", coros.iterable),
                    "coros".to_owned(),
                    pattern_of("*coros", "    "),
                ),
            };
            format!(
                "{first}if {name}:  # anyio.as_completed() raises ValueError when given no awaitables\n{pattern}"
            )
        }
        Refusal::Empty => "delete the loop: it never runs".to_owned(),
        Refusal::Handled(_) => {
            MESSAGES.fill("handled-failure", "advice", &[("pattern", &pattern(""))])
        }
        Refusal::PerItem => MESSAGES.fill(
            "per-item-handler",
            "advice",
            &[("iterable", &coros.iterable), ("var", var)],
        ),
        Refusal::NotCoroutines => {
            MESSAGES.fill("not-coroutines", "advice", &[("pattern", &pattern(""))])
        }
        Refusal::VariableUse => MESSAGES.fill(
            "loop-variable-use",
            "advice",
            &[("var", var), ("pattern", &pattern(""))],
        ),
        _ => pattern(""),
    };
    let kind: &'static str = match refusal {
        Refusal::NotALoop => "as-completed-value",
        Refusal::NotAsync => "outside-async-def",
        Refusal::Timeout => "as-completed-timeout",
        Refusal::Arguments => "unknown-arguments",
        Refusal::Empty => "no-awaitables",
        Refusal::PossiblyEmpty => "maybe-empty",
        Refusal::NotCoroutines => "not-coroutines",
        Refusal::Target => "loop-target",
        Refusal::VariableUse => "loop-variable-use",
        Refusal::PerItem => "per-item-handler",
        Refusal::Handled(_) => "handled-failure",
        Refusal::Yield => "yield-in-loop",
        Refusal::Layout(_) => "unusual-layout",
    };
    Finding::manual(ID, kind, call.start_byte(), refusal.message(), suggestion).into()
}

// ------------------------------------------------------------------ asyncio.wait

/// `return_when=` of `asyncio.wait`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ReturnWhen {
    AllCompleted,
    FirstCompleted,
    FirstException,
    Unknown,
}

fn return_when(ctx: &Ctx, value: Node) -> ReturnWhen {
    let name = if value.kind() == "string" {
        ctx.text_of(value)
            .trim_matches(|c| c == '"' || c == '\'')
            .to_owned()
    } else {
        let Some(q) = ctx.qualified(value) else {
            return ReturnWhen::Unknown;
        };
        let Some(last) = q
            .strip_prefix("asyncio.")
            .or_else(|| q.strip_prefix("concurrent.futures."))
        else {
            return ReturnWhen::Unknown;
        };
        last.to_owned()
    };
    match name.as_str() {
        "ALL_COMPLETED" => ReturnWhen::AllCompleted,
        "FIRST_COMPLETED" => ReturnWhen::FirstCompleted,
        "FIRST_EXCEPTION" => ReturnWhen::FirstException,
        _ => ReturnWhen::Unknown,
    }
}

fn plan_wait(ctx: &Ctx, call: Node) -> Outcome {
    let arg = positional_args(call)
        .first()
        .copied()
        .or_else(|| keyword_arg(call, ctx.text, "fs"));
    let coros = arg.map_or_else(Coros::unknown, |a| coros(ctx, a));
    let timeout = keyword_arg(call, ctx.text, "timeout")
        .filter(|t| t.kind() != "none")
        .map(|t| ctx.text_of(t));
    let mode = keyword_arg(call, ctx.text, "return_when")
        .map_or(ReturnWhen::AllCompleted, |v| return_when(ctx, v));
    let (done, pending) = wait_targets(ctx, call);
    let names = Names {
        coros: &coros,
        done: &done,
        pending: &pending,
    };
    let (message, suggestion) = match (mode, timeout) {
        (ReturnWhen::FirstCompleted, None) => (
            MESSAGES.text("first-completed", "problem"),
            names.first_completed(),
        ),
        (ReturnWhen::FirstCompleted, Some(t)) => (
            MESSAGES.text("first-completed", "timeout-problem"),
            names.first_completed_timeout(t),
        ),
        (_, Some(t)) => (MESSAGES.text("wait-timeout", "problem"), names.timeout(t)),
        (ReturnWhen::FirstException, None) => (
            MESSAGES.text("first-exception", "problem"),
            names.first_exception(),
        ),
        (ReturnWhen::AllCompleted, None) => (
            MESSAGES.text("all-completed", "problem"),
            names.all_completed(),
        ),
        (ReturnWhen::Unknown, None) => (
            MESSAGES.text("return-when-value", "problem"),
            format!(
                "for FIRST_COMPLETED: {}\nfor ALL_COMPLETED or FIRST_EXCEPTION:\n{}",
                names.first_completed(),
                names.all_completed()
            ),
        ),
    };
    let kind: &'static str = match (mode, timeout) {
        (ReturnWhen::FirstCompleted, _) => "first-completed",
        (_, Some(_)) => "wait-timeout",
        (ReturnWhen::FirstException, None) => "first-exception",
        (ReturnWhen::AllCompleted, None) => "all-completed",
        (ReturnWhen::Unknown, None) => "return-when-value",
    };
    if kind == "all-completed"
        && let Some(rewrite) = all_tasks::all_completed_group(ctx, call)
    {
        return match rewrite {
            Ok(fix) => fix.into(),
            Err(finding) => finding.into(),
        };
    }
    Finding::manual(ID, kind, call.start_byte(), message, suggestion).into()
}

/// `done, pending = await asyncio.wait(...)`: the user's names, else `done` and `pending`.
fn wait_targets(ctx: &Ctx, call: Node) -> (String, String) {
    let defaults = ("done".to_owned(), "pending".to_owned());
    let Some(mut value) = awaited_by(ctx.resolver, call) else {
        return defaults;
    };
    while ctx
        .parent(value)
        .is_some_and(|p| p.kind() == "parenthesized_expression")
    {
        let Some(p) = ctx.parent(value) else { break };
        value = p;
    }
    let Some(assignment) = ctx.parent(value).filter(|p| {
        p.kind() == "assignment"
            && p.child_by_field_name("right")
                .is_some_and(|r| r.id() == value.id())
    }) else {
        return defaults;
    };
    let Some(left) = assignment.child_by_field_name("left") else {
        return defaults;
    };
    if !matches!(
        left.kind(),
        "pattern_list" | "tuple_pattern" | "list_pattern"
    ) {
        return defaults;
    }
    let names: Vec<Node> = named_children(left)
        .filter(|n| n.kind() != "comment")
        .collect();
    match names.as_slice() {
        [d, p] if d.kind() == "identifier" && p.kind() == "identifier" => {
            (ctx.text_of(*d).to_owned(), ctx.text_of(*p).to_owned())
        }
        _ => defaults,
    }
}

/// The suggested patterns for `asyncio.wait`, in the user's names.
struct Names<'a> {
    coros: &'a Coros,
    done: &'a str,
    pending: &'a str,
}

impl Names<'_> {
    fn first_completed(&self) -> String {
        let Self {
            coros,
            done,
            pending,
        } = self;
        MESSAGES.fill(
            "first-completed",
            "advice",
            &[
                ("pending", pending),
                ("unpacked", &coros.unpacked),
                ("done", done),
                ("iterable", &coros.iterable),
            ],
        )
    }

    fn first_completed_timeout(&self, t: &str) -> String {
        MESSAGES.fill(
            "first-completed",
            "timeout-advice",
            &[
                ("t", t),
                ("unpacked", &self.coros.unpacked),
                ("done", self.done),
            ],
        )
    }

    fn timeout(&self, t: &str) -> String {
        let Self {
            coros,
            done,
            pending,
        } = self;
        MESSAGES.fill(
            "wait-timeout",
            "advice",
            &[
                ("iterable", &coros.iterable),
                ("t", t),
                ("done", done),
                ("pending", pending),
            ],
        )
    }

    fn first_exception(&self) -> String {
        MESSAGES.fill(
            "first-exception",
            "advice",
            &[("iterable", &self.coros.iterable), ("done", self.done)],
        )
    }

    fn all_completed(&self) -> String {
        MESSAGES.fill(
            "all-completed",
            "advice",
            &[("iterable", &self.coros.iterable), ("done", self.done)],
        )
    }
}

// ------------------------------------------------------------------ the awaitables

/// The awaitables of a call, as coroutines where the tasks can be traced to them.
struct Coros {
    /// Arguments for `anyio.as_completed(...)`.
    unpacked: String,
    /// An iterable of them for a `for` loop.
    iterable: String,
}

impl Coros {
    fn unknown() -> Self {
        Self {
            unpacked: "*coros".to_owned(),
            iterable: "coros".to_owned(),
        }
    }
}

/// `[asyncio.create_task(f(x)) for x in xs]` → `*[f(x) for x in xs]`; a display's elements
/// spelled out; a name bound once to either of them followed to its value.
fn coros(ctx: &Ctx, arg: Node) -> Coros {
    if let Some(c) = coros_of_value(ctx, arg) {
        return c;
    }
    if arg.kind() == "identifier"
        && let Some(value) = single_value(ctx, arg)
        && let Some(c) = coros_of_value(ctx, value)
    {
        return c;
    }
    let text = ctx.text_of(arg);
    Coros {
        unpacked: format!("*{text}"),
        iterable: text.to_owned(),
    }
}

fn coros_of_value(ctx: &Ctx, value: Node) -> Option<Coros> {
    match value.kind() {
        "list" | "tuple" | "set" => {
            let items: Vec<String> = elements(value)
                .into_iter()
                .map(|e| unwrap_task(ctx, e))
                .collect();
            Some(Coros {
                unpacked: items.join(", "),
                iterable: format!("[{}]", items.join(", ")),
            })
        }
        "list_comprehension" | "set_comprehension" | "generator_expression" => {
            let body = value.child_by_field_name("body")?;
            let start = value.start_byte();
            let text = format!(
                "{}{}{}",
                &ctx.text[start..body.start_byte()],
                unwrap_task(ctx, body),
                &ctx.text[body.end_byte()..value.end_byte()]
            );
            Some(Coros {
                unpacked: format!("*{text}"),
                iterable: text,
            })
        }
        _ => None,
    }
}

/// The value of `name = value` when that is the only binding of the name.
fn single_value<'t>(ctx: &Ctx<'t>, name: Node<'t>) -> Option<Node<'t>> {
    let bindings: Vec<Node> = ctx
        .resolver
        .references(ctx.tree, ctx.text_of(name), name)
        .into_iter()
        .filter(|r| is_binding_site(ctx.resolver, *r))
        .collect();
    let [only] = bindings.as_slice() else {
        return None;
    };
    let assignment = ctx.parent(*only).filter(|p| p.kind() == "assignment")?;
    assignment.child_by_field_name("right")
}

/// `asyncio.create_task(f(x))` / `loop.create_task(f(x))` → `f(x)`; anything else as written.
fn unwrap_task(ctx: &Ctx, node: Node) -> String {
    let inner = (node.kind() == "call")
        .then(|| node.child_by_field_name("function"))
        .flatten()
        .filter(|f| {
            ctx.qualified(*f).is_some_and(|q| {
                matches!(q.as_str(), "asyncio.create_task" | "asyncio.ensure_future")
            }) || (f.kind() == "attribute"
                && f.child_by_field_name("attribute")
                    .is_some_and(|a| matches!(ctx.text_of(a), "create_task" | "ensure_future")))
        })
        .and_then(|_| positional_args(node).first().copied());
    ctx.text_of(inner.unwrap_or(node)).to_owned()
}
