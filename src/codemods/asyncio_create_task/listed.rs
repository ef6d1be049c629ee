//! Tasks kept in a local list that the function itself finishes:
//!
//! ```python
//! tasks = [asyncio.create_task(worker(i)) for i in range(n)]   # or, after `tasks = []`:
//! for i in range(n):                                           #   tasks.append(create_task(...))
//!     task = asyncio.create_task(worker(i))                    #   or a named task appended
//!     tasks.append(task)
//! await queue.join()
//! for task in tasks:
//!     task.cancel()
//! await asyncio.gather(*tasks, return_exceptions=True)
//! ```
//!
//! Each task is started in a task group spanning from the statement that fills the list to the
//! statement of the list's last use, as a task bound to one name is (`mod.rs`), and the list's
//! uses map to the handles: `await asyncio.gather(*tasks)` → `[await t for t in tasks]` (the
//! results, in order; as a one-line statement, a loop awaiting each); with
//! `return_exceptions=True` as such a statement, and `await asyncio.wait(tasks)` as one, a loop
//! of `await t.wait()` (waits for each however it ended); `for t in tasks:` or `[... for t in
//! tasks]` whose uses of `t` follow the single task's rules (`await t`, `t.cancel()`, the
//! mapped Task methods); `tasks[i]` by those rules; `len(tasks)`; `if tasks:` / `if not
//! tasks:`.
//!
//! Preconditions (otherwise the task's finding quotes the use that stops it):
//! - the list is a plain name local to the `async def`, bound once: by `tasks = [create(c) for
//!   ...]` (a list comprehension with no `await`, `async for` or `yield`), or by `tasks = []`
//!   before a `for` loop of the same block (no `async for`, no `else:`) whose body has
//!   (directly or under `if` / `elif` / `else`), as a statement of its own,
//!   `tasks.append(create(c))` or `task = create(c)` with `task`'s only use a
//!   `tasks.append(task)` statement of that block and no read of it earlier in the loop;
//! - between the binding and the loop nothing uses the list; in the loop, only that one append
//!   (another could put in what is no task of this group);
//! - after it, every use is in the same function (no nested function) and block, and is one of
//!   the forms above; a `for t in tasks:` loop is sync, has no `else:`, binds `t` local to the
//!   function and uses it only in its body;
//! - a gather, a wait or a loop over the list awaits or cancels the tasks (otherwise the group
//!   would wait for tasks the function left running).

use super::super::shared::block::statement_of_block;
use super::super::{Ctx, call_args, enclosing_function};
use super::task_lists::{
    appended_to, comprehension_list, empty_list_before, plain_for, statement_block,
};
use super::{Halt, Plan, follow_use};
use crate::analysis::bindings::is_binding_site;
use crate::analysis::syntax::{field_is, inside, own_statement};
use crate::edit::Edit;
use tree_sitter::Node;

/// A task kept in a list: the statement that fills the list (where the group starts) and the
/// name the list is bound to.
pub(super) struct Listed<'t> {
    pub first: Node<'t>,
    list: Node<'t>,
    /// The `tasks.append(...)` call that puts the task in the list (none for a comprehension).
    append: Option<Node<'t>>,
}

/// The list `call` (a task creation) puts its task in, when it is one of the two forms.
pub(super) fn start<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> Option<Listed<'t>> {
    if let Some((list, first)) = comprehension_list(ctx, call) {
        ctx.parent(first).filter(|b| b.kind() == "block")?;
        return Some(Listed {
            first,
            list,
            append: None,
        });
    }
    // `tasks.append(create(c))`, or `task = create(c)` appended by `tasks.append(task)`.
    let (append, named) = match ctx.parent(call).map(|p| p.kind()) {
        Some("argument_list") => (
            ctx.parent(call)
                .filter(|a| a.named_child_count() == 1)
                .and_then(|a| ctx.parent(a))
                .filter(|c| c.kind() == "call" && appended_to(ctx, *c).is_some())?,
            None,
        ),
        Some("assignment") => {
            let (append, name) = named_append(ctx, call)?;
            (append, Some(name))
        }
        _ => return None,
    };
    let for_loop = filling_loop(ctx, statement_block(ctx, append)?)?;
    // A named task read earlier in the loop would be the previous iteration's handle.
    if let Some(name) = named {
        let read_before = ctx
            .resolver
            .references(ctx.tree, ctx.text_of(name), name)
            .into_iter()
            .any(|r| r.start_byte() < name.start_byte() && inside(for_loop, r));
        if read_before {
            return None;
        }
    }
    ctx.parent(for_loop).filter(|b| b.kind() == "block")?;
    let receiver = appended_to(ctx, append)?;
    let list = empty_list_before(ctx, for_loop, ctx.text_of(receiver))?;
    Some(Listed {
        first: for_loop,
        list,
        append: Some(append),
    })
}

/// The `for` loop (sync, no `else:`) whose body `block` is, or holds through `if` / `elif` /
/// `else` blocks.
fn filling_loop<'t>(ctx: &Ctx<'t>, block: Node<'t>) -> Option<Node<'t>> {
    let mut block = block;
    loop {
        let owner = ctx.parent(block)?;
        let statement = match owner.kind() {
            "for_statement" if field_is(owner, "body", block) => {
                return plain_for(owner).then_some(owner);
            }
            "if_statement" => owner,
            "elif_clause" | "else_clause" => {
                ctx.parent(owner).filter(|i| i.kind() == "if_statement")?
            }
            _ => return None,
        };
        block = ctx.parent(statement).filter(|b| b.kind() == "block")?;
    }
}

/// `task = create(c)` as a statement whose name's only use (up to its next binding) is
/// `tasks.append(task)`, a statement of the same block: that append call, and `task`.
fn named_append<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    let assignment = ctx
        .parent(call)
        .filter(|a| field_is(*a, "right", call) && a.child_by_field_name("type").is_none())?;
    let name = assignment
        .child_by_field_name("left")
        .filter(|l| l.kind() == "identifier")?;
    let body = own_statement(ctx.resolver, assignment).and_then(|s| ctx.parent(s))?;
    let refs = ctx.resolver.references(ctx.tree, ctx.text_of(name), name);
    let pos = refs.iter().position(|r| r.id() == name.id())?;
    let uses: Vec<Node> = refs[pos + 1..]
        .iter()
        .take_while(|r| !is_binding_site(ctx.resolver, **r))
        .copied()
        .collect();
    let [only] = uses[..] else {
        return None;
    };
    let append = ctx
        .parent(only)
        .filter(|a| a.kind() == "argument_list" && a.named_child_count() == 1)
        .and_then(|a| ctx.parent(a))
        .filter(|c| c.kind() == "call" && appended_to(ctx, *c).is_some())?;
    statement_block(ctx, append)
        .is_some_and(|b| b.id() == body.id())
        .then_some((append, name))
}

/// Follow the list's uses into `plan`: `Ok(true)` when every one maps and one of them awaits
/// or cancels the tasks; `Ok(false)` when the list is not a local name bound once, or the loop
/// that fills it uses it otherwise (the task keeps the finding of a task in a collection);
/// `Err` with the finding of the use that stops it otherwise.
pub(super) fn follow<'t>(
    ctx: &Ctx<'t>,
    plan: &mut Plan<'t>,
    listed: &Listed<'t>,
    block: Node<'t>,
) -> Result<bool, Halt> {
    let list = listed.list;
    let name = ctx.text_of(list);
    if ctx.resolver.defining_scope(name, list) != Some(plan.func.id()) {
        return Ok(false);
    }
    let refs = ctx.resolver.references(ctx.tree, name, list);
    if refs
        .iter()
        .any(|r| r.id() != list.id() && is_binding_site(ctx.resolver, *r))
    {
        return Ok(false);
    }
    let mut ends = false;
    let mut last_use = listed.first;
    for u in refs.iter().filter(|r| r.start_byte() > list.start_byte()) {
        if inside(listed.first, *u) {
            // In the loop that fills it, only this task's append: another one could put in
            // something that is no task of this group (a Future, a task left to asyncio).
            let appends = ctx
                .parent(*u)
                .filter(|a| a.kind() == "attribute")
                .and_then(|a| ctx.parent(a))
                .is_some_and(|c| {
                    listed.append.is_some_and(|own| own.id() == c.id())
                        && appended_to(ctx, c).is_some_and(|r| r.id() == u.id())
                });
            if !appends {
                return Ok(false);
            }
            continue;
        }
        let stmt = statement_of_block(ctx, block, *u).filter(|_| {
            u.start_byte() > listed.first.start_byte()
                && enclosing_function(ctx.resolver, *u).map(|f| f.id()) == Some(plan.func.id())
        });
        match (stmt, list_use(ctx, plan, *u, block)?) {
            (Some(stmt), Some(finishes)) => {
                ends |= finishes;
                last_use = stmt;
            }
            _ => return Err(Some(other_use(*u, name))),
        }
    }
    if !ends {
        return Err(Some(super::finding(
            list,
            "never-awaited",
            format!(
                "the tasks kept in `{name}` are never awaited or cancelled in this function: a local task group would make the function wait for them"
            ),
            super::long_lived_hint(),
        )));
    }
    plan.last = last_use;
    Ok(true)
}

/// A use of the list that no form maps, quoted at the task's creation.
fn other_use(u: Node, name: &str) -> crate::edit::Finding {
    super::finding(
        u,
        "task-escapes",
        format!(
            "the task is kept in the list `{name}`, used here otherwise than by a form a task group maps (`await asyncio.gather(*{name})`, a loop over it, `{name}[i]`, `len({name})`, in the function's block after the list is filled): it may outlive this function, so a local task group would make the function wait for it"
        ),
        super::long_lived_hint(),
    )
}

/// One use of the list after it is filled: `Some(true)` when it awaits or cancels the tasks,
/// `Some(false)` for a use that maps but does not, `None` for another form.
fn list_use<'t>(
    ctx: &Ctx<'t>,
    plan: &mut Plan<'t>,
    u: Node<'t>,
    block: Node<'t>,
) -> Result<Option<bool>, Halt> {
    let Some(parent) = ctx.parent(u) else {
        return Ok(None);
    };
    match parent.kind() {
        "list_splat" => Ok(gathered(ctx, plan, u, parent)),
        "for_statement" if field_is(parent, "right", u) => each(ctx, plan, parent, block),
        "for_in_clause" if field_is(parent, "right", u) => match ctx.parent(parent) {
            Some(comprehension) => each(ctx, plan, comprehension, block),
            None => Ok(None),
        },
        "subscript" if field_is(parent, "value", u) => {
            let label = ctx.text_of(parent).to_owned();
            follow_use(ctx, plan, &label, parent, block).map(|_| Some(false))
        }
        "argument_list" => {
            let callee = ctx
                .parent(parent)
                .and_then(|c| c.child_by_field_name("function"));
            if callee.is_some_and(|f| ctx.is(f, "asyncio.wait")) {
                return Ok(waited(ctx, plan, u, parent));
            }
            let measured = callee.is_some_and(|f| super::super::is_builtin(ctx, f, "len"));
            Ok((measured && parent.named_child_count() == 1).then_some(false))
        }
        // `if tasks:` / `if not tasks:`: whether the list is empty.
        "if_statement" | "elif_clause" if field_is(parent, "condition", u) => Ok(Some(false)),
        "not_operator"
            if ctx.parent(parent).is_some_and(|c| {
                matches!(c.kind(), "if_statement" | "elif_clause")
                    && field_is(c, "condition", parent)
            }) =>
        {
            Ok(Some(false))
        }
        _ => Ok(None),
    }
}

/// `*tasks`, the only argument of an awaited `asyncio.gather` (keyword: `return_exceptions=True`
/// only, and then as a whole statement).
fn gathered<'t>(ctx: &Ctx<'t>, plan: &mut Plan<'t>, u: Node<'t>, splat: Node<'t>) -> Option<bool> {
    let gather = ctx
        .parent(splat)
        .filter(|a| a.kind() == "argument_list")
        .and_then(|a| ctx.parent(a))
        .filter(|c| c.kind() == "call")?;
    let callee = gather.child_by_field_name("function")?;
    let awaited = ctx.parent(gather).filter(|a| a.kind() == "await")?;
    if !ctx.is(callee, "asyncio.gather") || crate::resolve::has_comment(gather) {
        return None;
    }
    let args = call_args(gather);
    let mut returns_exceptions = false;
    for arg in &args {
        if arg.id() == splat.id() {
            continue;
        }
        let keyword = arg
            .child_by_field_name("name")
            .filter(|_| arg.kind() == "keyword_argument")?;
        let value = arg.child_by_field_name("value")?;
        if ctx.text_of(keyword) != "return_exceptions" || value.kind() != "true" {
            return None;
        }
        returns_exceptions = true;
    }
    let list = ctx.text_of(u).to_owned();
    let statement = super::one_line_statement(ctx, awaited);
    if !returns_exceptions {
        plan.delivers(ctx, awaited);
        plan.note("gathered-list-note");
    }
    match statement {
        // A whole statement: a loop awaiting each handle (or waiting for it, with
        // `return_exceptions=True`).
        Some(statement) => {
            if returns_exceptions {
                plan.note("waited-list-note");
            }
            let var = super::free_name(ctx, plan.func, "task");
            let wait_for = if returns_exceptions { ".wait()" } else { "" };
            plan.compound(
                statement,
                Some(format!("for {var} in {list}")),
                format!("await {var}{wait_for}"),
            );
        }
        None if returns_exceptions => return None,
        None => {
            // The comprehension's variable is its own: any name but the list's.
            let var = if list == "t" { "task" } else { "t" };
            plan.edits.push(Edit::replace(
                awaited.byte_range(),
                format!("[await {var} for {var} in {list}]"),
            ));
        }
    }
    Some(true)
}

/// `await asyncio.wait(tasks)` (no other argument) as a one-line statement of its own: a loop
/// waiting for each task however it ended (the result, `(done, pending)`, is not read).
fn waited<'t>(ctx: &Ctx<'t>, plan: &mut Plan<'t>, u: Node<'t>, args: Node<'t>) -> Option<bool> {
    let call = ctx.parent(args)?;
    let statement = ctx
        .parent(call)
        .filter(|a| a.kind() == "await")
        .and_then(|a| super::one_line_statement(ctx, a))?;
    if call_args(call).len() != 1 || crate::resolve::has_comment(call) {
        return None;
    }
    let var = super::free_name(ctx, plan.func, "task");
    plan.compound(
        statement,
        Some(format!("for {var} in {}", ctx.text_of(u))),
        format!("await {var}.wait()"),
    );
    plan.note("waited-all-note");
    Some(true)
}

/// `for t in tasks:` (sync, no `else:`), `t` a name of the function used only in the loop's
/// body, or `[... for t in tasks]` (one `for`, no `if`), `t` used only in the comprehension:
/// each use of `t` by the single task's rules.
fn each<'t>(
    ctx: &Ctx<'t>,
    plan: &mut Plan<'t>,
    looped: Node<'t>,
    block: Node<'t>,
) -> Result<Option<bool>, Halt> {
    let (var, region) = if looped.kind() == "for_statement" {
        if !plain_for(looped) {
            return Ok(None);
        }
        (
            looped.child_by_field_name("left"),
            looped.child_by_field_name("body"),
        )
    } else {
        let clauses: Vec<Node> = crate::resolve::named_children(looped)
            .filter(|c| matches!(c.kind(), "for_in_clause" | "if_clause"))
            .collect();
        let [clause] = clauses[..] else {
            return Ok(None);
        };
        if clause.child(0).is_none_or(|c| c.kind() != "for") {
            return Ok(None);
        }
        (clause.child_by_field_name("left"), Some(looped))
    };
    let (Some(var), Some(region)) = (var.filter(|l| l.kind() == "identifier"), region) else {
        return Ok(None);
    };
    let name = ctx.text_of(var);
    let local = ctx.resolver.defining_scope(name, var);
    if looped.kind() == "for_statement" && local != Some(plan.func.id()) {
        return Ok(None);
    }
    let refs = ctx.resolver.references(ctx.tree, name, var);
    let uses: Vec<Node> = if looped.kind() == "for_statement" {
        let Some(pos) = refs.iter().position(|r| r.id() == var.id()) else {
            return Ok(None);
        };
        refs[pos + 1..]
            .iter()
            .take_while(|r| !is_binding_site(ctx.resolver, **r))
            .copied()
            .collect()
    } else {
        // The comprehension's own variable: its element comes before its `for`.
        refs.into_iter()
            .filter(|r| inside(region, *r) && r.id() != var.id())
            .collect()
    };
    if uses
        .iter()
        .any(|u| !inside(region, *u) || is_binding_site(ctx.resolver, *u))
    {
        return Ok(None);
    }
    let mut ends = false;
    for u in uses {
        ends |= follow_use(ctx, plan, name, u, block)?;
    }
    Ok(Some(ends))
}
