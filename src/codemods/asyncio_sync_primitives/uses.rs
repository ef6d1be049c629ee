//! Use analysis: every use of a target checked against what anyio's primitive offers.

use super::helpers::{
    ValueUse, context_manager_pair, is_inspection, locked_fix, only_semaphores, outer_await,
    parameter_target, snippet, value_use,
};
use super::targets::{Target, target_of_expression, uses};
use super::{ID, Kind, MAX_FOLLOW_DEPTH, MESSAGES};
use crate::analysis::bindings::is_target;
use crate::codemods::Ctx;
use crate::codemods::enclosing_function;
use crate::edit::{Edit, Finding, Fix, Outcome, Verdict};
use std::collections::HashSet;
use tree_sitter::Node;

// ---------------------------------------------------------------------------------------------
// Use analysis

/// An attribute's object and member, and the call it is the callee of (`x.m(...)`), if any.
fn member_parts<'t>(
    ctx: &Ctx<'t>,
    attribute: Node<'t>,
) -> Option<(Node<'t>, Node<'t>, Option<Node<'t>>)> {
    let object = attribute.child_by_field_name("object")?;
    let member = attribute.child_by_field_name("attribute")?;
    let call = ctx.parent(attribute).filter(|c| {
        c.kind() == "call"
            && c.child_by_field_name("function")
                .is_some_and(|f| f.id() == attribute.id())
    });
    Some((object, member, call))
}

#[derive(Default)]
pub(super) struct Analysis<'t> {
    /// Uses with no anyio equivalent: where, the finding's kind, why, suggested fix.
    pub(super) hard: Vec<(Node<'t>, &'static str, String, String)>,
    /// Mechanical rewrites of uses (`locked()`, `_value`).
    pub(super) rewrites: Vec<Fix>,
    /// Behaviour changes for the UNSAFE note.
    pub(super) flags: Vec<String>,
    /// The functions that call `acquire()` (None: module level).
    pub(super) acquirers: Vec<Option<Node<'t>>>,
    /// `release()` calls and the function they are in.
    pub(super) releases: Vec<(Node<'t>, Option<Node<'t>>)>,
    /// Where an Event leaves the code we can see (quoted).
    /// Where the primitive leaves the code we can see: the node and how it reads.
    pub(super) escapes: Vec<(Node<'t>, String)>,
    pub(super) visited: HashSet<(usize, String)>,
    /// A Future's awaits and `result()` reads: where a failure or cancellation would surface.
    pub(super) waiters: usize,
    /// A Future's uses whose meaning changes when it is awaited too.
    pub(super) finishers: Vec<(Node<'t>, super::futures::Finisher)>,
    /// The Future becomes the `_Future` helper (asyncio's interface): its uses stay as written.
    pub(super) future_helper: bool,
}

impl<'t> Analysis<'t> {
    /// The constructor's fix (at `at`) and the uses' rewrites, which complete it: never
    /// applied without it.
    pub(super) fn with_use_rewrites(self, fix: Fix, at: usize) -> Vec<Outcome> {
        std::iter::once(Outcome::from(fix))
            .chain(
                self.rewrites
                    .into_iter()
                    .map(|f| Outcome::from(f.requiring(at))),
            )
            .collect()
    }

    pub(super) fn flag(&mut self, note: String) {
        if !self.flags.contains(&note) {
            self.flags.push(note);
        }
    }

    pub(super) fn hard(
        &mut self,
        node: Node<'t>,
        kind: &'static str,
        why: String,
        suggestion: String,
    ) {
        if !self
            .hard
            .iter()
            .any(|(n, _, w, _)| n.id() == node.id() && *w == why)
        {
            self.hard.push((node, kind, why, suggestion));
        }
    }

    /// Look at every use of `target`. `direct`: the constructor is bound right there, so the
    /// uses may be rewritten (otherwise other objects may reach them too).
    pub(super) fn run(&mut self, ctx: &Ctx<'t>, target: &Target<'t>, kind: Kind, direct: bool) {
        self.run_at(ctx, target, kind, direct, 0);
    }

    pub(super) fn run_at(
        &mut self,
        ctx: &Ctx<'t>,
        target: &Target<'t>,
        kind: Kind,
        direct: bool,
        depth: usize,
    ) {
        if !self.visited.insert(target.key()) {
            return;
        }
        let rewritable = direct
            && match kind {
                Kind::Future => super::futures::only_futures(ctx, target),
                // An Event reset by rebinding: only an attribute every use reads afresh.
                Kind::Event => {
                    matches!(target, Target::Attr { .. })
                        && super::helpers::only_constructors(ctx, target, |k, _, call| {
                            k == Kind::Event && crate::codemods::call_args(call).is_empty()
                        })
                }
                _ => kind.is_semaphore() && only_semaphores(ctx, target),
            };
        for used in uses(ctx, target) {
            self.classify(ctx, used, kind, rewritable, depth);
        }
        // The same attribute read through other objects (`entry.future.cancel()`): maybe this
        // primitive, maybe another object's, so judged but never rewritten.
        if let Target::Attr { class, name } = target {
            for used in super::targets::foreign_attribute_uses(ctx, *class, name) {
                if !is_target(ctx.resolver, used) {
                    self.classify(ctx, used, kind, false, depth);
                }
            }
        }
    }

    pub(super) fn classify(
        &mut self,
        ctx: &Ctx<'t>,
        used: Node<'t>,
        kind: Kind,
        rewritable: bool,
        depth: usize,
    ) {
        let mut node = used;
        let mut parent = ctx.parent(used);
        while let Some(p) = parent.filter(|p| p.kind() == "parenthesized_expression") {
            node = p;
            parent = ctx.parent(p);
        }
        let Some(parent) = parent else {
            return;
        };
        match parent.kind() {
            "attribute"
                if parent
                    .child_by_field_name("object")
                    .is_some_and(|o| o.id() == node.id()) =>
            {
                self.member(ctx, parent, kind, rewritable);
            }
            "await" if kind == Kind::Future => self.waiters += 1,
            "argument_list" => {
                let call = ctx.parent(parent).filter(|c| c.kind() == "call");
                if call.is_some_and(|c| is_inspection(ctx, c)) {
                    return;
                }
                if kind == Kind::Future && call.is_some_and(|c| timed_wait(ctx, c, node)) {
                    self.waiters += 1;
                    return;
                }
                self.passed(ctx, node, kind, depth);
            }
            "keyword_argument" => self.passed(ctx, node, kind, depth),
            // `self._drained = drained` in a method: follow the attribute through the class.
            "assignment"
                if parent
                    .child_by_field_name("right")
                    .is_some_and(|r| r.id() == node.id()) =>
            {
                let target = parent
                    .child_by_field_name("left")
                    .filter(|l| l.kind() == "attribute")
                    .and_then(|l| target_of_expression(ctx, l));
                match target {
                    Some(target) if depth < MAX_FOLLOW_DEPTH => {
                        self.run_at(ctx, &target, kind, false, depth + 1);
                    }
                    _ => self.escape(ctx, node, kind),
                }
            }
            "with_item"
            | "as_pattern"
            | "comparison_operator"
            | "not_operator"
            | "boolean_operator"
            | "if_statement"
            | "elif_clause"
            | "while_statement"
            | "assert_statement"
            | "expression_statement" => {}
            _ => self.escape(ctx, node, kind),
        }
    }

    /// `cond.wait_for(predicate)`: anyio's Condition has it from 4.11 on.
    fn wait_for(&mut self, ctx: &Ctx<'t>, at: Node<'t>, recv: &str) {
        let api = crate::target::api::Api::ConditionWaitFor;
        if ctx.targets.has(api) {
            return;
        }
        let since = api.since();
        self.hard(
            at,
            "anyio-too-old",
            format!(
                "anyio.Condition has wait_for() from {since} on; the project allows anyio {}",
                ctx.targets.anyio
            ),
            format!(
                "wait in a loop: `while not predicate(): await {recv}.wait()`, or require anyio>={since}"
            ),
        );
    }

    /// `event.clear()`: reset by binding a fresh Event where the target allows it, else a gap.
    fn clear(
        &mut self,
        ctx: &Ctx<'t>,
        attribute: Node<'t>,
        call: Option<Node<'t>>,
        rewritable: bool,
    ) {
        let recv = attribute
            .child_by_field_name("object")
            .map_or("", |o| ctx.text_of(o));
        match call
            .filter(|_| rewritable)
            .and_then(|c| super::helpers::clear_fix(ctx, c, recv))
        {
            Some(fix) => self.rewrites.push(fix),
            None => self.hard(
                call.unwrap_or(attribute),
                "event-clear",
                "anyio.Event has no clear()".to_owned(),
                format!(
                    "anyio.Event cannot be reset: bind a fresh one instead, `if {recv}.is_set(): {recv} = anyio.Event()` \
                     (correct only if every waiter reads `{recv}` again after the reset), then \
                     change the constructor to anyio.Event()"
                ),
            ),
        }
    }

    /// `x.member` or `x.member(...)`.
    pub(super) fn member(
        &mut self,
        ctx: &Ctx<'t>,
        attribute: Node<'t>,
        kind: Kind,
        rewritable: bool,
    ) {
        let Some((object, member, call)) = member_parts(ctx, attribute) else {
            return;
        };
        let recv = ctx.text_of(object);
        if kind == Kind::Future {
            let name = ctx.text_of(member);
            return self.future_member(ctx, attribute, (recv, name), call, rewritable);
        }
        if let Some(call) = call {
            self.outside_loop(ctx, call, ctx.text_of(member), kind);
        }
        match ctx.text_of(member) {
            "clear" if kind == Kind::Event => self.clear(ctx, attribute, call, rewritable),
            "locked" if kind.is_semaphore() && call.is_some() => {
                let Some(call) = call else {
                    return;
                };
                match rewritable
                    .then(|| locked_fix(ctx, call, object, member))
                    .flatten()
                {
                    Some(fix) => self.rewrites.push(fix),
                    None => self.hard(
                        call,
                        "no-locked",
                        "anyio.Semaphore has no locked()".to_owned(),
                        format!("`{recv}.value == 0` once `{recv}` is always an anyio.Semaphore"),
                    ),
                }
            }
            "_value" if kind.is_semaphore() && call.is_none() => {
                if rewritable && !is_target(ctx.resolver, attribute) {
                    let edit = Edit::replace(member.byte_range(), "value");
                    self.rewrites.push(
                        Fix::new(
                            ID,
                            "private-value",
                            member.start_byte(),
                            Verdict::Safe,
                            vec![edit],
                        )
                        .needs_only(&[]),
                    );
                } else {
                    self.hard(
                        attribute,
                        "read-only-value",
                        "asyncio.Semaphore._value: anyio's `value` is read-only".to_owned(),
                        format!("read `{recv}.value`; keep a separate counter to change it"),
                    );
                }
            }
            private if private.starts_with('_') => self.hard(
                attribute,
                "private-attribute",
                format!("`{private}` is asyncio internal state that anyio's objects do not have"),
                "use the public API; anyio's primitives have statistics() for waiter counts"
                    .to_owned(),
            ),
            "acquire" if kind.has_acquire() => {
                if let Some(call) = call {
                    self.acquire(ctx, call, kind);
                }
            }
            "wait" | "wait_for"
                if kind == Kind::Condition
                    && call.is_some_and(|c| {
                        crate::codemods::awaited_by(ctx.resolver, c).is_none()
                    }) =>
            {
                self.waited_elsewhere(ctx, call.unwrap_or(attribute));
            }
            "wait" if kind.has_wait() => match call {
                Some(call) => self.value(ctx, call, "wait"),
                // `pool.create_task(gate.wait)`: whoever calls it may use the value. Found on
                // a task pool outside the corpus whose test checked `await task is True`.
                None => self.hard(
                    attribute,
                    "wait-handed-out",
                    "its `wait` is handed out uncalled: the code that calls it may use its value, which anyio's wait() returns as None where asyncio's returned True".to_owned(),
                    format!(
                        "hand out a coroutine function that keeps the value: `async def wait(): await {recv}.wait(); return True`, then change the constructor"
                    ),
                ),
            },
            "wait_for" if kind == Kind::Condition => {
                self.wait_for(ctx, call.unwrap_or(attribute), recv);
            }
            "release" if kind.is_owned() => self.release(ctx, attribute, call),
            _ => {}
        }
    }

    /// `release()`, `acquire_nowait()`, `notify()` / `notify_all()` called in a plain function:
    /// asyncio's work with no event loop running, anyio's raise `NoEventLoopError` there
    /// (checked on anyio 4.16; `set()`, `locked()`, `value` work). A sync test or module-level
    /// code runs outside any loop: MANUAL. Another plain function may be called from a
    /// coroutine (a loop callback, a helper) or outside one: the note says so (UNSAFE). Found
    /// on a probe of unseen projects: a sync test released a `BoundedSemaphore` to check its
    /// `ValueError`.
    fn outside_loop(&mut self, ctx: &Ctx<'t>, call: Node<'t>, method: &str, kind: Kind) {
        let needs_loop = match method {
            "release" | "acquire_nowait" => kind != Kind::Event,
            "notify" | "notify_all" => kind == Kind::Condition,
            _ => false,
        };
        let func = enclosing_function(ctx.resolver, call);
        if !needs_loop || func.is_some_and(crate::analysis::syntax::is_async_def) {
            return;
        }
        let sync_test = func
            .and_then(|f| f.child_by_field_name("name"))
            .is_some_and(|n| ctx.text_of(n).starts_with("test"))
            && ctx.path.is_some_and(crate::source::is_test_code);
        let what = format!(
            "`{}` runs in a plain function: asyncio's {method}() works with no event loop running, anyio's raises NoEventLoopError there",
            snippet(ctx, call)
        );
        if func.is_none() || sync_test {
            self.hard(
                call,
                "outside-event-loop",
                format!(
                    "{what}, and this is {} code, which runs outside any loop",
                    if func.is_none() { "module-level" } else { "sync test" }
                ),
                "call it from a coroutine (an async test, `anyio.run()`), or keep the asyncio primitive here".to_owned(),
            );
        } else {
            self.flag(format!(
                "{what}: call the function only while an event loop runs (from a coroutine or a loop callback)"
            ));
        }
    }

    /// `x.acquire()`: where it is awaited (the acquirers `check_releases` pairs releases with).
    fn acquire(&mut self, ctx: &Ctx<'t>, call: Node<'t>, kind: Kind) {
        // `create_task(lock.acquire())`: the coroutine runs in a task of its own, which
        // then holds the lock (anyio's Lock and Condition have an owner).
        if kind.is_owned() && crate::codemods::awaited_by(ctx.resolver, call).is_none() {
            self.hard(
                call,
                "acquired-elsewhere",
                format!(
                    "`{}` is not awaited where it is called: the acquire runs in another task (or later), which anyio makes the lock's owner, so a release in this task raises RuntimeError (asyncio's Lock has no owner)",
                    snippet(ctx, call)
                ),
                MESSAGES.text("released-elsewhere", "fix").to_owned(),
            );
            return;
        }
        self.acquirers.push(enclosing_function(ctx.resolver, call));
        self.value(ctx, call, "acquire");
    }

    /// The value of `x.wait()` / `x.acquire()`: True whenever asyncio's return, None from
    /// anyio's. An assertion on it in test code always held (the statement keeps the wait); a
    /// condition on it is certain to go the other way (MANUAL); a value passed on is flagged.
    fn value(&mut self, ctx: &Ctx<'t>, call: Node<'t>, method: &str) {
        match value_use(ctx, call) {
            ValueUse::Unused => {}
            ValueUse::Asserted { stmt, awaited } => self.rewrites.push(
                Fix::new(
                    ID,
                    "value-asserted",
                    stmt.start_byte(),
                    Verdict::Safe,
                    vec![Edit::replace(stmt.byte_range(), ctx.text_of(awaited))],
                )
                .note(format!(
                    "`{}` always held: asyncio's {method}() returns True whenever it returns, anyio's returns None; the statement keeps the {method}",
                    snippet(ctx, stmt)
                ))
                .needs_only(&[]),
            ),
            ValueUse::Tested { test, awaited } => self.hard(
                test,
                "value-tested",
                format!(
                    "the value of {method}() decides a condition: asyncio's returns True whenever it returns, anyio's returns None, so the condition would go the other way"
                ),
                format!(
                    "the condition always held: write `{}` as a statement of its own and keep what the condition guarded as if it were true",
                    ctx.text_of(awaited)
                ),
            ),
            ValueUse::Passed => self.flag(format!(
                "the value of `{}` is used: anyio's {method}() returns None, not True",
                snippet(ctx, outer_await(ctx, call))
            )),
        }
    }

    /// `create_task(cond.wait())`: the wait runs in a task of its own, which does not hold the
    /// condition's lock. asyncio's wait releases that lock anyway (its Lock has no owner);
    /// anyio's raises `RuntimeError` in that task, and the lock stays held.
    fn waited_elsewhere(&mut self, ctx: &Ctx<'t>, call: Node<'t>) {
        self.hard(
            call,
            "waited-elsewhere",
            format!(
                "`{}` is not awaited where it is called: the wait runs in another task (or later), which does not hold the condition's lock; anyio's Condition raises RuntimeError there and the lock stays held, where asyncio's releases a lock another task acquired",
                snippet(ctx, call)
            ),
            MESSAGES.text("waited-elsewhere", "fix").to_owned(),
        );
    }

    /// `x.release()` or `x.release` handed out: an owned primitive's release outside the task
    /// that acquired it is refused by anyio.
    fn release(&mut self, ctx: &Ctx<'t>, attribute: Node<'t>, call: Option<Node<'t>>) {
        match call {
            Some(call) => self
                .releases
                .push((call, enclosing_function(ctx.resolver, call))),
            // `loop.call_soon_threadsafe(lock.release)`: the bound method is handed out, so
            // the release runs wherever its receiver calls it (a loop callback, another
            // thread), outside the task holding the lock.
            None => self.hard(
                attribute,
                "released-elsewhere",
                format!(
                    "`{}` is handed out uncalled (a callback): it runs wherever it is called, maybe in another task or in a loop callback outside any task, and anyio raises RuntimeError when a task that does not hold the lock releases it (asyncio's Lock has no owner)",
                    snippet(ctx, attribute)
                ),
                MESSAGES.text("released-elsewhere", "fix").to_owned(),
            ),
        }
    }

    /// Passed to a call: follow it into a function of this file, or it escapes.
    pub(super) fn passed(&mut self, ctx: &Ctx<'t>, arg: Node<'t>, kind: Kind, depth: usize) {
        if depth < MAX_FOLLOW_DEPTH
            && let Some(target) = parameter_target(ctx, arg)
        {
            self.run_at(ctx, &target, kind, false, depth + 1);
            return;
        }
        self.escape(ctx, arg, kind);
    }

    pub(super) fn escape(&mut self, ctx: &Ctx<'t>, node: Node<'t>, kind: Kind) {
        if !matches!(kind, Kind::Event | Kind::Future) && !kind.is_semaphore() {
            return;
        }
        let context = ctx
            .ancestors(node)
            .take_while(|a| !matches!(a.kind(), "block" | "module"))
            .find(|a| {
                matches!(
                    a.kind(),
                    "call" | "return_statement" | "assignment" | "yield" | "expression_statement"
                )
            })
            .unwrap_or(node);
        // A semaphore only matters where code we cannot see may call locked() on it: when it
        // is returned, yielded, stored elsewhere or handed to a call.
        if kind.is_semaphore() && context.id() == node.id() {
            return;
        }
        let quoted = format!("`{}`", snippet(ctx, context));
        if !self.escapes.iter().any(|(_, q)| *q == quoted) {
            self.escapes.push((context, quoted));
        }
    }

    /// Every place the Event (or semaphore) leaves the code we can see is a gap: the code
    /// that receives it may call what anyio's lacks (`clear()`, `locked()`, `_value`) or use
    /// the value of `wait()` / `acquire()`, and nothing here shows it does not.
    pub(super) fn flag_escapes(&mut self, kind: Kind) {
        for (node, _) in std::mem::take(&mut self.escapes) {
            if kind == Kind::Future {
                self.hard(
                    node,
                    "passed-on",
                    "the Future is passed on to code this file does not show".to_owned(),
                    MESSAGES.text("passed-on", "future-advice").to_owned(),
                );
            } else if kind.is_semaphore() {
                // async-limiter returns its semaphore from a public property and its tests
                // call `limiter.semaphore.locked()`.
                self.hard(
                    node,
                    "passed-on",
                    "the semaphore is passed on to code this file does not show".to_owned(),
                    MESSAGES.text("passed-on", "semaphore-advice").to_owned(),
                );
            } else {
                self.hard(
                    node,
                    "passed-on",
                    "the Event is passed on to code this file does not show".to_owned(),
                    MESSAGES.text("passed-on", "event-advice").to_owned(),
                );
            }
        }
    }

    /// Owned primitives: a `release()` in a function that never acquires it may run in
    /// another task (or a callback outside any task), which anyio refuses: nothing shows it
    /// does not, so the primitive stays (MANUAL, each such release reported).
    pub(super) fn check_releases(&mut self, ctx: &Ctx<'t>, kind: Kind) {
        if !kind.is_owned() {
            return;
        }
        let releases = std::mem::take(&mut self.releases);
        for (call, func) in &releases {
            let paired = self.acquirers.iter().any(|a| {
                a.map(|n| n.id()) == func.map(|n| n.id()) || context_manager_pair(ctx, *a, *func)
            });
            if !paired {
                let place = match func {
                    None => "module-level code".to_owned(),
                    Some(f) => f.child_by_field_name("name").map_or_else(
                        || "a lambda".to_owned(),
                        |n| format!("`{}`", ctx.text_of(n)),
                    ),
                };
                self.hard(
                    *call,
                    "released-elsewhere",
                    MESSAGES.fill(
                        "released-elsewhere",
                        "why",
                        &[("call", &snippet(ctx, *call)), ("place", &place)],
                    ),
                    MESSAGES.text("released-elsewhere", "fix").to_owned(),
                );
            }
        }
    }

    /// MANUAL: the constructor (or factory) stays, every gap is reported where it is. A gap
    /// that is the constructor itself (a Future or Event not stored anywhere) is the one
    /// finding there: the summary would say the same at the same spot.
    pub(super) fn manual(self, ctx: &Ctx<'t>, at: Node, kind: Kind) -> Vec<Outcome> {
        if self
            .hard
            .iter()
            .any(|(node, ..)| node.byte_range() == at.byte_range())
        {
            return self.gap_findings(ctx);
        }
        // Each distinct reason once, the first three in full: every gap has its own finding.
        let mut reasons: Vec<String> = Vec::new();
        for (_, _, why, _) in &self.hard {
            if !reasons.contains(why) {
                reasons.push(why.clone());
            }
        }
        if reasons.len() > 3 {
            let more = reasons.len() - 3;
            reasons.truncate(3);
            reasons.push(format!("and {more} more, each reported at its line"));
        }
        let mut out = vec![
            Finding::manual(
                ID,
                "unsupported-uses",
                at.start_byte(),
                format!(
                    "{} not rewritten: its uses need what anyio lacks ({})",
                    kind.asyncio_name(),
                    reasons.join("; ")
                ),
                format!(
                    "change the uses reported at their lines, then use {}",
                    kind.anyio_name()
                ),
            )
            .into(),
        ];
        out.extend(self.gap_findings(ctx));
        out
    }

    pub(super) fn gap_findings(&self, ctx: &Ctx) -> Vec<Outcome> {
        self.hard
            .iter()
            .map(|(node, kind, why, suggestion)| {
                Finding::manual(
                    ID,
                    kind,
                    node.start_byte(),
                    format!("{why}: `{}`", snippet(ctx, *node)),
                    suggestion.clone(),
                )
                .into()
            })
            .collect()
    }
}

/// `await asyncio.wait_for(fut, t)`: the Future awaited in place under a timeout, which
/// asyncio-timeout turns into `with anyio.fail_after(t): await fut` once the Future is anyio's
/// (on the asyncio backend `asyncio.wait_for` awaits anyio's Future as it is meanwhile). On
/// the timeout the waiter is cancelled, which no longer cancels the Future: the rewrite's note.
/// A plain name only: asyncio-timeout times a name bound to anyio's Future, not an attribute
/// (another object may rebind it), which stays with its Future as asyncio's.
fn timed_wait(ctx: &Ctx, call: Node, fut: Node) -> bool {
    let positional = crate::codemods::positional_args(call);
    fut.kind() == "identifier"
        && call
            .child_by_field_name("function")
            .is_some_and(|f| ctx.is(f, "asyncio.wait_for"))
        && positional.first().is_some_and(|a| a.id() == fut.id())
        && crate::codemods::call_args(call).len() == 2
        && crate::codemods::awaited_by(ctx.resolver, call).is_some()
}

#[cfg(test)]
mod tests {
    use super::ID;

    #[test]
    fn the_summary_names_three_distinct_gaps_and_counts_the_rest() {
        let src = "import asyncio\nasync def f(other):\n    fut = asyncio.Future()\n    fut.add_done_callback(print)\n    fut.add_done_callback(print)\n    fut.remove_done_callback(print)\n    fut.get_loop()\n    fut.print_stack()\n    fut.set_name('x')\n    await fut\n";
        let m = crate::engine::migrate_alone(ID, src, crate::target::Targets::default());
        let summary: Vec<&str> = m
            .findings
            .iter()
            .filter(|f| f.finding.kind == "unsupported-uses")
            .map(|f| f.finding.message.as_str())
            .collect();
        assert_eq!(summary.len(), 1, "{summary:?}");
        assert!(
            summary[0].ends_with("more, each reported at its line)"),
            "{summary:?}"
        );
        assert_eq!(
            summary[0].matches("add_done_callback").count(),
            1,
            "{summary:?}"
        );
    }
}
