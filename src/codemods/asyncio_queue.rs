//! asyncio-queue: an `asyncio.Queue` confined to one function or one class → a pair of memory
//! object streams (`q_send`, `q_recv`), every use rewritten in one fix (spec §4, D4).
//!
//! One object becomes two, so the planner follows the queue: every use of the variable (closures
//! included), or every `self._q` in the class's methods; a queue passed to a function of this
//! module is followed into its parameter. A use it cannot see or map makes the whole queue
//! MANUAL, naming why: the rewrite is all or nothing.

use super::shared::block;
use super::shared::tasks::is_anyio_group_callee;
use super::{
    Captures, Ctx, call_args, enclosing_function, has_comment, is_async_def,
    is_class_check_argument, keyword_arg, positional_args,
};
use crate::analysis::bindings::is_binding_site;
use crate::analysis::syntax::{field_is, inside, is_async_with, with_of_item_call};
use crate::edit::{Edit, Finding, Fix, Import, Outcome, Verdict};
use crate::resolve::named_children;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use tree_sitter::Node;

const ID: &str = "asyncio-queue";

const ESCAPE_HINT: &str = "create the pair where every user can see it: `q_send, q_recv = anyio.create_memory_object_stream[T](math.inf)` (math.inf for an unbounded Queue(), N for maxsize=N); give `q_send` to producers and `q_recv` to consumers (`.clone()` one per task), close each with `async with` when done; put/get → send/receive, put_nowait/get_nowait → send_nowait/receive_nowait, QueueEmpty/QueueFull → anyio.WouldBlock";

const JOIN_HINT: &str = "memory object streams have no task_done()/join(): producers close their send stream when done, consumers iterate until it ends, and leaving the task group replaces `await q.join()`:
async with anyio.create_task_group() as tg:
    tg.start_soon(consumer, q_recv)  # async with q_recv: async for item in q_recv: ...
    async with q_send:
        for item in items:
            await q_send.send(item)";

const SHUTDOWN_HINT: &str = "`q_send.close()` for shutdown(): receivers drain the buffer, then get anyio.EndOfStream; `q_recv.close()` for shutdown(immediate=True): senders get anyio.BrokenResourceError and buffered items are dropped; catch those instead of asyncio.QueueShutDown";

const ORDERED_HINT: &str = "anyio has no LIFO or priority stream: keep a list (`heapq` for priorities) guarded by an `anyio.Condition`: `async with cond: items.append(x); cond.notify()` to put, `async with cond: while not items: await cond.wait()` then pop to get";

const SEND: &str = "MemoryObjectSendStream";
const WB: &str = "anyio.WouldBlock";
const RECV: &str = "MemoryObjectReceiveStream";
const STREAM_MODULE: &str = "anyio.streams.memory";

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let Some(reference) = caps.get("ref") {
        return plan_value(ctx, reference);
    }
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    let Some(kind) = kind_of(ctx, callee) else {
        return Vec::new();
    };
    if kind != Kind::Queue {
        return vec![
            Finding::manual(
                ID,
                call.start_byte(),
                format!("asyncio.{} has no anyio counterpart", kind.name()),
                ORDERED_HINT,
            )
            .into(),
        ];
    }
    let owner = match locate(ctx, call) {
        Ok(owner) => owner,
        Err(why) => return vec![refuse(ctx, call, &[why], Hint::Escape)],
    };
    let mut split = Split::new(ctx, &owner);
    split.run(&owner, call, callee);
    if split.reasons.is_empty() {
        vec![split.finish(&owner, call).into()]
    } else {
        let reasons = std::mem::take(&mut split.reasons);
        vec![refuse(ctx, call, &reasons, split.hint)]
    }
}

// ------------------------------------------------------------------ what is a queue

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Queue,
    Lifo,
    Priority,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Queue => "Queue",
            Self::Lifo => "LifoQueue",
            Self::Priority => "PriorityQueue",
        }
    }
}

/// `node` (a name, an attribute chain, or `Queue[T]`) is asyncio's Queue class or a sibling.
fn kind_of(ctx: &Ctx, node: Node) -> Option<Kind> {
    let node = if node.kind() == "subscript" {
        node.child_by_field_name("value")?
    } else {
        node
    };
    match ctx.qualified(node)?.as_str() {
        "asyncio.Queue" => Some(Kind::Queue),
        "asyncio.LifoQueue" => Some(Kind::Lifo),
        "asyncio.PriorityQueue" => Some(Kind::Priority),
        _ => None,
    }
}

/// `asyncio.Queue` (or a sibling) used as a value: a factory argument or a base class.
fn plan_value(ctx: &Ctx, reference: Node) -> Vec<Outcome> {
    let Some(kind) = kind_of(ctx, reference) else {
        return Vec::new();
    };
    if is_class_check_argument(ctx, reference) {
        return Vec::new();
    }
    let in_bases = reference
        .parent()
        .and_then(|p| p.parent())
        .is_some_and(|p| p.kind() == "class_definition");
    let why = if in_bases {
        format!(
            "a subclass of asyncio.{}: its instances are queues this tool cannot follow",
            kind.name()
        )
    } else {
        format!(
            "asyncio.{} used as a value (a factory): the queues it makes are used where this tool cannot follow them",
            kind.name()
        )
    };
    let hint = if kind == Kind::Queue {
        ESCAPE_HINT
    } else {
        ORDERED_HINT
    };
    vec![Finding::manual(ID, reference.start_byte(), why, hint).into()]
}

// ------------------------------------------------------------------ who owns the queue

/// Where the queue lives: a local variable, or an attribute set in `__init__`.
enum Owner<'t> {
    Local {
        func: Node<'t>,
        stmt: Node<'t>,
        target: Node<'t>,
        name: String,
    },
    Class {
        class: Node<'t>,
        stmt: Node<'t>,
        target: Node<'t>,
        attr: String,
    },
}

impl<'t> Owner<'t> {
    fn stmt(&self) -> Node<'t> {
        match self {
            Self::Local { stmt, .. } | Self::Class { stmt, .. } => *stmt,
        }
    }

    fn target(&self) -> Node<'t> {
        match self {
            Self::Local { target, .. } | Self::Class { target, .. } => *target,
        }
    }

    fn is_local(&self) -> bool {
        matches!(self, Self::Local { .. })
    }
}

/// Find the statement that creates the queue and what it binds, or say why it escapes.
fn locate<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> Result<Owner<'t>, String> {
    let mut value = call;
    while let Some(p) = value
        .parent()
        .filter(|p| p.kind() == "parenthesized_expression")
    {
        value = p;
    }
    let Some(parent) = value.parent() else {
        return Err("it is not assigned to a name".to_owned());
    };
    if parent.kind() != "assignment" || !field_is(parent, "right", value) {
        return Err(match parent.kind() {
            "return_statement" => "it is returned as soon as it is created".to_owned(),
            "argument_list" | "keyword_argument" => {
                "it is created as an argument of a call, which keeps it".to_owned()
            }
            "list" | "tuple" | "set" | "pair" | "dictionary" | "expression_list" => {
                "it is created inside a container".to_owned()
            }
            "default_parameter" | "typed_default_parameter" => {
                "it is a parameter's default value".to_owned()
            }
            "lambda" => "it is created by a lambda".to_owned(),
            _ => "it is created inside a larger expression".to_owned(),
        });
    }
    let Some(stmt) = parent
        .parent()
        .filter(|s| s.kind() == "expression_statement")
    else {
        return Err("it is assigned in a chained assignment".to_owned());
    };
    let Some(target) = parent.child_by_field_name("left") else {
        return Err("it is not assigned to a name".to_owned());
    };
    let container = stmt.parent().map(|b| b.kind());
    if container == Some("module") {
        return Err("it is a module-level variable, which other modules can import".to_owned());
    }
    if stmt
        .parent()
        .and_then(|b| b.parent())
        .is_some_and(|c| c.kind() == "class_definition")
    {
        return Err("it is a class attribute, shared by every instance".to_owned());
    }
    let Some(func) = enclosing_function(stmt).filter(|f| f.kind() == "function_definition") else {
        return Err("it is not created in a function".to_owned());
    };
    match target.kind() {
        "identifier" => {
            let name = ctx.text_of(target).to_owned();
            if ctx.resolver.defining_scope(&name, target) != Some(func.id()) {
                return Err(format!(
                    "`{name}` is a global variable, which other modules can import"
                ));
            }
            Ok(Owner::Local {
                func,
                stmt,
                target,
                name,
            })
        }
        "attribute" => {
            let (Some(object), Some(attr)) = (
                target.child_by_field_name("object"),
                target.child_by_field_name("attribute"),
            ) else {
                return Err("it is stored on another object".to_owned());
            };
            let text = ctx.text_of(target).to_owned();
            let method = method_of(func).filter(|m| {
                object.kind() == "identifier"
                    && self_param(ctx, m.func).as_deref() == Some(ctx.text_of(object))
            });
            let Some(method) = method else {
                return Err(format!(
                    "it is stored on another object (`{text}`), which code elsewhere can reach"
                ));
            };
            if ctx.text_of(method.func.child_by_field_name("name").unwrap_or(func)) != "__init__" {
                return Err(format!(
                    "`{text}` is created outside `__init__`, so other methods may run before it exists or after it is replaced"
                ));
            }
            Ok(Owner::Class {
                class: method.class,
                stmt,
                target,
                attr: ctx.text_of(attr).to_owned(),
            })
        }
        _ => Err("it is stored in a container or unpacked".to_owned()),
    }
}

/// A function defined directly in a class body (decorated or not).
#[derive(Clone, Copy)]
struct Method<'t> {
    func: Node<'t>,
    class: Node<'t>,
}

fn method_of(func: Node) -> Option<Method> {
    let mut up = func.parent()?;
    if up.kind() == "decorated_definition" {
        up = up.parent()?;
    }
    let class = up
        .parent()
        .filter(|c| up.kind() == "block" && c.kind() == "class_definition")?;
    Some(Method { func, class })
}

/// The name of a method's first parameter (`self`), unless it is a static or class method.
fn self_param(ctx: &Ctx, func: Node) -> Option<String> {
    if let Some(decorated) = func.parent().filter(|p| p.kind() == "decorated_definition") {
        let plain = named_children(decorated)
            .filter(|d| d.kind() == "decorator")
            .any(|d| {
                let text = ctx.text_of(d).trim_start_matches('@').trim();
                matches!(text, "staticmethod" | "classmethod")
            });
        if plain {
            return None;
        }
    }
    let params = func.child_by_field_name("parameters")?;
    let first = named_children(params).find(|p| p.kind() != "comment")?;
    let name = match first.kind() {
        "identifier" => first,
        "typed_parameter" => named_children(first).find(|c| c.kind() == "identifier")?,
        _ => return None,
    };
    Some(ctx.text_of(name).to_owned())
}

// ------------------------------------------------------------------ the analysis

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Hint {
    Escape,
    Shutdown,
    Join,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Send,
    Recv,
}

/// What the code of one function does with the queue.
#[derive(Clone, Copy, Default)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "independent facts about the uses"
)]
struct Uses {
    send: bool,
    recv: bool,
    stats: bool,
    nowait: bool,
}

impl Uses {
    fn add(&mut self, other: Self) {
        self.send |= other.send;
        self.recv |= other.recv;
        self.stats |= other.stats;
        self.nowait |= other.nowait;
    }
}

/// How the queue is spelled in the code being looked at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Naming {
    /// The owner's variable or attribute: renamed per side.
    Owner,
    /// A followed function's parameter: keeps its name, gets one side.
    Param,
}

#[derive(Clone, Copy)]
struct Scope<'t> {
    func: Node<'t>,
    naming: Naming,
}

/// A function the queue is passed to, and which parameter receives it.
struct Followed {
    param: String,
    uses: Option<Uses>,
}

#[allow(
    clippy::struct_excessive_bools,
    reason = "independent facts for the note"
)]
struct Split<'c, 't> {
    ctx: &'c Ctx<'t>,
    local: bool,
    owner_func: Option<Node<'t>>,
    owner_stmt: Node<'t>,
    send: String,
    recv: String,
    edits: Vec<Edit>,
    reasons: Vec<String>,
    hint: Hint,
    /// Uses in the owner function's own code (not in nested functions): the closing block
    /// must cover them.
    top_sites: Vec<Node<'t>>,
    /// Nested functions that touch the queue, with the function they are in.
    users: Vec<(Node<'t>, Node<'t>)>,
    seen_users: HashSet<usize>,
    followed: HashMap<usize, Followed>,
    /// Queue expressions already classified (node ids).
    ours: HashSet<usize>,
    /// `put_nowait`/`get_nowait` calls on this queue (node ids).
    nowait_ops: HashSet<usize>,
    /// Places an `except asyncio.QueueEmpty/QueueFull` around which must change.
    raise_sites: Vec<(Node<'t>, Node<'t>)>,
    uses: Uses,
    math: bool,
    annotations: bool,
    callees: Vec<String>,
    lost_comment: bool,
}

impl<'c, 't> Split<'c, 't> {
    fn new(ctx: &'c Ctx<'t>, owner: &Owner<'t>) -> Self {
        let (base, owner_func) = match owner {
            Owner::Local { name, func, .. } => (name.clone(), Some(*func)),
            Owner::Class { attr, .. } => (attr.clone(), None),
        };
        let (send, recv) = fresh_pair(ctx.text, &base);
        Self {
            ctx,
            local: owner.is_local(),
            owner_func,
            owner_stmt: owner.stmt(),
            send,
            recv,
            edits: Vec::new(),
            reasons: Vec::new(),
            hint: Hint::Escape,
            top_sites: Vec::new(),
            users: Vec::new(),
            seen_users: HashSet::new(),
            followed: HashMap::new(),
            ours: HashSet::new(),
            nowait_ops: HashSet::new(),
            raise_sites: Vec::new(),
            uses: Uses::default(),
            math: false,
            annotations: false,
            callees: Vec::new(),
            lost_comment: false,
        }
    }

    fn reason(&mut self, why: impl Into<String>) {
        let why = why.into();
        if !self.reasons.contains(&why) {
            self.reasons.push(why);
        }
    }

    fn text(&self, node: Node) -> &'c str {
        &self.ctx.text[node.byte_range()]
    }

    /// Follow every use, then check what the uses need: closures' call sites, followed
    /// functions' other callers, the `except` clauses around nowait calls.
    fn run(&mut self, owner: &Owner<'t>, call: Node<'t>, callee: Node<'t>) {
        match owner {
            Owner::Local {
                func, target, name, ..
            } => self.local_uses(*func, *target, name),
            Owner::Class {
                class,
                target,
                attr,
                ..
            } => self.class_uses(*class, *target, attr),
        }
        self.check_users();
        self.check_followed();
        if self.annotations {
            self.check_stream_names();
        }
        if self.reasons.is_empty() {
            self.constructor(owner, call, callee);
            self.handlers();
        }
    }

    // -------------------------------------------------------------- finding the uses

    fn local_uses(&mut self, func: Node<'t>, target: Node<'t>, name: &str) {
        let ctx = self.ctx;
        if has_nonlocal(ctx, func, name) {
            self.reason(format!(
                "a nested function declares `nonlocal {name}` and may rebind it"
            ));
            return;
        }
        let scope = Scope {
            func,
            naming: Naming::Owner,
        };
        for r in ctx.resolver.references(ctx.tree, name, target) {
            if r.id() == target.id() {
                continue;
            }
            if is_binding_site(r) {
                self.reason(format!("`{name}` is assigned more than once"));
                continue;
            }
            let uses = self.visit(scope, r);
            self.uses.add(uses);
        }
    }

    fn class_uses(&mut self, class: Node<'t>, target: Node<'t>, attr: &str) {
        let ctx = self.ctx;
        let target_text = self.text(target);
        if !attr.starts_with('_') {
            self.reason(format!(
                "`{target_text}` is a public attribute, which code in other modules can use"
            ));
            return;
        }
        let classes = class_family(ctx, class);
        let methods: Vec<(Node<'t>, String, bool)> = classes
            .iter()
            .flat_map(|(c, related)| {
                methods_of(*c)
                    .into_iter()
                    .filter_map(|m| self_param(ctx, m).map(|s| (m, s, *related)))
            })
            .collect();
        // The class-body declaration `_q: asyncio.Queue[int]`.
        for (c, related) in &classes {
            if !related {
                continue;
            }
            self.class_body_names(*c, attr);
        }
        let sibling_names = relative_imports(ctx);
        for (m, self_name, related) in &methods {
            if !related {
                continue;
            }
            let Some(param) = first_param_ident(*m) else {
                continue;
            };
            for r in ctx.resolver.references(ctx.tree, self_name, param) {
                if let Some(callee) = passed_to_sibling(ctx, r, &sibling_names) {
                    self.reason(format!(
                        "the instance is passed to `{callee}` from another module of the package, which may use `{target_text}`"
                    ));
                }
            }
        }
        let mut stack = vec![ctx.tree.root_node()];
        while let Some(n) = stack.pop() {
            stack.extend(named_children(n));
            if n.kind() != "attribute" || n.id() == target.id() {
                continue;
            }
            let (Some(object), Some(name)) = (
                n.child_by_field_name("object"),
                n.child_by_field_name("attribute"),
            ) else {
                continue;
            };
            if self.text(name) != attr {
                continue;
            }
            let owner = (object.kind() == "identifier")
                .then(|| {
                    let scope = ctx.resolver.defining_scope(self.text(object), object)?;
                    methods
                        .iter()
                        .find(|(m, s, _)| m.id() == scope && s == self.text(object))
                })
                .flatten();
            let text = self.text(n);
            match owner {
                Some((m, _, true)) => {
                    let m = *m;
                    let parent = n.parent();
                    if parent.is_some_and(|p| {
                        (p.kind() == "assignment" || p.kind() == "augmented_assignment")
                            && field_is(p, "left", n)
                    }) || parent.is_some_and(|p| p.kind() == "delete_statement")
                    {
                        self.reason(format!("`{text}` is assigned again outside `__init__`"));
                        continue;
                    }
                    let scope = Scope {
                        func: m,
                        naming: Naming::Owner,
                    };
                    let uses = self.visit(scope, n);
                    self.uses.add(uses);
                }
                // `self._q` of an unrelated class: a different attribute.
                Some((_, _, false)) => {}
                None => self.reason(format!(
                    "it is also used as `{text}`, an attribute of another object"
                )),
            }
        }
    }

    /// `_q: asyncio.Queue[int]` declared in a class body becomes two declarations;
    /// `_q = ...` there is a class attribute.
    fn class_body_names(&mut self, class: Node<'t>, attr: &str) {
        let Some(body) = class.child_by_field_name("body") else {
            return;
        };
        for stmt in named_children(body) {
            let Some(assign) = stmt
                .named_child(0)
                .filter(|a| stmt.kind() == "expression_statement" && a.kind() == "assignment")
            else {
                continue;
            };
            let Some(left) = assign.child_by_field_name("left") else {
                continue;
            };
            if left.kind() != "identifier" || self.text(left) != attr {
                continue;
            }
            if assign.child_by_field_name("right").is_some() {
                self.reason(format!(
                    "`{attr}` is also a class attribute, shared by every instance"
                ));
                continue;
            }
            let Some(annotation) = assign.child_by_field_name("type") else {
                continue;
            };
            if !super::on_own_line(self.ctx.text, stmt) {
                self.reason(format!("the declaration of `{attr}` shares its line"));
                continue;
            }
            let send = self.annotation_text(annotation, SEND);
            let recv = self.annotation_text(annotation, RECV);
            let indent = crate::source::line_indent(self.ctx.text, stmt.start_byte());
            self.edits.push(Edit::replace(
                stmt.byte_range(),
                format!("{}: {send}\n{indent}{}: {recv}", self.send, self.recv),
            ));
            self.annotations = true;
        }
    }

    /// Classify one expression that evaluates to the queue (a name, or `self._q`).
    fn visit(&mut self, scope: Scope<'t>, expr: Node<'t>) -> Uses {
        self.ours.insert(expr.id());
        let Some(top) = self.nesting(scope, expr) else {
            return Uses::default();
        };
        if top {
            self.top_sites.push(expr);
        }
        let Some(parent) = expr.parent() else {
            return Uses::default();
        };
        let what = self.text(expr);
        match parent.kind() {
            "attribute" if field_is(parent, "object", expr) => self.method(scope, expr, parent),
            "argument_list" => self.passed(scope, expr, parent, None),
            "keyword_argument" if field_is(parent, "value", expr) => {
                let key = parent
                    .child_by_field_name("name")
                    .map(|k| self.text(k).to_owned());
                match parent.parent() {
                    Some(args) if args.kind() == "argument_list" => {
                        self.passed(scope, expr, args, key)
                    }
                    _ => {
                        self.reason(format!("`{what}` is used as a value"));
                        Uses::default()
                    }
                }
            }
            _ => {
                self.reason(escape_reason(self.ctx, expr, parent));
                Uses::default()
            }
        }
    }

    /// The nested functions between `node` and its scope's function: in local mode each one
    /// must only run while the streams are open (checked at their call sites). `None` when
    /// the nesting makes the queue escape; `Some(true)` when `node` is in the owner's own code.
    fn nesting(&mut self, scope: Scope<'t>, node: Node<'t>) -> Option<bool> {
        let mut innermost = true;
        let mut direct = true;
        let mut cur = node.parent();
        while let Some(n) = cur {
            if n.id() == scope.func.id() {
                break;
            }
            match n.kind() {
                "lambda" if self.local => {
                    self.reason(format!(
                        "`{}` is used in a lambda, which may run after the streams are closed",
                        self.text(node)
                    ));
                    return None;
                }
                "generator_expression" if self.local => {
                    let consumed = n.parent().is_some_and(|p| {
                        p.kind() == "list_splat"
                            && p.parent().is_some_and(|a| a.kind() == "argument_list")
                    });
                    if !consumed {
                        self.reason(format!(
                            "`{}` is used in a generator expression, which may run after the streams are closed",
                            self.text(node)
                        ));
                        return None;
                    }
                }
                "class_definition" => {
                    self.reason(format!("`{}` is used in a nested class", self.text(node)));
                    return None;
                }
                "function_definition" => {
                    direct = false;
                    if self.local && innermost && self.seen_users.insert(n.id()) {
                        self.users.push((n, scope.func));
                    }
                    innermost = false;
                }
                _ => {}
            }
            cur = n.parent();
        }
        Some(direct && scope.naming == Naming::Owner && self.local)
    }

    /// `q.put(x)`, `q.get_nowait()`, `q.qsize()`, `q.maxsize`, ...
    fn method(&mut self, scope: Scope<'t>, expr: Node<'t>, attr_node: Node<'t>) -> Uses {
        let mut uses = Uses::default();
        let Some(name_node) = attr_node.child_by_field_name("attribute") else {
            return uses;
        };
        let name = self.text(name_node);
        let what = self.text(expr);
        let call = attr_node
            .parent()
            .filter(|c| c.kind() == "call" && field_is(*c, "function", attr_node));
        let Some(call) = call else {
            if name == "maxsize" {
                uses.stats = true;
                let stream = self.stream_text(scope, expr, Side::Send);
                self.edits.push(Edit::replace(
                    attr_node.byte_range(),
                    format!("{stream}.statistics().max_buffer_size"),
                ));
            } else if matches!(name, "put" | "get" | "put_nowait" | "get_nowait") {
                self.reason(format!(
                    "`{what}.{name}` is passed as a value (a callback may run after the streams are closed)"
                ));
            } else {
                self.reason(format!(
                    "it uses `{what}.{name}`, which memory object streams do not have"
                ));
            }
            return uses;
        };
        let (side, new) = match name {
            "put" => (Side::Send, "send"),
            "get" => (Side::Recv, "receive"),
            "put_nowait" => (Side::Send, "send_nowait"),
            "get_nowait" => (Side::Recv, "receive_nowait"),
            "qsize" | "empty" | "full" => {
                uses.stats = true;
                self.statistics(scope, expr, call, name);
                return uses;
            }
            "task_done" | "join" => {
                self.hint = self.hint.max(Hint::Join);
                self.reason(format!(
                    "it uses `{what}.{name}()`, which memory object streams do not have"
                ));
                return uses;
            }
            "shutdown" => {
                self.hint = self.hint.max(Hint::Shutdown);
                self.reason(format!(
                    "it uses `{what}.shutdown()`: closing a stream raises other exceptions than QueueShutDown"
                ));
                return uses;
            }
            _ => {
                self.reason(format!(
                    "it uses `{what}.{name}()`, which memory object streams do not have"
                ));
                return uses;
            }
        };
        if matches!(name, "put" | "get") && self.local {
            let container = enclosing_function(call).unwrap_or(scope.func);
            let _ = self.started(container, call);
        }
        if name.ends_with("_nowait") {
            uses.nowait = true;
            self.nowait_ops.insert(call.id());
            self.raise_sites.push((call, scope.func));
        }
        match side {
            Side::Send => uses.send = true,
            Side::Recv => uses.recv = true,
        }
        self.rename(scope, expr, side);
        self.edits
            .push(Edit::replace(name_node.byte_range(), new.to_owned()));
        uses
    }

    /// `qsize()`/`empty()`/`full()` → expressions on the stream's statistics.
    fn statistics(&mut self, scope: Scope<'t>, expr: Node<'t>, call: Node<'t>, name: &str) {
        if !call_args(call).is_empty() {
            self.reason(format!("`{}` is called with arguments", self.text(call)));
            return;
        }
        self.lost_comment |= has_comment(call);
        let s = self.stream_text(scope, expr, Side::Send);
        let used = format!("{s}.statistics().current_buffer_used");
        // `not q.empty()` reads better as a comparison than as `not ... == 0`.
        let negated = call
            .parent()
            .filter(|p| p.kind() == "not_operator" && name == "empty");
        let (node, text, comparison) = match (name, negated) {
            ("qsize", _) => (call, used, false),
            ("empty", Some(not)) => (not, format!("{used} > 0"), true),
            ("empty", None) => (call, format!("{used} == 0"), true),
            _ => (
                call,
                format!("{used} >= {s}.statistics().max_buffer_size"),
                true,
            ),
        };
        let text = if comparison && needs_parens(node) {
            format!("({text})")
        } else {
            text
        };
        self.edits.push(Edit::replace(node.byte_range(), text));
    }

    /// The text of the stream for `side` where `expr` spells the queue.
    fn stream_text(&self, scope: Scope<'t>, expr: Node<'t>, side: Side) -> String {
        let name = match side {
            Side::Send => &self.send,
            Side::Recv => &self.recv,
        };
        match (scope.naming, expr.kind()) {
            (Naming::Param, _) => self.text(expr).to_owned(),
            (Naming::Owner, "attribute") => {
                let object = expr
                    .child_by_field_name("object")
                    .map_or("self", |o| self.text(o));
                format!("{object}.{name}")
            }
            (Naming::Owner, _) => name.clone(),
        }
    }

    /// Rename the queue expression to the stream of `side` (a parameter keeps its name).
    fn rename(&mut self, scope: Scope<'t>, expr: Node<'t>, side: Side) {
        if scope.naming == Naming::Param {
            return;
        }
        let name = match side {
            Side::Send => self.send.clone(),
            Side::Recv => self.recv.clone(),
        };
        let node = if expr.kind() == "attribute" {
            expr.child_by_field_name("attribute").unwrap_or(expr)
        } else {
            expr
        };
        self.edits.push(Edit::replace(node.byte_range(), name));
    }

    /// The queue is an argument of `args`' call: follow it into a function of this module.
    fn passed(
        &mut self,
        scope: Scope<'t>,
        expr: Node<'t>,
        args: Node<'t>,
        key: Option<String>,
    ) -> Uses {
        let ctx = self.ctx;
        let Some(call) = args.parent().filter(|c| c.kind() == "call") else {
            self.reason(format!("`{}` is passed to a class", self.text(expr)));
            return Uses::default();
        };
        let Some(callee) = call.child_by_field_name("function") else {
            return Uses::default();
        };
        let index = positional_args(call)
            .iter()
            .position(|a| a.id() == expr.id());
        if key.is_none() && index.is_none() {
            self.reason(format!("`{}` is unpacked into a call", self.text(expr)));
            return Uses::default();
        }
        // `tg.start_soon(worker, q)` / `tg.start_soon(functools.partial(worker, q))`.
        if let Some(group) = start_soon_group(ctx, call) {
            let (Some(index), None) = (index, &key) else {
                self.reason("it is passed by keyword to start_soon()");
                return Uses::default();
            };
            if index == 0 {
                self.reason(format!("`{}` is started as a task", self.text(expr)));
                return Uses::default();
            }
            let Some(func) = positional_args(call).first().copied() else {
                return Uses::default();
            };
            let (target, shift) = match partial_parts(ctx, func) {
                Some((target, bound)) => (target, bound),
                None => (func, 0),
            };
            let container = enclosing_function(call).unwrap_or(scope.func);
            let start = self.group_start(container, group);
            return self.follow(scope, expr, target, &Param::Pos(index - 1 + shift), start);
        }
        if let Some(outer) = call.parent().and_then(|a| a.parent())
            && partial_parts(ctx, call).is_some()
            && let Some(group) = start_soon_group(ctx, outer)
            && positional_args(outer)
                .first()
                .is_some_and(|f| f.id() == call.id())
        {
            let Some(target) = positional_args(call).first().copied() else {
                return Uses::default();
            };
            let param = match (index, key) {
                (Some(i), _) if i > 0 => Param::Pos(i - 1),
                (_, Some(k)) => Param::Kw(k),
                _ => {
                    self.reason(format!("`{}` is started as a task", self.text(expr)));
                    return Uses::default();
                }
            };
            let container = enclosing_function(outer).unwrap_or(scope.func);
            let start = self.group_start(container, group);
            return self.follow(scope, expr, target, &param, start);
        }
        if callee.kind() != "identifier" {
            let text = self.text(callee);
            let method = callee
                .child_by_field_name("attribute")
                .map_or("", |a| self.text(a));
            let why = if matches!(method, "start_soon" | "start" | "create_task") {
                format!(
                    "it is passed to `{text}()` of a task group opened elsewhere, whose tasks may outlive the queue's function"
                )
            } else if callee.kind() == "attribute"
                && callee
                    .child_by_field_name("object")
                    .is_some_and(|o| self_param_of(ctx, o))
            {
                format!("it is passed to the method `{text}()` (methods are not followed)")
            } else {
                format!(
                    "it is passed to `{text}()`, which is not a function defined in this module"
                )
            };
            self.reason(why);
            return Uses::default();
        }
        let param = match (index, key) {
            (Some(i), _) => Param::Pos(i),
            (None, Some(k)) => Param::Kw(k),
            (None, None) => return Uses::default(),
        };
        if let Err(why) = function_def(ctx, callee) {
            self.reason(why);
            return Uses::default();
        }
        let container = enclosing_function(call).unwrap_or(scope.func);
        let start = self.call_start(container, call);
        self.follow(scope, expr, callee, &param, start)
    }

    /// Follow the queue into `target`'s parameter; rename the argument to the side it uses.
    fn follow(
        &mut self,
        scope: Scope<'t>,
        expr: Node<'t>,
        target: Node<'t>,
        param: &Param,
        start: bool,
    ) -> Uses {
        let ctx = self.ctx;
        let name = self.text(target).to_owned();
        let def = match function_def(ctx, target) {
            Ok(def) => def,
            Err(why) => {
                self.reason(why);
                return Uses::default();
            }
        };
        if self.local && !start {
            return Uses::default();
        }
        let Some((param_name, param_node)) = parameter(ctx, def, param) else {
            self.reason(format!(
                "it is passed to `{name}()` where no plain parameter receives it"
            ));
            return Uses::default();
        };
        let uses = match self.followed.get(&def.id()) {
            Some(f) if f.param != param_name => {
                self.reason(format!(
                    "`{name}()` receives it in two different parameters"
                ));
                return Uses::default();
            }
            // Being followed right now (recursion): the outer visit decides.
            Some(Followed { uses: None, .. }) => return Uses::default(),
            Some(Followed { uses: Some(u), .. }) => *u,
            None => {
                self.followed.insert(
                    def.id(),
                    Followed {
                        param: param_name.clone(),
                        uses: None,
                    },
                );
                let uses = self.follow_body(def, &name, &param_name, param_node);
                if let Some(f) = self.followed.get_mut(&def.id()) {
                    f.uses = Some(uses);
                }
                if !self.callees.contains(&name) {
                    self.callees.push(name.clone());
                }
                uses
            }
        };
        let side = match (uses.send, uses.recv, uses.stats) {
            (true, true, _) => {
                self.reason(format!(
                    "`{name}()` uses both ends of the queue, so it would need both streams"
                ));
                return uses;
            }
            (true, false, _) | (false, false, true) => Side::Send,
            (false, true, _) => Side::Recv,
            (false, false, false) => {
                self.reason(format!(
                    "`{name}()` does not use the queue it receives itself"
                ));
                return uses;
            }
        };
        if uses.nowait {
            self.raise_sites.push((call_site(expr), scope.func));
        }
        self.rename(scope, expr, side);
        let mut mine = uses;
        // The caller now holds one end only.
        mine.send = side == Side::Send;
        mine.recv = side == Side::Recv;
        mine
    }

    /// Analyze a followed function's parameter and retype its annotation.
    fn follow_body(
        &mut self,
        def: Node<'t>,
        name: &str,
        param_name: &str,
        param_node: Node<'t>,
    ) -> Uses {
        let ctx = self.ctx;
        let scope = Scope {
            func: def,
            naming: Naming::Param,
        };
        if has_nonlocal(ctx, def, param_name) {
            self.reason(format!(
                "a function nested in `{name}()` declares `nonlocal {param_name}`"
            ));
            return Uses::default();
        }
        let mut uses = Uses::default();
        for r in ctx.resolver.references(ctx.tree, param_name, param_node) {
            if r.id() == param_node.id() {
                continue;
            }
            if is_binding_site(r) {
                self.reason(format!(
                    "`{name}()` assigns its parameter `{param_name}` again"
                ));
                continue;
            }
            uses.add(self.visit(scope, r));
        }
        let side = if uses.recv && !uses.send { RECV } else { SEND };
        if let Some(annotation) = param_node
            .parent()
            .and_then(|p| p.child_by_field_name("type"))
        {
            let text = self.annotation_text(annotation, side);
            if text != self.text(annotation) {
                self.edits
                    .push(Edit::replace(annotation.byte_range(), text));
                self.annotations = true;
            }
        }
        uses
    }

    /// The annotation's text with every `asyncio.Queue` in it replaced by `class`.
    fn annotation_text(&self, annotation: Node<'t>, class: &str) -> String {
        let ctx = self.ctx;
        let mut edits = Vec::new();
        let mut stack = vec![annotation];
        while let Some(n) = stack.pop() {
            if matches!(n.kind(), "identifier" | "attribute")
                && kind_of(ctx, n) == Some(Kind::Queue)
            {
                edits.push(Edit::replace(n.byte_range(), class));
                continue;
            }
            if n.kind() == "string_content" {
                let text = self.text(n);
                let head = text.split('[').next().unwrap_or(text).trim();
                let root = head.split('.').next().unwrap_or(head);
                let resolves = ctx.resolver.resolve_name(root, n).is_some_and(|p| {
                    let full = format!("{p}{}", &head[root.len()..]);
                    full == "asyncio.Queue" || full == "asyncio.queues.Queue"
                });
                if resolves {
                    let at = n.start_byte() + text.find(head).unwrap_or(0);
                    edits.push(Edit::replace(at..at + head.len(), class));
                }
                continue;
            }
            stack.extend(named_children(n));
        }
        crate::edit::splice_within(ctx.text, annotation.byte_range(), &edits)
    }

    // -------------------------------------------------------------- lifetimes (local mode)

    /// How the coroutine `call` runs; records a finding when it may outlive the streams.
    fn started(&mut self, container: Node<'t>, call: Node<'t>) -> bool {
        let ctx = self.ctx;
        let mut cur = call;
        loop {
            while let Some(p) = cur
                .parent()
                .filter(|p| p.kind() == "parenthesized_expression")
            {
                cur = p;
            }
            let Some(parent) = cur.parent() else {
                break;
            };
            match parent.kind() {
                "await" => return true,
                "list_comprehension" | "generator_expression"
                    if field_is(parent, "body", cur)
                        && parent.parent().is_some_and(|s| s.kind() == "list_splat") =>
                {
                    cur = parent.parent().unwrap_or(parent);
                }
                "list_splat" => cur = parent,
                "argument_list" => {
                    let Some(outer) = parent.parent().filter(|c| c.kind() == "call") else {
                        break;
                    };
                    let Some(callee) = outer.child_by_field_name("function") else {
                        break;
                    };
                    if is_gather(ctx, callee) {
                        cur = outer;
                        continue;
                    }
                    if ctx.is(callee, "asyncio.wait_for")
                        && positional_args(outer)
                            .first()
                            .is_some_and(|a| a.id() == cur.id())
                    {
                        cur = outer;
                        continue;
                    }
                    if let Some(group) = create_task_group(ctx, outer) {
                        return self.group_start(container, group);
                    }
                    let text = self.text(callee);
                    if ctx.is(callee, "asyncio.create_task")
                        || ctx.is(callee, "asyncio.ensure_future")
                    {
                        self.reason(format!(
                            "`{}` is started with `{text}()`, and the task may outlive the function",
                            self.text(call)
                        ));
                    } else {
                        self.reason(format!(
                            "the coroutine `{}` is passed to `{text}()`",
                            self.text(call)
                        ));
                    }
                    return false;
                }
                _ => break,
            }
        }
        self.reason(format!(
            "the coroutine `{}` is not awaited where it is made",
            self.text(call)
        ));
        false
    }

    /// A call of a function the queue is passed to: a sync call runs in place, a coroutine
    /// must be awaited or started in a task group.
    fn call_start(&mut self, container: Node<'t>, call: Node<'t>) -> bool {
        if !self.local {
            return true;
        }
        let def = call
            .child_by_field_name("function")
            .and_then(|f| function_def(self.ctx, f).ok());
        match def {
            Some(d) if !is_async_def(d) => {
                if has_own_yield(d) {
                    self.reason(format!(
                        "it is passed to the generator `{}`, which runs later",
                        self.text(call)
                    ));
                    return false;
                }
                true
            }
            _ => self.started(container, call),
        }
    }

    /// `group` (an `async with` opening a task group) ends before the streams are closed.
    fn group_start(&mut self, container: Node<'t>, group: Node<'t>) -> bool {
        if !self.local {
            return true;
        }
        let after_creation =
            Some(container) != self.owner_func || group.start_byte() > self.owner_stmt.end_byte();
        let within = container
            .child_by_field_name("body")
            .is_some_and(|body| inside(body, group));
        if !(within && after_creation) {
            self.reason(
                "a task using it runs in a task group that outlives the queue's function or starts before the queue exists",
            );
        }
        within && after_creation
    }

    /// Nested functions that use the queue: each call must end while the streams are open.
    fn check_users(&mut self) {
        let ctx = self.ctx;
        let mut i = 0;
        while i < self.users.len() {
            let (def, scope_func) = self.users[i];
            i += 1;
            let Some(name_node) = def.child_by_field_name("name") else {
                continue;
            };
            let name = self.text(name_node);
            if def
                .parent()
                .is_some_and(|p| p.kind() == "decorated_definition")
            {
                self.reason(format!(
                    "`{name}`, which uses the queue, is decorated (the decorator may keep it)"
                ));
                continue;
            }
            let async_def = is_async_def(def);
            if has_own_yield(def) {
                self.reason(format!(
                    "`{name}`, which uses the queue, is a generator and runs when iterated"
                ));
                continue;
            }
            for r in ctx.resolver.references(ctx.tree, name, name_node) {
                if r.id() == name_node.id() {
                    continue;
                }
                if is_binding_site(r) {
                    self.reason(format!("`{name}` is assigned more than once"));
                    continue;
                }
                let container = enclosing_function(r).unwrap_or(scope_func);
                let site = match r.parent() {
                    Some(c) if c.kind() == "call" && field_is(c, "function", r) => {
                        (!async_def || self.started(container, c)).then_some(c)
                    }
                    _ => {
                        let args = r.parent().filter(|a| a.kind() == "argument_list");
                        let call = args.and_then(|a| a.parent());
                        let first = call.is_some_and(|c| {
                            positional_args(c).first().is_some_and(|f| f.id() == r.id())
                        });
                        let group = call.filter(|_| first).and_then(|c| {
                            start_soon_group(ctx, c).or_else(|| {
                                let outer = c.parent()?.parent()?;
                                partial_parts(ctx, c)?;
                                start_soon_group(ctx, outer)
                            })
                        });
                        if let (Some(g), Some(c)) = (group, call) {
                            self.group_start(container, g).then_some(c)
                        } else {
                            self.reason(format!(
                                "`{name}`, which uses the queue, is passed as a value and may run after the streams are closed"
                            ));
                            None
                        }
                    }
                };
                let Some(site) = site else {
                    continue;
                };
                let scope = Scope {
                    func: scope_func,
                    naming: if Some(scope_func) == self.owner_func {
                        Naming::Owner
                    } else {
                        Naming::Param
                    },
                };
                if let Some(true) = self.nesting(scope, r) {
                    self.top_sites.push(site);
                }
                if self.uses.nowait {
                    self.raise_sites.push((site, container));
                }
            }
        }
    }

    /// Every call of a followed function passes this queue in the same parameter.
    fn check_followed(&mut self) {
        let ctx = self.ctx;
        let ids: Vec<usize> = self.followed.keys().copied().collect();
        let mut stack = vec![ctx.tree.root_node()];
        let mut defs = Vec::new();
        while let Some(n) = stack.pop() {
            if n.kind() == "function_definition" && ids.contains(&n.id()) {
                defs.push(n);
            }
            stack.extend(named_children(n));
        }
        for def in defs {
            let Some(name_node) = def.child_by_field_name("name") else {
                continue;
            };
            let name = self.text(name_node);
            let param = self.followed[&def.id()].param.clone();
            for r in ctx.resolver.references(ctx.tree, name, name_node) {
                if r.id() == name_node.id() {
                    continue;
                }
                if !self.passes_ours(def, r, &param) {
                    self.reason(format!(
                        "`{name}()` is also called with something else, or used as a value"
                    ));
                }
            }
        }
    }

    /// The use `r` of a followed function calls it with the queue in `param`.
    fn passes_ours(&self, def: Node<'t>, r: Node<'t>, param: &str) -> bool {
        let ctx = self.ctx;
        let (call, offset) = match r.parent() {
            Some(c) if c.kind() == "call" && field_is(c, "function", r) => (c, 0),
            Some(a) if a.kind() == "argument_list" => {
                let Some(c) = a.parent().filter(|c| c.kind() == "call") else {
                    return false;
                };
                if positional_args(c).first().is_none_or(|f| f.id() != r.id()) {
                    return false;
                }
                (c, 1)
            }
            _ => return false,
        };
        let index = parameter_index(ctx, def, param);
        let mut args: Vec<Node> = positional_args(call).into_iter().skip(offset).collect();
        // start_soon(partial(f, a), b): the partial's arguments come first.
        if offset == 1
            && let Some(outer) = call.parent().and_then(|a| a.parent())
            && start_soon_group(ctx, outer).is_some()
        {
            args.extend(positional_args(outer).into_iter().skip(1));
        }
        let by_position = index
            .and_then(|i| args.get(i))
            .is_some_and(|a| self.ours.contains(&a.id()));
        let by_keyword =
            keyword_arg(call, ctx.text, param).is_some_and(|a| self.ours.contains(&a.id()));
        by_position || by_keyword
    }

    /// The annotations name the stream classes, imported from anyio.streams.memory: the
    /// module must not bind those names to something else.
    fn check_stream_names(&mut self) {
        let root = self.ctx.tree.root_node();
        for name in [SEND, RECV] {
            let path = self.ctx.resolver.resolve_name(name, root);
            if self.ctx.resolver.is_bound(name, root)
                && path.is_none_or(|p| p != format!("{STREAM_MODULE}.{name}"))
            {
                self.reason(format!(
                    "the module binds `{name}`, the stream class its annotations would name"
                ));
            }
        }
    }

    // -------------------------------------------------------------- the rewrite

    fn constructor(&mut self, owner: &Owner<'t>, call: Node<'t>, callee: Node<'t>) {
        let ctx = self.ctx;
        let stmt = owner.stmt();
        let target = owner.target();
        let Some(assign) = stmt.named_child(0) else {
            return;
        };
        let targets = match owner {
            Owner::Local { .. } => format!("{}, {}", self.send, self.recv),
            Owner::Class { .. } => {
                let object = target
                    .child_by_field_name("object")
                    .map_or("self", |o| self.text(o));
                format!("{object}.{}, {object}.{}", self.send, self.recv)
            }
        };
        let annotation = assign.child_by_field_name("type");
        if callee.kind() == "subscript" {
            if let Some(value) = callee.child_by_field_name("value") {
                self.edits.push(Edit::replace(
                    value.byte_range(),
                    "anyio.create_memory_object_stream",
                ));
            }
        } else {
            let item = annotation.and_then(|a| item_type(ctx, a));
            let generic = item.map_or(String::new(), |t| format!("[{t}]"));
            self.edits.push(Edit::replace(
                callee.byte_range(),
                format!("anyio.create_memory_object_stream{generic}"),
            ));
        }
        match (annotation, assign.child_by_field_name("right")) {
            (Some(_), Some(right)) => self.edits.push(Edit::replace(
                target.start_byte()..right.start_byte(),
                format!("{targets} = "),
            )),
            _ => self.edits.push(Edit::replace(target.byte_range(), targets)),
        }
        self.size(call);
        if let Owner::Local { func, .. } = owner {
            self.close(*func, stmt);
        }
    }

    /// `maxsize` → `max_buffer_size`: `math.inf` for the unbounded cases (anyio's default 0
    /// is a rendezvous), an int for a positive literal, a guarded expression otherwise.
    fn size(&mut self, call: Node<'t>) {
        let args = call_args(call);
        let Some(list) = call.child_by_field_name("arguments") else {
            return;
        };
        let size = match args.as_slice() {
            [] => {
                self.math = true;
                self.edits
                    .push(Edit::insert(list.start_byte() + 1, "math.inf"));
                return;
            }
            [a] if a.kind() == "keyword_argument" => {
                let key = a.child_by_field_name("name").map(|k| self.text(k));
                let value = a.child_by_field_name("value");
                let (Some("maxsize"), Some(v)) = (key, value) else {
                    self.reason(format!("it is created with `{}`", self.text(*a)));
                    return;
                };
                (*a, v)
            }
            [a] if !matches!(a.kind(), "list_splat" | "dictionary_splat") => (*a, *a),
            _ => {
                self.reason("it is created with arguments other than maxsize".to_owned());
                return;
            }
        };
        let (arg, value) = size;
        let text = self.text(value);
        let replacement = match literal_size(value, text) {
            Some(Literal::Unbounded) => {
                self.math = true;
                "math.inf".to_owned()
            }
            Some(Literal::Count(n)) => n,
            None if is_plain_reference(value) => {
                self.math = true;
                format!("{text} if {text} > 0 else math.inf")
            }
            None => {
                self.math = true;
                format!("max({text}, 0) or math.inf")
            }
        };
        if arg.id() == value.id() && replacement == text {
            return;
        }
        self.lost_comment |= has_comment(arg);
        self.edits
            .push(Edit::replace(arg.byte_range(), replacement));
    }

    /// Close both streams when the owner function no longer uses them: `async with q_send,
    /// q_recv:` from the statement after the creation to the last statement that uses them.
    fn close(&mut self, func: Node<'t>, stmt: Node<'t>) {
        let ctx = self.ctx;
        let Some(block) = stmt.parent().filter(|b| b.kind() == "block") else {
            self.reason("it is not created in a block".to_owned());
            return;
        };
        let mut last: Option<Node> = None;
        for site in self.top_sites.clone() {
            if site.start_byte() < stmt.end_byte() {
                self.reason(format!(
                    "`{}` is used before it is created (in a loop?)",
                    self.text(site)
                ));
                continue;
            }
            if !inside(block, site) {
                self.reason(format!(
                    "`{}` is used outside the block that creates it",
                    self.text(site)
                ));
                continue;
            }
            if let Some(s) = block::statement_of_block(block, site)
                && last.is_none_or(|l| s.start_byte() > l.start_byte())
            {
                last = Some(s);
            }
        }
        let Some(last) = last else {
            if self.reasons.is_empty() {
                self.reason("the queue is never used after it is created".to_owned());
            }
            return;
        };
        let end_row = stmt.end_position().row;
        let first = named_children(block)
            .find(|s| s.start_byte() >= stmt.end_byte() && s.start_position().row > end_row);
        let Some(first) = first.filter(|f| f.start_byte() <= last.start_byte()) else {
            self.reason("it is used on the line that creates it".to_owned());
            return;
        };
        let header = if is_async_def(func) {
            format!("async with {}, {}:", self.send, self.recv)
        } else {
            format!("with {}, {}:", self.send, self.recv)
        };
        match block::wrap(ctx, first, last, &header) {
            Ok(edits) => self.edits.extend(edits),
            Err(why) => self.reason(why.to_owned()),
        }
    }

    /// `except asyncio.QueueEmpty/QueueFull` around a nowait call → `except anyio.WouldBlock`.
    /// When the same `try` also guards nowait calls of something else (another asyncio
    /// queue), both stay caught: `except (asyncio.QueueEmpty, anyio.WouldBlock)`.
    fn handlers(&mut self) {
        let ctx = self.ctx;
        let mut done = HashSet::new();
        for (site, func) in self.raise_sites.clone() {
            let mut child = site;
            while let Some(parent) = child.parent() {
                if parent.id() == func.id()
                    || matches!(parent.kind(), "function_definition" | "lambda")
                {
                    break;
                }
                if parent.kind() == "try_statement"
                    && field_is(parent, "body", child)
                    && done.insert(parent.id())
                {
                    let others = nowait_calls(ctx, child)
                        .iter()
                        .any(|c| !self.nowait_ops.contains(&c.id()));
                    for clause in named_children(parent).filter(|c| c.kind() == "except_clause") {
                        self.handler(clause, others);
                    }
                }
                child = parent;
            }
        }
    }

    fn handler(&mut self, clause: Node<'t>, others: bool) {
        let ctx = self.ctx;
        let Some(mut value) = clause.child_by_field_name("value") else {
            return;
        };
        if value.kind() == "as_pattern"
            && let Some(inner) = value.named_child(0)
        {
            value = inner;
        }
        let is_queue_exc =
            |n: Node| ctx.is(n, "asyncio.QueueEmpty") || ctx.is(n, "asyncio.QueueFull");
        let is_would_block = |n: Node| {
            ctx.is(n, "anyio.WouldBlock")
                || (ctx.text_of(n) == "anyio.WouldBlock" && !ctx.resolver.is_bound("anyio", n))
        };
        if value.kind() != "tuple" {
            if !is_queue_exc(value) {
                return;
            }
            let text = if others {
                format!("({}, {WB})", self.text(value))
            } else {
                WB.to_owned()
            };
            self.edits.push(Edit::replace(value.byte_range(), text));
            return;
        }
        let elements: Vec<Node> = named_children(value)
            .filter(|n| n.kind() != "comment")
            .collect();
        let queue: Vec<bool> = elements.iter().map(|e| is_queue_exc(*e)).collect();
        if !queue.contains(&true) {
            return;
        }
        let has_wb = elements.iter().any(|e| is_would_block(*e));
        if others {
            if !has_wb && let Some(last) = elements.last() {
                self.edits
                    .push(Edit::insert(last.end_byte(), format!(", {WB}")));
            }
            return;
        }
        let all = elements
            .iter()
            .zip(&queue)
            .all(|(e, q)| *q || is_would_block(*e));
        if all && !has_comment(value) {
            self.edits.push(Edit::replace(value.byte_range(), WB));
            return;
        }
        // Keep the first queue exception as WouldBlock (unless it is there), drop the rest.
        let mut keep: Vec<bool> = vec![true; elements.len()];
        let mut replaced = has_wb;
        for (i, q) in queue.iter().enumerate() {
            if !q {
                continue;
            }
            if replaced {
                keep[i] = false;
            } else {
                replaced = true;
                self.edits.push(Edit::replace(elements[i].byte_range(), WB));
            }
        }
        let mut i = 0;
        while i < elements.len() {
            if keep[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i < elements.len() && !keep[i] {
                i += 1;
            }
            let range = if start > 0 {
                elements[start - 1].end_byte()..elements[i - 1].end_byte()
            } else if let Some(next) = elements.get(i) {
                elements[0].start_byte()..next.start_byte()
            } else {
                continue;
            };
            if ctx.text[range.clone()].contains('#') {
                // A comment sits where we would delete: keep the duplicate instead.
                for e in &elements[start..i] {
                    self.edits.push(Edit::replace(e.byte_range(), WB));
                }
            } else {
                self.edits.push(Edit::delete(range));
            }
        }
    }

    fn finish(mut self, owner: &Owner<'t>, call: Node<'t>) -> Fix {
        let mut imports = Vec::new();
        if self.math {
            imports.push(Import::Math);
        }
        if self.annotations
            && let Some(edit) = stream_import(self.ctx)
        {
            self.edits.push(edit);
        }
        let streams = format!("`{}`/`{}`", self.send, self.recv);
        let mut note = format!(
            "split into memory object streams {streams}: send()/receive() always checkpoint (other tasks run in between; each is a cancellation point)"
        );
        if owner.is_local() {
            note.push_str("; both streams are closed at the end of the new `with` block");
        } else {
            note.push_str(
                "; the object owns the streams and nothing closes them: close both when it is done, or they emit ResourceWarning when garbage-collected; assumes no other module uses the attribute",
            );
        }
        if self.uses.stats {
            note.push_str(
                "; qsize()/empty()/full() do not count an item handed straight to a waiting receiver, and maxsize is inf where asyncio said 0",
            );
        }
        if !self.callees.is_empty() {
            let names: Vec<String> = self.callees.iter().map(|c| format!("`{c}()`")).collect();
            let verb = if names.len() == 1 { "gets" } else { "get" };
            let _ = write!(
                note,
                "; {} now {verb} one stream instead of the queue",
                names.join(", ")
            );
        }
        if self.lost_comment {
            note.push_str("; a comment inside a rewritten call was dropped");
        }
        Fix::new(ID, call.start_byte(), Verdict::Unsafe, self.edits)
            .with_imports(&imports)
            .note(note)
    }
}

fn refuse(ctx: &Ctx, call: Node, reasons: &[String], hint: Hint) -> Outcome {
    let what = enclosing_assignment_target(ctx, call).map_or_else(
        || "this asyncio.Queue".to_owned(),
        |t| format!("asyncio.Queue `{t}`"),
    );
    let suggestion = match hint {
        Hint::Escape => ESCAPE_HINT,
        Hint::Join => JOIN_HINT,
        Hint::Shutdown => SHUTDOWN_HINT,
    };
    Finding::manual(
        ID,
        call.start_byte(),
        format!(
            "{what} cannot be split into two memory object streams: {}",
            reasons.join("; ")
        ),
        suggestion,
    )
    .into()
}

fn enclosing_assignment_target<'a>(ctx: &'a Ctx, call: Node) -> Option<&'a str> {
    let mut cur = call;
    while let Some(p) = cur
        .parent()
        .filter(|p| p.kind() == "parenthesized_expression")
    {
        cur = p;
    }
    let assign = cur.parent().filter(|a| a.kind() == "assignment")?;
    Some(ctx.text_of(assign.child_by_field_name("left")?))
}

// ------------------------------------------------------------------ helpers

/// `q` → (`q_send`, `q_recv`), with the same numeric suffix when either is taken anywhere.
fn fresh_pair(text: &str, base: &str) -> (String, String) {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let used = |name: &str| {
        text.match_indices(name).any(|(i, _)| {
            !text[..i].chars().next_back().is_some_and(is_ident)
                && !text[i + name.len()..].chars().next().is_some_and(is_ident)
        })
    };
    let mut n = 1;
    loop {
        let suffix = if n == 1 { String::new() } else { n.to_string() };
        let send = format!("{base}_send{suffix}");
        let recv = format!("{base}_recv{suffix}");
        if !used(&send) && !used(&recv) {
            return (send, recv);
        }
        n += 1;
    }
}

/// Why the bare queue in `parent` escapes.
fn escape_reason(ctx: &Ctx, expr: Node, parent: Node) -> String {
    let what = ctx.text_of(expr);
    match parent.kind() {
        "return_statement" => format!("`{what}` is returned"),
        "yield" => format!("`{what}` is yielded"),
        "list" | "tuple" | "set" | "dictionary" | "pair" | "expression_list" => {
            format!("`{what}` is stored in a container")
        }
        "assignment" => match parent.child_by_field_name("left") {
            Some(l) if l.kind() == "attribute" || l.kind() == "subscript" => format!(
                "`{what}` is stored as `{}`, where other code can reach it",
                ctx.text_of(l)
            ),
            Some(l) => format!("`{what}` is copied to `{}`", ctx.text_of(l)),
            None => format!("`{what}` is used as a value"),
        },
        "lambda" => format!("`{what}` is used in a lambda"),
        "global_statement" | "nonlocal_statement" => {
            format!(
                "`{what}` is declared {}",
                ctx.text_of(parent.child(0).unwrap_or(parent))
            )
        }
        _ => format!(
            "`{what}` is used as a value (`{}`)",
            one_line(ctx.text_of(parent))
        ),
    }
}

fn one_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or(s);
    if line.len() < s.len() {
        format!("{line} ...")
    } else {
        line.to_owned()
    }
}

/// A nested function (or the function itself) declares `nonlocal name`: the resolver does
/// not follow `nonlocal`, so such code is not analyzed.
fn has_nonlocal(ctx: &Ctx, func: Node, name: &str) -> bool {
    let mut stack = vec![func];
    while let Some(n) = stack.pop() {
        if n.kind() == "nonlocal_statement" && named_children(n).any(|c| ctx.text_of(c) == name) {
            return true;
        }
        stack.extend(named_children(n));
    }
    false
}

/// The class and every class of the module related to it by inheritance: `(class, true)` for
/// the class and its subclasses (they share `self._q`), `(class, false)` for the others.
fn class_family<'t>(ctx: &Ctx<'t>, class: Node<'t>) -> Vec<(Node<'t>, bool)> {
    let mut all = Vec::new();
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        if n.kind() == "class_definition" {
            all.push(n);
        }
        stack.extend(named_children(n));
    }
    let name_of = |c: Node| {
        c.child_by_field_name("name")
            .map_or("", |n| ctx.text_of(n))
            .to_owned()
    };
    let bases = |c: Node| -> Vec<String> {
        c.child_by_field_name("superclasses")
            .map(|s| {
                named_children(s)
                    .map(|b| ctx.text_of(b).to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut related = vec![name_of(class)];
    loop {
        let before = related.len();
        for c in &all {
            let n = name_of(*c);
            if !related.contains(&n) && bases(*c).iter().any(|b| related.contains(b)) {
                related.push(n);
            }
        }
        if related.len() == before {
            break;
        }
    }
    all.into_iter()
        .map(|c| {
            let r = c.id() == class.id() || related[1..].contains(&name_of(c));
            (c, r)
        })
        .collect()
}

fn methods_of(class: Node) -> Vec<Node> {
    let Some(body) = class.child_by_field_name("body") else {
        return Vec::new();
    };
    named_children(body)
        .filter_map(|s| match s.kind() {
            "function_definition" => Some(s),
            "decorated_definition" => s
                .child_by_field_name("definition")
                .filter(|d| d.kind() == "function_definition"),
            _ => None,
        })
        .collect()
}

fn first_param_ident(func: Node) -> Option<Node> {
    let params = func.child_by_field_name("parameters")?;
    let first = named_children(params).find(|p| p.kind() != "comment")?;
    match first.kind() {
        "identifier" => Some(first),
        "typed_parameter" => named_children(first).find(|c| c.kind() == "identifier"),
        _ => None,
    }
}

/// `node` is the `self` parameter of the method it is used in.
fn self_param_of(ctx: &Ctx, node: Node) -> bool {
    if node.kind() != "identifier" {
        return false;
    }
    let mut cur = enclosing_function(node);
    while let Some(f) = cur {
        if method_of(f).is_some() {
            return self_param(ctx, f).as_deref() == Some(ctx.text_of(node))
                && ctx.resolver.defining_scope(ctx.text_of(node), node) == Some(f.id());
        }
        cur = enclosing_function(f);
    }
    false
}

/// Names bound by relative imports (`from ._job import Job`, `from . import util`).
fn relative_imports(ctx: &Ctx) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        if n.kind() == "import_from_statement" {
            let relative = n
                .child_by_field_name("module_name")
                .is_some_and(|m| m.kind() == "relative_import");
            if relative {
                let mut cursor = n.walk();
                for child in n.children_by_field_name("name", &mut cursor) {
                    let alias = match child.kind() {
                        "aliased_import" => child.child_by_field_name("alias"),
                        _ => Some(child),
                    };
                    if let Some(a) = alias {
                        names.push(ctx.text_of(a).to_owned());
                    }
                }
            }
            continue;
        }
        stack.extend(named_children(n));
    }
    names
}

/// `self` passed to a call of something imported from a sibling module: that code may reach
/// the instance's private attributes, and this tool cannot see it.
fn passed_to_sibling(ctx: &Ctx, r: Node, siblings: &[String]) -> Option<String> {
    let mut arg = r;
    if let Some(kw) = arg.parent().filter(|p| p.kind() == "keyword_argument") {
        arg = kw;
    }
    let call = arg
        .parent()
        .filter(|a| a.kind() == "argument_list")?
        .parent()
        .filter(|c| c.kind() == "call")?;
    let callee = call.child_by_field_name("function")?;
    let mut head = callee;
    while head.kind() == "attribute" {
        head = head.child_by_field_name("object")?;
    }
    let name = ctx.text_of(head);
    (head.kind() == "identifier"
        && siblings.iter().any(|s| s == name)
        && ctx.resolver.refers_to_module_scope(name, head))
    .then(|| ctx.text_of(callee).to_owned())
}

/// Which parameter receives the queue.
enum Param {
    Pos(usize),
    Kw(String),
}

/// The `def` a called name refers to in this module, or why it cannot be followed.
fn function_def<'t>(ctx: &Ctx<'t>, target: Node<'t>) -> Result<Node<'t>, String> {
    let text = ctx.text_of(target);
    if target.kind() != "identifier" {
        return Err(format!(
            "it is passed to `{text}()`, which is not a function defined in this module"
        ));
    }
    let stores: Vec<Node> = ctx
        .resolver
        .references(ctx.tree, text, target)
        .into_iter()
        .filter(|r| is_binding_site(*r))
        .collect();
    let [store] = stores.as_slice() else {
        return Err(format!(
            "it is passed to `{text}()`, which is not a function defined (once) in this module"
        ));
    };
    let Some(def) = store
        .parent()
        .filter(|d| d.kind() == "function_definition" && field_is(*d, "name", *store))
    else {
        let imported = store.parent().is_some_and(|p| {
            matches!(
                p.kind(),
                "dotted_name" | "aliased_import" | "import_from_statement" | "import_statement"
            )
        });
        let class = store
            .parent()
            .is_some_and(|p| p.kind() == "class_definition");
        let what = if imported {
            "which is imported: code this tool cannot see"
        } else if class {
            "a class, whose instances may keep it"
        } else {
            "which is not a function defined in this module"
        };
        return Err(format!("it is passed to `{text}()`, {what}"));
    };
    if def
        .parent()
        .is_some_and(|p| p.kind() == "decorated_definition")
    {
        return Err(format!(
            "it is passed to `{text}()`, which is decorated (the decorator may keep it)"
        ));
    }
    Ok(def)
}

/// The named parameters of `def`, each with its position while parameters are positional (none
/// after `*`, `*args` or `**kwargs`, which bind no name here).
fn parameters(def: Node<'_>) -> Vec<(Option<usize>, Node<'_>)> {
    let Some(params) = def.child_by_field_name("parameters") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut position = Some(0);
    for p in named_children(params) {
        let ident = match p.kind() {
            "identifier" => Some(p),
            "default_parameter" | "typed_default_parameter" => p.child_by_field_name("name"),
            // `def f(q: Queue)` binds `q`; `*args: T` has no identifier child.
            "typed_parameter" => named_children(p).find(|c| c.kind() == "identifier"),
            "positional_separator" | "comment" => continue,
            _ => None,
        };
        match ident {
            Some(ident) => {
                out.push((position, ident));
                position = position.map(|n| n + 1);
            }
            None => position = None,
        }
    }
    out
}

/// The parameter (name and identifier node) of `def` that receives `param`.
fn parameter<'t>(ctx: &Ctx<'t>, def: Node<'t>, param: &Param) -> Option<(String, Node<'t>)> {
    parameters(def)
        .into_iter()
        .find(|(position, ident)| match param {
            Param::Pos(i) => *position == Some(*i),
            Param::Kw(k) => ctx.text_of(*ident) == k,
        })
        .map(|(_, ident)| (ctx.text_of(ident).to_owned(), ident))
}

/// The position of the parameter `name` of `def`, when it can be passed positionally.
fn parameter_index(ctx: &Ctx, def: Node, name: &str) -> Option<usize> {
    parameters(def)
        .into_iter()
        .find(|(_, ident)| ctx.text_of(*ident) == name)
        .and_then(|(position, _)| position)
}

/// The call in which the queue expression `expr` is an argument (directly or by keyword).
fn call_site(expr: Node) -> Node {
    let mut cur = expr;
    while let Some(p) = cur.parent() {
        if p.kind() == "call" {
            return p;
        }
        cur = p;
    }
    expr
}

/// `functools.partial(f, *bound)`: (`f`, number of bound positional arguments).
fn partial_parts<'t>(ctx: &Ctx, call: Node<'t>) -> Option<(Node<'t>, usize)> {
    if call.kind() != "call" {
        return None;
    }
    let callee = call.child_by_field_name("function")?;
    let spelled = ctx.text_of(callee) == "functools.partial"
        && callee
            .child_by_field_name("object")
            .is_some_and(|o| !ctx.resolver.is_bound("functools", o));
    if !(ctx.is(callee, "functools.partial") || spelled) {
        return None;
    }
    let args = positional_args(call);
    let target = *args.first()?;
    Some((target, args.len() - 1))
}

/// `tg.start_soon(...)` / `tg.start(...)` on a task group opened by `async with`: that with.
fn start_soon_group<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> Option<Node<'t>> {
    let callee = call.child_by_field_name("function")?;
    let method = callee.child_by_field_name("attribute")?;
    if callee.kind() != "attribute" || !matches!(ctx.text_of(method), "start_soon" | "start") {
        return None;
    }
    group_of(ctx, callee.child_by_field_name("object")?)
}

/// `tg.create_task(...)` on a task group (asyncio's or anyio's) opened by `async with`.
fn create_task_group<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> Option<Node<'t>> {
    let callee = call.child_by_field_name("function")?;
    let method = callee.child_by_field_name("attribute")?;
    if callee.kind() != "attribute" || ctx.text_of(method) != "create_task" {
        return None;
    }
    group_of(ctx, callee.child_by_field_name("object")?)
}

/// The `async with <task group>() as tg:` statement that binds the name `tg`, when that is
/// its only binding.
fn group_of<'t>(ctx: &Ctx<'t>, object: Node<'t>) -> Option<Node<'t>> {
    if object.kind() != "identifier" {
        return None;
    }
    let name = ctx.text_of(object);
    let stores: Vec<Node> = ctx
        .resolver
        .references(ctx.tree, name, object)
        .into_iter()
        .filter(|r| is_binding_site(*r))
        .collect();
    let [store] = stores.as_slice() else {
        return None;
    };
    let target = store.parent().filter(|p| p.kind() == "as_pattern_target")?;
    let pattern = target.parent().filter(|p| p.kind() == "as_pattern")?;
    let group = pattern.named_child(0)?;
    let with = with_of_item_call(group)?;
    let callee = group.child_by_field_name("function")?;
    let is_group = ctx.is(callee, "asyncio.TaskGroup") || is_anyio_group_callee(ctx, callee);
    (is_async_with(with) && is_group && inside(with, object)).then_some(with)
}

/// `asyncio.gather`, `anyio.gather` or the gather codemod's module helpers.
fn is_gather(ctx: &Ctx, callee: Node) -> bool {
    if ctx.is(callee, "asyncio.gather") || ctx.is(callee, "anyio.gather") {
        return true;
    }
    let text = ctx.text_of(callee);
    if text == "anyio.gather" {
        return callee
            .child_by_field_name("object")
            .is_some_and(|o| !ctx.resolver.is_bound("anyio", o));
    }
    callee.kind() == "identifier"
        && matches!(text, "_gather" | "_gather_return_exceptions")
        && function_def(ctx, callee).is_ok_and(|d| d.parent().is_some_and(|p| p.kind() == "module"))
}

/// `yield` in the function's own body (not in nested functions).
fn has_own_yield(func: Node) -> bool {
    let Some(body) = func.child_by_field_name("body") else {
        return false;
    };
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "function_definition" | "lambda" | "class_definition" => {}
            "yield" => return true,
            _ => stack.extend(named_children(n)),
        }
    }
    false
}

/// The `get_nowait()`/`put_nowait()` calls inside `node`.
fn nowait_calls<'t>(ctx: &Ctx, node: Node<'t>) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind() == "call"
            && let Some(f) = n.child_by_field_name("function")
            && f.kind() == "attribute"
            && f.child_by_field_name("attribute")
                .is_some_and(|a| matches!(ctx.text_of(a), "get_nowait" | "put_nowait"))
        {
            out.push(n);
        }
        stack.extend(named_children(n));
    }
    out
}

/// A comparison replacing a call needs parentheses unless the context binds looser.
fn needs_parens(node: Node) -> bool {
    let Some(parent) = node.parent() else {
        return false;
    };
    !matches!(
        parent.kind(),
        "if_statement"
            | "elif_clause"
            | "while_statement"
            | "not_operator"
            | "boolean_operator"
            | "expression_statement"
            | "assignment"
            | "return_statement"
            | "argument_list"
            | "keyword_argument"
            | "parenthesized_expression"
            | "assert_statement"
            | "conditional_expression"
            | "list"
            | "tuple"
            | "set"
            | "expression_list"
            | "interpolation"
    )
}

enum Literal {
    Unbounded,
    Count(String),
}

/// A literal `maxsize`: `0`, negative or a non-positive float → unbounded; a positive int as
/// written; a positive float rounded up (asyncio's `full()` compares `qsize() >= maxsize`).
fn literal_size(value: Node, text: &str) -> Option<Literal> {
    match value.kind() {
        "integer" => {
            let clean = text.replace('_', "").to_lowercase();
            let parsed = if let Some(h) = clean.strip_prefix("0x") {
                u128::from_str_radix(h, 16).ok()
            } else if let Some(o) = clean.strip_prefix("0o") {
                u128::from_str_radix(o, 8).ok()
            } else if let Some(b) = clean.strip_prefix("0b") {
                u128::from_str_radix(b, 2).ok()
            } else {
                clean.parse::<u128>().ok()
            };
            match parsed {
                Some(0) => Some(Literal::Unbounded),
                Some(_) => Some(Literal::Count(text.to_owned())),
                None => None,
            }
        }
        "float" => {
            let v: f64 = text.replace('_', "").parse().ok()?;
            if v <= 0.0 {
                Some(Literal::Unbounded)
            } else if v.is_finite() && v < 1e15 {
                #[allow(clippy::cast_possible_truncation, reason = "bounded above: v < 1e15")]
                let n = v.ceil() as i64;
                Some(Literal::Count(n.to_string()))
            } else {
                None
            }
        }
        "unary_operator" => {
            let operand = value.child_by_field_name("argument")?;
            let op = text.trim_start().chars().next()?;
            if op == '-' && matches!(operand.kind(), "integer" | "float") {
                Some(Literal::Unbounded)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A name or attribute chain (`n`, `self.limit`): cheap and stable to evaluate twice.
fn is_plain_reference(node: Node) -> bool {
    match node.kind() {
        "identifier" => true,
        "attribute" => node
            .child_by_field_name("object")
            .is_some_and(is_plain_reference),
        _ => false,
    }
}

/// `T` from an annotation `asyncio.Queue[T]` (also as a string).
fn item_type<'t>(ctx: &Ctx<'t>, annotation: Node<'t>) -> Option<&'t str> {
    let inner = annotation.named_child(0)?;
    match inner.kind() {
        "subscript" => {
            let value = inner.child_by_field_name("value")?;
            (kind_of(ctx, value) == Some(Kind::Queue))
                .then(|| inner.child_by_field_name("subscript"))
                .flatten()
                .map(|s| &ctx.text[s.byte_range()])
                .filter(|_| {
                    named_children(inner)
                        .filter(|c| c.kind() != "comment")
                        .count()
                        == 2
                })
        }
        "string" => {
            let content = named_children(inner).find(|c| c.kind() == "string_content")?;
            let text = ctx.text_of(content).trim();
            let open = text.find('[')?;
            let head = &text[..open];
            let root = head.split('.').next().unwrap_or(head);
            let path = ctx.resolver.resolve_name(root, inner)?;
            let full = format!("{path}{}", &head[root.len()..]);
            let start = content.start_byte()
                + (ctx.text_of(content).len() - ctx.text_of(content).trim_start().len());
            (text.ends_with(']') && (full == "asyncio.Queue" || full == "asyncio.queues.Queue"))
                .then(|| &ctx.text[start + open + 1..start + text.len() - 1])
        }
        _ => None,
    }
}

/// `from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream` after
/// the leading imports, once (a shared edit); `None` when the module already imports them.
fn stream_import(ctx: &Ctx) -> Option<Edit> {
    let root = ctx.tree.root_node();
    let imported = [SEND, RECV].iter().all(|name| {
        ctx.resolver
            .resolve_name(name, root)
            .is_some_and(|p| p == format!("{STREAM_MODULE}.{name}"))
    });
    if imported {
        return None;
    }
    let line = format!("from {STREAM_MODULE} import {RECV}, {SEND}\n");
    let at = crate::imports::insertion_point(root, ctx.text);
    let text = if at == ctx.text.len() && !ctx.text.ends_with('\n') {
        format!("\n{}", line.trim_end())
    } else {
        line
    };
    Some(Edit::shared_insert(at, text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{new_parser, parse};

    /// The size `asyncio.Queue(<text>)` becomes (`None`: not a literal).
    fn size_of(text: &str) -> Option<String> {
        let src = format!("{text}\n");
        let tree = parse(&mut new_parser().unwrap(), &src).unwrap();
        let value = tree
            .root_node()
            .named_child(0)
            .unwrap()
            .named_child(0)
            .unwrap();
        literal_size(value, &src[value.byte_range()]).map(|l| match l {
            Literal::Unbounded => "math.inf".to_owned(),
            Literal::Count(n) => n,
        })
    }

    #[test]
    fn literal_sizes_follow_asyncio() {
        assert_eq!(size_of("0").as_deref(), Some("math.inf"));
        assert_eq!(size_of("0x0").as_deref(), Some("math.inf"));
        assert_eq!(size_of("-1").as_deref(), Some("math.inf"));
        assert_eq!(size_of("-0.5").as_deref(), Some("math.inf"));
        assert_eq!(size_of("5").as_deref(), Some("5"));
        assert_eq!(size_of("1_000").as_deref(), Some("1_000"));
        // asyncio is full at qsize() >= maxsize: 2.5 holds 3 items.
        assert_eq!(size_of("2.5").as_deref(), Some("3"));
        assert_eq!(size_of("5.0").as_deref(), Some("5"));
        assert_eq!(size_of("n"), None);
    }

    #[test]
    fn fresh_pairs_share_a_suffix() {
        assert_eq!(
            fresh_pair("q = 1\n", "q"),
            ("q_send".to_owned(), "q_recv".to_owned())
        );
        assert_eq!(
            fresh_pair("q_recv = 1\n", "q"),
            ("q_send2".to_owned(), "q_recv2".to_owned())
        );
        assert_eq!(
            fresh_pair("self._q_send = 1\n", "_q"),
            ("_q_send2".to_owned(), "_q_recv2".to_owned())
        );
    }
}
