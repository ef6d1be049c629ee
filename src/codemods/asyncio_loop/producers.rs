//! Loop producers (`asyncio.get_running_loop()`, ...): where the loop goes, and `loop.time()` →
//! `anyio.current_time()` where every use allows it.

use super::advice::MESSAGES;
use super::report::loop_finding;
use super::variables::{
    class_self_binds, class_self_refs, local_binding, local_uses, self_attr_binding,
    self_attr_class,
};
use super::{ID, OTHER_CODEMODS};
use crate::analysis::bindings::is_binding_site;
use crate::analysis::scopes::Role;
use crate::analysis::syntax::field_is;
use crate::codemods::{Ctx, call_args, has_comment, is_async_def, on_own_line};
use crate::edit::{Edit, Fix, Outcome, Verdict};
use crate::resolve::named_children;
use tree_sitter::Node;

/// `id` is the name of a `def`.
pub(super) fn is_def_name(ctx: &Ctx, id: Node) -> bool {
    ctx.parent(id).is_some_and(|p| {
        p.kind() == "function_definition"
            && p.child_by_field_name("name")
                .is_some_and(|n| n.id() == id.id())
    })
}

/// The class `object` names: bound once, in its scope, by a `class` statement.
pub(super) fn class_named<'t>(ctx: &Ctx<'t>, object: Node<'t>) -> Option<Node<'t>> {
    let name = ctx.text_of(object);
    let refs = ctx.resolver.references(ctx.tree, name, object);
    let defs: Vec<Node> = refs
        .into_iter()
        // A `def` or `class` name is a binding site too.
        .filter(|r| is_binding_site(ctx.resolver, *r))
        .collect();
    let [def] = defs.as_slice() else {
        return None;
    };
    ctx.parent(*def).filter(|p| p.kind() == "class_definition")
}

/// The method `name` in `class`'s body.
pub(super) fn method_named<'t>(ctx: &Ctx, class: Node<'t>, name: &str) -> Option<Node<'t>> {
    let body = class.child_by_field_name("body")?;
    named_children(body).find_map(|stmt| {
        let def = if stmt.kind() == "decorated_definition" {
            stmt.child_by_field_name("definition")?
        } else {
            stmt
        };
        (def.kind() == "function_definition"
            && def
                .child_by_field_name("name")
                .is_some_and(|n| ctx.text_of(n) == name))
        .then_some(def)
    })
}

/// A call of `asyncio.get_event_loop()`, `get_running_loop()` or `new_event_loop()`.
#[derive(Clone, Copy)]
pub(super) struct Producer<'t> {
    pub(super) call: Node<'t>,
    pub(super) func: &'static str,
    /// Provably the running loop: `time()` on it is `anyio.current_time()`.
    pub(super) running: bool,
    /// Directly in an `async def` body: there the call cannot fail and has no side effect.
    pub(super) in_coroutine: bool,
}

pub(super) fn as_producer<'t>(ctx: &Ctx, node: Node<'t>) -> Option<Producer<'t>> {
    if node.kind() != "call" {
        return None;
    }
    let func = match ctx
        .qualified(node.child_by_field_name("function")?)?
        .as_str()
    {
        "asyncio.get_event_loop" => "get_event_loop",
        "asyncio.get_running_loop" => "get_running_loop",
        "asyncio.new_event_loop" => "new_event_loop",
        _ => return None,
    };
    let in_coroutine = body_function(ctx, node).is_some_and(is_async_def);
    // Inside a coroutine, get_event_loop() returns the running loop (it never creates one).
    let running = func == "get_running_loop" || (func == "get_event_loop" && in_coroutine);
    Some(Producer {
        call: node,
        func,
        running,
        in_coroutine,
    })
}

/// The function whose body runs `node` (not a decorator or default evaluated outside it).
pub(super) fn body_function<'t>(ctx: &Ctx<'t>, node: Node<'t>) -> Option<Node<'t>> {
    let mut child = node;
    let mut cur = ctx.parent(node);
    while let Some(n) = cur {
        match n.kind() {
            "function_definition" if field_is(n, "body", child) => return Some(n),
            "lambda" => return Some(n),
            _ => {}
        }
        child = n;
        cur = ctx.parent(n);
    }
    None
}

/// How a loop reference (`loop`, `self._loop`, or the producer call itself) is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum UseKind {
    /// `loop.m(...)`
    Method(String),
    /// `loop.a` not called (a bound method passed on, an attribute read).
    Attr(String),
    /// An argument of `asyncio.set_event_loop` / `asyncio.run_coroutine_threadsafe`.
    Passed(&'static str),
    /// Anything else: passed to other code, returned, stored; the text around it.
    Escape(String),
}

pub(super) struct Use<'t> {
    /// The reference: an identifier, a `self.x` attribute, or the producer call.
    pub(super) node: Node<'t>,
    pub(super) kind: UseKind,
    /// Inside a function nested in the one that owns the loop variable.
    pub(super) nested: bool,
}

pub(super) fn classify(ctx: &Ctx, reference: Node) -> UseKind {
    let Some(parent) = ctx.parent(reference) else {
        return UseKind::Escape(snippet(ctx, reference));
    };
    if parent.kind() == "attribute" && field_is(parent, "object", reference) {
        let attr = parent
            .child_by_field_name("attribute")
            .map_or("", |a| ctx.text_of(a))
            .to_owned();
        let called = ctx
            .parent(parent)
            .is_some_and(|g| g.kind() == "call" && field_is(g, "function", parent));
        return if called {
            UseKind::Method(attr)
        } else {
            UseKind::Attr(attr)
        };
    }
    if parent.kind() == "argument_list"
        && let Some(callee) = ctx
            .parent(parent)
            .and_then(|c| c.child_by_field_name("function"))
    {
        match ctx.qualified(callee).as_deref() {
            Some("asyncio.set_event_loop") => return UseKind::Passed("set_event_loop"),
            Some("asyncio.run_coroutine_threadsafe") => {
                return UseKind::Passed("run_coroutine_threadsafe");
            }
            _ => {}
        }
    }
    let context = crate::codemods::enclosing_statement(ctx.resolver, reference).unwrap_or(parent);
    UseKind::Escape(snippet(ctx, context))
}

/// The first line of `node`'s text, shortened: a pointer for the report, not code to paste.
pub(super) fn snippet(ctx: &Ctx, node: Node) -> String {
    let text = ctx.text_of(node);
    let line = text.lines().next().unwrap_or("").trim();
    let short: String = line.chars().take(60).collect();
    if short.len() < line.len() || text.trim().lines().count() > 1 {
        format!("{short} ...")
    } else {
        short
    }
}

/// Where the loop a producer returns goes.
pub(super) enum Holder<'t> {
    /// Used right where it is made: `asyncio.get_running_loop().call_soon(...)`.
    Direct(Use<'t>),
    /// `name = producer`, the only binding of `name` in its scope.
    Local {
        name: String,
        owner: Node<'t>,
        site: Node<'t>,
    },
    /// `self.attr = producer` in a method, the only assignment of `self.attr` in the class.
    SelfAttr {
        attr: String,
        class: Node<'t>,
        site: Node<'t>,
    },
    /// `name = name or producer`: a parameter's fallback (`loop = loop or get_event_loop()`);
    /// the uses after it are of a loop, the one passed or this one. Reported only.
    Fallback {
        name: String,
        owner: Node<'t>,
        site: Node<'t>,
    },
    /// `asyncio.set_event_loop(producer)`: that call reports both.
    SetEventLoop,
    /// Assigned somewhere its uses cannot be followed.
    Stored(String),
}

pub(super) fn holder<'t>(ctx: &Ctx<'t>, p: &Producer<'t>) -> Holder<'t> {
    let call = p.call;
    let Some(parent) = ctx.parent(call) else {
        return Holder::Stored(snippet(ctx, call));
    };
    if parent.kind() == "assignment" && field_is(parent, "right", call) {
        let Some(left) = parent.child_by_field_name("left") else {
            return Holder::Stored(snippet(ctx, parent));
        };
        let target = ctx.text_of(left).to_owned();
        match left.kind() {
            "identifier" => {
                if let Some((owner, site)) = local_binding(ctx, left)
                    && site.id() == left.id()
                {
                    return Holder::Local {
                        name: target,
                        owner,
                        site,
                    };
                }
                return Holder::Stored(format!(
                    "`{target}`, which is also bound elsewhere in its scope"
                ));
            }
            "attribute" => {
                if let Some(class) = self_attr_binding(ctx, left)
                    && let Some(attr) = left.child_by_field_name("attribute")
                {
                    return Holder::SelfAttr {
                        attr: ctx.text_of(attr).to_owned(),
                        class,
                        site: left,
                    };
                }
                return Holder::Stored(format!("`{target}`"));
            }
            _ => return Holder::Stored(format!("`{target}`")),
        }
    }
    if let Some(fallback) = fallback(ctx, call, parent) {
        return fallback;
    }
    match classify(ctx, call) {
        UseKind::Passed("set_event_loop") => Holder::SetEventLoop,
        kind => Holder::Direct(Use {
            node: call,
            kind,
            nested: false,
        }),
    }
}

/// `name = name or producer` in a function whose parameter `name` it is, its only other
/// binding there.
fn fallback<'t>(ctx: &Ctx<'t>, call: Node<'t>, parent: Node<'t>) -> Option<Holder<'t>> {
    let or = parent.kind() == "boolean_operator"
        && field_is(parent, "right", call)
        && parent
            .child_by_field_name("operator")
            .is_some_and(|o| ctx.text_of(o) == "or");
    let assignment = ctx
        .parent(parent)
        .filter(|a| or && a.kind() == "assignment" && field_is(*a, "right", parent))?;
    let site = assignment
        .child_by_field_name("left")
        .filter(|l| l.kind() == "identifier")?;
    let name = ctx.text_of(site);
    let same = parent
        .child_by_field_name("left")
        .is_some_and(|l| l.kind() == "identifier" && ctx.text_of(l) == name);
    let owner = crate::analysis::scopes::owner_scope(ctx.code(), site)
        .filter(|o| same && o.kind() == "function_definition")?;
    let bindings = crate::analysis::scopes::scope_bindings(ctx.code(), owner, name);
    let params = owner.child_by_field_name("parameters")?;
    let is_parameter = |b: &Node| {
        ctx.parent(*b).is_some_and(|p| {
            p.id() == params.id() || ctx.parent(p).is_some_and(|pp| pp.id() == params.id())
        })
    };
    let [a, b] = bindings.sites[..] else {
        return None;
    };
    let other = if a.id() == site.id() { b } else { a };
    (!bindings.declared && is_parameter(&other)).then(|| Holder::Fallback {
        name: name.to_owned(),
        owner,
        site,
    })
}

/// The loop behind a method's receiver, when it provably comes from one producer call.
pub(super) fn trace<'t>(ctx: &Ctx<'t>, receiver: Node<'t>) -> Option<Producer<'t>> {
    let site = match receiver.kind() {
        "call" => return as_producer(ctx, receiver),
        "identifier" => local_binding(ctx, receiver)?.1,
        "attribute" => {
            let (class, attr) = self_attr_class(ctx, receiver)?;
            match class_self_binds(ctx, class, &attr).as_slice() {
                [one] => *one,
                _ => return None,
            }
        }
        _ => return None,
    };
    let assignment = ctx
        .parent(site)
        .filter(|a| a.kind() == "assignment" && field_is(*a, "left", site))?;
    as_producer(ctx, assignment.child_by_field_name("right")?)
}

pub(super) fn producer(ctx: &Ctx, p: &Producer) -> Vec<Outcome> {
    match holder(ctx, p) {
        Holder::SetEventLoop => Vec::new(),
        Holder::Direct(u) => {
            if let UseKind::Method(m) = &u.kind {
                if OTHER_CODEMODS.contains(&m.as_str()) {
                    return Vec::new();
                }
                if let Some(fix) = method_fix(ctx, p, u.node) {
                    return vec![fix.into()];
                }
            }
            vec![loop_finding(p, None, &[u])]
        }
        Holder::Stored(target) => vec![loop_finding(
            p,
            Some(format!(
                "the loop is stored in {target}, so its uses cannot be followed: review each one"
            )),
            &[],
        )],
        Holder::Local { name, owner, site } => {
            let uses = local_uses(ctx, owner, &name, site);
            let count = uses.len();
            // `time()` calls rewritten in this pass are not reported: the next pass sees what is
            // left (and deletes the assignment once nothing is).
            let left: Vec<Use> = uses
                .into_iter()
                .filter(|u| !rewritable(ctx, p, u))
                .collect();
            if left.is_empty() && count > 0 {
                return Vec::new();
            }
            if left.is_empty()
                && p.running
                && p.in_coroutine
                && let Some(fix) = delete_assignment(ctx, site)
            {
                return vec![fix.into()];
            }
            let holder = if owner.kind() == "module" {
                format!("the loop (`{name}`, a module-level name other modules may import)")
            } else {
                format!("the loop (`{name}`)")
            };
            vec![loop_finding(p, Some(holder), &left)]
        }
        Holder::Fallback { name, owner, site } => {
            // The uses after the fallback: before it the parameter may still be None.
            let after = ctx.parent(site).map_or(site.end_byte(), |a| a.end_byte());
            let uses: Vec<Use> = local_uses(ctx, owner, &name, site)
                .into_iter()
                .filter(|u| u.node.start_byte() >= after)
                .collect();
            let holder = format!("the loop (`{name}`, or the one passed as `{name}`)");
            vec![loop_finding(p, Some(holder), &uses)]
        }
        Holder::SelfAttr { attr, class, site } => {
            let uses: Vec<Use> = class_self_refs(ctx, class, &attr)
                .into_iter()
                .filter(|(n, role, _)| *role == Role::Read && n.id() != site.id())
                .map(|(node, _, nested)| Use {
                    node,
                    kind: classify(ctx, node),
                    nested,
                })
                .collect();
            let class_name = class
                .child_by_field_name("name")
                .map_or("", |n| ctx.text_of(n));
            let holder = format!(
                "the loop (`{}`, used in class `{class_name}`)",
                ctx.text_of(site)
            );
            vec![loop_finding(p, Some(holder), &uses)]
        }
    }
}

/// A use rewritten where it is: `loop.time()` in the frame that got the running loop
/// (`anyio.current_time()`). `loop.create_future()` is asyncio-sync-primitives' (rewritten with
/// its uses, or left as written with findings).
pub(super) fn rewritable(ctx: &Ctx, p: &Producer, u: &Use) -> bool {
    p.running
        && !u.nested
        && u.kind == UseKind::Method("time".to_owned())
        && method_call_of(ctx, u.node).is_some_and(|c| call_args(c).is_empty() && !has_comment(c))
}

/// The `loop.m(...)` call around a reference to `loop`.
pub(super) fn method_call_of<'t>(ctx: &Ctx<'t>, reference: Node<'t>) -> Option<Node<'t>> {
    ctx.parent(ctx.parent(reference)?)
        .filter(|c| c.kind() == "call")
}

/// The fix of a use [`rewritable`] accepts.
pub(super) fn method_fix(ctx: &Ctx, p: &Producer, reference: Node) -> Option<Fix> {
    let u = Use {
        node: reference,
        kind: classify(ctx, reference),
        nested: false,
    };
    if !rewritable(ctx, p, &u) {
        return None;
    }
    let call = method_call_of(ctx, reference)?;
    Some(
        Fix::new(
            ID,
            "loop-time",
            call.start_byte(),
            Verdict::SafeEdge,
            vec![Edit::replace(
                reference.start_byte()..call.end_byte(),
                "anyio.current_time()",
            )],
        )
        .note(MESSAGES.text("loop-time", "note")),
    )
}

/// Delete `loop = asyncio.get_running_loop()` once nothing uses `loop`: in a coroutine the call
/// has no side effect, and on trio it would raise.
pub(super) fn delete_assignment(ctx: &Ctx, site: Node) -> Option<Fix> {
    let assignment = ctx.parent(site)?;
    let stmt = ctx
        .parent(assignment)
        .filter(|s| s.kind() == "expression_statement" && s.named_child_count() == 1)?;
    if has_comment(stmt) || !on_own_line(ctx.text, stmt) {
        return None;
    }
    let block = ctx.parent(stmt)?;
    let statements = named_children(block)
        .filter(|c| c.kind() != "comment")
        .count();
    let rest = &ctx.text[stmt.end_byte()..];
    let line_end = rest
        .find('\n')
        .map_or(ctx.text.len(), |i| stmt.end_byte() + i);
    let trailing = ctx.text[stmt.end_byte()..line_end].trim();
    let edit = if statements == 1 {
        // The block would be empty: keep it valid.
        Edit::replace(stmt.byte_range(), "pass")
    } else if trailing.is_empty() {
        let start = crate::source::line_start(ctx.text, stmt.start_byte());
        let mut end = (line_end + 1).min(ctx.text.len());
        // First in its block: the blank lines after it go too, so that the block does not
        // start with one.
        if stmt.prev_named_sibling().is_none() {
            while let Some(nl) = ctx.text[end..].find('\n')
                && ctx.text[end..end + nl].trim().is_empty()
            {
                end += nl + 1;
            }
        }
        Edit::delete(start..end)
    } else {
        // Keep the trailing comment on its own line.
        let comment_start = stmt.end_byte() + rest.find('#')?;
        Edit::delete(stmt.start_byte()..comment_start)
    };
    let fix = Fix::new(
        ID,
        "unused-loop",
        stmt.start_byte(),
        Verdict::Safe,
        vec![edit],
    )
    .note(format!(
        "deleted `{}`: nothing uses the loop any more (on trio the call raised RuntimeError)",
        ctx.text_of(assignment)
    ))
    .needs_only(&[]);
    Some(fix)
}
