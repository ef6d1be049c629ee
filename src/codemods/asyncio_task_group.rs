//! asyncio-task-group: `asyncio.TaskGroup()` → `anyio.create_task_group()`, with the Task methods
//! used on the task handles mapped to anyio's `TaskHandle` (spec §2).

use super::shared::tasks::start_soon_line;
use super::shared::tasks::{
    Escape, HandleUse, classify, has_own_yield, is_anyio_group_callee, mentions_asyncio,
};
use super::{Captures, Ctx, call_args, has_comment, shared};
use crate::analysis::awaitable::{Awaitable, of_call};
use crate::analysis::bindings::is_binding_site;
use crate::analysis::exceptions::under_except;
use crate::analysis::syntax::{field_is, inside, is_async_with, item_pattern, with_of_item_call};
use crate::codemods::shared::catalogue::messages;
use crate::edit::{Edit, Finding, Fix, Import, Outcome, Verdict};
use crate::resolve::named_children;
use crate::target::api::Api;
use std::collections::HashSet;
use tree_sitter::Node;

const ID: &str = "asyncio-task-group";

messages!("asyncio-task-group");

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let Some(reference) = caps.get("ref") {
        return plan_reference(ctx, reference);
    }
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    if !ctx.is(callee, "asyncio.TaskGroup") {
        return Vec::new();
    }
    let Some(with) = with_of_item_call(ctx.resolver, call) else {
        return Vec::new();
    };
    if !is_async_with(with) {
        // `with asyncio.TaskGroup()` fails at run time already; nothing to migrate.
        return Vec::new();
    }
    if let Err(finding) = plain_group(ctx, call) {
        return vec![finding.into()];
    }
    let mut follow = Follow::new(ctx, with);
    if let Some(alias) = ctx
        .parent(call)
        .filter(|p| p.kind() == "as_pattern")
        .and_then(|p| p.child_by_field_name("alias"))
        .and_then(|a| a.named_child(0))
        .filter(|a| a.kind() == "identifier")
    {
        follow.group_uses(alias);
    } else if ctx.parent(call).is_some_and(|p| p.kind() == "as_pattern") {
        follow.problem(
            call,
            "group-not-a-name",
            "the task group is bound to something other than a plain name",
            MESSAGES.text("group-arguments", "advice"),
        );
    }
    if let Some(func) = super::enclosing_function(ctx.resolver, with)
        && let Some(y) = with
            .child_by_field_name("body")
            .and_then(|body| has_own_yield(ctx, body, func))
    {
        follow.problem(
            y,
            "yield-in-group",
            "the task group stays open across a `yield` of an async generator, which anyio's task groups (trio's nurseries) do not allow",
            "restructure so that the group opens and closes between two yields, or make the function an `@asynccontextmanager`",
        );
    }
    if !follow.problems.is_empty() {
        // Reported at the group left unchanged, quoting the use that stopped it.
        return follow
            .problems
            .into_iter()
            .map(|p| super::at_quoting_use(ctx, call, call, p))
            .collect();
    }
    let (mut edits, imports, backport) =
        for_target(ctx, follow.edits, &follow.creates, follow.handles_used);
    edits.push(Edit::replace(
        callee.byte_range(),
        "anyio.create_task_group",
    ));
    let mut notes = Vec::new();
    if follow.seen_flags.contains(&Flag::AwaitedInside) {
        notes.push(MESSAGES.text("task-group", "awaited-note"));
    } else if follow.seen_flags.contains(&Flag::HandledInside) {
        notes.push(MESSAGES.text("task-group", "handled-note"));
    }
    if follow.seen_flags.contains(&Flag::LostComment) {
        notes.push("a comment inside a rewritten Task method call was dropped");
    }
    let verdict = if notes.is_empty() {
        Verdict::SafeEdge
    } else {
        Verdict::Unsafe
    };
    if follow.seen_flags.contains(&Flag::ReadsName) {
        notes.push(MESSAGES.text("task-group", "name-note"));
    }
    notes.push(MESSAGES.text("task-group", "wakeup-note"));
    let fix = Fix::new(ID, "task-group", call.start_byte(), verdict, edits)
        .with_imports(imports)
        .note(notes.join("; "));
    if backport {
        return match shared::task_handles::backport(ctx, call, fix) {
            Ok(fix) => vec![fix.into()],
            Err(finding) => vec![finding.into()],
        };
    }
    vec![fix.into()]
}

/// The group's edits for the target anyio: as planned (`tg.create_task` and handles) from 4.14
/// on; before it a group has `start_soon` only, the form for handles nobody uses; otherwise the
/// planned form on the module helper `_TaskGroup` (the last value: the fix is backported).
fn for_target(
    ctx: &Ctx,
    edits: Vec<Edit>,
    creates: &[Node],
    handles_used: bool,
) -> (Vec<Edit>, &'static [Import], bool) {
    if ctx.targets.has(Api::TaskGroupCreateTask) {
        return (edits, &[], false);
    }
    match start_soon_form(ctx, creates, handles_used) {
        Some((starts, true)) => (starts, &[Import::Functools], false),
        Some((starts, false)) => (starts, &[], false),
        None => (edits, &[], true),
    }
}

/// `tg.create_task(f(x))` → `tg.start_soon(f, x)` for every task of the group, when no handle
/// is used and each task is one call of an `async def` (calling it later, in the task, then
/// makes the same coroutine): the edits and whether `functools.partial` is used.
fn start_soon_form(ctx: &Ctx, creates: &[Node], handles_used: bool) -> Option<(Vec<Edit>, bool)> {
    if handles_used {
        return None;
    }
    let mut edits = Vec::new();
    let mut partial = false;
    for create in creates {
        let group = create
            .child_by_field_name("function")?
            .child_by_field_name("object")?;
        let [coro] = call_args(*create)[..] else {
            return None;
        };
        if coro.kind() != "call"
            || of_call(ctx.code(), coro) != Awaitable::Coroutine
            || has_comment(*create)
        {
            return None;
        }
        let (line, uses_partial, _) = start_soon_line(ctx, coro, ctx.text_of(group))?;
        partial |= uses_partial;
        edits.push(Edit::replace(create.byte_range(), line));
    }
    Some((edits, partial))
}

/// `asyncio.TaskGroup()` with no arguments, for an anyio whose task groups raise an
/// `ExceptionGroup` as asyncio's does (from 4.0 on).
fn plain_group(ctx: &Ctx, call: Node) -> Result<(), Finding> {
    shared::release::require(
        ctx,
        ID,
        call.start_byte(),
        Api::TaskGroupExceptionGroup,
        "a task group that raises an ExceptionGroup, as asyncio.TaskGroup does",
    )?;
    if !call_args(call).is_empty() {
        return Err(Finding::manual(
            ID,
            "group-arguments",
            call.start_byte(),
            "asyncio.TaskGroup() called with arguments",
            MESSAGES.text("group-arguments", "advice"),
        ));
    }
    Ok(())
}

/// `tg.create_task(f(...))` where `f` is an `async def` of this file whose `except
/// CancelledError:` awaits and does not re-raise (aiotools' `sibling_child`, which sleeps then
/// raises ZeroDivisionError): asyncio.TaskGroup cancels a child once and lets that await run;
/// anyio's group cancels it again at the await (spec §10 B3), so the handler ends early.
fn recancelled_child(ctx: &Ctx, call: Node) -> Option<String> {
    let coro = super::positional_args(call)
        .first()
        .copied()
        .filter(|c| c.kind() == "call")?;
    let callee = coro
        .child_by_field_name("function")
        .filter(|f| f.kind() == "identifier")?;
    let def = crate::analysis::awaitable::definition(ctx.code(), callee)
        .filter(|d| d.kind() == "function_definition")?;
    let (handler, chain) = crate::analysis::exceptions::reached_cancel_handler(ctx.code(), def)?;
    Some(
        MESSAGES.fill(
            "recancelled-child",
            "problem",
            &[
                ("chain", &chain.join("` → `")),
                (
                    "exception",
                    handler
                        .child_by_field_name("value")
                        .map_or("CancelledError", |v| ctx.text_of(v)),
                ),
            ],
        ),
    )
}

/// `asyncio.TaskGroup` anywhere but `async with asyncio.TaskGroup() as tg:`: a subclass, a group
/// stored or passed around, an annotation. anyio's group is only made by `create_task_group()`.
fn plan_reference(ctx: &Ctx, reference: Node) -> Vec<Outcome> {
    // Resolution first: it is a lookup, the other two climb the tree.
    if !ctx.is(reference, "asyncio.TaskGroup") {
        return conditional_import(ctx, reference);
    }
    if ctx.resolver.is_member_name(reference) || in_import(ctx, reference) {
        return Vec::new();
    }
    // The with-item call itself is planned by the other pattern.
    if let Some(call) = ctx.parent(reference).filter(|p| {
        p.kind() == "call"
            && p.child_by_field_name("function")
                .is_some_and(|f| f.id() == reference.id())
    }) && with_of_item_call(ctx.resolver, call).is_some_and(is_async_with)
    {
        return Vec::new();
    }
    let at = reference.start_byte();
    let finding = match ctx.parent(reference).map(|p| p.kind()) {
        Some("argument_list")
            if ctx
                .parent(reference)
                .and_then(|n| ctx.parent(n))
                .is_some_and(|c| c.kind() == "class_definition") =>
        {
            Finding::manual(
                ID,
                "subclass",
                at,
                MESSAGES.text("subclass", "problem"),
                MESSAGES.text("subclass", "advice"),
            )
        }
        Some("call") => Finding::manual(
            ID,
            "group-outside-with",
            at,
            MESSAGES.text("group-outside-with", "problem"),
            MESSAGES.text("group-arguments", "advice"),
        ),
        Some("type") => Finding::manual(
            ID,
            "group-annotation",
            at,
            "a value annotated as asyncio.TaskGroup: the group is passed around",
            MESSAGES.text("group-annotation", "advice"),
        ),
        _ => Finding::manual(
            ID,
            "group-as-value",
            at,
            "asyncio.TaskGroup used as a value (passed around, compared, or checked with isinstance)",
            MESSAGES.text("group-arguments", "advice"),
        ),
    };
    vec![finding.into()]
}

// ------------------------------------------------------------------ the group's handles

/// Walks everything that flows from one task group: the group name, the `create_task` handles,
/// lists of handles, and the loop variables over them; collects the edits or the reasons not to.
struct Follow<'c, 't> {
    ctx: &'c Ctx<'t>,
    with: Node<'t>,
    edits: Vec<Edit>,
    problems: Vec<Outcome>,
    seen_flags: HashSet<Flag>,
    seen: HashSet<(usize, String)>,
    /// Every `tg.create_task(...)` call of the group.
    creates: Vec<Node<'t>>,
    /// Whether any handle from `create_task` is used (kept, awaited, read).
    handles_used: bool,
}

impl<'c, 't> Follow<'c, 't> {
    fn new(ctx: &'c Ctx<'t>, with: Node<'t>) -> Self {
        Self {
            ctx,
            with,
            edits: Vec::new(),
            problems: Vec::new(),
            seen_flags: HashSet::new(),
            seen: HashSet::new(),
            creates: Vec::new(),
            handles_used: false,
        }
    }

    fn flag(&mut self, flag: Flag, on: bool) {
        if on {
            self.seen_flags.insert(flag);
        }
    }

    fn problem(&mut self, at: Node, kind: &'static str, why: &str, hint: &str) {
        // No line number for the group: positions in this pass's text are not the file's.
        self.problems.push(
            Finding::manual(
                ID,
                kind,
                at.start_byte(),
                format!("{why}, so the asyncio.TaskGroup it belongs to is left as it is"),
                hint,
            )
            .into(),
        );
    }

    /// Every use of the group name `alias`: only `tg.create_task(...)` inside its block.
    fn group_uses(&mut self, alias: Node<'t>) {
        let ctx = self.ctx;
        let name = ctx.text_of(alias);
        for r in ctx.resolver.references(ctx.tree, name, alias) {
            if r.id() == alias.id() {
                continue;
            }
            if is_binding_site(ctx.resolver, r) {
                if group_alias_with(ctx, r).is_none() {
                    self.problem(
                        r,
                        "group-rebound",
                        &format!("the task group name `{name}` is rebound"),
                        MESSAGES.text("group-arguments", "advice"),
                    );
                }
                continue;
            }
            match binding_with(ctx, r, name) {
                Some(w) if w.id() == self.with.id() => {}
                // Another `async with ... as tg:` of the same name owns this use.
                Some(_) => continue,
                None => {
                    self.problem(
                        r,
                        "group-outside-block",
                        &format!("the task group `{name}` is used outside its `async with` block"),
                        MESSAGES.text("group-arguments", "advice"),
                    );
                    continue;
                }
            }
            let method = ctx
                .parent(r)
                .filter(|p| p.kind() == "attribute" && field_is(*p, "object", r));
            let call = method.and_then(|n| ctx.parent(n)).filter(|c| {
                c.kind() == "call" && method.is_some_and(|m| field_is(*c, "function", m))
            });
            let attr = method
                .and_then(|m| m.child_by_field_name("attribute"))
                .map(|a| ctx.text_of(a));
            match (attr, call) {
                (Some("create_task"), Some(call)) => {
                    match super::keyword_arg(call, ctx.text, "context") {
                        Some(context) => self.problem(
                            context,
                            "context-argument",
                            super::shared::messages::CONTEXT_WHY,
                            super::shared::messages::CONTEXT_HINT,
                        ),
                        None => {
                            if let Some(why) = recancelled_child(ctx, call) {
                                self.problem(
                                    call,
                                    "recancelled-child",
                                    &why,
                                    MESSAGES.text("recancelled-child", "advice"),
                                );
                            } else {
                                self.creates.push(call);
                                self.handles_used |=
                                    !matches!(classify(ctx, call), HandleUse::Discarded);
                                self.follow_expr(call);
                            }
                        }
                    }
                }
                (Some(attr), _) => self.problem(
                    r,
                    "group-attribute",
                    &format!("`{name}.{attr}` is not asyncio.TaskGroup's create_task()"),
                    MESSAGES.text("group-attribute", "advice"),
                ),
                (None, _) => self.problem(
                    r,
                    "group-escapes",
                    &format!("the task group `{name}` is passed on or stored"),
                    MESSAGES.text("group-arguments", "advice"),
                ),
            }
        }
    }

    /// An expression that evaluates to a handle (a `create_task` call, a name, `tasks[0]`).
    fn follow_expr(&mut self, expr: Node<'t>) {
        let ctx = self.ctx;
        let body = self.with.child_by_field_name("body");
        let in_body = body.is_some_and(|b| inside(b, expr));
        match classify(ctx, expr) {
            HandleUse::Await => self.flag(Flag::AwaitedInside, in_body),
            HandleUse::Mapped {
                edits,
                raises,
                lost_comment,
                reads_name,
                ..
            } => {
                self.edits.extend(edits);
                self.flag(Flag::LostComment, lost_comment);
                self.flag(Flag::ReadsName, reads_name);
                let handled =
                    raises && in_body && body.is_some_and(|b| under_except(ctx.code(), expr, b));
                self.flag(Flag::HandledInside, handled);
            }
            HandleUse::Discarded => {}
            HandleUse::Unsupported {
                kind,
                why,
                suggestion,
            } => {
                self.problem(expr, kind, &why, suggestion);
            }
            HandleUse::Escapes(Escape::Alias(name)) => self.follow_name(name, Holds::Handle),
            HandleUse::Escapes(Escape::Container(list)) => {
                match ctx.parent(list).filter(|p| p.kind() == "assignment" && field_is(*p, "right", list)) {
                    Some(assign) if assign.child_by_field_name("left").is_some_and(|l| l.kind() == "identifier") && is_container_of_handles(ctx, list) => {
                        if let Some(left) = assign.child_by_field_name("left") {
                            self.follow_name(left, Holds::Handles);
                        }
                    }
                    _ => self.problem(
                        expr,
                        "handle-collection",
                        "the task handle is kept in a collection that cannot be followed",
                        "keep the handles in a list bound to a name (`tasks = [tg.create_task(f(x)) for x in xs]`) and read them with `for t in tasks` or `tasks[i]`",
                    ),
                }
            }
            HandleUse::Escapes(Escape::Annotated) => {
                let escape = Escape::Annotated;
                self.problem(expr, "annotated-task", &escape.describe(), escape.hint());
            }
            HandleUse::Escapes(escape) => {
                self.problem(expr, "handle-escapes", &escape.describe(), escape.hint());
            }
        }
    }

    /// Every use of a name that holds a handle (or a list of handles).
    fn follow_name(&mut self, binding: Node<'t>, holds: Holds) {
        let ctx = self.ctx;
        let name = ctx.text_of(binding);
        let Some(scope) = ctx.resolver.defining_scope(name, binding) else {
            return;
        };
        if !self.seen.insert((scope, name.to_owned())) {
            return;
        }
        for r in ctx.resolver.references(ctx.tree, name, binding) {
            if is_binding_site(ctx.resolver, r) {
                let ok = match holds {
                    Holds::Handle => self.handle_store(r),
                    Holds::Handles => container_store(ctx, r),
                };
                if !ok {
                    let what = match holds {
                        Holds::Handle => "a task handle",
                        Holds::Handles => "a list of task handles",
                    };
                    self.problem(
                        r,
                        "handle-name-reused",
                        &format!("`{name}` holds {what} here and something else elsewhere"),
                        "use a separate name for the handles from create_task()",
                    );
                }
                continue;
            }
            match holds {
                Holds::Handle => self.follow_expr(r),
                Holds::Handles => self.follow_list_use(r),
            }
        }
    }

    /// A binding of a handle name: `t = tg.create_task(...)`, or `for t in tasks`.
    fn handle_store(&mut self, store: Node<'t>) -> bool {
        let ctx = self.ctx;
        let Some(parent) = ctx.parent(store) else {
            return false;
        };
        match parent.kind() {
            "assignment" => {
                field_is(parent, "left", store)
                    && !parent
                        .child_by_field_name("type")
                        .is_some_and(|t| mentions_asyncio(ctx, t))
                    && parent
                        .child_by_field_name("right")
                        .is_some_and(|r| is_group_create_task(ctx, r))
            }
            "for_statement" | "for_in_clause" if field_is(parent, "left", store) => {
                let Some(list) = parent
                    .child_by_field_name("right")
                    .filter(|r| r.kind() == "identifier")
                else {
                    return false;
                };
                if !names_container_of_handles(ctx, list) {
                    return false;
                }
                self.follow_name(list, Holds::Handles);
                true
            }
            _ => false,
        }
    }

    /// A use of a list of handles: iterated, indexed, or measured.
    fn follow_list_use(&mut self, r: Node<'t>) {
        let ctx = self.ctx;
        let Some(parent) = ctx.parent(r) else {
            return;
        };
        match parent.kind() {
            "for_statement" | "for_in_clause" if field_is(parent, "right", r) => {
                match parent.child_by_field_name("left") {
                    Some(var) if var.kind() == "identifier" => {
                        self.follow_name(var, Holds::Handle);
                    }
                    _ => self.problem(
                        r,
                        "handles-unpacked",
                        "the task handles are unpacked in a loop",
                        "loop over the handles with one name: `for t in tasks:`",
                    ),
                }
            }
            "subscript" if field_is(parent, "value", r) => self.follow_expr(parent),
            "argument_list"
                if ctx.parent(parent).is_some_and(|c| {
                    c.child_by_field_name("function")
                        .is_some_and(|f| super::is_builtin(ctx, f, "len"))
                }) => {}
            _ => {
                let why = match classify(ctx, r) {
                    HandleUse::Escapes(Escape::AsyncioCall(q)) => {
                        format!("the task handles are passed to {q} (reported by its own codemod)")
                    }
                    _ => "the list of task handles is passed on".to_owned(),
                };
                self.problem(
                    r,
                    "handles-passed-on",
                    &why,
                    "read the handles in place (`[t.result() for t in tasks]`); anyio's handles are not asyncio Tasks",
                );
            }
        }
    }
}

/// What the group's uses showed, for the verdict and its note.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Flag {
    AwaitedInside,
    HandledInside,
    LostComment,
    ReadsName,
}

#[derive(Clone, Copy)]
enum Holds {
    Handle,
    Handles,
}

// ------------------------------------------------------------------ tree helpers

/// The group a with-item call makes: asyncio's or anyio's task group.
fn is_group_call(ctx: &Ctx, call: Node) -> bool {
    call.kind() == "call"
        && call
            .child_by_field_name("function")
            .is_some_and(|f| ctx.is(f, "asyncio.TaskGroup") || is_anyio_group_callee(ctx, f))
}

/// The `async with <group>() as NAME:` statement that binds the store `name_node`, if it is one.
fn group_alias_with<'t>(ctx: &Ctx<'t>, name_node: Node<'t>) -> Option<Node<'t>> {
    let target = ctx
        .parent(name_node)
        .filter(|p| p.kind() == "as_pattern_target")?;
    let pattern = ctx.parent(target).filter(|p| p.kind() == "as_pattern")?;
    let call = pattern.named_child(0)?;
    let with = with_of_item_call(ctx.resolver, call)?;
    (is_async_with(with) && is_group_call(ctx, call)).then_some(with)
}

/// The innermost `async with <group>() as NAME:` whose body holds `node`, with NAME == `name`.
fn binding_with<'t>(ctx: &Ctx<'t>, node: Node<'t>, name: &str) -> Option<Node<'t>> {
    let mut cur = ctx.parent(node);
    while let Some(n) = cur {
        if n.kind() == "with_statement"
            && n.child_by_field_name("body")
                .is_some_and(|b| inside(b, node))
            && let Some(clause) = named_children(n).find(|c| c.kind() == "with_clause")
        {
            for item in named_children(clause) {
                let alias = item_pattern(item)
                    .and_then(|p| p.child_by_field_name("alias"))
                    .and_then(|a| a.named_child(0));
                if let Some(alias) = alias
                    && ctx.text_of(alias) == name
                    && group_alias_with(ctx, alias).is_some()
                {
                    return Some(n);
                }
            }
        }
        cur = ctx.parent(n);
    }
    None
}

/// `X.create_task(...)` where X is a task group bound by `async with`.
fn is_group_create_task(ctx: &Ctx, node: Node) -> bool {
    let Some((object, attr)) = crate::analysis::syntax::method_call(node) else {
        return false;
    };
    if object.kind() != "identifier" || ctx.text_of(attr) != "create_task" {
        return false;
    }
    let name = ctx.text_of(object);
    binding_with(ctx, object, name).is_some()
}

/// `[tg.create_task(...) for ...]` or `[tg.create_task(a), tg.create_task(b)]`.
fn is_container_of_handles(ctx: &Ctx, list: Node) -> bool {
    match list.kind() {
        "list_comprehension" => list
            .child_by_field_name("body")
            .is_some_and(|b| is_group_create_task(ctx, b)),
        "list" => {
            let items: Vec<Node> = named_children(list)
                .filter(|c| c.kind() != "comment")
                .collect();
            !items.is_empty() && items.iter().all(|i| is_group_create_task(ctx, *i))
        }
        _ => false,
    }
}

/// A store of a list-of-handles name: `tasks = [tg.create_task(...) ...]`.
fn container_store(ctx: &Ctx, store: Node) -> bool {
    ctx.parent(store).is_some_and(|p| {
        p.kind() == "assignment"
            && field_is(p, "left", store)
            && p.child_by_field_name("type").is_none()
            && p.child_by_field_name("right")
                .is_some_and(|r| is_container_of_handles(ctx, r))
    })
}

/// Every store of the name `list` makes a list of handles.
fn names_container_of_handles(ctx: &Ctx, list: Node) -> bool {
    let name = ctx.text_of(list);
    let refs = ctx.resolver.references(ctx.tree, name, list);
    let stores: Vec<Node> = refs
        .into_iter()
        .filter(|r| is_binding_site(ctx.resolver, *r))
        .collect();
    !stores.is_empty() && stores.iter().all(|s| container_store(ctx, *s))
}

/// `TaskGroup` imported from asyncio or from a backport (`taskgroup`), whichever the running
/// Python has (`try: from asyncio import TaskGroup` / `except ImportError: from taskgroup import
/// TaskGroup`): the import and each use are reported, not rewritten.
fn conditional_import(ctx: &Ctx, reference: Node) -> Vec<Outcome> {
    if reference.kind() != "identifier" || ctx.resolver.is_member_name(reference) {
        return Vec::new();
    }
    // (`reference` is an identifier: its ancestors are what can be the import; the resolver's
    // parent table, as `Node::parent` is slow.)
    let import = ctx
        .ancestors(reference)
        .find(|n| n.kind() == "import_from_statement");
    // In an import, only the name it binds (the alias, if any) is reported.
    if let Some(import) = import
        && !super::from_import_bound_names(import)
            .iter()
            .any(|n| n.id() == reference.id())
    {
        return Vec::new();
    }
    super::conditional_import(
        ctx,
        ID,
        reference,
        import.unwrap_or(reference),
        |path| path == "asyncio.TaskGroup",
        MESSAGES.text("conditional-import", "advice"),
    )
    .into_iter()
    .collect()
}

fn in_import(ctx: &Ctx, node: Node) -> bool {
    std::iter::once(node).chain(ctx.ancestors(node)).any(|n| {
        matches!(
            n.kind(),
            "import_statement" | "import_from_statement" | "future_import_statement"
        )
    })
}

#[cfg(test)]
mod tests {
    /// The file after this codemod alone.
    fn run(src: &str) -> String {
        crate::engine::migrate_alone(super::ID, src, crate::target::Targets::default()).output
    }

    #[test]
    fn maps_methods_and_parenthesizes_only_where_needed() {
        let src = "import asyncio\nasync def f():\n    async with asyncio.TaskGroup() as tg:\n        t = tg.create_task(g())\n    a = t.done()\n    b = not t.cancelled()\n    c = t.done() == True\n    return t.result(), t.get_coro()\n";
        let out = run(src);
        assert!(
            out.contains("async with anyio.create_task_group() as tg:"),
            "{out}"
        );
        assert!(out.contains("    a = t.status not in (anyio.TaskHandle.Status.PENDING, anyio.TaskHandle.Status.CANCELLING)\n"), "{out}");
        assert!(
            out.contains("b = not (t.status is anyio.TaskHandle.Status.CANCELLED)"),
            "{out}"
        );
        assert!(out.contains("c = (t.status not in ("), "{out}");
        assert!(out.contains("return t.return_value, t.coro"), "{out}");
    }

    #[test]
    fn a_group_with_an_unsupported_handle_use_is_left_whole() {
        let src = "import asyncio\nasync def f():\n    async with asyncio.TaskGroup() as tg:\n        t = tg.create_task(g())\n        t.add_done_callback(print)\n    return t.result()\n";
        assert_eq!(run(src), src);
    }
}
