//! asyncio-gather: `asyncio.gather` → a task group, `anyio.gather` or the spec's helpers (spec D3, §1).

use super::shared::block::step_for;
use super::{Captures, Ctx, awaited_by, call_args, enclosing_function, has_comment, on_own_line};
mod helpers;

use super::shared::tasks::start_soon_line;

use crate::analysis::awaitable::{self, Awaitable, TASK_FACTORIES, TASK_METHODS};
use crate::analysis::exceptions::under_except;
use crate::codemods::shared::catalogue::messages;
use crate::edit::{Edit, Finding, Fix, Import, Outcome, Verdict};
use crate::resolve::named_children;
use crate::source::{line_indent, line_start};
use crate::target::api::Api;
use helpers::{
    AWAIT_HELPER, COLLECT_HELPER, GATHER_ALL_HELPER, GATHER_HELPER, gather_helper_before_4_15,
};
use tree_sitter::Node;

const ID: &str = "asyncio-gather";

messages!("asyncio-gather");

/// Methods only a Task or Future has: a name they are called on holds no coroutine.
const TASK_ONLY_METHODS: &[&str] = &[
    "add_done_callback",
    "cancel",
    "cancelled",
    "done",
    "result",
    "exception",
    "get_name",
    "set_name",
];

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let Some(reference) = caps.get("ref") {
        return plan_reference(ctx, reference);
    }
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    if !ctx.is(callee, "asyncio.gather") {
        return Vec::new();
    }
    match plan_call(ctx, call, callee) {
        Ok(fix) => vec![fix.into()],
        Err(finding) => vec![finding.into()],
    }
}

/// `asyncio.gather` used as a value (a callback, `functools.partial(asyncio.gather, ...)`).
fn plan_reference(ctx: &Ctx, reference: Node) -> Vec<Outcome> {
    if !ctx.is(reference, "asyncio.gather") {
        return Vec::new();
    }
    vec![
        Finding::manual(
            ID,
            "gather-as-value",
            reference.start_byte(),
            "asyncio.gather passed as a value: its callers may pass Tasks, `return_exceptions=` or use the future it returns",
            MESSAGES.text("not-awaited", "advice"),
        )
        .into(),
    ]
}

/// A gather call's arguments, sorted out.
struct Gather<'t> {
    call: Node<'t>,
    /// Positional and `*` arguments, in order.
    args: Vec<Node<'t>>,
    /// The `return_exceptions=` keyword argument, if given.
    flag: Option<Node<'t>>,
    /// `return_exceptions=True`.
    collect: bool,
}

/// What an argument is, once shown to be coroutines.
#[derive(Clone, Copy)]
enum Arg<'t> {
    /// `f(x)`: a task-group child as it is.
    Call(Node<'t>),
    /// `*[f(x) for x in xs]`: a loop of task-group children.
    Comprehension(Node<'t>),
    /// Coroutine objects made elsewhere (`c`, `*coros`): `anyio.gather` only.
    Made,
    /// Not shown to be coroutine objects (`loader.load(k)`, `fut`, `*awaitables`): awaited
    /// through the `_await` helper; `anyio.gather` only.
    Wrapped(Node<'t>),
}

/// How the awaited result is used.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Usage<'t> {
    /// `await gather(...)` as a statement of its own.
    Discarded(Node<'t>),
    /// `a, b = await gather(...)`: a tuple unpacks like the list did.
    Unpacked,
    /// Anything else: the value may be used as a list.
    Value,
}

/// `gather(c, c)`: asyncio runs one awaitable once and gives its result for each place;
/// anyio would await the same object twice (`RuntimeError` for a coroutine).
fn passed_twice(ctx: &Ctx, call: Node, g: &Gather) -> Result<(), Finding> {
    let names: Vec<&str> = g
        .args
        .iter()
        .filter(|a| a.kind() == "identifier")
        .map(|a| ctx.text_of(*a))
        .collect();
    if let Some(twice) = names
        .iter()
        .enumerate()
        .find_map(|(i, n)| names[..i].contains(n).then_some(*n))
    {
        return Err(manual(
            call,
            "passed-twice",
            MESSAGES.fill("passed-twice", "why", &[("twice", twice)]),
            MESSAGES.text("passed-twice", "fix"),
        ));
    }
    Ok(())
}

fn plan_call(ctx: &Ctx, call: Node, callee: Node) -> Result<Fix, Finding> {
    let g = parse(ctx, call)?;
    plan_parsed(ctx, call, callee, &g).map_err(|finding| {
        if g.collect {
            left_collecting(finding)
        } else {
            finding
        }
    })
}

fn left_collecting(mut finding: Finding) -> Finding {
    finding
        .message
        .push_str(MESSAGES.text("return-exceptions", "left-as-is"));
    finding
        .suggestion
        .push_str(MESSAGES.text("return-exceptions", "left-as-is-advice"));
    finding
}

fn plan_parsed(ctx: &Ctx, call: Node, callee: Node, g: &Gather<'_>) -> Result<Fix, Finding> {
    passed_twice(ctx, call, g)?;
    let kinds = g
        .args
        .iter()
        .map(|a| classify(ctx, call, *a))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(awaited) = awaited_by(ctx.resolver, call) else {
        return Err(manual(
            call,
            "not-awaited",
            "asyncio.gather(...) is not awaited where it is called: the future it returns is stored or passed on",
            MESSAGES.text("not-awaited", "advice"),
        ));
    };
    let at = call.start_byte();
    let mut edits: Vec<Edit> = g
        .flag
        .iter()
        .map(|f| delete_argument(ctx.text, *f))
        .collect();
    // Every form runs a task group, whose failure is an ExceptionGroup from anyio 4.0 on (the
    // notes and `_gather` rely on it; anyio 3 raised one failure bare).
    super::shared::release::require(
        ctx,
        ID,
        at,
        Api::TaskGroupExceptionGroup,
        "a task group that raises an ExceptionGroup",
    )?;
    if g.collect {
        edits.push(Edit::replace(
            callee.byte_range(),
            "_gather_return_exceptions",
        ));
        edits.extend(helper(
            ctx,
            call,
            "_gather_return_exceptions",
            COLLECT_HELPER,
        )?);
        return Ok(
            Fix::new(ID, "return-exceptions", at, Verdict::SafeEdge, edits)
                .note(MESSAGES.text("return-exceptions", "note")),
        );
    }
    // `_gather_return_exceptions` awaits each argument itself; anyio.gather (also inside
    // `_gather`) takes coroutine objects only.
    let wrapped: Vec<Node> = kinds
        .iter()
        .filter_map(|k| match k {
            Arg::Wrapped(n) => Some(*n),
            _ => None,
        })
        .collect();
    if let Some(finding) = wrapped
        .iter()
        .find_map(|n| cancelled_argument(ctx, call, *n))
    {
        return Err(finding);
    }
    let wrap_note = if wrapped.is_empty() {
        String::new()
    } else {
        edits.extend(wrapped.iter().flat_map(|n| wrap(*n)));
        edits.extend(helper(ctx, call, "_await", AWAIT_HELPER)?);
        format!("; {}", MESSAGES.text("anyio-gather", "await-helper-note"))
    };
    // Before anyio 4.15 there is no anyio.gather: the module helper `_gather_all` does its job.
    let has_gather = ctx.targets.has(Api::Gather);
    if let Some(caller) = handler(ctx, call) {
        return bare_failure(ctx, (call, callee), edits, &caller, &wrap_note);
    }
    let usage = usage(ctx, awaited);
    if let Usage::Discarded(stmt) = usage
        && wrapped.is_empty()
        && let Some(fix) = task_group(ctx, g, &kinds, stmt)
    {
        return Ok(fix);
    }
    if !has_gather {
        edits.push(Edit::replace(callee.byte_range(), "_gather_all"));
        edits.extend(helper(ctx, call, "_gather_all", GATHER_ALL_HELPER)?);
        return Ok(Fix::new(ID, "gather-all-helper", at, Verdict::Unsafe, edits).note(format!(
            "{} (anyio < 4.15 has no anyio.gather: the module helper `_gather_all` runs them in a task group and returns a list){wrap_note}",
            MESSAGES.text("anyio-gather", "note")
        )));
    }
    edits.push(Edit::replace(callee.byte_range(), "anyio.gather"));
    let note = if usage == Usage::Value {
        edits.push(Edit::insert(awaited.start_byte(), "list("));
        edits.push(Edit::insert(awaited.end_byte(), ")"));
        format!(
            "{} (anyio.gather returns a tuple: wrapped in list()){wrap_note}",
            MESSAGES.text("anyio-gather", "note")
        )
    } else {
        format!("{}{wrap_note}", MESSAGES.text("anyio-gather", "note"))
    };
    Ok(Fix::new(ID, "anyio-gather", at, Verdict::Unsafe, edits).note(note))
}

/// `_gather(...)`: the form a handler written for asyncio.gather's bare exception still
/// matches (`handled_by` names a caller's handler; empty for one in the same function).
fn bare_failure(
    ctx: &Ctx,
    (call, callee): (Node, Node),
    mut edits: Vec<Edit>,
    handled_by: &str,
    wrap_note: &str,
) -> Result<Fix, Finding> {
    edits.push(Edit::replace(callee.byte_range(), "_gather"));
    if ctx.targets.has(Api::Gather) {
        edits.extend(helper(ctx, call, "_gather", GATHER_HELPER)?);
    } else {
        edits.extend(helper(ctx, call, "_gather", &gather_helper_before_4_15())?);
        edits.extend(helper(ctx, call, "_gather_all", GATHER_ALL_HELPER)?);
    }
    let at = call.start_byte();
    let fix = if handled_by.is_empty() {
        Fix::new(ID, "in-handler", at, Verdict::Unsafe, edits).note(format!(
            "{}{wrap_note}",
            MESSAGES.text("in-handler", "note")
        ))
    } else {
        let note = MESSAGES.fill("caller-handler", "note", &[("caller", handled_by)]);
        Fix::new(ID, "caller-handler", at, Verdict::Unsafe, edits)
            .note(format!("{note}{wrap_note}"))
    };
    Ok(fix.with_imports(&[Import::Sys]))
}

fn manual(node: Node, kind: &'static str, why: impl Into<String>, hint: &str) -> Finding {
    Finding::manual(ID, kind, node.start_byte(), why, hint)
}

/// Split the arguments; anything `anyio.gather` has no equivalent for is a finding.
fn parse<'t>(ctx: &Ctx, call: Node<'t>) -> Result<Gather<'t>, Finding> {
    if call
        .child_by_field_name("arguments")
        .is_some_and(|a| a.kind() != "argument_list")
    {
        return Err(manual(
            call,
            "bare-generator",
            "asyncio.gather called with a bare generator (not unpacked with `*`): it fails with TypeError",
            "unpack it: `list(await anyio.gather(*(f(x) for x in xs)))`",
        ));
    }
    let mut g = Gather {
        call,
        args: Vec::new(),
        flag: None,
        collect: false,
    };
    for arg in call_args(call) {
        match arg.kind() {
            "keyword_argument" => {
                let name = arg.child_by_field_name("name").map(|n| ctx.text_of(n));
                let value = arg.child_by_field_name("value").map(|v| v.kind());
                match (name, value) {
                    (Some("return_exceptions"), Some(v @ ("true" | "false"))) => {
                        g.flag = Some(arg);
                        g.collect = v == "true";
                    }
                    (Some("return_exceptions"), _) => {
                        return Err(manual(
                            call,
                            "return-exceptions-value",
                            "return_exceptions is not a literal True or False",
                            MESSAGES.text("return-exceptions-value", "fix"),
                        ));
                    }
                    _ => {
                        return Err(manual(
                            call,
                            "unknown-arguments",
                            "asyncio.gather called with a keyword argument it does not take (`loop=` was removed in Python 3.10)",
                            "drop the keyword: `list(await anyio.gather(f(), g()))`",
                        ));
                    }
                }
            }
            "dictionary_splat" => {
                return Err(manual(
                    call,
                    "unknown-arguments",
                    "asyncio.gather called with `**kwargs`",
                    MESSAGES.text("unknown-arguments", "kwargs-fix"),
                ));
            }
            _ => g.args.push(arg),
        }
    }
    Ok(g)
}

/// Show that an argument is coroutine objects; a Task or Future (or what may be one) is MANUAL.
fn classify<'t>(ctx: &Ctx, gather: Node<'t>, arg: Node<'t>) -> Result<Arg<'t>, Finding> {
    let text = ctx.text_of(arg);
    let task = || {
        manual(
            arg,
            "task-argument",
            format!("argument `{text}` is an asyncio Task or Future, not a coroutine object"),
            MESSAGES.text("task-argument", "advice"),
        )
    };
    let unknown = || {
        manual(
            arg,
            "maybe-task-argument",
            format!(
                "cannot show that argument `{text}` is a coroutine object (it may hold a Task or Future)"
            ),
            MESSAGES.text("task-argument", "advice"),
        )
    };
    let whole = arg;
    let arg = unparen(arg);
    match arg.kind() {
        "call" => match awaitable::of_call(ctx.code(), arg) {
            Awaitable::Coroutine => Ok(Arg::Call(arg)),
            Awaitable::TaskOrFuture => Err(task()),
            Awaitable::Unknown => Ok(Arg::Wrapped(whole)),
        },
        "identifier" => match follow(ctx, gather, arg, false) {
            Shown::Coroutines => Ok(Arg::Made),
            Shown::Tasks => Err(task()),
            Shown::Unknown => Ok(Arg::Wrapped(whole)),
        },
        "list_splat" => {
            let inner = named_children(arg)
                .find(|c| c.kind() != "comment")
                .map(unparen)
                .ok_or_else(unknown)?;
            let shown = match inner.kind() {
                "identifier" => follow(ctx, gather, inner, true),
                _ => collection(ctx, inner),
            };
            match shown {
                Shown::Coroutines if is_comprehension(inner) => Ok(Arg::Comprehension(inner)),
                Shown::Coroutines => Ok(Arg::Made),
                Shown::Tasks => Err(task()),
                Shown::Unknown => Ok(Arg::Wrapped(whole)),
            }
        }
        "keyword_argument" | "dictionary_splat" => Err(unknown()),
        _ if mentions_task_factory(ctx, arg) => Err(task()),
        _ => Ok(Arg::Wrapped(whole)),
    }
}

/// An argument gather would await in a child task (`_await(x)`) that may be a Task or Future
/// cancelled by then: the file calls `x.cancel()` on the same expression, or the call sits in
/// `contextlib.suppress(...CancelledError...)` or a `try` whose handler names `CancelledError`.
/// `asyncio.gather` raised such a child's `CancelledError` to its caller as an exception; in
/// anyio's task group a child that raises it counts as cancelled, and the caller's scope is
/// cancelled too, past a `suppress(CancelledError)` (`docs/evidence/gather_cancelled_child.py`).
fn cancelled_argument(ctx: &Ctx, call: Node, arg: Node) -> Option<Finding> {
    let text = ctx.text_of(unparen(arg));
    let cancel_at = crate::analysis::syntax::descendants(ctx.tree.root_node())
        .into_iter()
        .find(|n| {
            n.kind() == "call"
                && n.child_by_field_name("function").is_some_and(|f| {
                    f.kind() == "attribute"
                        && f.child_by_field_name("attribute")
                            .is_some_and(|a| ctx.text_of(a) == "cancel")
                        && f.child_by_field_name("object")
                            .is_some_and(|o| ctx.text_of(o) == text)
                })
        });
    let function = crate::analysis::syntax::enclosing_function(ctx.resolver, call);
    let ancestors: Vec<Node> = ctx
        .resolver
        .ancestors(call)
        .take_while(|a| Some(*a) != function)
        .collect();
    // A `with` around the call, or a `try` whose body holds it (not a handler).
    let guarded = ancestors
        .iter()
        .zip(ancestors.iter().skip(1))
        .find(|(inner, a)| match a.kind() {
            "with_statement" => named_children(**a)
                .filter(|c| c.kind() == "with_clause")
                .any(|c| {
                    let items = ctx.text_of(c);
                    items.contains("suppress") && items.contains("CancelledError")
                }),
            "try_statement" => {
                a.child_by_field_name("body") == Some(**inner)
                    && named_children(**a)
                        .filter(|c| c.kind() == "except_clause")
                        .any(|c| {
                            named_children(c)
                                .find(|v| !matches!(v.kind(), "block" | "comment"))
                                .is_some_and(|v| ctx.text_of(v).contains("CancelledError"))
                        })
            }
            _ => false,
        });
    let why = match (cancel_at, guarded) {
        (Some(c), _) => format!(
            "`{text}` is cancelled in this file (line {}), and gather would await it in a child task",
            c.start_position().row + 1
        ),
        (None, Some(_)) => format!(
            "the call is guarded against CancelledError, which `{text}` (a Task or Future, it may be) raises when cancelled, and gather would await it in a child task"
        ),
        (None, None) => return None,
    };
    Some(manual(
        arg,
        "cancelled-argument",
        format!(
            "{why}: asyncio.gather raised a cancelled child's CancelledError to its caller as an exception, while in anyio's task group a child that raises it counts as cancelled and cancels the caller too"
        ),
        MESSAGES.text("cancelled-argument", "fix"),
    ))
}

/// The edits that make a `Wrapped` argument a coroutine: `x` → `_await(x)`; `*[f(x) for x in
/// xs]` → `*[_await(f(x)) for x in xs]`; `*xs` → `*map(_await, xs)`.
fn wrap(arg: Node) -> Vec<Edit> {
    let around = |n: Node, open: &str| {
        vec![
            Edit::insert(n.start_byte(), open),
            Edit::insert(n.end_byte(), ")"),
        ]
    };
    if arg.kind() != "list_splat" {
        return around(arg, "_await(");
    }
    let Some(inner) = named_children(arg).find(|c| c.kind() != "comment") else {
        return Vec::new();
    };
    match unparen(inner) {
        comp if is_comprehension(comp) => comp
            .child_by_field_name("body")
            .map_or_else(Vec::new, |b| around(b, "_await(")),
        _ => around(inner, "map(_await, "),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Coroutines,
    Tasks,
    Unknown,
}

impl Shown {
    /// Both hold: the worse of the two.
    fn and(self, other: Self) -> Self {
        match (self, other) {
            (Self::Tasks, _) | (_, Self::Tasks) => Self::Tasks,
            (Self::Unknown, _) | (_, Self::Unknown) => Self::Unknown,
            _ => Self::Coroutines,
        }
    }
}

fn is_comprehension(node: Node) -> bool {
    matches!(node.kind(), "list_comprehension" | "generator_expression")
}

/// One value: what the analysis shows a call makes (`analysis::awaitable`).
fn single(ctx: &Ctx, value: Node) -> Shown {
    let value = unparen(value);
    if value.kind() != "call" {
        return if mentions_task_factory(ctx, value) {
            Shown::Tasks
        } else {
            Shown::Unknown
        };
    }
    match awaitable::of_call(ctx.code(), value) {
        Awaitable::Coroutine => Shown::Coroutines,
        Awaitable::TaskOrFuture => Shown::Tasks,
        Awaitable::Unknown => Shown::Unknown,
    }
}

/// A collection of values: a display or comprehension of coroutine calls; a call that names a
/// Task factory (`map(asyncio.create_task, coros)`) makes Tasks; anything else is unknown.
fn collection(ctx: &Ctx, value: Node) -> Shown {
    let value = unparen(value);
    match value.kind() {
        "list" | "tuple" => named_children(value)
            .filter(|c| c.kind() != "comment")
            .fold(Shown::Coroutines, |acc, e| acc.and(single(ctx, e))),
        "list_comprehension" | "generator_expression" => value
            .child_by_field_name("body")
            .map_or(Shown::Unknown, |b| single(ctx, b)),
        _ if mentions_task_factory(ctx, value) => Shown::Tasks,
        _ => Shown::Unknown,
    }
}

/// Follow a name through its bindings in its scope: every binding must make coroutine objects
/// (a call for a single value; for `*name`, a collection of calls, grown with
/// `append`/`extend`/`+=`). A parameter, a loop variable or any other binding is unknown.
fn follow(ctx: &Ctx, gather: Node, name: Node, many: bool) -> Shown {
    let text = ctx.text_of(name);
    let refs = ctx.resolver.references(ctx.tree, text, name);
    let mut shown = Shown::Coroutines;
    let mut bound = false;
    let of = |v: Node| {
        if many {
            collection(ctx, v)
        } else {
            single(ctx, v)
        }
    };
    for r in refs {
        if gather.start_byte() <= r.start_byte() && r.end_byte() <= gather.end_byte() {
            continue;
        }
        let Some(parent) = ctx.parent(r) else {
            continue;
        };
        let is_field = |field: &str| {
            parent
                .child_by_field_name(field)
                .is_some_and(|f| f.id() == r.id())
        };
        match parent.kind() {
            "assignment" if is_field("left") => {
                bound = true;
                shown = shown.and(
                    parent
                        .child_by_field_name("right")
                        .map_or(Shown::Unknown, of),
                );
            }
            "augmented_assignment" if is_field("left") => {
                let plus = parent
                    .child_by_field_name("operator")
                    .is_some_and(|o| ctx.text_of(o) == "+=");
                shown = shown.and(match parent.child_by_field_name("right") {
                    Some(v) if many && plus => collection(ctx, v),
                    _ => Shown::Unknown,
                });
            }
            "attribute" if is_field("object") => {
                shown = shown.and(method_use(ctx, parent, many));
            }
            "parameters"
            | "default_parameter"
            | "typed_parameter"
            | "typed_default_parameter"
            | "lambda_parameters"
            | "list_splat_pattern"
            | "dictionary_splat_pattern"
            | "pattern_list"
            | "tuple_pattern"
            | "list_pattern"
            | "for_statement"
            | "for_in_clause"
            | "as_pattern_target"
            | "named_expression"
            | "except_clause"
            | "global_statement"
            | "nonlocal_statement"
            | "function_definition"
            | "class_definition"
            | "dotted_name"
            | "aliased_import" => {
                shown = shown.and(Shown::Unknown);
            }
            _ => {}
        }
    }
    if bound { shown } else { Shown::Unknown }
}

/// `name.append(x)` / `name.extend(xs)` grow a collection; Task-only methods give a Task away.
fn method_use(ctx: &Ctx, attribute: Node, many: bool) -> Shown {
    let Some(method) = attribute.child_by_field_name("attribute") else {
        return Shown::Coroutines;
    };
    let method = ctx.text_of(method);
    if TASK_ONLY_METHODS.contains(&method) {
        return Shown::Tasks;
    }
    let Some(call) = ctx
        .parent(attribute)
        .filter(|p| p.kind() == "call")
        .filter(|p| {
            p.child_by_field_name("function")
                .is_some_and(|f| f.id() == attribute.id())
        })
    else {
        return Shown::Coroutines;
    };
    let last = call_args(call).last().copied();
    match (method, last) {
        ("append" | "insert", Some(v)) if many => single(ctx, v),
        ("extend", Some(v)) if many => collection(ctx, v),
        _ => Shown::Coroutines,
    }
}

/// A callee that returns a Task or Future (`asyncio.create_task`, `loop.create_task`, ...).
fn is_task_factory(ctx: &Ctx, callee: Node) -> bool {
    if ctx
        .qualified(callee)
        .is_some_and(|q| TASK_FACTORIES.contains(&q.as_str()))
    {
        return true;
    }
    callee.kind() == "attribute"
        && callee
            .child_by_field_name("attribute")
            .is_some_and(|a| TASK_METHODS.contains(&ctx.text_of(a)))
}

/// Any Task or Future factory named inside `node` (`map(asyncio.create_task, coros)`).
fn mentions_task_factory(ctx: &Ctx, node: Node) -> bool {
    matches!(node.kind(), "identifier" | "attribute") && is_task_factory(ctx, node)
        || named_children(node).any(|c| mentions_task_factory(ctx, c))
}

/// How the value of `await gather(...)` is used.
fn usage<'t>(ctx: &Ctx<'t>, awaited: Node<'t>) -> Usage<'t> {
    let mut top = awaited;
    while let Some(p) = ctx
        .parent(top)
        .filter(|p| p.kind() == "parenthesized_expression")
    {
        top = p;
    }
    let Some(parent) = ctx.parent(top) else {
        return Usage::Value;
    };
    match parent.kind() {
        "expression_statement" => Usage::Discarded(parent),
        "assignment"
            if parent
                .child_by_field_name("right")
                .is_some_and(|r| r.id() == top.id())
                && ctx
                    .parent(parent)
                    .is_some_and(|s| s.kind() == "expression_statement")
                && parent.child_by_field_name("left").is_some_and(|l| {
                    matches!(l.kind(), "pattern_list" | "tuple_pattern" | "list_pattern")
                }) =>
        {
            Usage::Unpacked
        }
        _ => Usage::Value,
    }
}

/// Where a handler written for the bare exception `asyncio.gather` raises can see its failure:
/// a `try` with an `except`, or a `with suppress(...)` / `pytest.raises(...)` /
/// `assertRaises(...)` block, around the gather in the same function (asyncio-dgram's tests
/// wrap a gather in `pytest.raises(OSError)`); or, when none is, a caller of that function in
/// the run's files (`analysis::callers`: transitions' `await_all` is awaited under
/// `except BaseException` two callers up, which hands the error to the user's callback).
/// `None` when no handler is seen; `Some("")` for one in the same function.
fn handler(ctx: &Ctx, call: Node) -> Option<String> {
    let mut region = call;
    while let Some(parent) = ctx.parent(region) {
        region = parent;
        if matches!(
            region.kind(),
            "function_definition" | "lambda" | "class_definition"
        ) {
            break;
        }
    }
    if under_except(ctx.code(), call, region) {
        return Some(String::new());
    }
    if region.kind() != "function_definition" {
        return None;
    }
    ctx.catching
        .of(ctx.code(), region, ctx.path)
        .map(|w| w.describe())
}

/// The edit that defines a helper once, after the imports; a finding when its name is taken.
fn helper(ctx: &Ctx, call: Node, name: &str, source: &str) -> Result<Option<Edit>, Finding> {
    super::module_helper(ctx, call, name, source).map_err(|_| {
        manual(
            call,
            "helper-name-taken",
            format!("the name `{name}` for the spec's helper is already used here"),
            "rename the existing `{name}`, then run again; or define the helper from the anyio-migrate docs (asyncio-gather) yourself",
        )
    })
}

/// Remove one argument with its comma: its whole line when it is alone there.
fn delete_argument(text: &str, arg: Node) -> Edit {
    let next_comma = arg.next_sibling().filter(|n| n.kind() == ",");
    let end = next_comma.map_or(arg.end_byte(), |c| c.end_byte());
    let start = line_start(text, arg.start_byte());
    let eol = text[end..].find('\n').map_or(text.len(), |i| end + i);
    if text[start..arg.start_byte()].trim().is_empty() && text[end..eol].trim().is_empty() {
        return Edit::delete(start..(eol + 1).min(text.len()));
    }
    if next_comma.is_some() {
        let spaces = text[end..eol].len() - text[end..eol].trim_start_matches([' ', '\t']).len();
        return Edit::delete(arg.start_byte()..end + spaces);
    }
    match arg.prev_sibling().filter(|p| p.kind() == ",") {
        Some(comma) => Edit::delete(comma.start_byte()..arg.end_byte()),
        None => Edit::delete(arg.byte_range()),
    }
}

fn unparen(mut node: Node) -> Node {
    while node.kind() == "parenthesized_expression" {
        let Some(inner) = named_children(node).find(|c| c.kind() != "comment") else {
            break;
        };
        node = inner;
    }
    node
}

/// One line of the new block: its depth below the statement and its text.
type Line = (usize, String);

/// `await gather(a(), b(x))` as a statement → a task group with one `start_soon` per child
/// (spec D3). `None` when some argument cannot be a task-group child as it is written.
fn task_group(ctx: &Ctx, g: &Gather, kinds: &[Arg], stmt: Node) -> Option<Fix> {
    if g.args.is_empty() || !on_own_line(ctx.text, stmt) {
        return None;
    }
    let tg = free_name(ctx, stmt, "tg");
    // (start, end, lines) of each child and of each comment that gets its own line.
    let mut items: Vec<(usize, usize, Vec<Line>)> = Vec::new();
    // Byte ranges copied word for word: comments inside them travel along.
    let mut copied: Vec<std::ops::Range<usize>> = Vec::new();
    let mut partial = false;
    for (arg, kind) in g.args.iter().zip(kinds) {
        if contains_await(*arg) {
            return None;
        }
        let lines = match *kind {
            Arg::Call(call) => {
                let (line, uses_partial, ranges) = start_soon_line(ctx, call, &tg)?;
                partial |= uses_partial;
                copied.extend(ranges);
                vec![(1, line)]
            }
            Arg::Comprehension(comp) => {
                let (lines, uses_partial) = loop_lines(ctx, comp, stmt, &tg)?;
                partial |= uses_partial;
                copied.push(comp.byte_range());
                lines
            }
            Arg::Made | Arg::Wrapped(_) => return None,
        };
        items.push((arg.start_byte(), arg.end_byte(), lines));
    }
    for comment in comments(stmt) {
        let range = comment.byte_range();
        if copied
            .iter()
            .any(|c| c.start <= range.start && range.end <= c.end)
        {
            continue;
        }
        items.push((
            range.start,
            range.end,
            vec![(1, ctx.text_of(comment).to_owned())],
        ));
    }
    items.sort_by_key(|(start, _, _)| *start);
    let indent = line_indent(ctx.text, stmt.start_byte());
    let step = step_for(ctx, indent);
    let mut text = format!("async with anyio.create_task_group() as {tg}:");
    let mut prev_end: Option<usize> = None;
    for (start, end, lines) in items {
        let is_comment = ctx.text[start..].starts_with('#');
        // A comment on the same line as the child before it stays at the end of its line.
        if is_comment && prev_end.is_some_and(|p| !ctx.text[p..start].contains('\n')) {
            text.push_str("  ");
            text.push_str(&ctx.text[start..end]);
        } else {
            for (depth, line) in lines {
                text.push('\n');
                text.push_str(indent);
                text.push_str(&step.repeat(depth));
                text.push_str(&line);
            }
        }
        prev_end = Some(end);
    }
    let fix = Fix::new(
        ID,
        "task-group",
        g.call.start_byte(),
        Verdict::Unsafe,
        vec![Edit::replace(stmt.byte_range(), text)],
    )
    .note(MESSAGES.text("anyio-gather", "note"));
    Some(if partial {
        fix.with_imports(&[Import::Functools])
    } else {
        fix
    })
}

/// A name (`tg`, `tg2`, ...) that nothing visible at `stmt` binds and nothing in its function
/// (or module) uses, so the new binding shadows and changes nothing (spec D3, D4).
fn free_name(ctx: &Ctx, stmt: Node, base: &str) -> String {
    let scope_root = enclosing_function(ctx.resolver, stmt).unwrap_or_else(|| ctx.tree.root_node());
    let mut uses = Vec::new();
    identifiers(scope_root, &mut uses);
    let taken = |name: &str| {
        ctx.resolver.is_bound(name, stmt)
            || uses
                .iter()
                .any(|u| ctx.text_of(*u) == name && !ctx.resolver.is_member_name(*u))
    };
    super::first_free(base, taken)
}

/// `*[f(x) for x in xs if c]` → `for x in xs:` / `if c:` / `tg.start_soon(f, x)`.
fn loop_lines(ctx: &Ctx, comp: Node, stmt: Node, tg: &str) -> Option<(Vec<Line>, bool)> {
    if has_comment(comp) {
        return None;
    }
    let body_field = comp.child_by_field_name("body")?;
    let body = unparen(body_field);
    if body.kind() != "call" {
        return None;
    }
    let mut lines = Vec::new();
    let mut depth = 1;
    for clause in named_children(comp).filter(|c| c.id() != body_field.id()) {
        match clause.kind() {
            "for_in_clause" => {
                // `async for` would let started children run during the iteration.
                if clause.child(0).is_some_and(|c| c.kind() == "async") {
                    return None;
                }
                let left = clause.child_by_field_name("left")?;
                let target = ctx.text_of(left);
                if target.contains('\n') || !loop_targets_free(ctx, comp, stmt, left) {
                    return None;
                }
                let mut cursor = clause.walk();
                let rights: Vec<Node> = clause
                    .children_by_field_name("right", &mut cursor)
                    .filter(Node::is_named)
                    .collect();
                let (first, last) = (rights.first()?, rights.last()?);
                let iter = &ctx.text[first.start_byte()..last.end_byte()];
                lines.push((depth, format!("for {target} in {}:", bracketed(iter))));
                depth += 1;
            }
            "if_clause" => {
                let cond = named_children(clause).next()?;
                lines.push((depth, format!("if {}:", bracketed(ctx.text_of(cond)))));
                depth += 1;
            }
            _ => return None,
        }
    }
    let (line, partial, _) = start_soon_line(ctx, body, tg)?;
    lines.push((depth, line));
    Some((lines, partial))
}

/// Text that spans lines needs brackets once it leaves the comprehension's.
fn bracketed(text: &str) -> String {
    if text.contains('\n') {
        format!("({text})")
    } else {
        text.to_owned()
    }
}

/// A `for` statement binds its targets in the function, where the comprehension kept them
/// to itself: no other use of those names in the function (or module) may see the change.
fn loop_targets_free(ctx: &Ctx, comp: Node, stmt: Node, target: Node) -> bool {
    let scope_root = enclosing_function(ctx.resolver, stmt).unwrap_or_else(|| ctx.tree.root_node());
    let mut names = Vec::new();
    identifiers(target, &mut names);
    names.iter().all(|name| {
        let name = ctx.text_of(*name);
        let home = ctx.resolver.defining_scope(name, stmt);
        let mut uses = Vec::new();
        identifiers(scope_root, &mut uses);
        !uses.iter().any(|u| {
            ctx.text_of(*u) == name
                && !(comp.start_byte() <= u.start_byte() && u.end_byte() <= comp.end_byte())
                && !ctx.resolver.is_member_name(*u)
                && ctx.resolver.defining_scope(name, *u) == home
        })
    })
}

fn identifiers<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>) {
    if node.kind() == "identifier" {
        out.push(node);
    }
    for c in named_children(node) {
        identifiers(c, out);
    }
}

fn contains_await(node: Node) -> bool {
    node.kind() == "await" || named_children(node).any(contains_await)
}

/// Every comment inside `node`, in order.
fn comments(node: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind() == "comment" {
            out.push(n);
        }
        let children: Vec<Node> = named_children(n).collect();
        stack.extend(children.into_iter().rev());
    }
    out
}
