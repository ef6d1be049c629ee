//! asyncio-loop: event-loop APIs (spec §8 "Loop access", §12): `iscoroutinefunction` → `inspect`, the running loop's `time()` → `anyio.current_time()`, every other loop use reported once.

use super::{Captures, Ctx, call_args, has_comment, is_async_def, on_own_line};
use crate::analysis::bindings::is_binding_site;
use crate::analysis::scopes::{Role, ScopeMemo, owner_scope, owner_scope_in, role, scope_bindings};
use crate::analysis::syntax::field_is;
use crate::edit::{Edit, Finding, Fix, Import, Outcome, Verdict};
use crate::resolve::named_children;
use tree_sitter::Node;

pub const ID: &str = "asyncio-loop";

/// Loop methods reported even when the receiver cannot be traced to `asyncio.get_*_loop()`:
/// their names are distinctive enough (unlike `time` or `create_task`, which task groups have).
const CALLBACK_METHODS: &[&str] = &[
    "call_soon",
    "call_later",
    "call_at",
    "call_soon_threadsafe",
    "create_future",
];

/// Loop methods another codemod owns: never reported here when called on the call directly.
const OTHER_CODEMODS: &[&str] = &["run_in_executor", "run_until_complete"];

const CURRENT_TIME_NOTE: &str = "loop.time() → anyio.current_time(): the same clock on the asyncio backend; on trio its origin differs from time.monotonic(), so compare it only with other anyio.current_time() values";

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let Some(annotation) = caps.get("loop_type") {
        return annotated_loop(ctx, annotation).into_iter().collect();
    }
    if let Some(reference) = caps.get("ref") {
        return match ctx.qualified(reference).as_deref() {
            Some(path) if LOOP_BASE_CLASSES.contains(&path) && is_base_class(reference) => {
                vec![
                    Finding::manual(
                        ID,
                        reference.start_byte(),
                        format!("a subclass of `{path}` is a custom asyncio event loop (or policy): anyio's trio backend has no asyncio loop, and `anyio.run()` does not use it unless it is given as the loop factory"),
                        "keep it for the asyncio backend only: `anyio.run(main, backend_options={\"loop_factory\": MyLoop})` (tests: `anyio_backend` = `(\"asyncio\", {\"loop_factory\": MyLoop})`); code that needs its extra methods (reached through get_running_loop()) has no trio equivalent",
                    )
                    .into(),
                ]
            }
            Some("asyncio.iscoroutinefunction") => iscoroutinefunction(ctx, reference),
            Some(path) if VALUE_APIS.contains(&path) => vec![
                Finding::manual(
                    ID,
                    reference.start_byte(),
                    format!("`{path}` is passed or stored as a value: the calls made through it are not traced (only calls of a module-level name that other modules of this run import are reported, where they are), and it needs an asyncio event loop (on anyio's trio backend it raises RuntimeError)"),
                    format!("call it where it is needed, so each use is migrated, or replace it there: {}", value_advice(path)),
                )
                .into(),
            ],
            _ => Vec::new(),
        };
    }
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    let Some(path) = ctx.qualified(callee) else {
        return method_call(ctx, call, callee);
    };
    match path.as_str() {
        "asyncio.iscoroutinefunction" => iscoroutinefunction(ctx, callee),
        "asyncio.get_event_loop" | "asyncio.get_running_loop" | "asyncio.new_event_loop" => {
            as_producer(ctx, call).map_or_else(Vec::new, |p| producer(ctx, &p))
        }
        "asyncio.set_event_loop" => set_event_loop(ctx, call),
        "asyncio.current_task" => current_task(ctx, call),
        "asyncio.all_tasks" => vec![Finding::manual(
            ID,
            call.start_byte(),
            "`asyncio.all_tasks()` needs an asyncio event loop: on anyio's trio backend it raises RuntimeError (no running event loop)",
            "anyio.get_running_tasks() lists TaskInfo objects (id, name, parent_id, coro) with no cancel() or result(); to stop tasks, cancel the task group or CancelScope that owns them",
        )
        .into()],
        "asyncio.Future" => vec![Finding::manual(
            ID,
            call.start_byte(),
            "`asyncio.Future()` is an asyncio-only object (bound to asyncio's loop): it does not work on anyio's trio backend",
            FUTURE_ADVICE,
        )
        .into()],
        "asyncio.wrap_future" => vec![Finding::manual(
            ID,
            call.start_byte(),
            "`asyncio.wrap_future()` makes an asyncio Future bound to asyncio's loop: it does not work on anyio's trio backend",
            "wait for the concurrent.futures.Future in a worker thread: `await anyio.to_thread.run_sync(cf_future.result, abandon_on_cancel=True)`",
        )
        .into()],
        p if p.starts_with("asyncio.Future.") || p.starts_with("asyncio.Task.") => {
            vec![Finding::manual(
                ID,
                call.start_byte(),
                format!("`{p}()` calls an asyncio Future/Task method through the class: it works only on asyncio objects, which anyio's trio backend does not have"),
                "cancel work through the task group or CancelScope that owns it (`scope.cancel()`); read results through the objects that produce them",
            )
            .into()]
        }
        p if asyncio_only(p).is_some() => {
            let (what, advice) = asyncio_only(p).unwrap_or_default();
            vec![Finding::manual(
                ID,
                call.start_byte(),
                format!("`{p}()` {what}, which needs asyncio's event loop: on anyio's trio backend it fails with RuntimeError (no asyncio event loop)"),
                advice,
            )
            .into()]
        }
        "asyncio.set_event_loop_policy" | "asyncio.get_event_loop_policy" => {
            vec![Finding::manual(
                ID,
                call.start_byte(),
                format!("`asyncio.{}()` configures asyncio's loops; anyio.run() creates its own loop, and trio has no policy", short(&path)),
                "pass the choice to anyio.run: `anyio.run(main, backend_options={\"use_uvloop\": True})` for uvloop, or `backend_options={\"loop_factory\": factory}` (asyncio backend only)",
            )
            .into()]
        }
        _ => Vec::new(),
    }
}

/// `asyncio.iscoroutinefunction` (called or passed as a value) → `inspect.iscoroutinefunction`.
fn iscoroutinefunction(ctx: &Ctx, node: Node) -> Vec<Outcome> {
    let inspect_shadowed = ctx.resolver.is_bound("inspect", node)
        && ctx.resolver.resolve_name("inspect", node).as_deref() != Some("inspect");
    if inspect_shadowed {
        return vec![Finding::manual(
            ID,
            node.start_byte(),
            "`inspect` names something else here, so `inspect.iscoroutinefunction` cannot be written in place",
            "import the module under a free name (`import inspect as _inspect`) and call `_inspect.iscoroutinefunction(f)`",
        )
        .into()];
    }
    if let Some(why) = marker_risk(ctx, node) {
        return vec![Finding::manual(ID, node.start_byte(), why, MARKER_HINT).into()];
    }
    let fix = Fix::new(
        ID,
        node.start_byte(),
        Verdict::SafeEdge,
        vec![Edit::replace(node.byte_range(), "inspect.iscoroutinefunction")],
    )
    .note("asyncio.iscoroutinefunction → inspect.iscoroutinefunction: same answer, except that callables carrying asyncio's legacy `_is_coroutine` marker (old @asyncio.coroutine style) are no longer coroutine functions")
    .needs_only(&[Import::Inspect]);
    vec![fix.into()]
}

const MARKER_HINT: &str = "keep asyncio's answer where the marker matters: `inspect.iscoroutinefunction(f) or getattr(f, \"_is_coroutine\", None) is asyncio.coroutines._is_coroutine` (Python < 3.14), or have the wrapper call `inspect.markcoroutinefunction` (Python >= 3.12) and use `inspect.iscoroutinefunction(f)`";

/// Where `asyncio.iscoroutinefunction` and `inspect.iscoroutinefunction` may disagree: on a
/// callable carrying asyncio's legacy `_is_coroutine` marker (asyncio says True, inspect says
/// False before Python 3.12's `markcoroutinefunction`; spec §12 F1). async-lru 2.4's
/// `@alru_cache` returns such wrappers and its tests check `asyncio.iscoroutinefunction` on
/// them (`docs/evidence/iscoroutinefunction_marker.py`). A module that names the marker, or an
/// argument that is a decorated function or method of this file, is reported; a plain
/// `async def`, a parameter or any other value keeps the SAFE (edge) rewrite.
fn marker_risk(ctx: &Ctx, node: Node) -> Option<String> {
    if mentions_marker(ctx, ctx.tree.root_node()) {
        return Some(
            "this module sets or reads asyncio's legacy `_is_coroutine` marker, which asyncio.iscoroutinefunction honours and inspect.iscoroutinefunction does not".to_owned(),
        );
    }
    let call = node.parent().filter(|p| {
        p.kind() == "call"
            && p.child_by_field_name("function")
                .is_some_and(|f| f.id() == node.id())
    })?;
    let arg = *call_args(call).first()?;
    let decorators = decorated_target(ctx, arg)?;
    Some(format!(
        "`{}` is wrapped by a decorator ({decorators}): if the wrapper carries asyncio's legacy `_is_coroutine` marker (as async-lru's `@alru_cache` does), asyncio.iscoroutinefunction says True and inspect.iscoroutinefunction says False on Python < 3.12",
        ctx.text_of(arg)
    ))
}

/// `_is_coroutine` named anywhere in the module (`from asyncio.coroutines import
/// _is_coroutine`, `self._is_coroutine = ...`, `"_is_coroutine"` in `__slots__`).
fn mentions_marker(ctx: &Ctx, root: Node) -> bool {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "identifier" if ctx.text_of(n) == "_is_coroutine" => return true,
            "string" => {
                let t = ctx.text_of(n);
                let inner = t.trim_matches(|c| c == '"' || c == '\'');
                if inner == "_is_coroutine" {
                    return true;
                }
            }
            _ => stack.extend(named_children(n)),
        }
    }
    false
}

/// The decorators (other than `staticmethod` / `classmethod`) on the function or method `arg`
/// names: `f` bound once to a decorated `def f` in its scope, or `C.m` / `C().m` / `self.m` with
/// `m` a decorated method of the class `C` (the enclosing class for `self`) of this file.
fn decorated_target(ctx: &Ctx, arg: Node) -> Option<String> {
    let def = match arg.kind() {
        "identifier" => {
            let name = ctx.text_of(arg);
            let refs = ctx.resolver.references(ctx.tree, name, arg);
            let stores: Vec<Node> = refs.into_iter().filter(|r| is_def_name(*r)).collect();
            let [store] = stores.as_slice() else {
                return None;
            };
            store.parent()?
        }
        "attribute" => {
            let method = ctx.text_of(arg.child_by_field_name("attribute")?);
            let mut object = arg.child_by_field_name("object")?;
            if object.kind() == "call" {
                object = object.child_by_field_name("function")?;
            }
            let class = match (object.kind(), ctx.text_of(object)) {
                ("identifier", "self" | "cls") => {
                    let mut cur = arg.parent();
                    while let Some(n) = cur.filter(|n| n.kind() != "class_definition") {
                        cur = n.parent();
                    }
                    cur?
                }
                ("identifier", _) => class_named(ctx, object)?,
                _ => return None,
            };
            method_named(ctx, class, method)?
        }
        _ => return None,
    };
    let decorated = def
        .parent()
        .filter(|p| p.kind() == "decorated_definition")?;
    let names: Vec<&str> = named_children(decorated)
        .filter(|d| d.kind() == "decorator")
        .map(|d| ctx.text_of(d).trim_start_matches('@').trim())
        .filter(|d| !matches!(*d, "staticmethod" | "classmethod"))
        .collect();
    (!names.is_empty()).then(|| {
        names
            .iter()
            .map(|d| format!("`@{d}`"))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// `id` is the name of a `def`.
fn is_def_name(id: Node) -> bool {
    id.parent().is_some_and(|p| {
        p.kind() == "function_definition"
            && p.child_by_field_name("name")
                .is_some_and(|n| n.id() == id.id())
    })
}

/// The class `object` names: bound once, in its scope, by a `class` statement.
fn class_named<'t>(ctx: &Ctx<'t>, object: Node<'t>) -> Option<Node<'t>> {
    let name = ctx.text_of(object);
    let refs = ctx.resolver.references(ctx.tree, name, object);
    let defs: Vec<Node> = refs
        .into_iter()
        .filter(|r| {
            r.parent().is_some_and(|p| {
                matches!(p.kind(), "class_definition" | "function_definition")
                    && p.child_by_field_name("name")
                        .is_some_and(|n| n.id() == r.id())
                    || is_binding_site(*r)
            })
        })
        .collect();
    let [def] = defs.as_slice() else {
        return None;
    };
    def.parent().filter(|p| p.kind() == "class_definition")
}

/// The method `name` in `class`'s body.
fn method_named<'t>(ctx: &Ctx, class: Node<'t>, name: &str) -> Option<Node<'t>> {
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
struct Producer<'t> {
    call: Node<'t>,
    func: &'static str,
    /// Provably the running loop: `time()` on it is `anyio.current_time()`.
    running: bool,
    /// Directly in an `async def` body: there the call cannot fail and has no side effect.
    in_coroutine: bool,
}

fn as_producer<'t>(ctx: &Ctx, node: Node<'t>) -> Option<Producer<'t>> {
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
    let in_coroutine = body_function(node).is_some_and(is_async_def);
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
fn body_function(node: Node) -> Option<Node> {
    let mut child = node;
    let mut cur = node.parent();
    while let Some(n) = cur {
        match n.kind() {
            "function_definition" if field_is(n, "body", child) => return Some(n),
            "lambda" => return Some(n),
            _ => {}
        }
        child = n;
        cur = n.parent();
    }
    None
}

/// How a loop reference (`loop`, `self._loop`, or the producer call itself) is used.
#[derive(Debug, Clone, PartialEq, Eq)]
enum UseKind {
    /// `loop.m(...)`
    Method(String),
    /// `loop.a` not called (a bound method passed on, an attribute read).
    Attr(String),
    /// An argument of `asyncio.set_event_loop` / `asyncio.run_coroutine_threadsafe`.
    Passed(&'static str),
    /// Anything else: passed to other code, returned, stored; the text around it.
    Escape(String),
}

struct Use<'t> {
    /// The reference: an identifier, a `self.x` attribute, or the producer call.
    node: Node<'t>,
    kind: UseKind,
    /// Inside a function nested in the one that owns the loop variable.
    nested: bool,
}

fn classify(ctx: &Ctx, reference: Node) -> UseKind {
    let Some(parent) = reference.parent() else {
        return UseKind::Escape(snippet(ctx, reference));
    };
    if parent.kind() == "attribute" && field_is(parent, "object", reference) {
        let attr = parent
            .child_by_field_name("attribute")
            .map_or("", |a| ctx.text_of(a))
            .to_owned();
        let called = parent
            .parent()
            .is_some_and(|g| g.kind() == "call" && field_is(g, "function", parent));
        return if called {
            UseKind::Method(attr)
        } else {
            UseKind::Attr(attr)
        };
    }
    if parent.kind() == "argument_list"
        && let Some(callee) = parent
            .parent()
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
    let context = super::enclosing_statement(reference).unwrap_or(parent);
    UseKind::Escape(snippet(ctx, context))
}

/// The first line of `node`'s text, shortened: a pointer for the report, not code to paste.
fn snippet(ctx: &Ctx, node: Node) -> String {
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
enum Holder<'t> {
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
    /// `asyncio.set_event_loop(producer)`: that call reports both.
    SetEventLoop,
    /// Assigned somewhere its uses cannot be followed.
    Stored(String),
}

fn holder<'t>(ctx: &Ctx<'t>, p: &Producer<'t>) -> Holder<'t> {
    let call = p.call;
    let Some(parent) = call.parent() else {
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
    match classify(ctx, call) {
        UseKind::Passed("set_event_loop") => Holder::SetEventLoop,
        kind => Holder::Direct(Use {
            node: call,
            kind,
            nested: false,
        }),
    }
}

/// The loop behind a method's receiver, when it provably comes from one producer call.
fn trace<'t>(ctx: &Ctx<'t>, receiver: Node<'t>) -> Option<Producer<'t>> {
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
    let assignment = site
        .parent()
        .filter(|a| a.kind() == "assignment" && field_is(*a, "left", site))?;
    as_producer(ctx, assignment.child_by_field_name("right")?)
}

fn producer(ctx: &Ctx, p: &Producer) -> Vec<Outcome> {
    match holder(ctx, p) {
        Holder::SetEventLoop => Vec::new(),
        Holder::Direct(u) => {
            if let UseKind::Method(m) = &u.kind {
                if OTHER_CODEMODS.contains(&m.as_str()) {
                    return Vec::new();
                }
                if let Some(fix) = current_time_fix(ctx, p, u.node) {
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
            // `time()` calls rewritten in this pass are not reported: the next pass sees what
            // is left (and deletes the assignment once nothing is).
            let left: Vec<Use> = uses
                .into_iter()
                .filter(|u| !rewritable_time(p, u))
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

/// `loop.time()` in the frame that got the running loop: `anyio.current_time()`.
fn rewritable_time(p: &Producer, u: &Use) -> bool {
    p.running
        && !u.nested
        && u.kind == UseKind::Method("time".to_owned())
        && time_call(u.node).is_some_and(|c| call_args(c).is_empty() && !has_comment(c))
}

/// The `loop.time(...)` call around a reference.
fn time_call(reference: Node) -> Option<Node> {
    reference.parent()?.parent().filter(|c| c.kind() == "call")
}

fn current_time_fix(ctx: &Ctx, p: &Producer, reference: Node) -> Option<Fix> {
    let u = Use {
        node: reference,
        kind: classify(ctx, reference),
        nested: false,
    };
    if !rewritable_time(p, &u) {
        return None;
    }
    let call = time_call(reference)?;
    let fix = Fix::new(
        ID,
        call.start_byte(),
        Verdict::SafeEdge,
        vec![Edit::replace(
            reference.start_byte()..call.end_byte(),
            "anyio.current_time()",
        )],
    )
    .note(CURRENT_TIME_NOTE);
    Some(fix)
}

/// Delete `loop = asyncio.get_running_loop()` once nothing uses `loop`: in a coroutine the call
/// has no side effect, and on trio it would raise.
fn delete_assignment(ctx: &Ctx, site: Node) -> Option<Fix> {
    let assignment = site.parent()?;
    let stmt = assignment
        .parent()
        .filter(|s| s.kind() == "expression_statement" && s.named_child_count() == 1)?;
    if has_comment(stmt) || !on_own_line(ctx.text, stmt) {
        return None;
    }
    let block = stmt.parent()?;
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
        let end = (line_end + 1).min(ctx.text.len());
        Edit::delete(start..end)
    } else {
        // Keep the trailing comment on its own line.
        let comment_start = stmt.end_byte() + rest.find('#')?;
        Edit::delete(stmt.start_byte()..comment_start)
    };
    let fix = Fix::new(ID, stmt.start_byte(), Verdict::Safe, vec![edit])
        .note(format!(
            "deleted `{}`: nothing uses the loop any more (on trio the call raised RuntimeError)",
            ctx.text_of(assignment)
        ))
        .needs_only(&[]);
    Some(fix)
}

/// asyncio's event loop and policy classes: a subclass is a custom asyncio loop (reported).
const LOOP_BASE_CLASSES: &[&str] = &[
    "asyncio.AbstractEventLoop",
    "asyncio.BaseEventLoop",
    "asyncio.SelectorEventLoop",
    "asyncio.ProactorEventLoop",
    "asyncio.AbstractEventLoopPolicy",
    "asyncio.DefaultEventLoopPolicy",
    "asyncio.selector_events.BaseSelectorEventLoop",
];

/// `node` is a base class in a `class X(...)` header.
fn is_base_class(node: Node) -> bool {
    node.parent()
        .filter(|p| p.kind() == "argument_list")
        .and_then(|p| {
            p.parent()
                .filter(|c| c.kind() == "class_definition")
                .map(|c| (p, c))
        })
        .is_some_and(|(p, c)| {
            c.child_by_field_name("superclasses")
                .is_some_and(|s| s.id() == p.id())
        })
}

/// The asyncio loop classes a parameter's annotation may name (`loop: asyncio.AbstractEventLoop`,
/// also `| None` and `Optional[...]`).
const LOOP_CLASSES: &[&str] = &["asyncio.AbstractEventLoop", "asyncio.BaseEventLoop"];

fn names_loop_class(ctx: &Ctx, expr: Node) -> bool {
    match expr.kind() {
        "binary_operator" => ["left", "right"]
            .iter()
            .filter_map(|f| expr.child_by_field_name(f))
            .any(|e| names_loop_class(ctx, e)),
        "generic_type" | "subscript" => {
            let head = expr
                .child_by_field_name("value")
                .or_else(|| expr.named_child(0));
            head.and_then(|h| ctx.qualified(h))
                .is_some_and(|p| p == "typing.Optional")
                && named_children(expr)
                    .skip(1)
                    .flat_map(|e| {
                        if e.kind() == "type_parameter" {
                            named_children(e).collect::<Vec<_>>()
                        } else {
                            vec![e]
                        }
                    })
                    .any(|e| names_loop_class(ctx, e))
        }
        "type" => expr
            .named_child(0)
            .is_some_and(|e| names_loop_class(ctx, e)),
        _ => ctx
            .qualified(expr)
            .is_some_and(|p| LOOP_CLASSES.contains(&p.as_str())),
    }
}

/// A parameter annotated as an asyncio loop (`def f(loop: asyncio.AbstractEventLoop)`, janus'
/// notifier): its uses in the function are reported at the parameter, as a traced loop's are,
/// except the calls reported where they are (`CALLBACK_METHODS`, `call_exception_handler`,
/// another codemod's methods). No finding when nothing else uses it.
fn annotated_loop(ctx: &Ctx, annotation: Node) -> Option<Outcome> {
    if !names_loop_class(ctx, annotation) {
        return None;
    }
    let param = annotation.parent()?;
    let name = named_children(param).find(|n| n.kind() == "identifier")?;
    let function = param
        .parent()
        .filter(|p| p.kind() == "parameters")?
        .parent()
        .filter(|f| f.kind() == "function_definition")?;
    let uses: Vec<Use> = local_uses(ctx, function, ctx.text_of(name), name)
        .into_iter()
        // A comparison (`loop is not None`) does not use the loop.
        .filter(|u| {
            u.node
                .parent()
                .is_none_or(|p| p.kind() != "comparison_operator")
        })
        .filter(|u| match &u.kind {
            UseKind::Method(m) => {
                !CALLBACK_METHODS.contains(&m.as_str())
                    && !OTHER_CODEMODS.contains(&m.as_str())
                    && m != "call_exception_handler"
            }
            _ => true,
        })
        .collect();
    if uses.is_empty() {
        return None;
    }
    let what = format!(
        "the parameter `{}` is an asyncio event loop (annotated `{}`): under anyio there is no loop object to pass, and on the trio backend no asyncio loop",
        ctx.text_of(name),
        ctx.text_of(annotation)
    );
    let holder = format!("the loop (`{}`)", ctx.text_of(name));
    Some(loop_report(
        &what,
        true,
        param.start_byte(),
        Some(holder),
        &uses,
    ))
}

/// One finding for a producer: what it is, where the loop goes, each use's replacement.
fn loop_finding(p: &Producer, holder: Option<String>, uses: &[Use]) -> Outcome {
    let what = match (p.func, p.running) {
        ("get_running_loop", _) => "`asyncio.get_running_loop()` has no anyio equivalent: on anyio's trio backend it raises RuntimeError (no running event loop)".to_owned(),
        ("get_event_loop", true) => "`asyncio.get_event_loop()` (the running loop here) has no anyio equivalent: on anyio's trio backend it raises RuntimeError".to_owned(),
        ("get_event_loop", false) => "`asyncio.get_event_loop()` outside a coroutine gets or creates an asyncio loop that anyio.run() does not use (it creates its own)".to_owned(),
        _ => "`asyncio.new_event_loop()` creates an asyncio loop that anyio.run() does not use (it creates, sets and closes its own)".to_owned(),
    };
    loop_report(&what, p.running, p.call.start_byte(), holder, uses)
}

/// The finding for a loop (`what` it is, at `at`): where it goes, each use's replacement.
fn loop_report(
    what: &str,
    running: bool,
    at: usize,
    holder: Option<String>,
    uses: &[Use],
) -> Outcome {
    let mut names: Vec<String> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let mut helpers: Vec<&str> = Vec::new();
    for u in uses {
        let (label, line) = match &u.kind {
            UseKind::Method(m) | UseKind::Attr(m) => (m.clone(), method_advice(m)),
            UseKind::Passed(f) => ((*f).to_owned(), method_advice(f)),
            UseKind::Escape(text) => (
                format!("`{text}`"),
                "the loop escapes there: code that receives or keeps it needs its own anyio replacement (under anyio there is no loop object)".to_owned(),
            ),
        };
        let label = if u.nested {
            format!("{label} (in a nested function)")
        } else {
            label
        };
        if !names.contains(&label) {
            names.push(label);
        }
        let line = if u.nested && u.kind == UseKind::Method("time".to_owned()) {
            format!(
                "{line}; in a nested function this holds only while it runs in the event-loop thread"
            )
        } else {
            line
        };
        if !lines.contains(&line) {
            lines.push(line);
        }
        if let UseKind::Method(m) | UseKind::Attr(m) = &u.kind {
            let helper = match m.as_str() {
                "call_soon" | "call_later" => Some(CALL_LATER_HELPER),
                "call_at" => Some(CALL_AT_HELPER),
                _ => None,
            };
            if let Some(h) = helper
                && !helpers.contains(&h)
            {
                helpers.push(h);
            }
        }
    }
    let stored = holder
        .as_deref()
        .is_some_and(|h| h.starts_with("the loop is stored"));
    let message = match holder {
        Some(h) if h.starts_with("the loop is stored") => format!("{what}; {h}"),
        Some(h) if uses.is_empty() => format!("{what}; {h} is unused"),
        Some(h) => format!("{what}; {h} is used for: {}", names.join(", ")),
        None => format!("{what}; used for: {}", names.join(", ")),
    };
    if stored {
        lines.push(STORED_ADVICE.to_owned());
    } else if uses.is_empty() {
        lines.push(if running {
            "delete it once nothing else needs the loop".to_owned()
        } else {
            "delete this line: anyio.run() creates and owns the event loop".to_owned()
        });
    }
    if !helpers.is_empty() {
        lines.push(format!(
            "with {}:",
            if helpers.len() == 1 {
                "this helper"
            } else {
                "these helpers"
            }
        ));
        lines.extend(helpers.iter().map(|h| (*h).to_owned()));
    }
    Finding::manual(ID, at, message, lines.join("\n")).into()
}

/// asyncio APIs with no same-shape anyio replacement that need asyncio's own event loop (the
/// streams, subprocess, server and loop-policy APIs): (path, what it is, what to use instead).
/// Reported at every call; none of them is rewritten.
const ASYNCIO_ONLY: &[(&str, &str, &str)] = &[
    (
        "asyncio.open_connection",
        "opens asyncio streams",
        "`stream = await anyio.connect_tcp(host, port)` gives one byte stream (`await stream.send(data)`, `await stream.receive()`); for readline()/readexactly() wrap it: `anyio.streams.buffered.BufferedByteReceiveStream(stream)`",
    ),
    (
        "asyncio.open_unix_connection",
        "opens asyncio streams",
        "`stream = await anyio.connect_unix(path)` gives one byte stream; for readline()/readexactly() wrap it in `anyio.streams.buffered.BufferedByteReceiveStream`",
    ),
    (
        "asyncio.start_server",
        "starts an asyncio server",
        "`listener = await anyio.create_tcp_listener(local_host=host, local_port=port)`, then `await listener.serve(handler)` in a task group (the handler gets one stream instead of (reader, writer)); cancel the task group to stop it",
    ),
    (
        "asyncio.start_unix_server",
        "starts an asyncio server",
        "`listener = await anyio.create_unix_listener(path)`, then `await listener.serve(handler)` in a task group (the handler gets one stream instead of (reader, writer))",
    ),
    (
        "asyncio.create_subprocess_exec",
        "starts an asyncio subprocess",
        "`async with await anyio.open_process([prog, *args]) as process:` (process.stdin/stdout are anyio streams; `await process.wait()`), or `result = await anyio.run_process([prog, *args])` to run it to the end",
    ),
    (
        "asyncio.create_subprocess_shell",
        "starts an asyncio subprocess",
        "`async with await anyio.open_process(cmd) as process:` (a string runs in the shell), or `result = await anyio.run_process(cmd)` to run it to the end",
    ),
    (
        "asyncio.run_coroutine_threadsafe",
        "submits a coroutine to an asyncio loop from another thread",
        "take `token = anyio.lowlevel.current_token()` in the event-loop thread, then call `anyio.from_thread.run(fn, *args, token=token)` in the other thread (it blocks until fn returns)",
    ),
    (
        "asyncio.Barrier",
        "makes an asyncio barrier",
        "anyio has no Barrier: count arrivals and set an `anyio.Event()` when the last party arrives (`await event.wait()` in the others)",
    ),
    (
        "asyncio.Timeout",
        "makes an asyncio timeout context",
        "`with anyio.fail_after(delay):` or `with anyio.CancelScope(deadline=when):` (a scope's `deadline` can be moved like Timeout.reschedule())",
    ),
    (
        "asyncio.StreamReader",
        "makes an asyncio stream",
        "an anyio stream pair: `send, receive = anyio.create_memory_object_stream[bytes]()` in memory, or the stream that anyio.connect_tcp()/open_process() returns",
    ),
    (
        "asyncio.StreamWriter",
        "makes an asyncio stream",
        "the stream that anyio.connect_tcp()/open_process() returns (`await stream.send(data)`)",
    ),
    (
        "asyncio.StreamReaderProtocol",
        "makes an asyncio protocol",
        "the stream that anyio.connect_tcp()/create_tcp_listener() gives replaces protocol and transport",
    ),
    (
        "asyncio.SelectorEventLoop",
        "makes an asyncio event loop",
        "anyio.run() makes its own loop: pass a factory on the asyncio backend with `anyio.run(main, backend_options={\"loop_factory\": factory})`",
    ),
    (
        "asyncio.ProactorEventLoop",
        "makes an asyncio event loop",
        "anyio.run() makes its own loop: pass a factory on the asyncio backend with `anyio.run(main, backend_options={\"loop_factory\": factory})`",
    ),
    (
        "asyncio.DefaultEventLoopPolicy",
        "configures asyncio's loops",
        "anyio.run() makes its own loop and trio has no policy: `anyio.run(main, backend_options={\"loop_factory\": factory})` on the asyncio backend",
    ),
    (
        "asyncio.get_child_watcher",
        "configures asyncio's subprocess watcher",
        "delete it: anyio.open_process()/run_process() need no child watcher",
    ),
    (
        "asyncio.set_child_watcher",
        "configures asyncio's subprocess watcher",
        "delete it: anyio.open_process()/run_process() need no child watcher",
    ),
];

/// What `path` is and its replacement, when it is one of [`ASYNCIO_ONLY`] (child watchers too).
fn asyncio_only(path: &str) -> Option<(&'static str, &'static str)> {
    if let Some(class) = path.strip_prefix("asyncio.")
        && class.ends_with("ChildWatcher")
        && !class.contains('.')
    {
        return Some((
            "configures asyncio's subprocess watcher",
            "delete it: anyio.open_process()/run_process() need no child watcher",
        ));
    }
    ASYNCIO_ONLY
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, what, advice)| (*what, *advice))
}

/// An asyncio API this codemod reports, for a call made through another module's re-export of
/// it (`from .compat import get_running_loop`): what goes wrong, and the replacement.
pub fn reexported_api(path: &str) -> Option<(String, &'static str)> {
    if VALUE_APIS.contains(&path) {
        return Some((
            "needs an asyncio event loop: on anyio's trio backend it raises RuntimeError (no running event loop)".to_owned(),
            value_advice(path),
        ));
    }
    if path == "asyncio.Future" {
        return Some((
            "makes an asyncio-only object (bound to asyncio's loop): it does not work on anyio's trio backend".to_owned(),
            FUTURE_ADVICE,
        ));
    }
    asyncio_only(path).map(|(what, advice)| {
        (
            format!("{what}, which needs asyncio's event loop: on anyio's trio backend it fails with RuntimeError (no asyncio event loop)"),
            advice,
        )
    })
}

/// The last component of every path [`reexported_api`] knows (`get_running_loop`, `Barrier`,
/// ...; the child watchers by their common suffix): a text containing none of them re-exports
/// nothing.
pub fn reexportable_names() -> impl Iterator<Item = &'static str> {
    VALUE_APIS
        .iter()
        .copied()
        .chain(["asyncio.Future", "asyncio.ChildWatcher"])
        .chain(ASYNCIO_ONLY.iter().map(|(path, _, _)| *path))
        .map(|path| path.rsplit('.').next().unwrap_or(path))
}

/// Loop-access functions reported when passed or stored as a value (`get_loop =
/// asyncio.get_running_loop`, a compatibility module re-exporting them).
const VALUE_APIS: &[&str] = &[
    "asyncio.get_running_loop",
    "asyncio.get_event_loop",
    "asyncio.new_event_loop",
    "asyncio.all_tasks",
    "asyncio.current_task",
    "asyncio.wrap_future",
];

fn value_advice(path: &str) -> &'static str {
    match path {
        "asyncio.all_tasks" => "anyio.get_running_tasks() lists TaskInfo objects (no cancel())",
        "asyncio.current_task" => "anyio.get_current_task() returns a TaskInfo (no cancel())",
        "asyncio.wrap_future" => {
            "await anyio.to_thread.run_sync(cf_future.result, abandon_on_cancel=True)"
        }
        _ => {
            "anyio has no loop object: replace each use of the loop (`anyio-migrate explain asyncio-loop`)"
        }
    }
}

const STORED_ADVICE: &str = "replace every use of the loop (`anyio-migrate explain asyncio-loop` lists them): loop.time() → anyio.current_time(); call_soon/call_later/call_at → a task group; call_soon_threadsafe → anyio.from_thread.run_sync(cb, *a, token=token); create_future → anyio.Future(); create_task → tg.create_task(coro)";

const EXCEPTION_HANDLER_NOTE: &str = "`loop.call_exception_handler()` is an asyncio event-loop API (no asyncio loop on anyio's trio backend); and on the asyncio backend, anyio's pytest plugin re-raises every exception handed to the loop's exception handler in the test that is running, where asyncio (and pytest-asyncio) only logged it: a test that reaches this call fails after the migration";

const CALL_LATER_HELPER: &str =
    "async def _call_later(delay, cb, *args):\n    await anyio.sleep(delay)\n    cb(*args)";
const CALL_AT_HELPER: &str =
    "async def _call_at(when, cb, *args):\n    await anyio.sleep_until(when)\n    cb(*args)";

const FUTURE_ADVICE: &str = "anyio.Future() (anyio >= 4.15): fut.set_result(v) → fut.return_value = v; fut.set_exception(e) → fut.exception = e; fut.result() → fut.return_value; fut.done() → fut.status is not anyio.Future.Status.PENDING; `await fut` works, but a failed future raises FutureFailed (cause: the original) and a cancelled one FutureCancelled (an Exception subclass); there is no add_done_callback. Or: anyio.Event() plus a value holder";

/// The replacement for one loop method (spec §8 table, §12, §7).
fn method_advice(method: &str) -> String {
    let advice = match method {
        "time" => {
            "loop.time() → anyio.current_time() (on trio its origin differs from time.monotonic())"
        }
        "call_soon" => {
            "loop.call_soon(cb, *a) → tg.start_soon(_call_later, 0, cb, *a) in a task group that outlives the callback"
        }
        "call_later" => {
            "h = loop.call_later(d, cb, *a) → h = tg.start_soon(_call_later, d, cb, *a) in a task group that outlives the callback; h.cancel() still cancels it (anyio >= 4.14)"
        }
        "call_at" => {
            "loop.call_at(when, cb, *a) → tg.start_soon(_call_at, when, cb, *a), with `when` measured by anyio.current_time()"
        }
        "call_soon_threadsafe" => {
            "loop.call_soon_threadsafe(cb, *a) → take token = anyio.lowlevel.current_token() in the event-loop thread, then call anyio.from_thread.run_sync(cb, *a, token=token) in the other thread (it blocks until cb has run; call_soon_threadsafe returned at once)"
        }
        "create_future" => {
            "loop.create_future() → anyio.Future() (anyio >= 4.15; set_result(v) → fut.return_value = v, set_exception(e) → fut.exception = e; awaiting a failed one raises FutureFailed) or anyio.Event() plus a value holder"
        }
        "create_task" => {
            "loop.create_task(coro) → tg.create_task(coro) (anyio >= 4.14) or tg.start_soon(fn, *args), in a task group that outlives the task (a local group makes the caller wait)"
        }
        "run_in_executor" => {
            "loop.run_in_executor(None, f, *a) → await anyio.to_thread.run_sync(f, *a, abandon_on_cancel=True) (see asyncio-to-thread)"
        }
        "run_until_complete" => {
            "loop.run_until_complete(main()) → anyio.run(main) (see asyncio-run)"
        }
        "set_event_loop" => {
            "asyncio.set_event_loop(loop) → delete it: anyio.run() sets up its own loop"
        }
        "run_coroutine_threadsafe" => {
            "asyncio.run_coroutine_threadsafe(fn(*a), loop) → take token = anyio.lowlevel.current_token() in the event-loop thread, then call anyio.from_thread.run(fn, *a, token=token) in the other thread (it blocks until fn returns)"
        }
        "call_exception_handler" => {
            "report the error without the loop: log it (logger.error(msg, exc_info=exc)) or re-raise it where the caller can handle it; tests that expect the log must change with it"
        }
        "close" => "loop.close() → delete it: anyio.run() closes its own loop",
        "run_forever" => {
            "loop.run_forever() → anyio.run(main) with `await anyio.sleep_forever()` in main"
        }
        "add_signal_handler" => {
            "loop.add_signal_handler(sig, cb) → in a task: `with anyio.open_signal_receiver(sig) as signals: async for _ in signals: cb()`"
        }
        "getaddrinfo" => "loop.getaddrinfo(...) → await anyio.getaddrinfo(...)",
        "create_connection" => "loop.create_connection(...) → await anyio.connect_tcp(host, port)",
        "create_server" => {
            "loop.create_server(...) → await anyio.create_tcp_listener(local_port=port)"
        }
        "subprocess_exec" | "subprocess_shell" => {
            "loop.subprocess_exec/subprocess_shell(...) → await anyio.open_process(...) or anyio.run_process(...)"
        }
        "set_debug" => {
            "loop.set_debug(True) → anyio.run(main, backend_options={\"debug\": True}) (asyncio backend only)"
        }
        other => return format!("loop.{other}: no anyio equivalent"),
    };
    advice.to_owned()
}

/// `set_event_loop(...)`: reported here unless a traced loop's producer already lists it.
fn set_event_loop(ctx: &Ctx, call: Node) -> Vec<Outcome> {
    let args = call_args(call);
    let traced = args.first().is_some_and(|a| {
        a.kind() != "call"
            && trace(ctx, *a).is_some_and(|p| !matches!(holder(ctx, &p), Holder::Stored(_)))
    });
    if traced {
        return Vec::new();
    }
    let made_here = args.first().is_some_and(|a| as_producer(ctx, *a).is_some());
    let message = if made_here {
        "`asyncio.set_event_loop()` with a new asyncio loop: anyio.run() creates and sets its own loop, and trio has none"
    } else {
        "`asyncio.set_event_loop()`: anyio.run() sets up its own loop, and trio has no asyncio loop to set"
    };
    vec![
        Finding::manual(
            ID,
            call.start_byte(),
            message,
            "delete it and start the program with anyio.run(main)",
        )
        .into(),
    ]
}

fn current_task(ctx: &Ctx, call: Node) -> Vec<Outcome> {
    let method = match classify(ctx, call) {
        UseKind::Method(m) | UseKind::Attr(m) => Some(m),
        _ => None,
    };
    if method.as_deref() == Some("cancel") {
        // asyncio-cancelled-error reports a Task cancelled by hand, at this same spot.
        return Vec::new();
    }
    let suggestion = match method.as_deref() {
        Some("get_name") => {
            "asyncio.current_task().get_name() → anyio.get_current_task().name (task names differ between the libraries)"
        }
        _ => {
            "anyio.get_current_task() returns a TaskInfo (id, name, parent_id, coro) with no cancel(); .get_name() → .name is the only direct mapping"
        }
    };
    vec![Finding::manual(
        ID,
        call.start_byte(),
        "`asyncio.current_task()` needs an asyncio event loop: on anyio's trio backend it raises RuntimeError (no running event loop)",
        suggestion,
    )
    .into()]
}

/// `x.m(...)` whose receiver is not an import: a running-loop `time()` is rewritten; callback
/// APIs on loops that cannot be traced to a producer are reported where they are.
fn method_call(ctx: &Ctx, call: Node, callee: Node) -> Vec<Outcome> {
    if callee.kind() != "attribute" {
        return Vec::new();
    }
    let (Some(receiver), Some(attr)) = (
        callee.child_by_field_name("object"),
        callee.child_by_field_name("attribute"),
    ) else {
        return Vec::new();
    };
    let method = ctx.text_of(attr);
    if method == "call_exception_handler" {
        // Reported at every call, traced loop or not: besides trio, it changes on asyncio too.
        return vec![
            Finding::manual(
                ID,
                call.start_byte(),
                EXCEPTION_HANDLER_NOTE,
                method_advice(method),
            )
            .into(),
        ];
    }
    if method != "time" && !CALLBACK_METHODS.contains(&method) {
        return Vec::new();
    }
    // The producer call reports (or rewrites) its own direct uses; a module is no loop.
    if receiver.kind() == "call" || ctx.qualified(receiver).is_some() {
        return Vec::new();
    }
    if let Some(p) = trace(ctx, receiver) {
        let owner_matches = receiver.kind() == "identifier"
            && local_binding(ctx, receiver)
                .is_some_and(|(owner, _)| !crosses_function(ctx, receiver, owner));
        if method == "time" && owner_matches {
            return current_time_fix(ctx, &p, receiver).map_or_else(Vec::new, |f| vec![f.into()]);
        }
        return Vec::new();
    }
    if !CALLBACK_METHODS.contains(&method) {
        return Vec::new();
    }
    let mut suggestion = method_advice(method);
    match method {
        "call_soon" | "call_later" => {
            suggestion = format!("{suggestion}\nwith this helper:\n{CALL_LATER_HELPER}");
        }
        "call_at" => suggestion = format!("{suggestion}\nwith this helper:\n{CALL_AT_HELPER}"),
        _ => {}
    }
    vec![Finding::manual(
        ID,
        call.start_byte(),
        format!(
            "`{}.{method}()` is an asyncio event-loop API: there is no asyncio loop on anyio's trio backend",
            ctx.text_of(receiver)
        ),
        suggestion,
    )
    .into()]
}

/// A function or lambda between `node` and `owner`: the code may run later, elsewhere.
fn crosses_function<'t>(ctx: &Ctx<'t>, node: Node<'t>, owner: Node) -> bool {
    let mut cur = ctx.parent(node);
    while let Some(n) = cur {
        if n.id() == owner.id() {
            return false;
        }
        if matches!(
            n.kind(),
            "function_definition" | "lambda" | "class_definition"
        ) {
            return true;
        }
        cur = ctx.parent(n);
    }
    false
}

// ---- scopes: the variable a name refers to (`crate::analysis::scopes`) ----

/// The scope and the single binding site of the variable `ident` refers to.
fn local_binding<'t>(ctx: &Ctx<'t>, ident: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    let name = ctx.text_of(ident);
    let owner = owner_scope(ctx.code(), ident)?;
    if owner.kind() == "module" && module_global_declared(ctx, owner, name) {
        return None;
    }
    let b = scope_bindings(ctx.code(), owner, name);
    match b.sites.as_slice() {
        [site] if !b.declared => Some((owner, *site)),
        _ => None,
    }
}

/// A `global name` anywhere: functions may rebind the module-level variable.
fn module_global_declared(ctx: &Ctx, node: Node, name: &str) -> bool {
    if node.kind() == "global_statement" {
        return named_children(node).any(|c| ctx.text_of(c) == name);
    }
    named_children(node).any(|c| module_global_declared(ctx, c, name))
}

/// Every read of the variable `name` owned by `owner`, except the binding `site`.
fn local_uses<'t>(ctx: &Ctx<'t>, owner: Node<'t>, name: &str, site: Node<'t>) -> Vec<Use<'t>> {
    let mut memo = ScopeMemo::default();
    let mut out = Vec::new();
    let mut stack = vec![owner];
    while let Some(n) = stack.pop() {
        if n.kind() == "identifier" {
            if n.id() != site.id()
                && ctx.text_of(n) == name
                && role(ctx.code(), n) == Role::Read
                && owner_scope_in(ctx.code(), n, &mut memo).is_some_and(|o| o.id() == owner.id())
            {
                out.push(Use {
                    node: n,
                    kind: classify(ctx, n),
                    nested: crosses_function(ctx, n, owner),
                });
            }
            continue;
        }
        stack.extend(named_children(n));
    }
    out.sort_by_key(|u| u.node.start_byte());
    out
}

/// For `self.attr` in a method: the class, when `self` is the method's first parameter.
fn self_attr_class<'t>(ctx: &Ctx<'t>, attribute: Node<'t>) -> Option<(Node<'t>, String)> {
    self_attr_class_in(ctx, attribute, &mut ScopeMemo::default())
}

/// `self_attr_class`, with scope answers remembered in `memo`.
fn self_attr_class_in<'t>(
    ctx: &Ctx<'t>,
    attribute: Node<'t>,
    memo: &mut ScopeMemo,
) -> Option<(Node<'t>, String)> {
    let object = attribute.child_by_field_name("object")?;
    let attr = attribute.child_by_field_name("attribute")?;
    if object.kind() != "identifier" {
        return None;
    }
    let method = owner_scope_in(ctx.code(), object, memo)?;
    if method.kind() != "function_definition" {
        return None;
    }
    let first = method
        .child_by_field_name("parameters")
        .and_then(|p| named_children(p).next())?;
    let first = if first.kind() == "identifier" {
        first
    } else {
        named_children(first).find(|c| c.kind() == "identifier")?
    };
    if ctx.text_of(first) != ctx.text_of(object) {
        return None;
    }
    let mut block = ctx.parent(method)?;
    if block.kind() == "decorated_definition" {
        block = ctx.parent(block)?;
    }
    let class = ctx.parent(block)?;
    (block.kind() == "block" && class.kind() == "class_definition")
        .then(|| (class, ctx.text_of(attr).to_owned()))
}

/// Every `self.attr` in the class's methods: (node, role, in a nested function).
fn class_self_refs<'t>(ctx: &Ctx<'t>, class: Node<'t>, attr: &str) -> Vec<(Node<'t>, Role, bool)> {
    let mut memo = ScopeMemo::default();
    let mut out = Vec::new();
    let Some(body) = class.child_by_field_name("body") else {
        return out;
    };
    // Each `x.attr` in the body, from the resolver's index of attribute names.
    for &name in ctx.resolver.attribute_names_within(attr, body.byte_range()) {
        let Some(n) = ctx.parent(name) else {
            continue;
        };
        if let Some((c, _)) = self_attr_class_in(ctx, n, &mut memo)
            && c.id() == class.id()
        {
            let method = n
                .child_by_field_name("object")
                .and_then(|o| owner_scope_in(ctx.code(), o, &mut memo));
            let nested = method.is_some_and(|m| crosses_function(ctx, n, m));
            out.push((n, role(ctx.code(), n), nested));
        }
    }
    out.sort_by_key(|(n, _, _)| n.start_byte());
    out
}

/// The `self.attr` of `class` that are not reads (assignments, deletions...): what
/// `class_self_refs` gives without its reads, whose role is checked first (most uses of a
/// stored loop are reads, and the class check is the costly part).
fn class_self_binds<'t>(ctx: &Ctx<'t>, class: Node<'t>, attr: &str) -> Vec<Node<'t>> {
    let mut memo = ScopeMemo::default();
    let Some(body) = class.child_by_field_name("body") else {
        return Vec::new();
    };
    let mut out: Vec<Node> = ctx
        .resolver
        .attribute_names_within(attr, body.byte_range())
        .iter()
        .filter_map(|&name| ctx.parent(name))
        .filter(|&n| role(ctx.code(), n) != Role::Read)
        .filter(|&n| {
            self_attr_class_in(ctx, n, &mut memo).is_some_and(|(c, _)| c.id() == class.id())
        })
        .collect();
    out.sort_by_key(Node::start_byte);
    out
}

/// The class, when this `self.attr` target is the attribute's only assignment in it.
fn self_attr_binding<'t>(ctx: &Ctx<'t>, target: Node<'t>) -> Option<Node<'t>> {
    let (class, attr) = self_attr_class(ctx, target)?;
    match class_self_binds(ctx, class, &attr).as_slice() {
        [one] if one.id() == target.id() => Some(class),
        _ => None,
    }
}

fn short(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// A module-level name bound to an asyncio API asyncio-loop reports, found while the file is
/// migrated (with the first pass's tree): the name, the API's path and the line.
#[derive(Debug, Clone)]
pub struct Reexport {
    pub name: String,
    pub path: String,
    pub line: usize,
}

/// The module-level names this file binds to an asyncio API asyncio-loop reports: simple
/// assignments (also inside module-level `if` / `try`) and imports from asyncio.
pub fn exports_of(ctx: &Ctx) -> Vec<Reexport> {
    let text = ctx.text;
    if !text.contains("asyncio") || !reexportable_names().any(|n| text.contains(n)) {
        return Vec::new();
    }
    let mut exports = Vec::new();
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(block) = stack.pop() {
        for stmt in named_children(block) {
            match stmt.kind() {
                "if_statement" | "try_statement" | "else_clause" | "elif_clause"
                | "except_clause" | "finally_clause" | "block" => stack.push(stmt),
                "expression_statement" => {
                    let Some(assign) = named_children(stmt).next() else {
                        continue;
                    };
                    if assign.kind() != "assignment" {
                        continue;
                    }
                    let (Some(left), Some(right)) = (
                        assign.child_by_field_name("left"),
                        assign.child_by_field_name("right"),
                    ) else {
                        continue;
                    };
                    if left.kind() == "identifier" {
                        add_reexport(ctx, &mut exports, left, right);
                    }
                }
                "import_from_statement" => {
                    let mut cursor = stmt.walk();
                    for name in stmt.children_by_field_name("name", &mut cursor) {
                        // `from asyncio import x` names a one-part dotted name.
                        let bound = match name.kind() {
                            "aliased_import" => name.child_by_field_name("alias"),
                            _ => named_children(name)
                                .next()
                                .filter(|_| name.named_child_count() == 1),
                        };
                        if let Some(bound) = bound.filter(|b| b.kind() == "identifier") {
                            add_reexport(ctx, &mut exports, bound, bound);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    exports
}

fn add_reexport(ctx: &Ctx, exports: &mut Vec<Reexport>, name: Node, value: Node) {
    let Some(path) = ctx.qualified(value) else {
        return;
    };
    if reexported_api(&path).is_some() {
        let line = name.start_position().row + 1;
        let name = ctx.text_of(name).to_owned();
        // The binding seen last wins, as it did in a map keyed by name.
        exports.retain(|r: &Reexport| r.name != name);
        exports.push(Reexport { name, path, line });
    }
}
