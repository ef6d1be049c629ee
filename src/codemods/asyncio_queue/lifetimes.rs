//! Lifetimes (local mode): every coroutine that uses the queue must end while the owner
//! function still holds the streams open.

use super::helpers::{
    create_task_group, function_def, has_own_yield, is_gather, parameter_index, partial_parts,
    start_soon_group,
};
use super::{Naming, RECV, SEND, STREAM_MODULE, Scope, Split};
use crate::analysis::bindings::is_binding_site;
use crate::analysis::syntax::{field_is, inside};
use crate::codemods::{enclosing_function, is_async_def, keyword_arg, positional_args};
use crate::resolve::named_children;
use tree_sitter::Node;

impl<'t> Split<'_, 't> {
    // -------------------------------------------------------------- lifetimes (local mode)

    /// How the coroutine `call` runs; records a finding when it may outlive the streams.
    pub(super) fn started(&mut self, container: Node<'t>, call: Node<'t>) -> bool {
        let ctx = self.ctx;
        let mut cur = call;
        loop {
            while let Some(p) = ctx
                .parent(cur)
                .filter(|p| p.kind() == "parenthesized_expression")
            {
                cur = p;
            }
            let Some(parent) = ctx.parent(cur) else {
                break;
            };
            match parent.kind() {
                "await" => return true,
                "list_comprehension" | "generator_expression"
                    if field_is(parent, "body", cur)
                        && ctx.parent(parent).is_some_and(|s| s.kind() == "list_splat") =>
                {
                    cur = ctx.parent(parent).unwrap_or(parent);
                }
                "list_splat" => cur = parent,
                "argument_list" => {
                    let Some(outer) = ctx.parent(parent).filter(|c| c.kind() == "call") else {
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
                        self.pending = true;
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
    pub(super) fn call_start(&mut self, container: Node<'t>, call: Node<'t>) -> bool {
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
    pub(super) fn group_start(&mut self, container: Node<'t>, group: Node<'t>) -> bool {
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
    pub(super) fn check_users(&mut self) {
        let ctx = self.ctx;
        let mut i = 0;
        while i < self.users.len() {
            let (def, scope_func) = self.users[i];
            i += 1;
            let Some(name_node) = def.child_by_field_name("name") else {
                continue;
            };
            let name = self.text(name_node);
            if ctx
                .parent(def)
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
                if is_binding_site(ctx.resolver, r) {
                    self.reason(format!("`{name}` is assigned more than once"));
                    continue;
                }
                let container = enclosing_function(ctx.resolver, r).unwrap_or(scope_func);
                let site = match ctx.parent(r) {
                    Some(c) if c.kind() == "call" && field_is(c, "function", r) => {
                        (!async_def || self.started(container, c)).then_some(c)
                    }
                    _ => {
                        let args = ctx.parent(r).filter(|a| a.kind() == "argument_list");
                        let call = args.and_then(|a| ctx.parent(a));
                        let first = call.is_some_and(|c| {
                            positional_args(c).first().is_some_and(|f| f.id() == r.id())
                        });
                        let group = call.filter(|_| first).and_then(|c| {
                            start_soon_group(ctx, c).or_else(|| {
                                let outer = ctx.parent(ctx.parent(c)?)?;
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
    pub(super) fn check_followed(&mut self) {
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
    pub(super) fn passes_ours(&self, def: Node<'t>, r: Node<'t>, param: &str) -> bool {
        let ctx = self.ctx;
        let (call, offset) = match ctx.parent(r) {
            Some(c) if c.kind() == "call" && field_is(c, "function", r) => (c, 0),
            Some(a) if a.kind() == "argument_list" => {
                let Some(c) = ctx.parent(a).filter(|c| c.kind() == "call") else {
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
            && let Some(outer) = ctx.parent(call).and_then(|a| ctx.parent(a))
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
    pub(super) fn check_stream_names(&mut self) {
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
}
