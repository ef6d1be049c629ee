//! Finding the uses: every expression that evaluates to the queue, in the owner and in the
//! functions of this module it is passed to, classified by the side of the stream it needs.

use super::helpers::{
    Param, call_site, class_family, escape_reason, first_param_ident, function_def, has_nonlocal,
    methods_of, needs_parens, parameter, partial_parts, passed_to_sibling, relative_imports,
    self_param_of, start_soon_group,
};
use super::owner::self_param;
use super::{Followed, Hint, Kind, Naming, RECV, SEND, Scope, Side, Split, Uses, kind_of};
use crate::analysis::bindings::is_binding_site;
use crate::analysis::syntax::field_is;
use crate::codemods::{call_args, enclosing_function, has_comment, positional_args};
use crate::edit::Edit;
use crate::resolve::named_children;
use tree_sitter::Node;

impl<'t> Split<'_, 't> {
    // -------------------------------------------------------------- finding the uses

    pub(super) fn local_uses(&mut self, func: Node<'t>, target: Node<'t>, name: &str) {
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
            if is_binding_site(ctx.resolver, r) {
                self.reason(format!("`{name}` is assigned more than once"));
                continue;
            }
            let uses = self.visit(scope, r);
            self.uses.add(uses);
        }
    }

    pub(super) fn class_uses(&mut self, class: Node<'t>, target: Node<'t>, attr: &str) {
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
                    let parent = ctx.parent(n);
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
    pub(super) fn class_body_names(&mut self, class: Node<'t>, attr: &str) {
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
            if !crate::codemods::on_own_line(self.ctx.text, stmt) {
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
    pub(super) fn visit(&mut self, scope: Scope<'t>, expr: Node<'t>) -> Uses {
        self.ours.insert(expr.id());
        let Some(top) = self.nesting(scope, expr) else {
            return Uses::default();
        };
        if top {
            self.top_sites.push(expr);
        }
        let Some(parent) = self.ctx.parent(expr) else {
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
                match self.ctx.parent(parent) {
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
    pub(super) fn nesting(&mut self, scope: Scope<'t>, node: Node<'t>) -> Option<bool> {
        let mut innermost = true;
        let mut direct = true;
        let mut cur = self.ctx.parent(node);
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
                    let consumed = self.ctx.parent(n).is_some_and(|p| {
                        p.kind() == "list_splat"
                            && self
                                .ctx
                                .parent(p)
                                .is_some_and(|a| a.kind() == "argument_list")
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
            cur = self.ctx.parent(n);
        }
        Some(direct && scope.naming == Naming::Owner && self.local)
    }

    /// `q.put(x)`, `q.get_nowait()`, `q.qsize()`, `q.maxsize`, ...
    pub(super) fn method(&mut self, scope: Scope<'t>, expr: Node<'t>, attr_node: Node<'t>) -> Uses {
        let mut uses = Uses::default();
        let Some(name_node) = attr_node.child_by_field_name("attribute") else {
            return uses;
        };
        let name = self.text(name_node);
        let what = self.text(expr);
        let call = self
            .ctx
            .parent(attr_node)
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
            let container = enclosing_function(self.ctx.resolver, call).unwrap_or(scope.func);
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
    pub(super) fn statistics(
        &mut self,
        scope: Scope<'t>,
        expr: Node<'t>,
        call: Node<'t>,
        name: &str,
    ) {
        if !call_args(call).is_empty() {
            self.reason(format!("`{}` is called with arguments", self.text(call)));
            return;
        }
        self.lost_comment |= has_comment(call);
        let s = self.stream_text(scope, expr, Side::Send);
        let used = format!("{s}.statistics().current_buffer_used");
        // `not q.empty()` reads better as a comparison than as `not ... == 0`.
        let negated = self
            .ctx
            .parent(call)
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
        let text = if comparison && needs_parens(self.ctx, node) {
            format!("({text})")
        } else {
            text
        };
        self.edits.push(Edit::replace(node.byte_range(), text));
    }

    /// The text of the stream for `side` where `expr` spells the queue.
    pub(super) fn stream_text(&self, scope: Scope<'t>, expr: Node<'t>, side: Side) -> String {
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
    pub(super) fn rename(&mut self, scope: Scope<'t>, expr: Node<'t>, side: Side) {
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
    pub(super) fn passed(
        &mut self,
        scope: Scope<'t>,
        expr: Node<'t>,
        args: Node<'t>,
        key: Option<String>,
    ) -> Uses {
        let ctx = self.ctx;
        let Some(call) = ctx.parent(args).filter(|c| c.kind() == "call") else {
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
            let container = enclosing_function(ctx.resolver, call).unwrap_or(scope.func);
            let start = self.group_start(container, group);
            return self.follow(scope, expr, target, &Param::Pos(index - 1 + shift), start);
        }
        if let Some(outer) = ctx.parent(call).and_then(|a| ctx.parent(a))
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
            let container = enclosing_function(ctx.resolver, outer).unwrap_or(scope.func);
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
        let container = enclosing_function(ctx.resolver, call).unwrap_or(scope.func);
        let start = self.call_start(container, call);
        self.follow(scope, expr, callee, &param, start)
    }

    /// Follow the queue into `target`'s parameter; rename the argument to the side it uses.
    pub(super) fn follow(
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
            self.raise_sites.push((call_site(ctx, expr), scope.func));
        }
        self.rename(scope, expr, side);
        let mut mine = uses;
        // The caller now holds one end only.
        mine.send = side == Side::Send;
        mine.recv = side == Side::Recv;
        mine
    }

    /// Analyze a followed function's parameter and retype its annotation.
    pub(super) fn follow_body(
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
            if is_binding_site(ctx.resolver, r) {
                self.reason(format!(
                    "`{name}()` assigns its parameter `{param_name}` again"
                ));
                continue;
            }
            uses.add(self.visit(scope, r));
        }
        let side = if uses.recv && !uses.send { RECV } else { SEND };
        if let Some(annotation) = ctx
            .parent(param_node)
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
    pub(super) fn annotation_text(&self, annotation: Node<'t>, class: &str) -> String {
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
}
