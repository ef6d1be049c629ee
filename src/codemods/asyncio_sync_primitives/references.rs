//! References that are not constructor calls: annotations, isinstance, factories, base
//! classes.

use super::helpers::push_children;
use super::scopes::constructor_kind;
use super::targets::{Target, target_of_expression};
use super::uses::Analysis;
use super::{ID, Kind, MESSAGES, kind_of};
use crate::codemods::{Ctx, is_class_check_argument};
use crate::edit::{Edit, Finding, Fix, Outcome, Verdict};
use crate::resolve::named_children;
use tree_sitter::Node;

// ---------------------------------------------------------------------------------------------
// References: annotations, isinstance, factories, base classes

pub(super) fn plan_annotation(ctx: &Ctx, ty: Node) -> Vec<Outcome> {
    // Nested `type` nodes are handled with the outermost one.
    if ctx.ancestors(ty).any(|a| a.kind() == "type") {
        return Vec::new();
    }
    let parent = ctx.parent(ty);
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
        // A Future annotation elsewhere may be asyncio's Future a Task also is: it follows
        // only the constructor it annotates.
        let Some((kind, true)) = kind_of(ctx, reference).filter(|(k, _)| *k != Kind::Future) else {
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
        out.push(
            Fix::new(
                ID,
                "annotation",
                reference.start_byte(),
                Verdict::Safe,
                vec![edit],
            )
            .into(),
        );
    }
    out
}

/// The variable or attribute an annotation belongs to (a parameter or an assignment target).
pub(super) fn annotated_target<'t>(ctx: &Ctx<'t>, holder: Node<'t>) -> Option<Target<'t>> {
    match holder.kind() {
        "typed_parameter" | "typed_default_parameter" => {
            let name = if holder.kind() == "typed_parameter" {
                named_children(holder).find(|c| c.kind() == "identifier")?
            } else {
                holder.child_by_field_name("name")?
            };
            let func = ctx
                .ancestors(holder)
                .find(|a| a.kind() == "function_definition")?;
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
pub(super) fn annotation_edits(ctx: &Ctx, ty: Node) -> Vec<Edit> {
    references_in(ctx, ty)
        .into_iter()
        .filter_map(|r| match kind_of(ctx, r) {
            Some((kind, true)) => Some(Edit::replace(r.byte_range(), kind.anyio_name())),
            _ => None,
        })
        .collect()
}

/// Names and attribute chains inside `node` that resolve to something (outermost only).
pub(super) fn references_in<'t>(ctx: &Ctx<'t>, node: Node<'t>) -> Vec<Node<'t>> {
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

pub(super) fn plan_reference(ctx: &Ctx, reference: Node) -> Vec<Outcome> {
    let Some((kind, true)) = kind_of(ctx, reference) else {
        return Vec::new();
    };
    if is_class_check_argument(ctx, reference) {
        return plan_class_check(ctx, reference, kind);
    }
    let edit = || vec![Edit::replace(reference.byte_range(), kind.anyio_name())];
    let Some(parent) = ctx.parent(reference) else {
        return Vec::new();
    };
    if parent.kind() == "tuple" {
        // A tuple of classes that is not an isinstance argument: leave it.
        return Vec::new();
    }
    if parent.kind() == "argument_list"
        && ctx
            .parent(parent)
            .is_some_and(|p| p.kind() == "class_definition")
    {
        return vec![
            Finding::manual(
                ID,
                "subclass",
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
                "semaphore-factory",
                reference.start_byte(),
                format!(
                    "{} used as a factory: anyio.Semaphore() requires an initial value",
                    kind.asyncio_name()
                ),
                "functools.partial(anyio.Semaphore, 1) (add max_value=1 for a BoundedSemaphore)",
            )
            .into(),
        ],
        // A factory (`defaultdict(asyncio.Future)`) or an alias: the Futures it makes are used
        // through asyncio's interface where this file cannot follow them, and anyio's Future
        // spells that interface differently (`return_value`, `exception` as a property).
        Kind::Future => vec![
            Finding::manual(
                ID,
                "future-factory",
                reference.start_byte(),
                "asyncio.Future used as a value (a factory or an alias): the Futures it makes are used where the migration cannot follow them, and anyio.Future spells asyncio's interface differently",
                "make each Future where it is bound (`fut = asyncio.Future()`, `self._fut = asyncio.Future()`), which the migration follows, or keep asyncio's Future",
            )
            .into(),
        ],
        Kind::Lock | Kind::Condition => {
            vec![Fix::new(ID, "factory", reference.start_byte(), Verdict::Safe, edit()).into()]
        }
        Kind::Event => {
            let mut analysis = Analysis::default();
            if let Some(target) = field_target(ctx, reference) {
                analysis.run(ctx, &target, kind, false);
                analysis.flag_escapes(kind);
            } else {
                analysis.hard(
                    reference,
                    "event-factory",
                    "asyncio.Event used as a factory whose events cannot be followed".to_owned(),
                    "check by hand that nothing calls clear() on the events it makes or uses wait()'s value, then use anyio.Event".to_owned(),
                );
            }
            if !analysis.hard.is_empty() {
                return analysis.manual(ctx, reference, kind);
            }
            let at = reference.start_byte();
            let fix = if analysis.flags.is_empty() {
                Fix::new(ID, "factory", at, Verdict::Safe, edit())
            } else {
                Fix::new(ID, "factory", at, Verdict::Unsafe, edit()).note(analysis.flags.join("; "))
            };
            vec![fix.into()]
        }
    }
}

/// `isinstance(x, K)` / `issubclass(c, K)` / `assertIsInstance(x, K)` of an asyncio primitive
/// class `K`.
fn plan_class_check(ctx: &Ctx, reference: Node, kind: Kind) -> Vec<Outcome> {
    let at = reference.start_byte();
    // `isinstance(x, asyncio.Future)` is also true of Tasks: left as it is, and reported (on
    // trio, and for anyio's task handles and Futures, it is false).
    if kind == Kind::Future {
        return vec![
            Finding::manual(
                ID,
                "future-class-check",
                at,
                "this checks for an asyncio Future (a Task is one too): anyio's task handles and Futures are none, and on anyio's trio backend nothing is, so the check is false there",
                "check for what the code now makes (`anyio.Future`, a task handle), or test the value's use instead (`inspect.isawaitable(x)`)",
            )
            .into(),
        ];
    }
    if let Err(why) = checks_a_rewritten_primitive(ctx, reference, kind) {
        return vec![
            Finding::manual(
                ID,
                "class-check-elsewhere",
                at,
                format!(
                    "this checks for {} an object {why}: whether it is asyncio's or anyio's after the migration depends on the code that makes it, so the check is left as it is",
                    kind.asyncio_name()
                ),
                format!(
                    "once the object's constructor is migrated, check against `{}` (or against both classes while either may be passed)",
                    kind.anyio_name()
                ),
            )
            .into(),
        ];
    }
    let edit = vec![Edit::replace(reference.byte_range(), kind.anyio_name())];
    let fix = if kind == Kind::BoundedSemaphore {
        Fix::new(ID, "class-check", at, Verdict::Unsafe, edit)
            .note(MESSAGES.text("class-check", "bounded-semaphore-note"))
    } else {
        Fix::new(ID, "class-check", at, Verdict::Safe, edit)
    };
    vec![fix.into()]
}

/// A class check (`isinstance(x, asyncio.Lock)`) is rewritten with the object it checks: one
/// this file makes, bound only to constructors of `kind` that this run rewrites (`issubclass`
/// checks a class, whose migration is the same everywhere). Anything else (a parameter, an
/// attribute of an object made elsewhere, a constructor left asyncio's) may be asyncio's
/// after the migration: the check would then fail where it passed (found on a task-pool
/// library whose test asserted `assertIsInstance(reg._lock, Lock)` of a Lock its module kept).
fn checks_a_rewritten_primitive(ctx: &Ctx, reference: Node, kind: Kind) -> Result<(), String> {
    let Some(object) = crate::codemods::class_checked_object(ctx, reference) else {
        return Ok(());
    };
    let target = super::targets::target_of_expression(ctx, object)
        .ok_or("made elsewhere (an attribute of another object)")?;
    let bound = super::targets::bindings(ctx, &target);
    if bound.is_empty() {
        return Err("made elsewhere".to_owned());
    }
    for b in bound {
        let super::targets::Bound::Value(value) = b else {
            return Err(
                "bound by something other than a constructor (a parameter, a loop)".to_owned(),
            );
        };
        let callee = value
            .child_by_field_name("function")
            .filter(|_| super::scopes::constructor_kind(ctx, value) == Some((kind, true)))
            .ok_or("bound to something other than its constructor")?;
        let rewritten = super::constructors::plan_constructor(ctx, value, callee, kind)
            .iter()
            .any(|o| matches!(o, Outcome::Fix(f) if f.kind == "constructor"));
        if !rewritten {
            return Err("whose constructor is left asyncio's (reported there)".to_owned());
        }
    }
    Ok(())
}

/// `ev: ... = field(default_factory=asyncio.Event)` (dataclasses, attrs): the attribute holds
/// an Event made by the factory.
pub(super) fn field_target<'t>(ctx: &Ctx<'t>, reference: Node<'t>) -> Option<Target<'t>> {
    let kw = ctx
        .parent(reference)
        .filter(|p| p.kind() == "keyword_argument")?;
    let key = kw.child_by_field_name("name")?;
    if !matches!(ctx.text_of(key), "default_factory" | "factory") {
        return None;
    }
    let call = ctx.parent(ctx.parent(kw)?).filter(|c| c.kind() == "call")?;
    let callee = call.child_by_field_name("function")?;
    let q = ctx.qualified(callee)?;
    if !matches!(
        q.as_str(),
        "dataclasses.field" | "attrs.field" | "attr.ib" | "attr.field"
    ) {
        return None;
    }
    let assignment = ctx.parent(call).filter(|p| p.kind() == "assignment")?;
    target_of_expression(ctx, assignment.child_by_field_name("left")?)
}
