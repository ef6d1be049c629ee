//! asyncio-create-task: `t = asyncio.create_task(f(x))` awaited later in the same block → a task
//! group from the creation to the last use of `t`, Task methods mapped (spec §2).

use super::shared::block::{
    Refusal, lines_from, owns_lines, starts_inside_string, statement_of_block, step_for,
};
use super::shared::messages::{CONTEXT_HINT, CONTEXT_WHY};
use super::shared::running_loop::is_running_loop_method;
use super::shared::tasks::{
    ANNOTATION_HINT, Escape, HandleUse, classify, group_of_block, has_own_yield,
    task_group_of_block,
};
use super::{
    Captures, Ctx, call_args, enclosing_function, is_async_def, keyword_arg, positional_args,
};
use crate::analysis::awaitable::{Awaitable, of_call};
use crate::analysis::bindings::is_binding_site;
use crate::analysis::exceptions::{
    bound_name, catchers, catches_cancellation, caught_types, clause_block, is_cancellation_class,
    under_except,
};
use crate::analysis::syntax::{
    field_is, inside, item_pattern, own_statement, positional_parameters,
};
use crate::codemods::shared::catalogue::messages;
use crate::edit::{Edit, Finding, Fix, Outcome, Verdict};
use crate::resolve::{has_comment, named_children};
use crate::source::{line_indent, line_start};
use crate::target::api::Api;
use tree_sitter::Node;

mod kept;
mod listed;
mod task_lists;
mod test_end;
mod timed;

const ID: &str = "asyncio-create-task";

messages!("asyncio-create-task", pub(super));

/// The advice of the findings whose task needs a group that outlives the function (a text of
/// several codes, kept under fire-and-forget's).
fn long_lived_hint() -> &'static str {
    MESSAGES.text("fire-and-forget", "advice")
}

/// The advice of the findings whose task needs a group enclosing its every use (a text of
/// several codes, kept under cannot-wrap's).
fn enclose_hint() -> &'static str {
    MESSAGES.text("cannot-wrap", "advice")
}

/// How the task is started.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Creator {
    CreateTask,
    EnsureFuture,
    /// `loop.create_task(...)` on the running loop (`asyncio.get_running_loop().create_task`,
    /// or a name bound to it): the same as `asyncio.create_task`.
    RunningLoop,
    /// `f = loop.run_in_executor(None, fn, *args)` on the running loop, awaited later: the
    /// future of `fn` running in a thread, started as a task of
    /// `anyio.to_thread.run_sync(fn, *args, abandon_on_cancel=True)`. Awaited where it is made,
    /// it is asyncio-to-thread's.
    Executor,
}

/// A rewrite worked out for one task.
struct Plan<'t> {
    at: usize,
    /// The call that starts the task.
    call: Node<'t>,
    edits: Vec<Edit>,
    callee: Node<'t>,
    func: Node<'t>,
    first: Node<'t>,
    last: Node<'t>,
    /// The name of the `async with anyio.create_task_group() as NAME:` the task is started in.
    reuse: Option<String>,
    /// A use of the task under an exception handler (`await t` in a `try`, `t.result()` in
    /// `pytest.raises`, ...): that handler would no longer see the task's exception.
    handler: Option<Node<'t>>,
    /// A use cancels the task (`t.cancel()`); set while the uses are followed in order.
    cancelled: bool,
    /// A handler of the cancellation around `await t` now catches `anyio.TaskCancelled`.
    catches_cancelled: bool,
    /// The first use that hands the task's failure to this function bare (`await t`,
    /// `t.result()`): it went on to the function's callers as it was.
    delivered: Option<Node<'t>>,
    lost_comment: bool,
    /// Statements that become a compound statement (a task list's gather a loop, a timed wait
    /// a `with`), written once the group's indentation is known.
    compounds: Vec<Compound<'t>>,
    /// Every `await t` of the task.
    awaits: Vec<Node<'t>>,
    /// The first await under a handler inside the task's block, which may see the task's own
    /// exception once the task keeps it (`kept.rs`).
    kept: Option<Node<'t>>,
    /// The helper a thread's future's call runs inside (`_kept_failure`, `kept.rs`).
    thread_wrap: Option<&'static str>,
    /// The first `t.result()` / `t.exception()`.
    reads_outcome: Option<Node<'t>>,
    /// What the note adds for a rewritten use beyond the task's own (a task list's gather).
    notes: Vec<&'static str>,
}

impl<'t> Plan<'t> {
    fn new(call: Node<'t>, callee: Node<'t>, func: Node<'t>, first: Node<'t>) -> Self {
        Plan {
            at: call.start_byte(),
            call,
            edits: Vec::new(),
            callee,
            func,
            first,
            last: first,
            reuse: None,
            handler: None,
            cancelled: false,
            catches_cancelled: false,
            delivered: None,
            lost_comment: false,
            compounds: Vec::new(),
            notes: Vec::new(),
            awaits: Vec::new(),
            kept: None,
            thread_wrap: None,
            reads_outcome: None,
        }
    }

    /// A part of the note, once.
    fn note(&mut self, note: &'static str) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// `statement` becomes a compound statement (`Compound`): its range is claimed now, its
    /// text written in `finish` once the group's indentation is known.
    fn compound(&mut self, statement: Node<'t>, header: Option<String>, body: String) {
        self.edits.push(Edit::replace(statement.byte_range(), ""));
        self.compounds.push(Compound {
            statement,
            header,
            body,
        });
    }

    /// `awaited` waits for the task and hands its failure to this function bare; under a
    /// handler here, that handler would no longer see it.
    fn delivers(&mut self, ctx: &Ctx, awaited: Node<'t>) {
        self.delivered.get_or_insert(awaited);
        if self.handler.is_none() && under_except(ctx.code(), awaited, self.func) {
            self.handler = Some(awaited);
        }
    }
}

/// The expression statement `awaited` is all of, on one line (a compound statement replaces it
/// whole; over several lines, the group's re-indentation would fall inside it).
fn one_line_statement<'t>(ctx: &Ctx<'t>, awaited: Node<'t>) -> Option<Node<'t>> {
    own_statement(ctx.resolver, awaited).filter(|s| !ctx.text_of(*s).contains('\n'))
}

/// A one-line statement that becomes `header:` and the indented `body`, or with no header the
/// lines of `body` one after another (the statement's range is claimed in the plan's edits by an
/// empty replacement until the text is known).
struct Compound<'t> {
    statement: Node<'t>,
    header: Option<String>,
    body: String,
}

/// What planning one task gave: a plan, a finding, or silence (another codemod reports it).
enum Planned<'t> {
    Plan(Box<Plan<'t>>),
    Manual(Finding),
    Silent,
}

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    let Some(creator) = creator(ctx, callee) else {
        return Vec::new();
    };
    if creator != Creator::Executor
        && let Some(outcomes) = task_lists::plan(ctx, call)
    {
        return outcomes;
    }
    // A finding is reported at the call that creates the task, where the code left unchanged
    // is, quoting the use (a `yield`, an await under a handler, a store) that stopped it.
    let stmt = super::enclosing_statement(ctx.resolver, call).unwrap_or(call);
    let outcomes = match analyze(ctx, call, callee, creator) {
        // Its form is `tg.create_task()` and the handle it returns (anyio 4.14).
        // Before it, from 4.0 on, the module helper `_TaskGroup` gives a group that method.
        Planned::Plan(plan) if ctx.targets.has(Api::TaskGroupCreateTask) => finish(ctx, *plan),
        Planned::Plan(mut plan) => match super::shared::release::require(
            ctx,
            ID,
            call.start_byte(),
            Api::TaskGroupExceptionGroup,
            "a task group that raises an ExceptionGroup (for `tg.create_task()`, which the module helper `_TaskGroup` adds before anyio 4.14)",
        ) {
            Ok(()) => {
                // Only the helper group has `create_task()` before anyio 4.14.
                let in_helper_group = ctx
                    .parent(plan.first)
                    .and_then(|block| task_group_of_block(ctx, block))
                    .is_some_and(|(_, helper)| helper);
                if !in_helper_group {
                    plan.reuse = None;
                }
                finish(ctx, *plan)
                    .into_iter()
                    .map(|o| match o {
                        Outcome::Fix(fix) => {
                            match super::shared::task_handles::backport(ctx, call, fix) {
                                Ok(fix) => fix.into(),
                                Err(finding) => finding.into(),
                            }
                        }
                        other @ Outcome::Finding(_) => other,
                    })
                    .collect()
            }
            Err(finding) => vec![finding.into()],
        },
        Planned::Manual(finding) => vec![finding.into()],
        Planned::Silent => Vec::new(),
    };
    outcomes
        .into_iter()
        .map(|o| match o {
            // An `ensure_future` left as it is does not fail on trio, unlike `create_task`.
            Outcome::Finding(mut f) if creator == Creator::EnsureFuture => {
                f.message.push_str("; ");
                f.message
                    .push_str(MESSAGES.text("not-a-coroutine", "on-trio"));
                Outcome::Finding(f)
            }
            other => other,
        })
        .map(|o| super::at_quoting_use(ctx, call, stmt, o))
        .collect()
}

fn creator(ctx: &Ctx, callee: Node) -> Option<Creator> {
    if ctx.is(callee, "asyncio.create_task") {
        return Some(Creator::CreateTask);
    }
    if ctx.is(callee, "asyncio.ensure_future") {
        return Some(Creator::EnsureFuture);
    }
    let call = ctx.resolver.parent(callee)?;
    if is_running_loop_method(ctx, call, "run_in_executor") {
        return Some(Creator::Executor);
    }
    is_running_loop_method(ctx, call, "create_task").then_some(Creator::RunningLoop)
}

/// Why following a task stopped: a finding, or `None` when another codemod reports the spot.
type Halt = Option<Finding>;

fn finding(at: Node, kind: &'static str, why: impl Into<String>, hint: &str) -> Finding {
    Finding::manual(ID, kind, at.start_byte(), why, hint)
}

fn manual<'t>(at: Node, kind: &'static str, why: impl Into<String>, hint: &str) -> Planned<'t> {
    Planned::Manual(finding(at, kind, why, hint))
}

/// Where the task lives and ends, or why it cannot be put in a local task group.
fn analyze<'t>(ctx: &Ctx<'t>, call: Node<'t>, callee: Node<'t>, creator: Creator) -> Planned<'t> {
    let what = match creator {
        Creator::CreateTask => "asyncio.create_task()",
        Creator::EnsureFuture => "asyncio.ensure_future()",
        Creator::RunningLoop => "loop.create_task() on the running loop",
        Creator::Executor => "loop.run_in_executor()",
    };
    if creator == Creator::Executor {
        // asyncio-to-thread reports every executor call it does not rewrite, so this codemod
        // speaks only when it rewrites one: a future bound to a name
        // (`f = loop.run_in_executor(...)`); awaited in place, the call is asyncio-to-thread's.
        // A future bound to a name, or appended to a list the function finishes (`listed.rs`).
        let bound = matches!(classify(ctx, call), HandleUse::Escapes(Escape::Alias(_)))
            || listed::start(ctx, call).is_some();
        if !bound || executor_args(ctx, call).is_none() {
            return Planned::Silent;
        }
        return match analyze_handle(ctx, call, callee, what) {
            plan @ Planned::Plan(_) => plan,
            _ => Planned::Silent,
        };
    }
    if let Some(refusal) = check_args(ctx, call, creator) {
        return refusal;
    }
    match analyze_handle(ctx, call, callee, what) {
        Planned::Plan(plan) if plan.cancelled => match positional_args(call).first() {
            Some(coro) if of_call(ctx.code(), *coro) != Awaitable::Coroutine => manual(
                call,
                "cancelled-unseen-code",
                MESSAGES.fill(
                    "cancelled-unseen-code",
                    "problem",
                    &[("coro", &super::quoted(ctx.text_of(*coro)))],
                ),
                MESSAGES.text("cancelled-unseen-code", "advice"),
            ),
            Some(coro) => match cancel_reaches_handler(ctx, *coro) {
                Some(why) => manual(
                    call,
                    "cancelled-handler-awaits",
                    why,
                    MESSAGES.text("cancelled-handler-awaits", "advice"),
                ),
                None => match cancel_reaches_unseen_wait(ctx, *coro) {
                    Some(why) => manual(
                        call,
                        "cancelled-unseen-code",
                        why,
                        MESSAGES.text("cancelled-unseen-code", "advice"),
                    ),
                    None => Planned::Plan(plan),
                },
            },
            None => Planned::Plan(plan),
        },
        other => other,
    }
}

/// The task's coroutine `coro` (`f(...)` or `self.m(...)`, an `async def` of this file:
/// `exceptions::called_def`) reaches an `except CancelledError:` that awaits without
/// re-raising: asyncio's one `Task.cancel()` lets that await run and the task end as the
/// handler says; anyio's cancellation stays delivered, so the await is cancelled too and the
/// task ends cancelled.
fn cancel_reaches_handler(ctx: &Ctx, coro: Node) -> Option<String> {
    let callee = coro.child_by_field_name("function")?;
    let def = crate::analysis::exceptions::called_def(ctx.code(), callee)?;
    let (handler, chain) = crate::analysis::exceptions::reached_cancel_handler(ctx.code(), def)?;
    Some(MESSAGES.fill(
        "cancelled-handler-awaits",
        "problem",
        &[
            ("chain", &chain.join("` → `")),
            ("line", &(handler.start_position().row + 1).to_string()),
        ],
    ))
}

/// The task's coroutine `coro` (`f(...)` or `self.m(...)`, an `async def` of this file), or an
/// `async def` of this file it awaits, waits in code this file does not show (a method of an
/// object it cannot see, another module's function): that code may catch the cancellation and
/// wait again, which anyio's cancellation, delivered again at every wait, makes spin (a janus
/// queue's `get()`, on an `asyncio.Condition`, hung a corpus suite this way).
fn cancel_reaches_unseen_wait(ctx: &Ctx, coro: Node) -> Option<String> {
    let callee = coro.child_by_field_name("function")?;
    let def = crate::analysis::exceptions::called_def(ctx.code(), callee)?;
    // The parameters the creation hands an asyncio or anyio object (`consumer(inbox)`, `inbox =
    // asyncio.Queue()`): their waits are that object's. A method's first parameter is its
    // receiver (`self.worker(name, queue)`).
    let bound = usize::from(callee.kind() == "attribute");
    let params: Vec<&str> = positional_parameters(def)
        .into_iter()
        .skip(bound)
        .zip(call_args(coro))
        .take_while(|(_, a)| {
            !matches!(
                a.kind(),
                "keyword_argument" | "list_splat" | "dictionary_splat"
            )
        })
        .filter(|(_, a)| crate::analysis::exceptions::is_shown_object(ctx.code(), *a))
        .map(|(p, _)| ctx.text_of(p))
        .collect();
    let (wait, chain) = crate::analysis::exceptions::reached_unseen_wait(ctx.code(), def, &params)?;
    let text = super::quoted(ctx.text_of(wait));
    Some(MESSAGES.fill(
        "cancelled-unseen-code",
        "problem-wait",
        &[("wait", &text), ("chain", &chain.join("` → `"))],
    ))
}

/// Where the task started by `call` lives and ends (its arguments already checked).
fn analyze_handle<'t>(ctx: &Ctx<'t>, call: Node<'t>, callee: Node<'t>, what: &str) -> Planned<'t> {
    let Some(func) = enclosing_function(ctx.resolver, call).filter(|f| is_async_def(*f)) else {
        return manual(
            call,
            "outside-async-def",
            format!("{what} outside an `async def`: the task outlives the code that starts it"),
            long_lived_hint(),
        );
    };
    // A task kept in a local list the function finishes (`listed.rs`); a list used otherwise
    // keeps the finding of a task in a collection, below.
    if let Some(list) = listed::start(ctx, call)
        && let Some(block) = ctx.parent(list.first).filter(|b| b.kind() == "block")
    {
        let mut plan = Plan::new(call, callee, func, list.first);
        match listed::follow(ctx, &mut plan, &list, block) {
            Ok(true) => return settle(ctx, plan, block),
            Ok(false) => {}
            Err(halted) => return halted.map_or(Planned::Silent, Planned::Manual),
        }
    }
    let (binding, first) = match handle_start(ctx, call, what) {
        Ok(start) => start,
        // A task a test leaves behind: a group to the test's end, cancelled there.
        Err(Some(left)) if left.kind == "fire-and-forget" => {
            let Some(stmt) = own_statement(ctx.resolver, call) else {
                return Planned::Manual(left);
            };
            let Some(block) = ctx
                .parent(stmt)
                .filter(|_| test_end::applies(ctx, func, stmt, call))
            else {
                return Planned::Manual(left);
            };
            let mut plan = Plan::new(call, callee, func, stmt);
            test_end::extend(&mut plan);
            return settle(ctx, plan, block);
        }
        Err(halted) => return halted.map_or(Planned::Silent, Planned::Manual),
    };
    let Some(block) = ctx.parent(first).filter(|b| b.kind() == "block") else {
        return Planned::Silent;
    };
    let mut plan = Plan::new(call, callee, func, first);
    if let Some(binding) = binding {
        match follow_handle(ctx, &mut plan, binding, block) {
            Ok(()) => {}
            // Never awaited or cancelled: in a test, a group to its end, cancelled there.
            // Not when the test reads its outcome (`t.exception()`): a failure the test
            // inspects would fail the group instead.
            Err(Some(left))
                if matches!(left.kind, "fire-and-forget" | "never-awaited")
                    && plan.reads_outcome.is_none()
                    && test_end::applies(ctx, func, first, call) =>
            {
                test_end::extend(&mut plan);
            }
            Err(halted) => return halted.map_or(Planned::Silent, Planned::Manual),
        }
    } else {
        // `await asyncio.create_task(...)`: awaited where it is made, its failure handed on bare.
        plan.delivers(ctx, call);
    }
    settle(ctx, plan, block)
}

/// A plan whose uses are all followed: refused when a use hands the task's failure to a
/// handler, here or in a caller; otherwise started in `block`'s own group if it has one.
fn settle<'t>(ctx: &Ctx<'t>, mut plan: Plan<'t>, block: Node<'t>) -> Planned<'t> {
    let (call, func) = (plan.call, plan.func);
    if let Some(site) = plan.kept
        && plan.handler.is_none()
        && !kept::keep(ctx, &mut plan)
    {
        plan.handler = Some(site);
    }
    if let Some(site) = plan.handler {
        return manual(
            site,
            "awaited-in-handler",
            MESSAGES.text("awaited-in-handler", "problem"),
            MESSAGES.text("awaited-in-handler", "advice"),
        );
    }
    if plan.delivered.is_some()
        && let Some(caller) = ctx.catching.seen(ctx.code(), func, ctx.path)
    {
        return manual(
            call,
            "caller-handler",
            MESSAGES.fill(
                "caller-handler",
                "problem",
                &[("caller", &caller.describe())],
            ),
            MESSAGES.text("awaited-in-handler", "advice"),
        );
    }
    plan.reuse = group_of_block(ctx, block);
    Planned::Plan(Box::new(plan))
}

/// How the task's handle starts out: the name it is bound to (if any) and the statement that
/// creates it, or why following it stops (a finding, or `None` for silence).
fn handle_start<'t>(
    ctx: &Ctx<'t>,
    call: Node<'t>,
    what: &str,
) -> Result<(Option<Node<'t>>, Node<'t>), Halt> {
    match classify(ctx, call) {
        HandleUse::Await => {
            let Some(stmt) = super::enclosing_statement(ctx.resolver, call) else {
                return Err(None);
            };
            Ok((None, stmt))
        }
        HandleUse::Escapes(Escape::Alias(name)) => {
            let Some(stmt) = ctx
                .parent(name)
                .and_then(|a| ctx.parent(a))
                .filter(|s| s.kind() == "expression_statement")
            else {
                return Err(None);
            };
            Ok((Some(name), stmt))
        }
        HandleUse::Discarded => Err(Some(finding(
            call,
            "fire-and-forget",
            format!(
                "fire-and-forget {what}: the task is neither kept nor awaited, and a local task group would make this function wait for it"
            ),
            long_lived_hint(),
        ))),
        HandleUse::Escapes(Escape::AsyncioCall(_)) => Err(None),
        HandleUse::Escapes(Escape::Annotated) => Err(Some(finding(
            call,
            "annotated-task",
            format!("{what} assigned to a variable annotated as an asyncio Task"),
            ANNOTATION_HINT,
        ))),
        HandleUse::Escapes(escape) => Err(Some(finding(
            call,
            "task-escapes",
            format!(
                "{what}: {}, so it may outlive this function and a local task group would make the function wait for it",
                escape.describe().replace("task handle", "task")
            ),
            long_lived_hint(),
        ))),
        HandleUse::Unsupported {
            kind,
            why,
            suggestion,
        } => Err(Some(finding(call, kind, why, suggestion))),
        HandleUse::Mapped { .. } => Err(Some(finding(
            call,
            "never-awaited",
            format!("{what} used only for a Task method: the task is never awaited"),
            long_lived_hint(),
        ))),
    }
}

/// `loop.run_in_executor(None, fn, *args)` with plain positional arguments (no keyword, no
/// `*`/`**`), the executor the literal `None` (the default one), on the running loop: the byte
/// range from `fn` to the last argument.
fn executor_args(ctx: &Ctx, call: Node) -> Option<std::ops::Range<usize>> {
    let args = call_args(call);
    let plain = args.iter().all(|a| {
        !matches!(
            a.kind(),
            "keyword_argument" | "list_splat" | "dictionary_splat"
        )
    });
    let (Some(executor), Some(function), Some(last)) = (args.first(), args.get(1), args.last())
    else {
        return None;
    };
    (plain
        && executor.kind() == "none"
        && is_running_loop_method(ctx, call, "run_in_executor")
        && !has_comment(call))
    .then(|| function.start_byte()..last.end_byte())
}

/// The arguments are one coroutine plus `name=` (which anyio's `TaskGroup.create_task` also
/// takes); for `ensure_future`, a call that provably makes one. `context=` is taken too, but
/// anyio runs the task in a copy of that context (`docs/evidence/create_task_context.py`).
fn check_args<'t>(ctx: &Ctx<'t>, call: Node<'t>, creator: Creator) -> Option<Planned<'t>> {
    let positional = positional_args(call);
    let args = call_args(call);
    let keywords_ok = args.iter().all(|a| {
        a.kind() != "keyword_argument"
            || (creator != Creator::EnsureFuture
                && a.child_by_field_name("name")
                    .is_some_and(|n| matches!(ctx.text_of(n), "name" | "context")))
    });
    let plain = args
        .iter()
        .all(|a| !matches!(a.kind(), "list_splat" | "dictionary_splat"));
    if let Some(context) = keyword_arg(call, ctx.text, "context") {
        return Some(manual(
            context,
            "context-argument",
            CONTEXT_WHY,
            CONTEXT_HINT,
        ));
    }
    if positional.len() != 1 || !keywords_ok || !plain {
        return Some(manual(
            call,
            "unknown-arguments",
            "the task is started with arguments anyio's `TaskGroup.create_task(coro, *, name=None, context=None)` does not take",
            "start it with `tg.create_task(coro, name=...)` in a task group",
        ));
    }
    if creator != Creator::EnsureFuture {
        return None;
    }
    let arg = positional[0];
    if arg.kind() != "call" {
        return Some(manual(
            call,
            "not-a-coroutine",
            MESSAGES.text("not-a-coroutine", "problem"),
            MESSAGES.text("not-a-coroutine", "advice"),
        ));
    }
    if !makes_coroutine(ctx, arg) {
        return Some(manual(
            call,
            "not-a-coroutine",
            "asyncio.ensure_future() of a call that is not provably a coroutine (a Future or Task would be returned as it is)",
            "if it is a coroutine, write `asyncio.create_task(...)` and run the migration again; otherwise await the future directly",
        ));
    }
    None
}

/// A call the shared analysis shows to make a coroutine object (`analysis::awaitable`).
fn makes_coroutine(ctx: &Ctx, call: Node) -> bool {
    crate::analysis::awaitable::of_call(ctx.code(), call)
        == crate::analysis::awaitable::Awaitable::Coroutine
}

/// Follow the name the task is bound to: its uses must all sit in the statements after the
/// creation in the same block, map to anyio's handle, and await or cancel the task.
fn follow_handle<'t>(
    ctx: &Ctx<'t>,
    plan: &mut Plan<'t>,
    binding: Node<'t>,
    block: Node<'t>,
) -> Result<(), Halt> {
    let name = ctx.text_of(binding);
    if ctx.resolver.defining_scope(name, binding) != Some(plan.func.id()) {
        return Err(Some(finding(
            binding,
            "global-task-name",
            format!("the task is bound to `{name}`, a global or nonlocal name"),
            enclose_hint(),
        )));
    }
    let refs = ctx.resolver.references(ctx.tree, name, binding);
    let Some(pos) = refs.iter().position(|r| r.id() == binding.id()) else {
        return Err(None);
    };
    let next_store = refs[pos + 1..]
        .iter()
        .position(|r| is_binding_site(ctx.resolver, *r));
    let end = next_store.map_or(refs.len(), |i| pos + 1 + i);
    if let Some(store) = refs.get(end)
        && !is_plain_rebinding(ctx, *store, block)
    {
        return Err(Some(finding(
            *store,
            "rebound-task-name",
            format!("`{name}` is rebound inside a nested block while it holds the task"),
            enclose_hint(),
        )));
    }
    // A read before the creation inside the same loop sees the previous iteration's task.
    if let Some(looped) = innermost_loop(ctx, plan.first, plan.func)
        && let Some(early) = refs[..pos]
            .iter()
            .find(|r| inside(looped, **r) && !is_binding_site(ctx.resolver, **r))
    {
        return Err(Some(finding(
            *early,
            "read-across-iterations",
            format!("`{name}` is read across loop iterations"),
            enclose_hint(),
        )));
    }
    let uses = &refs[pos + 1..end];
    if uses.is_empty() {
        return Err(Some(finding(
            binding,
            "fire-and-forget",
            format!(
                "fire-and-forget task: `{name}` is never used, and a local task group would make this function wait for it"
            ),
            long_lived_hint(),
        )));
    }
    let mut ends = false;
    for u in uses {
        ends |= follow_use(ctx, plan, name, *u, block)?;
    }
    if !ends {
        return Err(Some(finding(
            binding,
            "never-awaited",
            format!(
                "the task `{name}` is never awaited or cancelled in this function: a local task group would make the function wait for it"
            ),
            long_lived_hint(),
        )));
    }
    if let Some(last) = uses.last().and_then(|u| statement_of_block(ctx, block, *u)) {
        plan.last = last;
    }
    Ok(())
}

/// One use of the task's name: its edits go into `plan`; `true` when it awaits or cancels the
/// task.
fn follow_use<'t>(
    ctx: &Ctx<'t>,
    plan: &mut Plan<'t>,
    name: &str,
    u: Node<'t>,
    block: Node<'t>,
) -> Result<bool, Halt> {
    if enclosing_function(ctx.resolver, u).map(|f| f.id()) != Some(plan.func.id()) {
        return Err(Some(finding(
            u,
            "used-in-nested-function",
            format!("the task `{name}` is used in a nested function"),
            enclose_hint(),
        )));
    }
    if statement_of_block(ctx, block, u).is_none() {
        return Err(Some(finding(
            u,
            "used-after-block",
            format!(
                "the task `{name}` is used after the block it was created in ends: a task group there cannot reach this use"
            ),
            enclose_hint(),
        )));
    }
    // `asyncio.wait([t1, t2])`: the list is what is passed.
    let used = match classify(ctx, u) {
        HandleUse::Escapes(Escape::Container(list)) => match classify(ctx, list) {
            passed @ HandleUse::Escapes(Escape::AsyncioCall(_)) => passed,
            _ => HandleUse::Escapes(Escape::Container(list)),
        },
        other => other,
    };
    match used {
        HandleUse::Await => {
            plan.delivered.get_or_insert(u);
            plan.awaits.push(u);
            if plan.handler.is_none() && under_except(ctx.code(), u, plan.func) {
                match cancelled_task_handlers(ctx, plan, u, block) {
                    Some(edits) => {
                        for edit in edits {
                            if !plan.edits.iter().any(|e| e.range == edit.range) {
                                plan.edits.push(edit);
                            }
                        }
                        plan.catches_cancelled = true;
                    }
                    // A handler in the group may still see the task's own exception (`kept.rs`).
                    // One that can catch a cancellation (the function's own) is not only for
                    // the task's failure.
                    None if catchers(ctx.code(), u, plan.func)
                        .iter()
                        .all(|c| inside(block, *c) && !catches_cancellation(ctx.code(), *c)) =>
                    {
                        plan.kept.get_or_insert(u);
                    }
                    None => plan.handler = Some(u),
                }
            }
            Ok(true)
        }
        HandleUse::Mapped {
            edits,
            cancels,
            raises,
            lost_comment,
            ..
        } => {
            plan.edits.extend(edits);
            plan.cancelled |= cancels;
            if raises {
                plan.reads_outcome.get_or_insert(u);
                plan.delivers(ctx, u);
            }
            plan.lost_comment |= lost_comment;
            Ok(cancels)
        }
        HandleUse::Discarded => Ok(false),
        HandleUse::Unsupported {
            kind,
            why,
            suggestion,
        } => Err(Some(finding(u, kind, why, suggestion))),
        // A wait through asyncio that has an anyio form (`timed.rs`).
        HandleUse::Escapes(Escape::AsyncioCall(q)) if timed::waits(ctx, plan, u, &q) => Ok(true),
        // Any other: that call's codemod reports it too (`asyncio.wait([t1, t2])`); the task
        // stays an asyncio task until both move to a task group.
        HandleUse::Escapes(Escape::AsyncioCall(q)) => Err(Some(passed_to_asyncio(u, name, &q))),
        HandleUse::Escapes(escape) => Err(Some(finding(
            u,
            "task-escapes",
            format!(
                "{}: it may outlive this function, so a local task group would make the function wait for it",
                escape
                    .describe()
                    .replace("task handle", format!("task `{name}`").as_str())
            ),
            long_lived_hint(),
        ))),
    }
}

/// `await t` after `t.cancel()` (earlier in the function's text), where every handler around
/// the await lies inside the block that creates the task (so inside the group) and catches the
/// cancellation only: `except asyncio.CancelledError:` (one clause, one class, no `as`, no
/// `raise` in it), `with suppress(asyncio.CancelledError):` or `with
/// pytest.raises(asyncio.CancelledError):` (one positional argument, no `as`). Awaiting a
/// cancelled handle raises `anyio.TaskCancelled`: the edits make each handler catch that. A
/// failure of the task still goes past them, as it did (now as anyio.TaskFailed, the group
/// raising it at its end: the note's first clause).
fn cancelled_task_handlers(ctx: &Ctx, plan: &Plan, u: Node, block: Node) -> Option<Vec<Edit>> {
    if !plan.cancelled {
        return None;
    }
    let code = ctx.code();
    let mut edits = Vec::new();
    for catcher in catchers(code, u, plan.func) {
        if !inside(block, catcher) {
            return None;
        }
        let caught = match catcher.kind() {
            "try_statement" => cancel_only_clause(ctx, catcher)?,
            _ => cancel_only_with(ctx, catcher)?,
        };
        edits.push(Edit::replace(caught.byte_range(), "anyio.TaskCancelled"));
    }
    Some(edits)
}

/// The class of the one `except asyncio.CancelledError:` clause of `try_stmt`, when that clause
/// neither binds nor raises anything.
fn cancel_only_clause<'t>(ctx: &Ctx<'t>, try_stmt: Node<'t>) -> Option<Node<'t>> {
    let clauses: Vec<Node> = named_children(try_stmt)
        .filter(|c| matches!(c.kind(), "except_clause" | "except_group_clause"))
        .collect();
    let [clause] = clauses.as_slice() else {
        return None;
    };
    let code = ctx.code();
    let types = caught_types(*clause);
    let [caught] = types.as_slice() else {
        return None;
    };
    let body = clause_block(*clause)?;
    (clause.kind() == "except_clause"
        && bound_name(code, *clause).is_none()
        && is_cancellation_class(ctx.code(), *caught)
        && !has_raise(body))
    .then_some(*caught)
}

/// The argument of `with suppress(asyncio.CancelledError):` / `with
/// pytest.raises(asyncio.CancelledError):` (one item, no `as`, no other argument).
fn cancel_only_with<'t>(ctx: &Ctx<'t>, with: Node<'t>) -> Option<Node<'t>> {
    let clause = named_children(with).find(|c| c.kind() == "with_clause")?;
    let items: Vec<Node> = named_children(clause).collect();
    let [item] = items.as_slice() else {
        return None;
    };
    if item_pattern(*item).is_some() {
        return None;
    }
    let call = item.named_child(0).filter(|c| c.kind() == "call")?;
    let callee = call.child_by_field_name("function")?;
    let args = call_args(call);
    let [arg] = args.as_slice() else {
        return None;
    };
    ((ctx.is(callee, "contextlib.suppress") || ctx.is(callee, "pytest.raises"))
        && is_cancellation_class(ctx.code(), *arg))
    .then_some(*arg)
}

/// A `raise` statement anywhere in `node`.
fn has_raise(node: Node) -> bool {
    node.kind() == "raise_statement" || named_children(node).any(has_raise)
}

/// The task is handed to another asyncio API, whose codemod reports that call: this one is
/// left as it is, and says so.
fn passed_to_asyncio(u: Node, name: &str, callee: &str) -> Finding {
    finding(
        u,
        "passed-to-asyncio",
        MESSAGES.fill(
            "passed-to-asyncio",
            "problem",
            &[("name", name), ("callee", callee)],
        ),
        MESSAGES.text("passed-to-asyncio", "advice"),
    )
}

/// `t = ...` as a statement of `block` itself (not in a nested `if` or loop).
fn is_plain_rebinding(ctx: &Ctx, store: Node, block: Node) -> bool {
    ctx.parent(store)
        .filter(|a| a.kind() == "assignment" && field_is(*a, "left", store))
        .and_then(|a| ctx.parent(a))
        .filter(|s| s.kind() == "expression_statement")
        .and_then(|s| ctx.parent(s))
        .is_some_and(|b| b.id() == block.id())
}

/// The innermost `for` / `while` around `node` inside `func`.
fn innermost_loop<'t>(ctx: &Ctx<'t>, node: Node<'t>, func: Node<'t>) -> Option<Node<'t>> {
    let mut cur = ctx.parent(node);
    while let Some(n) = cur {
        if n.id() == func.id() {
            return None;
        }
        if matches!(n.kind(), "for_statement" | "while_statement") {
            return Some(n);
        }
        cur = ctx.parent(n);
    }
    None
}

/// `GROUP.create_task(anyio.to_thread.run_sync(fn, *args, abandon_on_cancel=True))` for a
/// thread's future (`args` the range of `fn, *args`), the thread call inside `wrap(...)`.
fn thread_task(ctx: &Ctx, group: &str, args: std::ops::Range<usize>, wrap: Option<&str>) -> String {
    let thread = format!(
        "anyio.to_thread.run_sync({}, {}=True)",
        &ctx.text[args],
        super::abandon_keyword(ctx)
    );
    match wrap {
        Some(helper) => format!("{group}.create_task({helper}({thread}))"),
        None => format!("{group}.create_task({thread})"),
    }
}

/// The fix: start the task in the enclosing group, or wrap the creation through the last use
/// (and through the last use of every task started in between) in a new group.
fn finish<'t>(ctx: &Ctx<'t>, mut plan: Plan<'t>) -> Vec<Outcome> {
    let group = plan
        .reuse
        .clone()
        .unwrap_or_else(|| free_name(ctx, plan.func, "tg"));
    // The creation's own edit goes in first: the wrap below leaves alone a line whose first
    // character one of the plan's edits replaces (a creation that starts a line of a list).
    let executor = ctx
        .parent(plan.callee)
        .and_then(|call| executor_args(ctx, call).map(|args| (call, args)));
    let mut note = MESSAGES.text("create-task", "note").to_owned();
    match executor {
        Some((call, args)) => {
            let start = thread_task(ctx, &group, args, plan.thread_wrap);
            plan.edits.push(Edit::replace(call.byte_range(), start));
            note.push_str(MESSAGES.text("create-task", "executor-note"));
        }
        None => plan.edits.push(Edit::replace(
            plan.callee.byte_range(),
            format!("{group}.create_task"),
        )),
    }
    if plan.reuse.is_none() {
        let Some(block) = ctx.parent(plan.first) else {
            return Vec::new();
        };
        let mut last = plan.last;
        let mut cur = plan.first.next_named_sibling();
        while let Some(stmt) = cur {
            if stmt.start_byte() > last.start_byte() {
                break;
            }
            if let Some(other) = later_task_end(ctx, stmt, block, plan.func)
                && other.start_byte() > last.start_byte()
            {
                last = other;
            }
            cur = stmt.next_named_sibling();
        }
        plan.last = last;
        let mut cur = Some(plan.first);
        while let Some(stmt) = cur.filter(|s| s.start_byte() <= plan.last.start_byte()) {
            if let Some(y) = has_own_yield(ctx, stmt, plan.func) {
                return vec![
                    Finding::manual(
                        ID,
                        "yield-in-group",
                        y.start_byte(),
                        MESSAGES.text("yield-in-group", "problem"),
                        MESSAGES.text("yield-in-group", "advice"),
                    )
                    .into(),
                ];
            }
            cur = stmt.next_named_sibling();
        }
        let header = format!("async with anyio.create_task_group() as {group}:");
        let wrapped = match wrap_exclusive(ctx, plan.first, plan.last, &header, &plan.edits) {
            Ok(edits) => edits,
            Err(why) => {
                return vec![
                    Finding::manual(ID, "cannot-wrap", plan.at, why, enclose_hint()).into(),
                ];
            }
        };
        let straddles = plan.edits.iter().any(|e| {
            wrapped
                .iter()
                .any(|w| e.range.start < w.range.end && w.range.start < e.range.end)
        });
        if straddles {
            return vec![
                Finding::manual(
                    ID,
                    "multiline-task-method",
                    plan.at,
                    "a use of the task to rewrite (a Task method call, its creation, a list's gather) spans several lines",
                    enclose_hint(),
                )
                .into(),
            ];
        }
        plan.edits.extend(wrapped);
        if test_end::ends_with_test(&plan) {
            let cancel = test_end::cancel_at_end(ctx, &plan, &group);
            plan.edits.push(cancel);
        }
    }
    if let Err(why) = write_compounds(ctx, &mut plan) {
        return vec![Finding::manual(ID, "cannot-wrap", plan.at, why, enclose_hint()).into()];
    }
    note.push_str(&note_tail(&plan));
    let fix = Fix::new(ID, "create-task", plan.at, Verdict::Unsafe, plan.edits).note(note);
    vec![fix.into()]
}

/// What the note adds to the task's own for this plan: an early `return`, a task list's gather,
/// a handler that now catches anyio's cancellation, a dropped comment.
fn note_tail(plan: &Plan) -> String {
    let mut tail = String::new();
    if returns_early(plan.first, plan.last) {
        tail.push_str("; a `return` before the last use now waits for the task to finish");
    }
    for extra in &plan.notes {
        tail.push_str(MESSAGES.text("create-task", extra));
    }
    if plan.catches_cancelled {
        tail.push_str(MESSAGES.text("create-task", "cancelled-handler-note"));
    }
    if plan.lost_comment {
        tail.push_str("; a comment inside a rewritten Task method call was dropped");
    }
    tail
}

/// Each compound statement's text (`Compound`), now that the group's indentation is known: one
/// step more when the fix wraps the statements. Another edit of the plan inside one of them
/// refuses the fix.
fn write_compounds(ctx: &Ctx, plan: &mut Plan) -> Result<(), Refusal> {
    let wrapped = plan.reuse.is_none();
    for compound in std::mem::take(&mut plan.compounds) {
        let range = compound.statement.byte_range();
        if plan
            .edits
            .iter()
            .any(|e| e.range != range && e.range.start < range.end && range.start < e.range.end)
        {
            return Err("another rewrite of the task falls inside the statement that waits for it");
        }
        let mut outer = line_indent(ctx.text, range.start).to_owned();
        if wrapped {
            outer.push_str(&block_step(ctx, plan.first));
        }
        let text = match &compound.header {
            Some(header) => format!(
                "{header}:\n{outer}{}{}",
                block_step(ctx, compound.statement),
                compound.body
            ),
            // Statements one after another, each on a line of its own.
            None => compound.body.replace('\n', &format!("\n{outer}")),
        };
        if let Some(edit) = plan.edits.iter_mut().find(|e| e.range == range) {
            edit.text = text;
        }
    }
    Ok(())
}

/// A `return` of the function in the statements `first..last` (not of a nested one; the last
/// statement's own `return` ends the group after the task's last use, as before).
fn returns_early(first: Node, last: Node) -> bool {
    let mut cur = Some(first);
    while let Some(stmt) = cur.filter(|s| s.start_byte() < last.start_byte()) {
        if crate::analysis::syntax::own_nodes(stmt).any(|n| n.kind() == "return_statement") {
            return true;
        }
        cur = stmt.next_named_sibling();
    }
    false
}

/// `stmt` starts another task that this pass would wrap in its own group in `block`: the
/// statement of its last use, so one group covers both.
fn later_task_end<'t>(
    ctx: &Ctx<'t>,
    stmt: Node<'t>,
    block: Node<'t>,
    func: Node<'t>,
) -> Option<Node<'t>> {
    let call = stmt
        .named_child(0)
        .filter(|a| a.kind() == "assignment")
        .and_then(|a| a.child_by_field_name("right"))
        .filter(|c| c.kind() == "call")?;
    let callee = call.child_by_field_name("function")?;
    let creator = creator(ctx, callee)?;
    match analyze(ctx, call, callee, creator) {
        Planned::Plan(p)
            if p.reuse.is_none() && ctx.parent(p.first).is_some_and(|b| b.id() == block.id()) =>
        {
            Some(p.last)
        }
        Planned::Plan(_) => None,
        // A task that stays asyncio's: the group around its creation reaches its last use in
        // the block too (the group's own tasks are done by then, so the wait is the same), or
        // the next pass would report that use as out of the group's reach instead of the
        // task's own reason. Not past a `yield` of the function, which a group may not span.
        _ => {
            let end = last_use_in_block(ctx, stmt, block)?;
            std::iter::successors(Some(stmt), Node::next_named_sibling)
                .take_while(|s| s.start_byte() <= end.start_byte())
                .all(|s| has_own_yield(ctx, s, func).is_none())
                .then_some(end)
        }
    }
}

/// The last statement of `block` after `stmt` (`name = ...`) that reads `name`.
fn last_use_in_block<'t>(ctx: &Ctx<'t>, stmt: Node<'t>, block: Node<'t>) -> Option<Node<'t>> {
    let name = stmt
        .named_child(0)
        .and_then(|a| a.child_by_field_name("left"))
        .filter(|n| n.kind() == "identifier")?;
    let text = ctx.text_of(name);
    ctx.resolver
        .references(ctx.tree, text, name)
        .into_iter()
        .filter(|r| r.start_byte() > stmt.end_byte())
        .filter_map(|r| statement_of_block(ctx, block, r))
        .max_by_key(Node::start_byte)
}

/// `base`, `base2`, ...: the first that `func` does not mention as a word, so binding it there
/// shadows nothing the function reads.
fn free_name(ctx: &Ctx, func: Node, base: &str) -> String {
    super::fresh_name(ctx.text_of(func), base)
}

/// The indentation step of the block holding `stmt`: its own (its indentation beyond its
/// header's), which beats the file-wide guess.
fn block_step(ctx: &Ctx, stmt: Node) -> String {
    let indent = line_indent(ctx.text, stmt.start_byte());
    let outer = ctx
        .parent(stmt)
        .and_then(|b| ctx.parent(b))
        .map_or("", |owner| line_indent(ctx.text, owner.start_byte()));
    match indent.strip_prefix(outer) {
        Some(own) if !own.is_empty() => own.to_owned(),
        _ => step_for(ctx, indent),
    }
}

/// `block::wrap`, written so that every overlapping statement-level edit clashes with it.
/// `block::wrap` makes bare inserts, identical for every wrap that covers a line, and the engine
/// applies identical edits of different fixes once, as shared: two overlapping wraps (two tasks,
/// or a task and another codemod's group) were both applied in one pass with one indentation
/// step between them, and a statement replaced by multi-line text (another codemod's group
/// around one statement) kept its old indentation, which ends this group early. Here each line
/// gets two edits: the newline before it and its indentation are replaced (the header goes into
/// the first line's), and its first character is replaced by itself. An insert at a line start
/// or after a shallower indentation falls inside the first; an edit that starts at the
/// statement touches the second; either way the engine defers one fix to the next pass. The
/// second edit also keeps reported positions at a statement start exact. A line where one of
/// `own` edits starts at the first character gets only the first edit.
fn wrap_exclusive(
    ctx: &Ctx,
    first: Node,
    last: Node,
    header: &str,
    own: &[Edit],
) -> Result<Vec<Edit>, Refusal> {
    if !owns_lines(ctx, first, last) {
        return Err("the statement shares its line with another statement");
    }
    let indent = line_indent(ctx.text, first.start_byte());
    let step = block_step(ctx, first);
    let start = line_start(ctx.text, first.start_byte());
    if start == 0 {
        return Err("the statement starts the file");
    }
    let end = last.end_byte();
    let mut edits = Vec::new();
    for (pos, line) in lines_from(ctx.text, start, end) {
        let content = line.len() - line.trim_start_matches([' ', '\t']).len();
        if pos == start || (!line.trim().is_empty() && !starts_inside_string(ctx, pos)) {
            let keep = if line.starts_with(indent) {
                indent.len()
            } else {
                0
            };
            let newline = if ctx.text[..pos].ends_with("\r\n") {
                pos - 2
            } else {
                pos - 1
            };
            let head = if pos == start {
                format!("{indent}{header}\n")
            } else {
                String::new()
            };
            let at = pos + content;
            edits.push(Edit::replace(
                newline..at,
                format!("\n{head}{}{step}{}", &line[..keep], &line[keep..content]),
            ));
            if let Some(c) = line[content..].chars().next().filter(|c| *c != '\r')
                && !own.iter().any(|e| e.range.start == at)
            {
                edits.push(Edit::replace(at..at + c.len_utf8(), c.to_string()));
            }
        }
    }
    Ok(edits)
}

#[cfg(test)]
mod tests;
