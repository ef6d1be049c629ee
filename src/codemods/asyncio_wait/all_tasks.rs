//! `await asyncio.wait(...)` of the tasks its own statement starts, its result unread: a task
//! group that starts the same coroutines (UNSAFE `wait-all-tasks`).

use super::{ID, MESSAGES, elements, free_name};
use crate::analysis::awaitable::{self, Awaitable};
use crate::analysis::syntax::{sole_positional, yields_in};
use crate::codemods::shared::block::{owns_lines, step_for};
use crate::codemods::{Ctx, awaited_by, call_args, enclosing_function, is_async_def};
use crate::edit::{Edit, Finding, Fix, Verdict};
use crate::resolve::named_children;
use crate::source::{line_indent, line_start};
use crate::target::api::Api;
use tree_sitter::Node;

/// `await asyncio.wait([asyncio.create_task(a()), asyncio.create_task(b(x))])`, or the tasks made
/// by a comprehension (`[asyncio.create_task(f(x)) for x in xs if p(x)]`), as a statement of its
/// own (the `(done, pending)` result unread), waiting for all of them with no timeout → a task
/// group that starts the same coroutines in the same order and waits for them all:
/// `async with anyio.create_task_group() as tg:` / `tg.start_soon(a)` (an `async def` shown by
/// the awaitable analysis; `tg.create_task(c)` otherwise, anyio 4.14). Nothing else can see
/// those tasks: they exist only in the argument. `None` when a precondition does not hold (the
/// MANUAL finding stays).
pub(super) fn all_completed_group(ctx: &Ctx, call: Node) -> Option<Result<Fix, Finding>> {
    let (func, stmt, fs) = wait_statement(ctx, call)?;
    let (tasks, header) = match fs.kind() {
        "list" | "tuple" | "set" => {
            let tasks = elements(fs);
            if tasks.is_empty() {
                return None;
            }
            (tasks, Vec::new())
        }
        "list_comprehension" | "set_comprehension" | "generator_expression" => {
            comprehension_loop(ctx, func, fs)?
        }
        _ => return None,
    };
    let indent = line_indent(ctx.text, stmt.start_byte());
    let step = step_for(ctx, indent);
    let tg = free_name(ctx, func, stmt, "tg");
    let (lines, partial) = match task_lines(ctx, call, &tasks, &tg)? {
        Ok(lines) => lines,
        Err(finding) => return Some(Err(finding)),
    };
    let mut text = vec![format!(
        "{indent}async with anyio.create_task_group() as {tg}:"
    )];
    let mut depth = format!("{indent}{step}");
    for line in &header {
        text.push(format!("{depth}{line}"));
        depth.push_str(&step);
    }
    text.extend(lines.iter().map(|line| format!("{depth}{line}")));
    let text = text.join("\n");
    let mut fix = Fix::new(
        ID,
        "wait-all-tasks",
        call.start_byte(),
        Verdict::Unsafe,
        vec![Edit::replace(
            line_start(ctx.text, stmt.start_byte())..stmt.end_byte(),
            text,
        )],
    )
    .note(MESSAGES.text("wait-all-tasks", "note"));
    if partial {
        fix = fix.with_imports(&[crate::edit::Import::Functools]);
    }
    Some(Ok(fix))
}

/// `await asyncio.wait(fs)` as a whole statement of an `async def`'s block, on lines of its
/// own with no comment inside, with `return_when=` / `timeout=` at most besides `fs` (their
/// values are checked by the caller): the function, the statement and `fs`.
fn wait_statement<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> Option<(Node<'t>, Node<'t>, Node<'t>)> {
    let func = enclosing_function(ctx.resolver, call).filter(|f| is_async_def(*f))?;
    let awaited = awaited_by(ctx.resolver, call)?;
    let stmt = ctx
        .parent(awaited)
        .filter(|s| s.kind() == "expression_statement" && named_children(*s).count() == 1)?;
    ctx.parent(stmt).filter(|b| b.kind() == "block")?;
    if !owns_lines(ctx, stmt, stmt)
        || crate::analysis::syntax::descendants(stmt)
            .iter()
            .any(|n| n.kind() == "comment")
    {
        return None;
    }
    let fs = sole_positional(ctx.text, call, &["return_when", "timeout"])?;
    Some((func, stmt, fs))
}

/// The line that starts each task in `tg`, and whether one uses `functools.partial`:
/// `tg.start_soon(f, x)` when every coroutine is a call of an `async def` and no task has
/// `name=` (calling it in the task makes the same coroutine); else `tg.create_task(f(x))`
/// (anyio 4.14: the MANUAL finding below it). `None` when a task is not one this rewrite takes.
fn task_lines(
    ctx: &Ctx,
    call: Node,
    tasks: &[Node],
    tg: &str,
) -> Option<Result<(Vec<String>, bool), Finding>> {
    let coros: Vec<Node> = tasks
        .iter()
        .map(|t| created_coroutine(ctx, *t))
        .collect::<Option<_>>()?;
    let soon: Option<Vec<(String, bool)>> = tasks
        .iter()
        .zip(&coros)
        .map(|(task, coro)| {
            let plain = call_args(*task).len() == 1
                && awaitable::of_call(ctx.code(), *coro) == Awaitable::Coroutine;
            plain
                .then(|| crate::codemods::shared::tasks::start_soon_line(ctx, *coro, tg))
                .flatten()
                .map(|(line, partial, _)| (line, partial))
        })
        .collect();
    if let Some(lines) = soon {
        let partial = lines.iter().any(|(_, p)| *p);
        return Some(Ok((lines.into_iter().map(|(l, _)| l).collect(), partial)));
    }
    if let Err(finding) = crate::codemods::shared::release::require(
        ctx,
        ID,
        call.start_byte(),
        Api::TaskGroupCreateTask,
        "`tg.create_task()`",
    ) {
        return Some(Err(finding));
    }
    let lines = tasks
        .iter()
        .map(|t| {
            let args = t.child_by_field_name("arguments")?;
            Some(format!("{tg}.create_task{}", ctx.text_of(args)))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Ok((lines, false)))
}

/// `asyncio.create_task(c)` (one positional argument, `name=` at most, on one line): `c`.
fn created_coroutine<'t>(ctx: &Ctx<'t>, task: Node<'t>) -> Option<Node<'t>> {
    if task.kind() != "call" || ctx.text_of(task).contains('\n') {
        return None;
    }
    let callee = task.child_by_field_name("function")?;
    if !ctx.is(callee, "asyncio.create_task") {
        return None;
    }
    sole_positional(ctx.text, task, &["name"])
}

/// A comprehension of tasks with one `for` clause (not `async for`) and one `if` at most, no
/// `await` or `yield`, whose loop names appear nowhere else in `func` (a `for` statement binds
/// them in the function, where the comprehension kept them to itself): its element, and the
/// `for` / `if` header lines of the loop that replaces it.
fn comprehension_loop<'t>(
    ctx: &Ctx<'t>,
    func: Node<'t>,
    comprehension: Node<'t>,
) -> Option<(Vec<Node<'t>>, Vec<String>)> {
    let element = comprehension.child_by_field_name("body")?;
    let clauses: Vec<Node> = named_children(comprehension)
        .filter(|c| c.id() != element.id())
        .collect();
    let (for_clause, if_clause) = match clauses.as_slice() {
        [f] => (*f, None),
        [f, i] if i.kind() == "if_clause" => (*f, Some(*i)),
        _ => return None,
    };
    if for_clause.kind() != "for_in_clause"
        || for_clause.child(0).is_some_and(|c| c.kind() == "async")
        || yields_in(comprehension)
        || crate::analysis::exceptions::awaits(ctx.code(), comprehension)
    {
        return None;
    }
    let left = for_clause.child_by_field_name("left")?;
    let right = for_clause.child_by_field_name("right")?;
    let one_line = |n: Node| (!ctx.text_of(n).contains('\n')).then(|| ctx.text_of(n));
    let mut header = vec![format!("for {} in {}:", one_line(left)?, one_line(right)?)];
    if let Some(cond) = if_clause {
        let cond = named_children(cond).next()?;
        header.push(format!("if {}:", one_line(cond)?));
    }
    for name in crate::analysis::syntax::descendants(left)
        .into_iter()
        .filter(|n| n.kind() == "identifier")
    {
        let outside = ctx
            .resolver
            .identifiers_within(ctx.text_of(name), func.byte_range())
            .iter()
            .any(|r| {
                r.start_byte() < comprehension.start_byte()
                    || r.end_byte() > comprehension.end_byte()
            });
        if outside {
            return None;
        }
    }
    Some((vec![element], header))
}
