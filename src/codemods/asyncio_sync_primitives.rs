//! asyncio-sync-primitives: `Lock`, `Event`, `Semaphore`, `BoundedSemaphore`, `Condition` → anyio (spec §9).
//!
//! A constructor is rewritten together with what its uses need. The uses are the ones tied to
//! the object: a variable bound to the constructor in the same scope, or `self.attr` in the
//! methods of the same class (and functions of this file it is passed to). Gaps with a
//! mechanical fix are rewritten (`sem.locked()` → `sem.value == 0`, `sem._value` →
//! `sem.value`); gaps without one (`event.clear()`, asyncio internals) keep the constructor
//! unchanged and are reported; behaviour changes (a used `acquire()`/`wait()` result, a
//! `release()` away from the acquire) are flagged UNSAFE.

use super::{
    Captures, Ctx, call_args, enclosing_statement, fresh_name, has_comment, insert_line_before,
    is_class_check_argument, is_simple, keyword_arg, on_own_line, positional_args,
};
use crate::analysis::bindings::{is_binding_site, is_target};
use crate::edit::{Edit, Finding, Fix, Outcome, Verdict};
use crate::resolve::named_children;
use std::collections::HashSet;
use tree_sitter::Node;

const ID: &str = "asyncio-sync-primitives";

/// asyncio's Lock and Semaphore take a free lock without yielding to other tasks; anyio's yield
/// unless created with `fast_acquire=True` (`docs/evidence/sync_fast_acquire.py`: with a plain
/// `anyio.Lock()`, janus' waiter is not yet counted after one `sleep(0)`).
const FAST: &str = "fast_acquire=True";

/// anyio's primitives are slotted: a test double set on an instance fails (aiocache's tests do
/// `patch.object(RedLock._EVENTS[key], "wait", Mock())`; `docs/evidence/sync_slots.py`).
const SLOTS_NOTE: &str = "anyio's primitives take no instance attributes, so a test double set on one (`mock.patch.object(obj, \"wait\", ...)`) raises AttributeError (asyncio's allowed it)";

/// How many calls deep a primitive is followed into functions of this file.
const MAX_FOLLOW_DEPTH: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Lock,
    Event,
    Semaphore,
    BoundedSemaphore,
    Condition,
}

impl Kind {
    /// The primitive a dotted path names, and whether it is asyncio's (else anyio's).
    fn of(path: &str) -> Option<(Self, bool)> {
        Some(match path {
            "asyncio.Lock" => (Self::Lock, true),
            "asyncio.Event" => (Self::Event, true),
            "asyncio.Semaphore" => (Self::Semaphore, true),
            "asyncio.BoundedSemaphore" => (Self::BoundedSemaphore, true),
            "asyncio.Condition" => (Self::Condition, true),
            "anyio.Lock" => (Self::Lock, false),
            "anyio.Event" => (Self::Event, false),
            "anyio.Semaphore" => (Self::Semaphore, false),
            "anyio.Condition" => (Self::Condition, false),
            _ => return None,
        })
    }

    fn asyncio_name(self) -> &'static str {
        match self {
            Self::Lock => "asyncio.Lock",
            Self::Event => "asyncio.Event",
            Self::Semaphore => "asyncio.Semaphore",
            Self::BoundedSemaphore => "asyncio.BoundedSemaphore",
            Self::Condition => "asyncio.Condition",
        }
    }

    fn anyio_name(self) -> &'static str {
        match self {
            Self::Lock => "anyio.Lock",
            Self::Event => "anyio.Event",
            Self::Semaphore | Self::BoundedSemaphore => "anyio.Semaphore",
            Self::Condition => "anyio.Condition",
        }
    }

    fn is_semaphore(self) -> bool {
        matches!(self, Self::Semaphore | Self::BoundedSemaphore)
    }

    /// Has an owner: only the task that acquired it may release it in anyio.
    fn is_owned(self) -> bool {
        matches!(self, Self::Lock | Self::Condition)
    }

    /// `acquire()` returned True in asyncio and returns None in anyio.
    fn has_acquire(self) -> bool {
        !matches!(self, Self::Event)
    }

    /// `wait()` returned True in asyncio and returns None in anyio.
    fn has_wait(self) -> bool {
        matches!(self, Self::Event | Self::Condition)
    }
}

/// The primitive `node` (a callee or a class reference) provably names.
fn kind_of(ctx: &Ctx, node: Node) -> Option<(Kind, bool)> {
    Kind::of(&ctx.qualified(node)?)
}

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let Some(ty) = caps.get("type") {
        return plan_annotation(ctx, ty);
    }
    if let Some(reference) = caps.get("ref") {
        return plan_reference(ctx, reference);
    }
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    match kind_of(ctx, callee) {
        Some((kind, true)) => plan_constructor(ctx, call, callee, kind),
        // Already anyio's (an earlier pass, or the user's): finish the use rewrites, in case
        // one of them was deferred by an overlapping fix.
        Some((kind, false)) if kind.is_semaphore() => finish_uses(ctx, call),
        _ => Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Constructors

fn plan_constructor(ctx: &Ctx, call: Node, callee: Node, kind: Kind) -> Vec<Outcome> {
    let mut edits = match constructor_edits(ctx, call, callee, kind) {
        Ok(edits) => edits,
        Err((why, suggestion)) => {
            return vec![Finding::manual(ID, call.start_byte(), why, suggestion).into()];
        }
    };
    let mut analysis = Analysis::default();
    let target = tie(ctx, call);
    if let Some(target) = &target {
        analysis.run(ctx, target, kind, true);
        // `x: asyncio.Event = asyncio.Event()`: the annotation follows the constructor.
        if let Some(ty) = call
            .parent()
            .filter(|p| p.kind() == "assignment")
            .and_then(|p| p.child_by_field_name("type"))
        {
            edits.extend(annotation_edits(ctx, ty));
        }
    } else if kind == Kind::Event {
        analysis.flag(format!(
            "the Event is not stored in a variable or self attribute, so its uses were not checked: \
             anyio.Event has no clear(), and wait() returns None, not True; {SLOTS_NOTE}"
        ));
    }
    if kind == Kind::Condition {
        let lock = positional_args(call)
            .first()
            .copied()
            .or_else(|| keyword_arg(call, ctx.text, "lock"));
        if lock.is_some_and(|lock| !lock_is_anyio_bound(ctx, lock)) {
            analysis.flag(
                "the lock passed to Condition is created elsewhere: it must become an anyio.Lock \
                 too (anyio.Condition accepts an asyncio.Lock at construction, but it is wrong)"
                    .to_owned(),
            );
        }
    }
    analysis.check_releases(ctx, kind);
    analysis.flag_escapes(kind);
    if !analysis.hard.is_empty() {
        return analysis.manual(ctx, call, kind);
    }
    let mut out: Vec<Outcome> = Vec::new();
    let fix = if analysis.flags.is_empty() {
        Fix::new(ID, call.start_byte(), Verdict::Safe, edits)
    } else {
        Fix::new(ID, call.start_byte(), Verdict::Unsafe, edits).note(analysis.flags.join("; "))
    };
    out.push(fix.into());
    out.extend(analysis.rewrites.into_iter().map(Outcome::from));
    out
}

/// An anyio semaphore constructor seen in a later pass: redo the use rewrites (identical ones
/// are deduplicated; the rest were deferred by an overlap).
fn finish_uses(ctx: &Ctx, call: Node) -> Vec<Outcome> {
    let Some(target) = tie(ctx, call) else {
        return Vec::new();
    };
    let mut analysis = Analysis::default();
    analysis.run(ctx, &target, Kind::Semaphore, true);
    analysis.rewrites.into_iter().map(Outcome::from).collect()
}

type Manual = (String, String);

/// The constructor's own edits, or why it cannot be rewritten.
fn constructor_edits(ctx: &Ctx, call: Node, callee: Node, kind: Kind) -> Result<Vec<Edit>, Manual> {
    let args = call_args(call);
    let positional = positional_args(call);
    let Some(arg_list) = call.child_by_field_name("arguments") else {
        return Err(unexpected_args(ctx, call, kind));
    };
    let mut edits = vec![Edit::replace(callee.byte_range(), kind.anyio_name())];
    match kind {
        Kind::Lock | Kind::Event => {
            if !args.is_empty() {
                return Err(unexpected_args(ctx, call, kind));
            }
            if kind == Kind::Lock {
                edits.push(Edit::insert(arg_list.start_byte() + 1, FAST));
            }
        }
        Kind::Condition => {
            let lock = keyword_arg(call, ctx.text, "lock");
            let ok =
                args.is_empty() || (args.len() == 1 && (positional.len() == 1 || lock.is_some()));
            if !ok {
                return Err(unexpected_args(ctx, call, kind));
            }
            if args.is_empty() {
                // anyio.Condition() makes a plain anyio.Lock(), whose acquire yields.
                edits.push(Edit::insert(
                    arg_list.start_byte() + 1,
                    format!("anyio.Lock({FAST})"),
                ));
            }
        }
        Kind::Semaphore | Kind::BoundedSemaphore => {
            let keyword = keyword_arg(call, ctx.text, "value");
            let value = positional.first().copied().or(keyword);
            if args.len() > 1 || (args.len() == 1 && value.is_none()) {
                return Err(unexpected_args(ctx, call, kind));
            }
            let Some(value) = value else {
                // `initial_value` is required in anyio; asyncio's default was 1.
                let text = if kind == Kind::Semaphore {
                    format!("1, {FAST}")
                } else {
                    format!("1, max_value=1, {FAST}")
                };
                edits.push(Edit::insert(arg_list.start_byte() + 1, text));
                return Ok(edits);
            };
            if let Some(key) = keyword
                .and_then(|v| v.parent())
                .and_then(|kw| kw.child_by_field_name("name"))
            {
                edits.push(Edit::replace(key.byte_range(), "initial_value"));
            }
            if kind == Kind::BoundedSemaphore {
                if is_simple(value) {
                    let n = ctx.text_of(value);
                    edits.push(Edit::insert(
                        value.end_byte(),
                        format!(", max_value={n}, {FAST}"),
                    ));
                } else {
                    edits.extend(hoist_bound(ctx, call, value)?);
                }
            } else {
                edits.push(Edit::insert(value.end_byte(), format!(", {FAST}")));
            }
        }
    }
    Ok(edits)
}

fn unexpected_args(ctx: &Ctx, call: Node, kind: Kind) -> Manual {
    let hint = if keyword_arg(call, ctx.text, "loop").is_some() {
        " (the `loop` parameter is gone since Python 3.10)"
    } else {
        ""
    };
    (
        format!(
            "{} called with unpacked or unexpected arguments{hint}",
            kind.asyncio_name()
        ),
        match kind {
            Kind::Semaphore => "anyio.Semaphore(initial_value)".to_owned(),
            Kind::BoundedSemaphore => "anyio.Semaphore(n, max_value=n)".to_owned(),
            Kind::Condition => "anyio.Condition(lock), with lock an anyio.Lock".to_owned(),
            Kind::Lock | Kind::Event => format!("{}()", kind.anyio_name()),
        },
    )
}

/// `BoundedSemaphore(expr)` needs `expr` twice but must evaluate it once: evaluate it into a
/// fresh name on the line before. Only where the call is the statement's whole value (so
/// nothing else in the statement ran before it) and not in a class body (the name would
/// become a class attribute).
fn hoist_bound(ctx: &Ctx, call: Node, value: Node) -> Result<Vec<Edit>, Manual> {
    let manual = || {
        (
            "asyncio.BoundedSemaphore(n) with a computed n that cannot be evaluated once here"
                .to_owned(),
            "bound = <n>\nanyio.Semaphore(bound, max_value=bound)".to_owned(),
        )
    };
    let stmt = enclosing_statement(call).ok_or_else(manual)?;
    let whole = stmt.kind() == "expression_statement"
        && stmt.named_child_count() == 1
        && stmt.named_child(0).is_some_and(|c| {
            c.id() == call.id()
                || (c.kind() == "assignment"
                    && c.child_by_field_name("right")
                        .is_some_and(|r| r.id() == call.id()))
        });
    let in_class = stmt
        .parent()
        .and_then(|b| b.parent())
        .is_some_and(|c| c.kind() == "class_definition");
    if !whole || in_class || !on_own_line(ctx.text, stmt) {
        return Err(manual());
    }
    let temp = fresh_name(ctx.text, "sem_bound");
    let text = ctx.text_of(value);
    let text = if text.contains('\n') {
        format!("({text})")
    } else {
        text.to_owned()
    };
    Ok(vec![
        insert_line_before(ctx.text, stmt, &format!("{temp} = {text}")),
        Edit::replace(
            value.byte_range(),
            format!("{temp}, max_value={temp}, {FAST}"),
        ),
    ])
}

/// `anyio.Condition(lock)` is right only if `lock` is (or becomes) an anyio.Lock.
fn lock_is_anyio_bound(ctx: &Ctx, lock: Node) -> bool {
    if lock.kind() == "none" {
        return true;
    }
    if lock.kind() == "call" {
        return lock
            .child_by_field_name("function")
            .and_then(|f| kind_of(ctx, f))
            .is_some_and(|(k, _)| k == Kind::Lock);
    }
    let Some(target) = target_of_expression(ctx, lock) else {
        return false;
    };
    let bound = bindings(ctx, &target);
    !bound.is_empty()
        && bound.iter().all(|b| match b {
            Bound::Value(v) => {
                v.kind() == "none"
                    || constructor_kind(ctx, *v).is_some_and(|(k, _)| k == Kind::Lock)
            }
            Bound::Other => false,
        })
}

// ---------------------------------------------------------------------------------------------
// References: annotations, isinstance, factories, base classes

fn plan_annotation(ctx: &Ctx, ty: Node) -> Vec<Outcome> {
    // Nested `type` nodes are handled with the outermost one.
    if ancestors(ty).any(|a| a.kind() == "type") {
        return Vec::new();
    }
    let parent = ty.parent();
    // `x: asyncio.Lock = asyncio.Lock()`: the constructor's fix carries the annotation.
    if let Some(p) = parent.filter(|p| p.kind() == "assignment")
        && p.child_by_field_name("right")
            .and_then(|r| constructor_kind(ctx, r))
            .is_some_and(|(_, asyncio)| asyncio)
    {
        return Vec::new();
    }
    let target = parent.and_then(|p| annotated_target(ctx, p));
    let mut out = Vec::new();
    for reference in references_in(ctx, ty) {
        let Some((kind, true)) = kind_of(ctx, reference) else {
            continue;
        };
        if let Some(target) = &target {
            let mut analysis = Analysis::default();
            analysis.run(ctx, target, kind, false);
            if !analysis.hard.is_empty() {
                // The annotated object keeps asyncio's type: report what blocks it.
                out.extend(analysis.gap_findings(ctx));
                continue;
            }
        }
        let edit = Edit::replace(reference.byte_range(), kind.anyio_name());
        out.push(Fix::new(ID, reference.start_byte(), Verdict::Safe, vec![edit]).into());
    }
    out
}

/// The variable or attribute an annotation belongs to (a parameter or an assignment target).
fn annotated_target<'t>(ctx: &Ctx<'t>, holder: Node<'t>) -> Option<Target<'t>> {
    match holder.kind() {
        "typed_parameter" | "typed_default_parameter" => {
            let name = if holder.kind() == "typed_parameter" {
                named_children(holder).find(|c| c.kind() == "identifier")?
            } else {
                holder.child_by_field_name("name")?
            };
            let func = ancestors(holder).find(|a| a.kind() == "function_definition")?;
            Some(Target::Name {
                scope: func,
                name: ctx.text_of(name).to_owned(),
            })
        }
        "assignment" => target_of_expression(ctx, holder.child_by_field_name("left")?),
        _ => None,
    }
}

/// Rewrites of the asyncio primitives named inside an annotation.
fn annotation_edits(ctx: &Ctx, ty: Node) -> Vec<Edit> {
    references_in(ctx, ty)
        .into_iter()
        .filter_map(|r| match kind_of(ctx, r) {
            Some((kind, true)) => Some(Edit::replace(r.byte_range(), kind.anyio_name())),
            _ => None,
        })
        .collect()
}

/// Names and attribute chains inside `node` that resolve to something (outermost only).
fn references_in<'t>(ctx: &Ctx<'t>, node: Node<'t>) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if matches!(n.kind(), "identifier" | "attribute") && ctx.qualified(n).is_some() {
            out.push(n);
            continue;
        }
        push_children(&mut stack, n);
    }
    out.sort_by_key(Node::start_byte);
    out
}

fn plan_reference(ctx: &Ctx, reference: Node) -> Vec<Outcome> {
    let Some((kind, true)) = kind_of(ctx, reference) else {
        return Vec::new();
    };
    let edit = || vec![Edit::replace(reference.byte_range(), kind.anyio_name())];
    let Some(parent) = reference.parent() else {
        return Vec::new();
    };
    if is_class_check_argument(ctx, reference) {
        let fix = Fix::new(ID, reference.start_byte(), Verdict::Safe, edit());
        let fix = if kind == Kind::BoundedSemaphore {
            Fix {
                verdict: Verdict::Unsafe,
                ..fix
            }
            .note("anyio has no BoundedSemaphore class: the check now also matches semaphores without max_value (test `x.max_value is not None` if that matters)")
        } else {
            fix
        };
        return vec![fix.into()];
    }
    if parent.kind() == "tuple" {
        // A tuple of classes that is not an isinstance argument: leave it.
        return Vec::new();
    }
    if parent.kind() == "argument_list"
        && parent
            .parent()
            .is_some_and(|p| p.kind() == "class_definition")
    {
        return vec![
            Finding::manual(
                ID,
                reference.start_byte(),
                format!(
                    "subclass of {}: anyio's primitives pick a backend class when created, and the subclass may rely on asyncio internals",
                    kind.asyncio_name()
                ),
                format!("wrap an {}() in an attribute instead of subclassing", kind.anyio_name()),
            )
            .into(),
        ];
    }
    // Passed or bound as a value: a factory (`defaultdict(asyncio.Lock)`,
    // `field(default_factory=asyncio.Event)`) or an alias.
    match kind {
        Kind::Semaphore | Kind::BoundedSemaphore => vec![
            Finding::manual(
                ID,
                reference.start_byte(),
                format!(
                    "{} used as a factory: anyio.Semaphore() requires an initial value",
                    kind.asyncio_name()
                ),
                "functools.partial(anyio.Semaphore, 1) (add max_value=1 for a BoundedSemaphore)",
            )
            .into(),
        ],
        Kind::Lock | Kind::Condition => {
            vec![Fix::new(ID, reference.start_byte(), Verdict::Safe, edit()).into()]
        }
        Kind::Event => {
            let mut analysis = Analysis::default();
            if let Some(target) = field_target(ctx, reference) {
                analysis.run(ctx, &target, kind, false);
                analysis.flag_escapes(kind);
            } else {
                analysis.flag(
                    "asyncio.Event used as a factory: the events it makes were not checked: \
                     anyio.Event has no clear(), and wait() returns None, not True"
                        .to_owned(),
                );
            }
            if !analysis.hard.is_empty() {
                return analysis.manual(ctx, reference, kind);
            }
            let fix = Fix::new(ID, reference.start_byte(), Verdict::Safe, edit());
            let fix = if analysis.flags.is_empty() {
                fix
            } else {
                Fix {
                    verdict: Verdict::Unsafe,
                    ..fix
                }
                .note(analysis.flags.join("; "))
            };
            vec![fix.into()]
        }
    }
}

/// `ev: ... = field(default_factory=asyncio.Event)` (dataclasses, attrs): the attribute holds
/// an Event made by the factory.
fn field_target<'t>(ctx: &Ctx<'t>, reference: Node<'t>) -> Option<Target<'t>> {
    let kw = reference
        .parent()
        .filter(|p| p.kind() == "keyword_argument")?;
    let key = kw.child_by_field_name("name")?;
    if !matches!(ctx.text_of(key), "default_factory" | "factory") {
        return None;
    }
    let call = kw.parent()?.parent().filter(|c| c.kind() == "call")?;
    let callee = call.child_by_field_name("function")?;
    let q = ctx.qualified(callee)?;
    if !matches!(
        q.as_str(),
        "dataclasses.field" | "attrs.field" | "attr.ib" | "attr.field"
    ) {
        return None;
    }
    let assignment = call.parent().filter(|p| p.kind() == "assignment")?;
    target_of_expression(ctx, assignment.child_by_field_name("left")?)
}

// ---------------------------------------------------------------------------------------------
// Targets: what a primitive is bound to, its bindings and its uses

/// Where a primitive lives: a variable of one scope, or an attribute of one class's instances
/// (`self.attr` in its methods, `attr` in its body, `Class.attr`).
#[derive(Debug, Clone)]
enum Target<'t> {
    Name { scope: Node<'t>, name: String },
    Attr { class: Node<'t>, name: String },
}

impl Target<'_> {
    fn key(&self) -> (usize, String) {
        match self {
            Self::Name { scope, name } => (scope.id(), name.clone()),
            Self::Attr { class, name } => (class.id(), format!(".{name}")),
        }
    }
}

/// The target a constructor call is assigned to: `x = asyncio.Lock()`, `self.x = ...`,
/// `(x := ...)`, or one element of `a, b = asyncio.Lock(), asyncio.Event()`.
fn tie<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> Option<Target<'t>> {
    let parent = call.parent()?;
    let is = |n: Option<Node>| n.is_some_and(|n| n.id() == call.id());
    match parent.kind() {
        "assignment" if is(parent.child_by_field_name("right")) => {
            target_of_expression(ctx, parent.child_by_field_name("left")?)
        }
        "named_expression" if is(parent.child_by_field_name("value")) => {
            target_of_expression(ctx, parent.child_by_field_name("name")?)
        }
        "expression_list" => {
            let assignment = parent.parent().filter(|a| a.kind() == "assignment")?;
            if assignment
                .child_by_field_name("right")
                .is_none_or(|r| r.id() != parent.id())
            {
                return None;
            }
            let left = assignment
                .child_by_field_name("left")
                .filter(|l| l.kind() == "pattern_list")?;
            let values: Vec<Node> = named_children(parent).collect();
            let targets: Vec<Node> = named_children(left).collect();
            if values.len() != targets.len() {
                return None;
            }
            let index = values.iter().position(|v| v.id() == call.id())?;
            target_of_expression(ctx, targets[index])
        }
        _ => None,
    }
}

/// The target an expression names: a variable, `self.attr` in a method, or `Class.attr`.
fn target_of_expression<'t>(ctx: &Ctx<'t>, expr: Node<'t>) -> Option<Target<'t>> {
    match expr.kind() {
        "identifier" => {
            let name = ctx.text_of(expr).to_owned();
            let scope = defining_scope(ctx, expr, &name);
            if scope.kind() == "class_definition" {
                Some(Target::Attr { class: scope, name })
            } else {
                Some(Target::Name { scope, name })
            }
        }
        "attribute" => {
            let object = expr
                .child_by_field_name("object")
                .filter(|o| o.kind() == "identifier")?;
            let name = ctx
                .text_of(expr.child_by_field_name("attribute")?)
                .to_owned();
            let recv = ctx.text_of(object);
            let class = ancestors(expr)
                .filter(|a| a.kind() == "function_definition")
                .find_map(|f| class_of_method(f).filter(|_| receiver(ctx, f) == Some(recv)))?;
            Some(Target::Attr { class, name })
        }
        _ => None,
    }
}

#[derive(Debug, Clone, Copy)]
enum Bound<'t> {
    /// `target = value`
    Value(Node<'t>),
    /// Any other binding: a parameter, a loop target, tuple unpacking, an import, ...
    Other,
}

/// Every binding of the target.
fn bindings<'t>(ctx: &Ctx<'t>, target: &Target<'t>) -> Vec<Bound<'t>> {
    let mut sites = Vec::new();
    match target {
        Target::Name { scope, name } => own_binding_sites(ctx, *scope, name, &mut sites),
        Target::Attr { class, name } => {
            own_binding_sites(ctx, *class, name, &mut sites);
            for attr in attribute_uses(ctx, *class, name, true) {
                if is_target(attr) {
                    sites.push(attr);
                }
            }
        }
    }
    sites
        .into_iter()
        .map(|site| match site.parent() {
            Some(p)
                if p.kind() == "assignment"
                    && p.child_by_field_name("left")
                        .is_some_and(|l| l.id() == site.id()) =>
            {
                p.child_by_field_name("right")
                    .map_or(Bound::Other, Bound::Value)
            }
            _ => Bound::Other,
        })
        .collect()
}

/// The uses of a target (loads, not bindings): identifiers, or attribute nodes for `Attr`.
fn uses<'t>(ctx: &Ctx<'t>, target: &Target<'t>) -> Vec<Node<'t>> {
    let (scope, name, attrs) = match target {
        Target::Name { scope, name } => (*scope, name, Vec::new()),
        Target::Attr { class, name } => (*class, name, attribute_uses(ctx, *class, name, false)),
    };
    let mut out: Vec<Node> = attrs.into_iter().filter(|a| !is_target(*a)).collect();
    let mut stack = vec![scope];
    while let Some(n) = stack.pop() {
        if n.kind() == "identifier"
            && ctx.text_of(n) == name
            && is_load(n)
            && defining_scope(ctx, n, name).id() == scope.id()
        {
            out.push(n);
        }
        push_children(&mut stack, n);
    }
    out.sort_by_key(Node::start_byte);
    out
}

/// `recv.name` in the class's methods (recv = the method's first parameter) and
/// `Class.name` anywhere in the file. `only_methods` skips the latter.
fn attribute_uses<'t>(
    ctx: &Ctx<'t>,
    class: Node<'t>,
    name: &str,
    only_methods: bool,
) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let class_name = class.child_by_field_name("name").map(|n| ctx.text_of(n));
    for method in methods(class) {
        let Some(recv) = receiver(ctx, method) else {
            continue;
        };
        collect_attributes(ctx, method, recv, name, &mut out);
    }
    if !only_methods && let Some(class_name) = class_name {
        collect_attributes(ctx, ctx.tree.root_node(), class_name, name, &mut out);
    }
    out.sort_by_key(Node::start_byte);
    out.dedup_by_key(|n| n.id());
    out
}

fn collect_attributes<'t>(
    ctx: &Ctx<'t>,
    root: Node<'t>,
    object: &str,
    name: &str,
    out: &mut Vec<Node<'t>>,
) {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if n.kind() == "attribute"
            && n.child_by_field_name("object")
                .is_some_and(|o| o.kind() == "identifier" && ctx.text_of(o) == object)
            && n.child_by_field_name("attribute")
                .is_some_and(|a| ctx.text_of(a) == name)
        {
            out.push(n);
        }
        push_children(&mut stack, n);
    }
}

fn methods(class: Node) -> impl Iterator<Item = Node> {
    class
        .child_by_field_name("body")
        .into_iter()
        .flat_map(named_children)
        .filter_map(|s| match s.kind() {
            "function_definition" => Some(s),
            "decorated_definition" => s.child_by_field_name("definition"),
            _ => None,
        })
        .filter(|d| d.kind() == "function_definition")
}

/// The class a `def` is a method of.
fn class_of_method(func: Node) -> Option<Node> {
    let mut up = func.parent()?;
    if up.kind() == "decorated_definition" {
        up = up.parent()?;
    }
    let class = up.parent()?;
    (up.kind() == "block" && class.kind() == "class_definition").then_some(class)
}

/// A method's first parameter (`self`, `cls`); None for a static method.
fn receiver<'a>(ctx: &Ctx<'a>, method: Node) -> Option<&'a str> {
    class_of_method(method)?;
    let decorated = method
        .parent()
        .filter(|p| p.kind() == "decorated_definition");
    if decorated.is_some_and(|d| {
        named_children(d)
            .any(|c| c.kind() == "decorator" && ctx.text_of(c).contains("staticmethod"))
    }) {
        return None;
    }
    let first = named_children(method.child_by_field_name("parameters")?).next()?;
    let name = match first.kind() {
        "identifier" => first,
        "typed_parameter" => named_children(first).find(|c| c.kind() == "identifier")?,
        "default_parameter" | "typed_default_parameter" => first.child_by_field_name("name")?,
        _ => return None,
    };
    Some(&ctx.text[name.byte_range()])
}

// ---------------------------------------------------------------------------------------------
// Scopes (the same simplified rules as the resolver: a name bound anywhere in a function is
// local to it; class bodies do not enclose their methods; `global`/`nonlocal` jump out)

fn is_scope(node: Node) -> bool {
    matches!(
        node.kind(),
        "module"
            | "function_definition"
            | "lambda"
            | "class_definition"
            | "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression"
    )
}

/// Does `scope` contain `child` in the part that runs inside it?
fn opens_scope_for(scope: Node, child: Node) -> bool {
    let field_is = |field: &str| {
        scope
            .child_by_field_name(field)
            .is_some_and(|f| f.id() == child.id())
    };
    match scope.kind() {
        "function_definition" => field_is("body") || field_is("parameters"),
        "class_definition" => field_is("body"),
        _ => true,
    }
}

#[derive(PartialEq, Eq)]
enum Declared {
    Bound,
    Global,
    Nonlocal,
    No,
}

/// The scope in which `name`, used or bound at `node`, lives.
fn defining_scope<'t>(ctx: &Ctx<'t>, node: Node<'t>, name: &str) -> Node<'t> {
    let root = ctx.tree.root_node();
    let mut child = node;
    let mut first = true;
    for scope in ancestors(node) {
        if is_scope(scope) && opens_scope_for(scope, child) {
            // Class bodies are visible only to code directly in them.
            if scope.kind() != "class_definition" || first {
                match declared(ctx, scope, name) {
                    Declared::Bound => return scope,
                    Declared::Global => return root,
                    Declared::Nonlocal | Declared::No => {}
                }
            }
            first = false;
        }
        child = scope;
    }
    root
}

/// How `scope` itself (not a nested scope) declares `name`.
fn declared(ctx: &Ctx, scope: Node, name: &str) -> Declared {
    let mut sites = Vec::new();
    let mut global = Declared::No;
    walk_own(scope, &mut |n| {
        if matches!(n.kind(), "global_statement" | "nonlocal_statement")
            && named_children(n).any(|c| ctx.text_of(c) == name)
        {
            global = if n.kind() == "global_statement" {
                Declared::Global
            } else {
                Declared::Nonlocal
            };
        }
    });
    if global != Declared::No {
        return global;
    }
    own_binding_sites(ctx, scope, name, &mut sites);
    if sites.is_empty() {
        Declared::No
    } else {
        Declared::Bound
    }
}

/// Visit the nodes that run in `scope` itself; nested scopes are visited but not entered.
fn walk_own<'t>(scope: Node<'t>, f: &mut impl FnMut(Node<'t>)) {
    let roots: Vec<Node> = match scope.kind() {
        "function_definition" => ["parameters", "body"]
            .iter()
            .filter_map(|field| scope.child_by_field_name(field))
            .collect(),
        "class_definition" => scope.child_by_field_name("body").into_iter().collect(),
        _ => named_children(scope).collect(),
    };
    let mut stack = roots;
    while let Some(n) = stack.pop() {
        f(n);
        if !is_scope(n) {
            push_children(&mut stack, n);
        }
    }
}

/// The nodes that bind `name` directly in `scope`.
fn own_binding_sites<'t>(ctx: &Ctx<'t>, scope: Node<'t>, name: &str, out: &mut Vec<Node<'t>>) {
    walk_own(scope, &mut |n| match n.kind() {
        "identifier" if ctx.text_of(n) == name && is_binding_site(n) => out.push(n),
        "function_definition" | "class_definition"
            if n.child_by_field_name("name")
                .is_some_and(|x| ctx.text_of(x) == name) =>
        {
            out.push(n);
        }
        _ => {}
    });
}

/// Is this identifier a load of a variable (not a binding, attribute name, keyword, ...)?
fn is_load(ident: Node) -> bool {
    let Some(parent) = ident.parent() else {
        return false;
    };
    let field_is = |field: &str| {
        parent
            .child_by_field_name(field)
            .is_some_and(|f| f.id() == ident.id())
    };
    let not_a_load = match parent.kind() {
        "attribute" => field_is("attribute"),
        "keyword_argument" | "function_definition" | "class_definition" => field_is("name"),
        "dotted_name" | "aliased_import" | "global_statement" | "nonlocal_statement" => true,
        _ => false,
    };
    !not_a_load && !is_binding_site(ident)
}

fn ancestors(node: Node) -> impl Iterator<Item = Node> {
    std::iter::successors(node.parent(), Node::parent)
}

/// The constructor a value expression is, if any: (kind, is asyncio's).
fn constructor_kind(ctx: &Ctx, value: Node) -> Option<(Kind, bool)> {
    let value = if value.kind() == "parenthesized_expression" {
        named_children(value).next()?
    } else {
        value
    };
    if value.kind() != "call" {
        return None;
    }
    kind_of(ctx, value.child_by_field_name("function")?)
}

// ---------------------------------------------------------------------------------------------
// Use analysis

#[derive(Default)]
struct Analysis<'t> {
    /// Uses with no anyio equivalent: where, why, suggested fix.
    hard: Vec<(Node<'t>, String, String)>,
    /// Mechanical rewrites of uses (`locked()`, `_value`).
    rewrites: Vec<Fix>,
    /// Behaviour changes for the UNSAFE note.
    flags: Vec<String>,
    /// The functions that call `acquire()` (None: module level).
    acquirers: Vec<Option<Node<'t>>>,
    /// `release()` calls and the function they are in.
    releases: Vec<(Node<'t>, Option<Node<'t>>)>,
    /// Where an Event leaves the code we can see (quoted).
    escapes: Vec<String>,
    visited: HashSet<(usize, String)>,
}

impl<'t> Analysis<'t> {
    fn flag(&mut self, note: String) {
        if !self.flags.contains(&note) {
            self.flags.push(note);
        }
    }

    fn hard(&mut self, node: Node<'t>, why: String, suggestion: String) {
        if !self
            .hard
            .iter()
            .any(|(n, w, _)| n.id() == node.id() && *w == why)
        {
            self.hard.push((node, why, suggestion));
        }
    }

    /// Look at every use of `target`. `direct`: the constructor is bound right there, so the
    /// uses may be rewritten (otherwise other objects may reach them too).
    fn run(&mut self, ctx: &Ctx<'t>, target: &Target<'t>, kind: Kind, direct: bool) {
        self.run_at(ctx, target, kind, direct, 0);
    }

    fn run_at(
        &mut self,
        ctx: &Ctx<'t>,
        target: &Target<'t>,
        kind: Kind,
        direct: bool,
        depth: usize,
    ) {
        if !self.visited.insert(target.key()) {
            return;
        }
        let rewritable = direct && kind.is_semaphore() && only_semaphores(ctx, target);
        for used in uses(ctx, target) {
            self.classify(ctx, used, kind, rewritable, depth);
        }
    }

    fn classify(
        &mut self,
        ctx: &Ctx<'t>,
        used: Node<'t>,
        kind: Kind,
        rewritable: bool,
        depth: usize,
    ) {
        let mut node = used;
        let mut parent = used.parent();
        while let Some(p) = parent.filter(|p| p.kind() == "parenthesized_expression") {
            node = p;
            parent = p.parent();
        }
        let Some(parent) = parent else {
            return;
        };
        match parent.kind() {
            "attribute"
                if parent
                    .child_by_field_name("object")
                    .is_some_and(|o| o.id() == node.id()) =>
            {
                self.member(ctx, parent, kind, rewritable);
            }
            "argument_list" => {
                let call = parent.parent().filter(|c| c.kind() == "call");
                if call.is_some_and(|c| is_inspection(ctx, c)) {
                    return;
                }
                self.passed(ctx, node, kind, depth);
            }
            "keyword_argument" => self.passed(ctx, node, kind, depth),
            // `self._drained = drained` in a method: follow the attribute through the class.
            "assignment"
                if parent
                    .child_by_field_name("right")
                    .is_some_and(|r| r.id() == node.id()) =>
            {
                let target = parent
                    .child_by_field_name("left")
                    .filter(|l| l.kind() == "attribute")
                    .and_then(|l| target_of_expression(ctx, l));
                match target {
                    Some(target) if depth < MAX_FOLLOW_DEPTH => {
                        self.run_at(ctx, &target, kind, false, depth + 1);
                    }
                    _ => self.escape(ctx, node, kind),
                }
            }
            "with_item"
            | "as_pattern"
            | "comparison_operator"
            | "not_operator"
            | "boolean_operator"
            | "if_statement"
            | "elif_clause"
            | "while_statement"
            | "assert_statement"
            | "expression_statement" => {}
            _ => self.escape(ctx, node, kind),
        }
    }

    /// `x.member` or `x.member(...)`.
    fn member(&mut self, ctx: &Ctx<'t>, attribute: Node<'t>, kind: Kind, rewritable: bool) {
        let (Some(object), Some(member)) = (
            attribute.child_by_field_name("object"),
            attribute.child_by_field_name("attribute"),
        ) else {
            return;
        };
        let recv = ctx.text_of(object);
        let call = attribute
            .parent()
            .filter(|c| c.kind() == "call")
            .filter(|c| {
                c.child_by_field_name("function")
                    .is_some_and(|f| f.id() == attribute.id())
            });
        match ctx.text_of(member) {
            "clear" if kind == Kind::Event => self.hard(
                call.unwrap_or(attribute),
                "anyio.Event has no clear()".to_owned(),
                format!(
                    "anyio.Event cannot be reset: bind a fresh one instead, `{recv} = anyio.Event()` \
                     (correct only if every waiter reads `{recv}` again after the reset), then \
                     change the constructor to anyio.Event()"
                ),
            ),
            "locked" if kind.is_semaphore() && call.is_some() => {
                let Some(call) = call else {
                    return;
                };
                match rewritable.then(|| locked_fix(ctx, call, object, member)).flatten() {
                    Some(fix) => self.rewrites.push(fix),
                    None => self.hard(
                        call,
                        "anyio.Semaphore has no locked()".to_owned(),
                        format!(
                            "`{recv}.value == 0` once `{recv}` is always an anyio.Semaphore"
                        ),
                    ),
                }
            }
            "_value" if kind.is_semaphore() && call.is_none() => {
                if rewritable && !is_target(attribute) {
                    let edit = Edit::replace(member.byte_range(), "value");
                    self.rewrites.push(
                        Fix::new(ID, member.start_byte(), Verdict::Safe, vec![edit]).needs_only(&[]),
                    );
                } else {
                    self.hard(
                        attribute,
                        "asyncio.Semaphore._value: anyio's `value` is read-only".to_owned(),
                        format!("read `{recv}.value`; keep a separate counter to change it"),
                    );
                }
            }
            private if private.starts_with('_') => self.hard(
                attribute,
                format!("`{private}` is asyncio internal state that anyio's objects do not have"),
                "use the public API; anyio's primitives have statistics() for waiter counts"
                    .to_owned(),
            ),
            "acquire" if kind.has_acquire() => {
                let Some(call) = call else {
                    return;
                };
                self.acquirers.push(enclosing_def(call));
                if value_used(ctx, call) {
                    self.flag(format!(
                        "the value of `{}` is used: anyio's acquire() returns None, not True",
                        snippet(ctx, outer_await(call))
                    ));
                }
            }
            "wait" if kind.has_wait() => {
                if let Some(call) = call
                    && value_used(ctx, call)
                {
                    self.flag(format!(
                        "the value of `{}` is used: anyio's wait() returns None, not True",
                        snippet(ctx, outer_await(call))
                    ));
                }
            }
            "release" if kind.is_owned() => {
                if let Some(call) = call {
                    self.releases.push((call, enclosing_def(call)));
                }
            }
            _ => {}
        }
    }

    /// Passed to a call: follow it into a function of this file, or it escapes.
    fn passed(&mut self, ctx: &Ctx<'t>, arg: Node<'t>, kind: Kind, depth: usize) {
        if depth < MAX_FOLLOW_DEPTH
            && let Some(target) = parameter_target(ctx, arg)
        {
            self.run_at(ctx, &target, kind, false, depth + 1);
            return;
        }
        self.escape(ctx, arg, kind);
    }

    fn escape(&mut self, ctx: &Ctx<'t>, node: Node<'t>, kind: Kind) {
        if kind != Kind::Event && !kind.is_semaphore() {
            return;
        }
        let context = ancestors(node)
            .take_while(|a| !matches!(a.kind(), "block" | "module"))
            .find(|a| {
                matches!(
                    a.kind(),
                    "call" | "return_statement" | "assignment" | "yield" | "expression_statement"
                )
            })
            .unwrap_or(node);
        // A semaphore only matters where code we cannot see may call locked() on it: when it
        // is returned, yielded, stored elsewhere or handed to a call.
        if kind.is_semaphore() && context.id() == node.id() {
            return;
        }
        let quoted = format!("`{}`", snippet(ctx, context));
        if !self.escapes.contains(&quoted) {
            self.escapes.push(quoted);
        }
    }

    /// One note for every place the Event (or semaphore) leaves the code we can see.
    fn flag_escapes(&mut self, kind: Kind) {
        if self.escapes.is_empty() {
            return;
        }
        let places = std::mem::take(&mut self.escapes).join(", ");
        if kind.is_semaphore() {
            // async-limiter returns its semaphore from a public property and its tests call
            // `limiter.semaphore.locked()`.
            self.flag(format!(
                "the semaphore is passed on ({places}): code outside this file that calls \
                 locked() or reads _value breaks (anyio.Semaphore has neither: use \
                 `.value == 0` and `.value`), and its acquire() returns None, not True; \
                 {}",
                SLOTS_NOTE.replace("obj, \"wait\"", "sem, \"acquire\"")
            ));
            return;
        }
        self.flag(format!(
            "the Event is passed on ({places}): check that the code receiving it never calls \
             clear() (anyio.Event has none) and does not use wait()'s return value (None, not \
             True); {SLOTS_NOTE}"
        ));
    }

    /// Owned primitives: a `release()` in a function that never acquires it may run in
    /// another task, which anyio refuses.
    fn check_releases(&mut self, ctx: &Ctx<'t>, kind: Kind) {
        if !kind.is_owned() {
            return;
        }
        let releases = std::mem::take(&mut self.releases);
        for (call, func) in &releases {
            let paired = self.acquirers.iter().any(|a| {
                a.map(|n| n.id()) == func.map(|n| n.id()) || context_manager_pair(ctx, *a, *func)
            });
            if !paired {
                let place = match func {
                    None => "module-level code".to_owned(),
                    Some(f) => f.child_by_field_name("name").map_or_else(
                        || "a lambda".to_owned(),
                        |n| format!("`{}`", ctx.text_of(n)),
                    ),
                };
                self.flag(format!(
                    "`{}` in {place}, which does not acquire it: anyio raises RuntimeError when a task that does not hold the lock releases it (asyncio allowed it)",
                    snippet(ctx, *call)
                ));
            }
        }
    }

    /// MANUAL: the constructor (or factory) stays, every gap is reported where it is.
    fn manual(self, ctx: &Ctx<'t>, at: Node, kind: Kind) -> Vec<Outcome> {
        let mut reasons: Vec<&str> = self.hard.iter().map(|(_, why, _)| why.as_str()).collect();
        reasons.dedup();
        let mut out = vec![
            Finding::manual(
                ID,
                at.start_byte(),
                format!(
                    "{} not rewritten: its uses need what anyio lacks ({})",
                    kind.asyncio_name(),
                    reasons.join("; ")
                ),
                format!(
                    "change the uses reported at their lines, then use {}",
                    kind.anyio_name()
                ),
            )
            .into(),
        ];
        out.extend(self.gap_findings(ctx));
        out
    }

    fn gap_findings(&self, ctx: &Ctx) -> Vec<Outcome> {
        self.hard
            .iter()
            .map(|(node, why, suggestion)| {
                Finding::manual(
                    ID,
                    node.start_byte(),
                    format!("{why}: `{}`", snippet(ctx, *node)),
                    suggestion.clone(),
                )
                .into()
            })
            .collect()
    }
}

/// Every binding of the target is a semaphore constructor that gets (or got) rewritten, or
/// None: `x.locked()` may then become `x.value == 0`.
fn only_semaphores(ctx: &Ctx, target: &Target) -> bool {
    let bound = bindings(ctx, target);
    bound.iter().any(|b| matches!(b, Bound::Value(_)))
        && bound.iter().all(|b| match b {
            Bound::Value(v) if v.kind() == "none" => true,
            Bound::Value(v) => {
                let Some((kind, asyncio)) = constructor_kind(ctx, *v) else {
                    return false;
                };
                let call = if v.kind() == "parenthesized_expression" {
                    named_children(*v).next()
                } else {
                    Some(*v)
                };
                kind.is_semaphore()
                    && (!asyncio
                        || call.is_some_and(|c| {
                            c.child_by_field_name("function")
                                .is_some_and(|f| constructor_edits(ctx, c, f, kind).is_ok())
                        }))
            }
            Bound::Other => false,
        })
}

/// `sem.locked()` → `sem.value == 0` (parenthesized where an operator around it would bind
/// differently, e.g. `sem.locked() == x`).
fn locked_fix(ctx: &Ctx, call: Node, object: Node, member: Node) -> Option<Fix> {
    let args = call.child_by_field_name("arguments")?;
    if !call_args(call).is_empty() || has_comment(args) {
        return None;
    }
    let safe_context = call.parent().is_some_and(|p| {
        matches!(
            p.kind(),
            "if_statement"
                | "elif_clause"
                | "while_statement"
                | "assert_statement"
                | "return_statement"
                | "expression_statement"
                | "assignment"
                | "argument_list"
                | "keyword_argument"
                | "not_operator"
                | "boolean_operator"
                | "conditional_expression"
                | "parenthesized_expression"
                | "lambda"
                | "expression_list"
                | "tuple"
                | "list"
                | "set"
                | "pair"
        )
    });
    let edit = if safe_context {
        Edit::replace(member.start_byte()..call.end_byte(), "value == 0")
    } else {
        Edit::replace(
            call.byte_range(),
            format!("({}.value == 0)", ctx.text_of(object)),
        )
    };
    Some(Fix::new(ID, call.start_byte(), Verdict::Safe, vec![edit]).needs_only(&[]))
}

/// Calls that only look at an object: passing it there is not an escape.
fn is_inspection(ctx: &Ctx, call: Node) -> bool {
    let Some(callee) = call.child_by_field_name("function") else {
        return false;
    };
    let name = ctx.text_of(callee);
    matches!(
        name,
        "isinstance" | "issubclass" | "print" | "repr" | "str" | "id" | "type" | "hash" | "bool"
    ) && !ctx.resolver.is_bound(name, callee)
}

/// The `await` around a call (for quoting), or the call.
fn outer_await(call: Node) -> Node {
    super::awaited_by(call).unwrap_or(call)
}

/// Is the result of `x.acquire()` / `x.wait()` used? Awaiting it, or handing it to
/// `wait_for`/`shield`/`gather`/`create_task`, passes the value on; a statement drops it.
fn value_used(ctx: &Ctx, call: Node) -> bool {
    let mut node = call;
    loop {
        let Some(mut parent) = node.parent() else {
            return false;
        };
        while parent.kind() == "parenthesized_expression" {
            let Some(p) = parent.parent() else {
                return false;
            };
            parent = p;
        }
        if parent.kind() == "await" {
            node = parent;
            continue;
        }
        if parent.kind() == "argument_list"
            && let Some(outer) = parent.parent().filter(|c| c.kind() == "call")
            && outer
                .child_by_field_name("function")
                .and_then(|f| ctx.qualified(f))
                .is_some_and(|q| {
                    matches!(
                        q.as_str(),
                        "asyncio.wait_for"
                            | "asyncio.shield"
                            | "asyncio.gather"
                            | "asyncio.create_task"
                            | "asyncio.ensure_future"
                    )
                })
        {
            node = outer;
            continue;
        }
        return parent.kind() != "expression_statement";
    }
}

/// The innermost def or lambda around `node` (None: module level).
fn enclosing_def(node: Node) -> Option<Node> {
    super::enclosing_function(node)
}

/// `acquire()` in `__aenter__` and `release()` in `__aexit__` of one class run in the same task
/// (the one running the `async with`).
fn context_manager_pair(ctx: &Ctx, acquirer: Option<Node>, releaser: Option<Node>) -> bool {
    let name = |f: Option<Node>| {
        f.and_then(|f| f.child_by_field_name("name"))
            .map(|n| ctx.text_of(n).to_owned())
    };
    let class = |f: Option<Node>| f.and_then(class_of_method).map(|c| c.id());
    matches!(
        (name(acquirer).as_deref(), name(releaser).as_deref()),
        (Some("__aenter__"), Some("__aexit__")) | (Some("__enter__"), Some("__exit__"))
    ) && class(acquirer).is_some()
        && class(acquirer) == class(releaser)
}

/// An argument passed to a function defined in this file: the parameter it lands in.
/// Handles `f(x)`, `f(k=x)`, `self.method(x)` and `tg.start_soon(f, x)`.
fn parameter_target<'t>(ctx: &Ctx<'t>, arg: Node<'t>) -> Option<Target<'t>> {
    let (keyword, list) = match arg.parent()? {
        p if p.kind() == "keyword_argument" => (
            Some(ctx.text_of(p.child_by_field_name("name")?)),
            p.parent()?,
        ),
        p => (None, p),
    };
    let call = list.parent().filter(|c| c.kind() == "call")?;
    let callee = call.child_by_field_name("function")?;
    let positional = positional_args(call);
    if call_args(call)
        .iter()
        .any(|a| matches!(a.kind(), "list_splat" | "dictionary_splat"))
    {
        return None;
    }
    let mut index = positional.iter().position(|a| a.id() == arg.id());
    let mut function = callee;
    if callee.kind() == "attribute"
        && callee
            .child_by_field_name("attribute")
            .is_some_and(|a| ctx.text_of(a) == "start_soon")
    {
        function = *positional.first()?;
        index = index.and_then(|i| i.checked_sub(1));
    }
    let (def, skip_self) = function_definition(ctx, function)?;
    let params = def.child_by_field_name("parameters")?;
    let mut positional_params = Vec::new();
    let mut all_params = Vec::new();
    let mut keyword_only = false;
    for p in named_children(params) {
        let name = match p.kind() {
            "identifier" => Some(p),
            "typed_parameter" => named_children(p).find(|c| c.kind() == "identifier"),
            "default_parameter" | "typed_default_parameter" => p.child_by_field_name("name"),
            "keyword_separator" | "list_splat_pattern" => {
                keyword_only = true;
                None
            }
            _ => None,
        };
        if let Some(name) = name {
            if !keyword_only {
                positional_params.push(name);
            }
            all_params.push(name);
        }
    }
    if skip_self && !positional_params.is_empty() {
        positional_params.remove(0);
    }
    let name = match (keyword, index) {
        (Some(k), _) => all_params.into_iter().find(|p| ctx.text_of(*p) == k)?,
        (None, Some(i)) => *positional_params.get(i)?,
        (None, None) => return None,
    };
    Some(Target::Name {
        scope: def,
        name: ctx.text_of(name).to_owned(),
    })
}

/// The `def` a callee names in this file: a plain name defined once (not imported), or
/// `self.method` of the enclosing class. The flag says the receiver takes the first parameter.
fn function_definition<'t>(ctx: &Ctx<'t>, function: Node<'t>) -> Option<(Node<'t>, bool)> {
    match function.kind() {
        "identifier" => {
            if ctx.qualified(function).is_some() {
                return None;
            }
            let name = ctx.text_of(function);
            let mut found = Vec::new();
            let mut stack = vec![ctx.tree.root_node()];
            while let Some(n) = stack.pop() {
                if n.kind() == "function_definition"
                    && n.child_by_field_name("name")
                        .is_some_and(|x| ctx.text_of(x) == name)
                {
                    found.push(n);
                }
                push_children(&mut stack, n);
            }
            match found.as_slice() {
                [def] if class_of_method(*def).is_none() => Some((*def, false)),
                [] => class_init(ctx, name, 0).map(|init| (init, true)),
                _ => None,
            }
        }
        "attribute" => {
            let object = function.child_by_field_name("object")?;
            let method = ctx.text_of(function.child_by_field_name("attribute")?);
            let recv = ctx.text_of(object);
            let class = ancestors(function)
                .filter(|a| a.kind() == "function_definition")
                .find_map(|f| class_of_method(f).filter(|_| receiver(ctx, f) == Some(recv)))?;
            let def = methods(class).find(|m| {
                m.child_by_field_name("name")
                    .is_some_and(|n| ctx.text_of(n) == method)
            })?;
            receiver(ctx, def).map(|_| (def, true))
        }
        _ => None,
    }
}

/// `Class(...)` for a class defined once in this file: its `__init__`, or the one it inherits
/// from a single base class of this file (asyncio-dgram passes its Event to
/// `Protocol(recvq, excq, drained)`, whose `pause_writing` calls `self._drained.clear()`).
fn class_init<'t>(ctx: &Ctx<'t>, name: &str, depth: usize) -> Option<Node<'t>> {
    if depth > MAX_FOLLOW_DEPTH {
        return None;
    }
    let mut found = Vec::new();
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        if n.kind() == "class_definition"
            && n.child_by_field_name("name")
                .is_some_and(|x| ctx.text_of(x) == name)
        {
            found.push(n);
        }
        push_children(&mut stack, n);
    }
    let [class] = found.as_slice() else {
        return None;
    };
    if let Some(init) = methods(*class).find(|m| {
        m.child_by_field_name("name")
            .is_some_and(|n| ctx.text_of(n) == "__init__")
    }) {
        return receiver(ctx, init).map(|_| init);
    }
    let bases: Vec<Node> = class
        .child_by_field_name("superclasses")
        .map(|b| named_children(b).collect())
        .unwrap_or_default();
    match bases.as_slice() {
        [base] if base.kind() == "identifier" => class_init(ctx, ctx.text_of(*base), depth + 1),
        _ => None,
    }
}

/// Source text for a note: one line, at most 60 characters.
fn snippet(ctx: &Ctx, node: Node) -> String {
    let text = ctx.text_of(node);
    let line = text.lines().next().unwrap_or("").trim();
    let mut out: String = line.chars().take(60).collect();
    if out.len() < text.trim().len() {
        out.push_str("...");
    }
    out
}

/// Push a node's named children with one cursor walk (`named_child(i)` is linear in `i`, so
/// indexing every child of a long module body would be quadratic).
fn push_children<'t>(stack: &mut Vec<Node<'t>>, node: Node<'t>) {
    let mut cursor = node.walk();
    stack.extend(node.named_children(&mut cursor));
}
