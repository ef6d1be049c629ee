//! asyncio-run: `asyncio.run(main(...))` and `loop.run_until_complete(main(...))` → `anyio.run` (spec §7).

use super::shared::refusal::{Refusal, refusal};
use super::{Captures, Ctx, call_args, enclosing_function, on_own_line};
use crate::analysis::scopes::name_uses;
use crate::codemods::shared::catalogue::messages;
use crate::edit::{Edit, Finding, Fix, Import, Outcome, Verdict};
use crate::resolve::named_children;
use crate::source::line_start;
use std::fmt::Write as _;
use tree_sitter::Node;

const ID: &str = "asyncio-run";

messages!("asyncio-run");

/// The advice of the refusals whose argument is no coroutine call (a text of several codes,
/// kept under not-a-call's).
fn coroutine_hint() -> &'static str {
    MESSAGES.text("not-a-call", "advice")
}

/// The advice of the refusals of `loop.run_until_complete` (a text of several codes, kept under
/// unknown-loop's).
fn loop_hint() -> &'static str {
    MESSAGES.text("unknown-loop", "advice")
}

/// The options of `asyncio.run` that become `backend_options` of the asyncio backend.
const BACKEND_OPTIONS: &[&str] = &["debug", "loop_factory"];

fn not_a_call() -> Refusal {
    refusal(
        "not-a-call",
        "the argument is a coroutine object held in a variable or built by an expression, not a call of the async function",
        coroutine_hint(),
    )
}

fn is_run_or_runner(path: &str) -> bool {
    path == "asyncio.run" || path == "asyncio.Runner"
}

/// `Runner` / `run` bound by an `asyncio` import and another one (a backport on older Pythons).
fn conditional_import(ctx: &Ctx, name: Node, at: Node) -> Option<Outcome> {
    super::conditional_import(
        ctx,
        ID,
        name,
        at,
        is_run_or_runner,
        MESSAGES.text("conditional-import", "advice"),
    )
}

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let (Some(call), Some(object), Some(method)) =
        (caps.get("call"), caps.get("object"), caps.get("method"))
    {
        return plan_run_until_complete(ctx, call, object, method);
    }
    if let Some(import) = caps.get("import") {
        return super::from_import_bound_names(import)
            .into_iter()
            .filter_map(|name| conditional_import(ctx, name, import))
            .collect();
    }
    if let Some(reference) = caps.get("ref") {
        let Some(path) = ctx.qualified(reference) else {
            return conditional_import(ctx, reference, reference)
                .into_iter()
                .collect();
        };
        if !is_run_or_runner(&path) {
            return Vec::new();
        }
        return vec![
            Finding::manual(
                ID,
                "run-as-value",
                reference.start_byte(),
                MESSAGES.fill("run-as-value", "problem", &[("path", &path)]),
                MESSAGES.text("run-as-value", "advice"),
            )
            .into(),
        ];
    }
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    let Some(path) = ctx.qualified(callee) else {
        return conditional_import(ctx, callee, callee)
            .into_iter()
            .collect();
    };
    if path == "asyncio.Runner" {
        return vec![
            Finding::manual(
                ID,
                "runner",
                call.start_byte(),
                MESSAGES.text("runner", "problem"),
                MESSAGES.text("runner", "advice"),
            )
            .into(),
        ];
    }
    if path != "asyncio.run" {
        return Vec::new();
    }
    if let Some(test) = sync_test_with_fixtures(ctx, call) {
        return vec![
            Finding::manual(
                ID,
                "in-sync-test",
                call.start_byte(),
                MESSAGES.fill("in-sync-test", "problem", &[("test", &test)]),
                MESSAGES.text("in-sync-test", "advice"),
            )
            .into(),
        ];
    }
    if let Some(finding) = forked_child(ctx, call) {
        return vec![finding.into()];
    }
    match plan_asyncio_run(ctx, call, callee) {
        Ok(fix) => {
            // anyio 4.0 and 4.1 take `loop_factory` and ignore it: the code would run on the
            // default loop.
            let needs = "`backend_options={\"loop_factory\": ...}` (anyio 4.0 and 4.1 accept it and run the default loop)";
            if passes_loop_factory(ctx, call)
                && let Err(finding) = super::shared::release::require(
                    ctx,
                    ID,
                    call.start_byte(),
                    crate::target::api::Api::LoopFactory,
                    needs,
                )
            {
                return vec![finding.into()];
            }
            vec![fix.into()]
        }
        Err(r) => vec![r.finding(ID, call.start_byte()).into()],
    }
}

/// The name of the sync test function `call` is in (innermost def, `test...`, not async)
/// when it takes a parameter other than `self` / `cls`: a fixture, which may be async.
fn sync_test_with_fixtures(ctx: &Ctx, call: Node) -> Option<String> {
    let func = super::enclosing_function(ctx.resolver, call)
        .filter(|f| f.kind() == "function_definition")?;
    let name = ctx.text_of(func.child_by_field_name("name")?);
    let params = func.child_by_field_name("parameters")?;
    let fixtures = crate::resolve::named_children(params)
        .filter(|p| p.kind() != "comment")
        .any(|p| !matches!(ctx.text_of(p), "self" | "cls"));
    (name.starts_with("test") && !super::is_async_def(func) && fixtures).then(|| name.to_owned())
}

/// `asyncio.run(main(a), debug=True)` → `anyio.run(main, a, backend_options={"debug": True})`.
fn plan_asyncio_run(ctx: &Ctx, call: Node, callee: Node) -> Result<Fix, Refusal> {
    let args = call_args(call);
    let Some(coro) = args.first().copied() else {
        return Err(refusal(
            "no-coroutine",
            "asyncio.run() called without a coroutine",
            coroutine_hint(),
        ));
    };
    let options: Vec<Node> = args[1..].to_vec();
    let known_options = options.iter().all(|a| {
        a.kind() == "keyword_argument"
            && a.child_by_field_name("name")
                .is_some_and(|n| BACKEND_OPTIONS.contains(&ctx.text_of(n)))
            && !has_comment_child(*a)
    });
    if matches!(
        coro.kind(),
        "keyword_argument" | "list_splat" | "dictionary_splat"
    ) || !known_options
    {
        return Err(refusal(
            "unknown-arguments",
            "asyncio.run() called with arguments other than a coroutine, `debug=` and `loop_factory=`",
            "call `anyio.run(main, *args)` with the async function; loop settings go in `backend_options={\"debug\": ..., \"loop_factory\": ...}`",
        ));
    }
    let form = callable_form(ctx, coro, !options.is_empty()).map_err(|r| Refusal {
        why: format!("asyncio.run(): {}", r.why),
        ..r
    })?;
    let mut edits = vec![Edit::replace(callee.byte_range(), "anyio.run")];
    edits.extend(form.edits);
    edits.extend(backend_options(ctx, &options));
    let mut fix = if may_run_in_worker_thread(ctx, call) {
        Fix::new(
            ID,
            "asyncio-run-in-thread",
            call.start_byte(),
            Verdict::Unsafe,
            edits,
        )
        .note(MESSAGES.text("asyncio-run-in-thread", "note"))
    } else {
        Fix::new(ID, "asyncio-run", call.start_byte(), Verdict::Safe, edits)
    };
    if form.partial {
        fix = fix.with_imports(&[Import::Functools]);
    }
    if !options.is_empty() {
        fix = fix.note("backend_options are read by the asyncio backend (the default); anyio.run(..., backend=\"trio\") would reject them");
    }
    Ok(fix)
}

/// A run in a plain function of a module that starts processes by forking
/// (`multiprocessing.Process`, a `Pool`, `get_context()` but for "spawn" or "forkserver",
/// `ProcessPoolExecutor`, `os.fork`): the function may run in a child forked while `anyio.run`
/// runs in the parent, which inherits the parent's context, where anyio's marker of a running
/// event loop is set; `anyio.run` there raises `RuntimeError` ("Already running asyncio in this
/// thread"), where `asyncio.run` checks the process id and starts (checked on anyio 4.16).
/// Module-level code (the `__main__` guard) is the parent's. Found on a probe of unseen
/// projects: a scheduler's process tasks all failed.
fn forked_child(ctx: &Ctx, call: Node) -> Option<Finding> {
    let func = crate::codemods::enclosing_function(ctx.resolver, call)?;
    if crate::codemods::is_async_def(func) || !starts_processes(ctx) {
        return None;
    }
    Some(Finding::manual(
        ID,
        "forked-child",
        call.start_byte(),
        MESSAGES.text("forked-child", "problem"),
        MESSAGES.text("forked-child", "advice"),
    ))
}

/// Does the module start processes by forking (see `forked_child`)?
fn starts_processes(ctx: &Ctx) -> bool {
    const STARTERS: &[&str] = &[
        "multiprocessing.Process",
        "multiprocessing.Pool",
        "multiprocessing.get_context",
        "multiprocessing.pool.Pool",
        "multiprocessing.context.Process",
        "concurrent.futures.ProcessPoolExecutor",
        "concurrent.futures.process.ProcessPoolExecutor",
        "os.fork",
        "os.forkpty",
    ];
    // Each place a starter's last name is written: the name, or the attribute it ends.
    let root = ctx.tree.root_node();
    STARTERS
        .iter()
        .filter_map(|s| s.rsplit('.').next())
        .any(|name| {
            ctx.text.match_indices(name).any(|(at, _)| {
                let Some(ident) = root
                    .descendant_for_byte_range(at, at + name.len())
                    .filter(|n| n.kind() == "identifier" && ctx.text_of(*n) == name)
                else {
                    return false;
                };
                let node = ctx
                    .parent(ident)
                    .filter(|p| {
                        p.kind() == "attribute" && p.child_by_field_name("attribute") == Some(ident)
                    })
                    .unwrap_or(ident);
                ctx.qualified(node)
                    .is_some_and(|q| STARTERS.contains(&q.as_str()))
                    && !spawns(ctx, node)
            })
        })
}

/// `multiprocessing.get_context("spawn")` (or "forkserver"): its children start afresh.
fn spawns(ctx: &Ctx, callee: Node) -> bool {
    ctx.parent(callee)
        .filter(|c| c.kind() == "call")
        .and_then(|c| call_args(c).first().copied())
        .is_some_and(|a| {
            matches!(
                ctx.text_of(a),
                "\"spawn\"" | "'spawn'" | "\"forkserver\"" | "'forkserver'"
            )
        })
}

/// `asyncio.run(...)` in a plain function that this file hands to `asyncio.to_thread(f, ...)`
/// in a call that is not awaited at once (the form asyncio-to-thread does not migrate): the
/// thread gets the running loop's context, where anyio.run refuses to start.
fn may_run_in_worker_thread(ctx: &Ctx, call: Node) -> bool {
    let Some(func) = crate::codemods::enclosing_function(ctx.resolver, call) else {
        return false;
    };
    let Some(name) = func.child_by_field_name("name") else {
        return false;
    };
    if crate::codemods::is_async_def(func) {
        return false;
    }
    ctx.resolver
        .references(ctx.tree, ctx.text_of(name), name)
        .into_iter()
        .any(|r| {
            let Some(thread_call) = ctx
                .parent(r)
                .filter(|a| a.kind() == "argument_list" && a.named_child(0) == Some(r))
                .and_then(|a| ctx.parent(a))
            else {
                return false;
            };
            thread_call
                .child_by_field_name("function")
                .is_some_and(|f| ctx.is(f, "asyncio.to_thread"))
                && ctx.parent(thread_call).is_none_or(|p| p.kind() != "await")
        })
}

/// Does this `asyncio.run(...)` pass `loop_factory=`?
fn passes_loop_factory(ctx: &Ctx, call: Node) -> bool {
    call_args(call).iter().any(|a| {
        a.kind() == "keyword_argument"
            && a.child_by_field_name("name")
                .is_some_and(|n| ctx.text_of(n) == "loop_factory")
    })
}

/// `debug=X, loop_factory=Y` → `backend_options={"debug": X, "loop_factory": Y}`, editing only
/// the keywords so the values and anything between them stay as written.
fn backend_options(ctx: &Ctx, options: &[Node]) -> Vec<Edit> {
    let mut edits = Vec::new();
    for (i, kw) in options.iter().enumerate() {
        let (Some(name), Some(value)) = (
            kw.child_by_field_name("name"),
            kw.child_by_field_name("value"),
        ) else {
            continue;
        };
        let key = format!("\"{}\": ", ctx.text_of(name));
        let text = if i == 0 {
            format!("backend_options={{{key}")
        } else {
            key
        };
        edits.push(Edit::replace(kw.start_byte()..value.start_byte(), text));
        if i + 1 == options.len() {
            edits.push(Edit::insert(value.end_byte(), "}"));
        }
    }
    edits
}

fn has_comment_child(node: Node) -> bool {
    named_children(node).any(|c| c.kind() == "comment")
}

/// The edits that turn the coroutine call `main(a, b)` into runner arguments.
struct CallableForm {
    edits: Vec<Edit>,
    /// The form is `functools.partial(main, ...)`.
    partial: bool,
}

/// `main(a, b)` → `main, a, b`; `main(a, k=1)` → `functools.partial(main, a, k=1)`. Only the
/// parentheses change, so comments and formatting inside the call survive.
/// `more_follow`: the runner call has arguments after this one (`debug=...`).
fn callable_form(ctx: &Ctx, coro: Node, more_follow: bool) -> Result<CallableForm, Refusal> {
    let (Some(function), Some(arguments)) = (
        coro.child_by_field_name("function"),
        coro.child_by_field_name("arguments"),
    ) else {
        return Err(not_a_call());
    };
    if coro.kind() != "call" || arguments.kind() != "argument_list" {
        return Err(not_a_call());
    }
    if ctx
        .qualified(function)
        .is_some_and(|q| q.starts_with("asyncio."))
    {
        return Err(refusal(
            "asyncio-awaitable",
            "the awaitable comes from an asyncio API call",
            "wrap it in an async function (`async def main(): return await ...`), migrate its body, then call `anyio.run(main)`",
        ));
    }
    let mut cursor = arguments.walk();
    let tokens: Vec<Node> = arguments.children(&mut cursor).collect();
    let (Some(open), Some(close)) = (tokens.first().copied(), tokens.last().copied()) else {
        return Err(not_a_call());
    };
    if open.kind() != "(" || close.kind() != ")" {
        return Err(not_a_call());
    }
    let args = call_args(coro);
    let partial = args
        .iter()
        .any(|a| matches!(a.kind(), "keyword_argument" | "dictionary_splat"));
    let after_open = &ctx.text[open.end_byte()..];
    let separator = if after_open.starts_with(['\n', '\r']) {
        ","
    } else {
        ", "
    };
    let mut edits = Vec::new();
    if partial {
        edits.push(Edit::insert(function.start_byte(), "functools.partial("));
        edits.push(Edit::replace(open.byte_range(), separator));
    } else {
        if args.is_empty() {
            edits.push(Edit::delete(open.byte_range()));
        } else {
            edits.push(Edit::replace(open.byte_range(), separator));
        }
        let trailing_comma = tokens[..tokens.len() - 1]
            .iter()
            .rev()
            .find(|t| t.kind() != "comment")
            .filter(|t| t.kind() == ",");
        let close_line = own_line_close(ctx, close).filter(|_| more_follow && !args.is_empty());
        if !more_follow {
            // `main(a,)` → `main, a,`: a trailing comma may end the runner's arguments.
            edits.push(Edit::delete(close.byte_range()));
        } else if let Some(line) = close_line {
            // `)` alone on its line with the runner's comma: drop that line, and end the
            // arguments with a comma so the runner's next argument follows them.
            if trailing_comma.is_none()
                && let Some(last) = args.last()
            {
                edits.push(Edit::insert(last.end_byte(), ","));
            }
            edits.push(Edit::delete(line));
        } else {
            // `main(a,)` → `main, a`: the runner's own comma follows.
            if let Some(comma) = trailing_comma {
                edits.push(Edit::delete(comma.byte_range()));
            }
            edits.push(Edit::delete(close.byte_range()));
        }
    }
    Ok(CallableForm { edits, partial })
}

/// The line of a `)` that sits alone on it, followed only by the runner's comma.
fn own_line_close(ctx: &Ctx, close: Node) -> Option<std::ops::Range<usize>> {
    let start = line_start(ctx.text, close.start_byte());
    let rest = &ctx.text[close.end_byte()..];
    let end = rest
        .find('\n')
        .map_or(ctx.text.len(), |i| close.end_byte() + i + 1);
    let after = &ctx.text[close.end_byte()..end];
    (ctx.text[start..close.start_byte()].trim().is_empty() && after.trim() == ",")
        .then_some(start..end)
}

/// `loop.run_until_complete(main())` → `anyio.run(main)`, removing the loop's set-up and
/// tear-down lines; MANUAL unless the loop is provably a fresh asyncio loop used for nothing else.
fn plan_run_until_complete(ctx: &Ctx, call: Node, object: Node, method: Node) -> Vec<Outcome> {
    if let Some(finding) = forked_child(ctx, call) {
        return vec![finding.into()];
    }
    plan_run(ctx, call, object, method, true)
}

/// `plan_run_until_complete`; with `others` false, without looking at the file's other uses of
/// the thread's default loop (what `runs_a_coroutine_call` asks of those uses).
fn plan_run(ctx: &Ctx, call: Node, object: Node, method: Node, others: bool) -> Vec<Outcome> {
    let at = method.start_byte();
    let manual = |r: Refusal| -> Vec<Outcome> { vec![r.finding(ID, at).into()] };
    let args = call_args(call);
    let [coro] = args.as_slice() else {
        return manual(refusal(
            "unknown-arguments",
            "run_until_complete() called with unusual arguments",
            loop_hint(),
        ));
    };
    if is_loop_shutdown(ctx, *coro, object) {
        // `loop.run_until_complete(loop.shutdown_asyncgens())`: tear-down, removed together with
        // the main run (anyio.run finalizes async generators itself) or left to the human.
        return Vec::new();
    }
    let Some(function) = call.child_by_field_name("function") else {
        return Vec::new();
    };
    let provenance = match object.kind() {
        "call" if is_loop_factory(ctx, object) => Ok(Lifecycle {
            edits: Vec::new(),
            shared: is_default_loop(ctx, object),
            group: Vec::new(),
        }),
        "identifier" => loop_lifecycle(ctx, call, object),
        _ => Err(refusal(
            "unknown-loop",
            format!(
                "cannot tell that `{}` is an asyncio event loop",
                ctx.text_of(object)
            ),
            loop_hint(),
        )),
    };
    let Lifecycle {
        edits: cleanup,
        shared,
        group,
    } = match provenance {
        Ok(c) => c,
        Err(r) => return manual(r),
    };
    if let Some((_, first)) = group.first()
        && first.id() != call.id()
    {
        return later_run(ctx, *first, at, others);
    }
    let planned = if group.is_empty() {
        single_run_edits(ctx, function, *coro, cleanup)
    } else {
        group_edits(ctx, &group, cleanup)
    };
    let (edits, dropped, partial) = match planned {
        Ok(p) => p,
        Err(r) => {
            return manual(Refusal {
                why: format!("run_until_complete(): {}", r.why),
                ..r
            });
        }
    };
    if shared && others && ctx.targets.default_loop_kept {
        return manual(refusal(
            "shared-loop",
            "another file of the run keeps using the thread's default loop outside a coroutine (an `asyncio.get_event_loop()` that stays, reported there): anyio.run() leaves the thread without a current event loop when it ends, so that use then raises RuntimeError (no current event loop)",
            loop_hint(),
        ));
    }
    if shared
        && others
        && let Some(other) = other_default_loop_use(ctx, call)
    {
        return manual(refusal(
            "shared-loop",
            format!(
                "the thread's default loop (`asyncio.get_event_loop()`) is also used outside a coroutine at line {} (`{}`), which stays: anyio.run() leaves the thread without a current event loop when it ends, so that use then raises RuntimeError (no current event loop)",
                other.start_position().row + 1,
                first_line(ctx, other)
            ),
            loop_hint(),
        ));
    }
    let kind: &'static str = if group.is_empty() {
        "run-until-complete"
    } else {
        "runs-in-order"
    };
    let mut note = MESSAGES.text(kind, "note").to_owned();
    if shared {
        note.push_str("; ");
        note.push_str(DEFAULT_LOOP_NOTE);
        note.push_str(", which other code may share");
    }
    if dropped {
        note.push_str("; comments on the removed loop lines were dropped");
    }
    let mut fix = Fix::new(ID, kind, at, Verdict::Unsafe, edits).note(note);
    if partial {
        fix = fix.with_imports(&[Import::Functools]);
    }
    vec![fix.into()]
}

/// Another `asyncio.get_event_loop()` of this file, outside a coroutine, than the one `run`
/// (a `run_until_complete` on the default loop) runs on, and not itself the loop of a
/// `run_until_complete(f(...))` (which becomes `anyio.run` as well): the thread's default
/// loop, which the `anyio.run` that replaces `run` leaves unset when it ends
/// (`asyncio.Runner.close()` calls `set_event_loop(None)`), so a later `get_event_loop()`
/// there raises `RuntimeError`. syncer's `sync_co` kept `get_event_loop().run_until_complete(co)`
/// for a coroutine object while `sync_fu` became `anyio.run`.
fn other_default_loop_use<'t>(ctx: &Ctx<'t>, run: Node<'t>) -> Option<Node<'t>> {
    default_loop_uses(ctx)
        .into_iter()
        .filter(|g| call_args(*g).is_empty())
        .filter(|g| !(run.start_byte() <= g.start_byte() && g.end_byte() <= run.end_byte()))
        .find(|g| !runs_a_coroutine_call(ctx, *g))
}

/// The `asyncio.get_event_loop()` calls of the file outside a coroutine (where they give the
/// thread's default loop, not the running one); also what `project::default_loop` looks for in
/// the migrated files.
pub fn default_loop_uses<'t>(ctx: &Ctx<'t>) -> Vec<Node<'t>> {
    crate::analysis::syntax::descendants(ctx.resolver.root())
        .into_iter()
        .filter(|n| n.kind() == "call" && is_default_loop(ctx, *n))
        .filter(|g| {
            !enclosing_function(ctx.resolver, *g).is_some_and(crate::analysis::syntax::is_async_def)
        })
        .collect()
}

/// `get_event_loop().run_until_complete(f(...))`, or `name = get_event_loop()` in a function
/// (or module code) that runs `name.run_until_complete(f(...))`, where that run becomes
/// `anyio.run` too (as this codemod plans it, its own look at other uses aside).
fn runs_a_coroutine_call(ctx: &Ctx, loop_call: Node) -> bool {
    let runs = |run: Node| {
        let Some(function) = run.child_by_field_name("function") else {
            return false;
        };
        let (Some(object), Some(method)) = (
            function.child_by_field_name("object"),
            function.child_by_field_name("attribute"),
        ) else {
            return false;
        };
        matches!(
            plan_run(ctx, run, object, method, false).as_slice(),
            [Outcome::Fix(_)]
        )
    };
    let parent = ctx.resolver.parent(loop_call);
    if let Some(attribute) = parent.filter(|p| p.kind() == "attribute")
        && attribute
            .child_by_field_name("attribute")
            .is_some_and(|a| ctx.text_of(a) == "run_until_complete")
    {
        return ctx.resolver.parent(attribute).is_some_and(runs);
    }
    let Some(name) = parent
        .filter(|p| p.kind() == "assignment")
        .and_then(|a| a.child_by_field_name("left"))
        .filter(|l| l.kind() == "identifier")
    else {
        return false;
    };
    let scope = enclosing_function(ctx.resolver, loop_call).unwrap_or(ctx.resolver.root());
    crate::analysis::syntax::descendants(scope)
        .into_iter()
        .any(|n| {
            n.kind() == "call"
                && n.child_by_field_name("function").is_some_and(|f| {
                    f.kind() == "attribute"
                        && f.child_by_field_name("object")
                            .is_some_and(|o| ctx.text_of(o) == ctx.text_of(name))
                        && f.child_by_field_name("attribute")
                            .is_some_and(|a| ctx.text_of(a) == "run_until_complete")
                })
                && runs(n)
        })
}

/// What the note of a run on the thread's default loop says (`project::default_loop` finds the
/// files where such a run was rewritten by it).
pub const DEFAULT_LOOP_NOTE: &str = "get_event_loop() gave the thread's default loop";

/// `asyncio.new_event_loop()` / `asyncio.get_event_loop()`, called without arguments.
fn is_loop_factory(ctx: &Ctx, node: Node) -> bool {
    node.kind() == "call"
        && call_args(node).is_empty()
        && node.child_by_field_name("function").is_some_and(|f| {
            ctx.is(f, "asyncio.new_event_loop") || ctx.is(f, "asyncio.get_event_loop")
        })
}

/// `asyncio.get_event_loop()`: the thread's default loop, possibly shared with other code.
fn is_default_loop(ctx: &Ctx, node: Node) -> bool {
    node.child_by_field_name("function")
        .is_some_and(|f| ctx.is(f, "asyncio.get_event_loop"))
}

/// `loop.shutdown_asyncgens()` / `loop.shutdown_default_executor()` on the same loop.
fn is_loop_shutdown(ctx: &Ctx, node: Node, object: Node) -> bool {
    object.kind() == "identifier"
        && ["shutdown_asyncgens", "shutdown_default_executor"]
            .iter()
            .any(|m| is_method_call(ctx, node, ctx.text_of(object), m))
}

/// `name.method()` with no arguments.
fn is_method_call(ctx: &Ctx, node: Node, name: &str, method: &str) -> bool {
    if node.kind() != "call" || !call_args(node).is_empty() {
        return false;
    }
    let Some(function) = node.child_by_field_name("function") else {
        return false;
    };
    function.kind() == "attribute"
        && function
            .child_by_field_name("object")
            .is_some_and(|o| o.kind() == "identifier" && ctx.text_of(o) == name)
        && function
            .child_by_field_name("attribute")
            .is_some_and(|a| ctx.text_of(a) == method)
}

/// The role of one statement that mentions the loop variable.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// `loop = asyncio.new_event_loop()` (or `get_event_loop()`).
    Creation,
    /// `asyncio.set_event_loop(loop)`.
    Setup,
    /// `loop.close()`, `loop.run_until_complete(loop.shutdown_asyncgens())`, ...
    Teardown,
    /// Another run on the loop: `loop.run_until_complete(f())` as a statement, or as the value
    /// of `x = ...` / `return ...`.
    Run,
}

/// What `loop_lifecycle` proved of a loop variable.
struct Lifecycle<'t> {
    /// The deletions of its set-up and tear-down lines (not of a group's runs: `group_edits`).
    edits: Vec<Edit>,
    /// It came from `get_event_loop()`, the thread's shared loop.
    shared: bool,
    /// The runs, in order, when there are several: consecutive statements of one block.
    group: Vec<(Node<'t>, Node<'t>)>,
}

/// For `name.run_until_complete(...)` where `name` is a variable: prove it holds a fresh
/// asyncio loop made in the same function and used only for this run, and return the edits that
/// delete its set-up and tear-down lines (spec §7: the loop object disappears).
/// Also says whether the loop came from `get_event_loop()`, the thread's shared loop.
fn loop_lifecycle<'t>(
    ctx: &Ctx<'t>,
    call: Node<'t>,
    object: Node<'t>,
) -> Result<Lifecycle<'t>, Refusal> {
    let name = ctx.text_of(object);
    let func = enclosing_function(ctx.resolver, call);
    let scope = func.unwrap_or_else(|| ctx.tree.root_node());
    if scope.kind() == "lambda" {
        return Err(refusal(
            "unknown-loop",
            format!("cannot tell that `{name}` is an asyncio event loop"),
            loop_hint(),
        ));
    }
    let (roles, other) = loop_roles(ctx, object, func, scope);
    let creations: Vec<Node> = roles
        .iter()
        .filter(|(_, r)| *r == Role::Creation)
        .map(|(s, _)| *s)
        .collect();
    let [creation] = creations.as_slice() else {
        return Err(refusal(
            "unknown-loop",
            MESSAGES.fill("unknown-loop", "problem", &[("name", name)]),
            loop_hint(),
        ));
    };
    if let Some(used) = other {
        return Err(shared_use(ctx, name, used));
    }
    let group = run_group(ctx, call, &roles, name)?;
    let (first, last) = match (group.first(), group.last()) {
        (Some((_, f)), Some((_, l))) => (*f, *l),
        _ => (call, call),
    };
    if func.is_none() && !in_main_guard(ctx, *creation) {
        return Err(refusal(
            "shared-loop",
            format!(
                "`{name}` is a module-level name other modules may import: the loop may be shared"
            ),
            loop_hint(),
        ));
    }
    if let Some(repeat) = loop_between(ctx, first, *creation) {
        return Err(refusal(
            "run-in-loop",
            format!(
                "run_until_complete() inside a `{}` loop: each iteration reuses `{name}`",
                if repeat.kind() == "for_statement" {
                    "for"
                } else {
                    "while"
                }
            ),
            loop_hint(),
        ));
    }
    if creation.start_byte() > first.start_byte() {
        return Err(refusal(
            "unknown-loop",
            format!("`{name}` is assigned after this run_until_complete()"),
            loop_hint(),
        ));
    }
    // Set-up between the creation and the (first) run, tear-down after the (last) run; anything
    // else is not the simple lifecycle that anyio.run replaces.
    let out_of_order = roles.iter().find(|(stmt, role)| match role {
        Role::Creation | Role::Run => false,
        Role::Setup => {
            stmt.start_byte() < creation.end_byte() || stmt.end_byte() > first.start_byte()
        }
        Role::Teardown => stmt.start_byte() < last.end_byte(),
    });
    if let Some((stmt, _)) = out_of_order {
        return Err(shared_use(ctx, name, *stmt));
    }
    let lifecycle: Vec<_> = roles
        .iter()
        .filter(|(_, r)| *r != Role::Run)
        .copied()
        .collect();
    let removed = removed_statements(ctx, &lifecycle);
    let shared = creation
        .named_child(0)
        .and_then(|a| a.child_by_field_name("right"))
        .is_some_and(|r| is_default_loop(ctx, r));
    let edits =
        removal_edits(ctx, &removed).map_err(|why| refusal("loop-lines-kept", why, loop_hint()))?;
    Ok(Lifecycle {
        edits,
        shared,
        group,
    })
}

/// `name` is used for more than its lifecycle, at `used`.
fn shared_use(ctx: &Ctx, name: &str, used: Node) -> Refusal {
    refusal(
        "shared-loop",
        format!(
            "`{name}` is not only created, run once and closed here (also used in `{}`): the loop is shared",
            first_line(ctx, used)
        ),
        loop_hint(),
    )
}

/// The runs on the loop `name` when `call` is not its only one, each statement with its run
/// call, in order (empty when it is): they must be consecutive statements of one block, and
/// only the last may pass its value on (`x = ...`, `return ...`), so that one `anyio.run` of a
/// coroutine awaiting them in order does what they did (spec §7's one-loop rule; the loop the
/// runs shared is anyio's for that run).
fn run_group<'t>(
    ctx: &Ctx<'t>,
    call: Node<'t>,
    roles: &[(Node<'t>, Role)],
    name: &str,
) -> Result<Vec<(Node<'t>, Node<'t>)>, Refusal> {
    let mut stmts: Vec<Node> = roles
        .iter()
        .filter(|(_, r)| *r == Role::Run)
        .map(|(s, _)| *s)
        .collect();
    let Some(other) = stmts.first().copied() else {
        return Ok(Vec::new());
    };
    let own = super::enclosing_statement(ctx.resolver, call)
        .filter(|s| run_call(ctx, *s, name).is_some_and(|c| c.id() == call.id()));
    let Some(own) = own else {
        return Err(shared_use(ctx, name, other));
    };
    stmts.push(own);
    stmts.sort_by_key(Node::start_byte);
    let not_consecutive = |between: Node| {
        refusal(
            "shared-loop",
            format!(
                "`{name}` runs several coroutines, with other code between the runs (`{}`): one anyio.run of them in order would run that code inside the loop",
                first_line(ctx, between)
            ),
            loop_hint(),
        )
    };
    let mut group = Vec::new();
    for (i, stmt) in stmts.iter().enumerate() {
        if let Some(next) = stmts.get(i + 1) {
            // Comments between the runs move with them into the new function (`group_edits`).
            let mut after = stmt.next_named_sibling();
            while let Some(c) = after.filter(|c| c.kind() == "comment") {
                after = c.next_named_sibling();
            }
            match after {
                Some(n) if n.id() == next.id() => {}
                Some(n) => return Err(not_consecutive(n)),
                None => return Err(shared_use(ctx, name, *next)),
            }
        }
        let Some(run) = run_call(ctx, *stmt, name) else {
            return Err(shared_use(ctx, name, *stmt));
        };
        if !on_own_line(ctx.text, *stmt) {
            return Err(refusal(
                "loop-lines-kept",
                "a run on the loop shares its line with other code",
                loop_hint(),
            ));
        }
        let passes_value = run.start_byte() > stmt.start_byte();
        if passes_value && i + 1 < stmts.len() {
            return Err(refusal(
                "shared-loop",
                format!(
                    "`{name}` runs several coroutines and an earlier run's value is kept (`{}`): one anyio.run of them in order returns only the last one's",
                    first_line(ctx, *stmt)
                ),
                loop_hint(),
            ));
        }
        if let Some(walrus) = crate::analysis::syntax::descendants(run)
            .into_iter()
            .find(|n| matches!(n.kind(), "named_expression" | "yield"))
        {
            return Err(refusal(
                "shared-loop",
                format!(
                    "`{name}` runs several coroutines and one run's argument holds `{}`, which would then bind or yield in the function that awaits them",
                    first_line(ctx, walrus)
                ),
                loop_hint(),
            ));
        }
        group.push((*stmt, run));
    }
    let mut up = ctx.parent(group[0].0);
    while let Some(n) = up {
        match n.kind() {
            "class_definition" => return Err(shared_use(ctx, name, group[0].0)),
            "function_definition" | "module" => break,
            _ => up = ctx.parent(n),
        }
    }
    Ok(group)
}

/// The `name.run_until_complete(f)` call of a run statement: the whole expression statement,
/// the whole value of `x = ...`, or of `return ...`; not a tear-down run
/// (`shutdown_asyncgens()`).
fn run_call<'t>(ctx: &Ctx<'t>, stmt: Node<'t>, name: &str) -> Option<Node<'t>> {
    let expr = match stmt.kind() {
        "expression_statement" if stmt.named_child_count() == 1 => {
            let expr = stmt.named_child(0)?;
            if expr.kind() == "assignment" {
                expr.child_by_field_name("right")?
            } else {
                expr
            }
        }
        "return_statement" if stmt.named_child_count() == 1 => stmt.named_child(0)?,
        _ => return None,
    };
    let function = expr.child_by_field_name("function")?;
    let object = function.child_by_field_name("object")?;
    let runs = expr.kind() == "call"
        && function.kind() == "attribute"
        && object.kind() == "identifier"
        && ctx.text_of(object) == name
        && function
            .child_by_field_name("attribute")
            .is_some_and(|a| ctx.text_of(a) == "run_until_complete");
    let [arg] = call_args(expr)[..] else {
        return None;
    };
    let mentions_loop = crate::analysis::syntax::descendants(arg)
        .into_iter()
        .any(|n| n.kind() == "identifier" && ctx.text_of(n) == name);
    (runs
        && !mentions_loop
        && !is_loop_shutdown(ctx, arg, object)
        && ctx.text[expr.end_byte()..stmt.end_byte()].is_empty())
    .then_some(expr)
}

/// A later run of a group (`run_group`): the first run's plan rewrites them all, or this one
/// says why not, as the first does.
fn later_run(ctx: &Ctx, first: Node, at: usize, others: bool) -> Vec<Outcome> {
    let planned = first
        .child_by_field_name("function")
        .and_then(|f| {
            Some((
                f.child_by_field_name("object")?,
                f.child_by_field_name("attribute")?,
            ))
        })
        .map(|(o, m)| plan_run(ctx, first, o, m, others));
    match planned.as_deref() {
        Some([Outcome::Finding(f)]) => vec![Finding { at, ..f.clone() }.into()],
        _ => Vec::new(),
    }
}

/// `loop.run_until_complete(main(a))` → `anyio.run(main, a)`, with the loop's set-up and
/// tear-down deletions `cleanup`; also says whether a comment was dropped and whether the form
/// is `functools.partial`.
fn single_run_edits(
    ctx: &Ctx,
    function: Node,
    coro: Node,
    cleanup: Vec<Edit>,
) -> Result<(Vec<Edit>, bool, bool), Refusal> {
    let form = callable_form(ctx, coro, false)?;
    let mut edits = vec![Edit::replace(function.byte_range(), "anyio.run")];
    edits.extend(form.edits);
    let dropped = lost_comments(ctx, &cleanup);
    edits.extend(cleanup);
    Ok((edits, dropped, form.partial))
}

/// The group's runs → `async def _run_in_order(): await a(); await b()` where they were,
/// followed by `anyio.run(_run_in_order)` (with the last run's `x = ` or `return `). The
/// comments between the runs and at their ends go into the new function with the steps. A
/// `try` unwrapped by `cleanup` dedents the new lines too. Also says whether a comment was
/// dropped (and, as `single_run_edits` does, whether the form is `functools.partial`: never).
fn group_edits(
    ctx: &Ctx,
    group: &[(Node, Node)],
    cleanup: Vec<Edit>,
) -> Result<(Vec<Edit>, bool, bool), Refusal> {
    let (Some((first, _)), Some((last, last_call))) = (group.first(), group.last()) else {
        return Ok((cleanup, false, false));
    };
    // The runs and the comments among them and after the last one, on its line.
    let mut end = last.end_byte();
    let mut nodes = Vec::new();
    let mut cur = Some(*first);
    while let Some(n) = cur {
        let after_last = n.start_byte() >= last.end_byte();
        if after_last
            && (n.kind() != "comment" || n.start_position().row != last.end_position().row)
        {
            break;
        }
        end = end.max(n.end_byte());
        nodes.push(n);
        cur = n.next_named_sibling();
    }
    let line = line_start(ctx.text, first.start_byte());
    let mut indent = crate::source::line_indent(ctx.text, first.start_byte()).to_owned();
    let mut edits = Vec::new();
    for e in cleanup {
        if e.text.is_empty() && e.range.start >= line && e.range.end <= end {
            if e.range.end <= first.start_byte() {
                // The unwrapped `try` dedents this line: the new lines take its new indentation.
                indent.replace_range(e.range.start - line..e.range.end - line, "");
            }
            continue;
        }
        edits.push(e);
    }
    let mut dropped = lost_comments(ctx, &edits);
    let helper = super::fresh_name(ctx.text, "_run_in_order");
    let unit = ctx.indent_unit;
    let mut text = format!("{indent}async def {helper}():");
    let mut row = None;
    for node in nodes {
        if node.kind() == "comment" {
            if row == Some(node.start_position().row) {
                let _ = write!(text, "  {}", ctx.text_of(node));
            } else {
                let _ = write!(text, "\n{indent}{unit}{}", ctx.text_of(node));
            }
            continue;
        }
        let Some((stmt, run)) = group.iter().find(|(s, _)| s.id() == node.id()) else {
            return Err(not_a_call());
        };
        let [arg] = call_args(*run)[..] else {
            return Err(not_a_call());
        };
        callable_form(ctx, arg, false).map_err(|r| Refusal {
            why: format!("the step `{}`: {}", first_line(ctx, arg), r.why),
            ..r
        })?;
        dropped |= crate::analysis::syntax::descendants(*stmt)
            .into_iter()
            .any(|n| {
                n.kind() == "comment"
                    && !(arg.start_byte() <= n.start_byte() && n.end_byte() <= arg.end_byte())
            });
        let value = if stmt.id() == last.id() && run.start_byte() > stmt.start_byte() {
            "return "
        } else {
            ""
        };
        let _ = write!(text, "\n{indent}{unit}{value}await {}", ctx.text_of(arg));
        row = Some(stmt.end_position().row);
    }
    let _ = write!(
        text,
        "\n{indent}{}anyio.run({helper})",
        &ctx.text[last.start_byte()..last_call.start_byte()]
    );
    edits.push(Edit::replace(line..end, text));
    Ok((edits, dropped, false))
}

/// The statements of this function that use the loop `object` names, each with its role, and
/// the first other use of the name.
fn loop_roles<'t>(
    ctx: &Ctx<'t>,
    object: Node<'t>,
    func: Option<Node<'t>>,
    scope: Node<'t>,
) -> (Vec<(Node<'t>, Role)>, Option<Node<'t>>) {
    let name = ctx.text_of(object);
    let mut roles: Vec<(Node, Role)> = Vec::new();
    let mut other: Option<Node> = None;
    for used in name_uses(ctx.code(), scope, name, func.is_none()) {
        if used.id() == object.id() {
            continue;
        }
        let role = super::enclosing_statement(ctx.resolver, used)
            .filter(|s| {
                enclosing_function(ctx.resolver, *s).map(|f| f.id()) == func.map(|f| f.id())
            })
            .and_then(|s| statement_role(ctx, s, name).map(|r| (s, r)));
        match role {
            Some((stmt, role)) => {
                if !roles.iter().any(|(s, _)| s.id() == stmt.id()) {
                    roles.push((stmt, role));
                }
            }
            None => {
                other = other.or(Some(used));
            }
        }
    }
    (roles, other)
}

/// The loop's statements to delete, with an `asyncio.set_event_loop(None)` next to a tear-down
/// line: anyio.run's runner resets the thread's loop itself.
fn removed_statements<'t>(ctx: &Ctx<'t>, roles: &[(Node<'t>, Role)]) -> Vec<Node<'t>> {
    let mut removed: Vec<Node> = roles.iter().map(|(s, _)| *s).collect();
    for (stmt, role) in roles {
        if *role != Role::Teardown {
            continue;
        }
        let Some(block) = ctx.parent(*stmt) else {
            continue;
        };
        for sibling in named_children(block) {
            if is_set_event_loop_none(ctx, sibling)
                && !removed.iter().any(|r| r.id() == sibling.id())
            {
                removed.push(sibling);
            }
        }
    }
    removed
}

/// The first line of the statement around `node`, shortened, to name it in a message
/// (line numbers would point into a partly rewritten text).
fn first_line(ctx: &Ctx, node: Node) -> String {
    let stmt = super::enclosing_statement(ctx.resolver, node).unwrap_or(node);
    let text = ctx.text_of(stmt);
    super::shortened(text.lines().next().unwrap_or("").trim_end())
}

/// A `for`/`while` around `call` that does not also contain `creation`: the loop object is then
/// reused by each iteration, which one `anyio.run` per iteration would not do.
fn loop_between<'t>(ctx: &Ctx<'t>, call: Node<'t>, creation: Node<'t>) -> Option<Node<'t>> {
    let mut cur = ctx.parent(call);
    while let Some(n) = cur {
        if matches!(n.kind(), "function_definition" | "lambda" | "module") {
            return None;
        }
        if matches!(n.kind(), "for_statement" | "while_statement")
            && !(n.start_byte() <= creation.start_byte() && creation.end_byte() <= n.end_byte())
        {
            return Some(n);
        }
        cur = ctx.parent(n);
    }
    None
}

/// Inside `if __name__ == "__main__":`, where a module-level name belongs to the script run.
fn in_main_guard(ctx: &Ctx, node: Node) -> bool {
    let mut cur = ctx.parent(node);
    while let Some(n) = cur {
        if n.kind() == "if_statement"
            && n.child_by_field_name("condition").is_some_and(|c| {
                let text: String = ctx.text_of(c).split_whitespace().collect();
                matches!(
                    text.as_str(),
                    "__name__==\"__main__\"" | "__name__=='__main__'"
                )
            })
        {
            return true;
        }
        cur = ctx.parent(n);
    }
    false
}

/// Which lifecycle statement `stmt` is, for the loop variable `name`.
fn statement_role(ctx: &Ctx, stmt: Node, name: &str) -> Option<Role> {
    if run_call(ctx, stmt, name).is_some() {
        return Some(Role::Run);
    }
    if stmt.kind() != "expression_statement" || stmt.named_child_count() != 1 {
        return None;
    }
    let expr = stmt.named_child(0)?;
    if expr.kind() == "assignment" {
        let left = expr.child_by_field_name("left")?;
        let right = expr.child_by_field_name("right")?;
        return (left.kind() == "identifier"
            && ctx.text_of(left) == name
            && is_loop_factory(ctx, right))
        .then_some(Role::Creation);
    }
    if is_method_call(ctx, expr, name, "close") {
        return Some(Role::Teardown);
    }
    if expr.kind() != "call" {
        return None;
    }
    let function = expr.child_by_field_name("function")?;
    let args = call_args(expr);
    let [arg] = args.as_slice() else {
        return None;
    };
    if ctx.is(function, "asyncio.set_event_loop") {
        return (arg.kind() == "identifier" && ctx.text_of(*arg) == name).then_some(Role::Setup);
    }
    let object = function.child_by_field_name("object")?;
    (function.kind() == "attribute"
        && object.kind() == "identifier"
        && ctx.text_of(object) == name
        && function
            .child_by_field_name("attribute")
            .is_some_and(|a| ctx.text_of(a) == "run_until_complete")
        && is_loop_shutdown(ctx, *arg, object))
    .then_some(Role::Teardown)
}

fn is_set_event_loop_none(ctx: &Ctx, stmt: Node) -> bool {
    stmt.kind() == "expression_statement"
        && stmt.named_child(0).is_some_and(|expr| {
            expr.kind() == "call"
                && expr
                    .child_by_field_name("function")
                    .is_some_and(|f| ctx.is(f, "asyncio.set_event_loop"))
                && matches!(call_args(expr).as_slice(), [a] if a.kind() == "none")
        })
}

/// The whole line(s) of a statement that sits alone on its line(s), newline included.
fn line_range(text: &str, stmt: Node) -> std::ops::Range<usize> {
    let start = line_start(text, stmt.start_byte());
    let end = text[stmt.end_byte()..]
        .find('\n')
        .map_or(text.len(), |i| stmt.end_byte() + i + 1);
    start..end
}

/// Does deleting the statements `removed` leave `block` without a statement?
fn empties(block: Node, removed: &[Node]) -> bool {
    named_children(block)
        .filter(|c| c.kind() != "comment")
        .all(|c| removed.iter().any(|r| r.id() == c.id()))
}

/// Edits that delete `removed` (whole lines). A `finally:` left empty is deleted, and a `try:`
/// left with neither `except` nor `finally` is unwrapped (its body dedented).
fn removal_edits(ctx: &Ctx, removed: &[Node]) -> Result<Vec<Edit>, String> {
    let mut edits = Vec::new();
    let mut finally_done: Vec<usize> = Vec::new();
    for stmt in removed {
        let Some(block) = ctx.parent(*stmt) else {
            return Err("the loop's set-up is not a plain statement".to_owned());
        };
        if block.kind() != "module" && empties(block, removed) {
            let clause = ctx.parent(block).filter(|c| c.kind() == "finally_clause");
            let Some(clause) = clause else {
                return Err(
                    "removing the loop's set-up and tear-down would leave an empty block"
                        .to_owned(),
                );
            };
            if !finally_done.contains(&clause.id()) {
                finally_done.push(clause.id());
                edits.extend(drop_finally(ctx, clause, removed)?);
            }
            continue;
        }
        if !on_own_line(ctx.text, *stmt) {
            return Err(
                "a loop set-up or tear-down statement shares its line with other code".to_owned(),
            );
        }
        edits.push(Edit::delete(line_range(ctx.text, *stmt)));
    }
    Ok(edits)
}

/// Delete `finally:` and its block; unwrap the `try` when nothing else is left of it.
fn drop_finally(ctx: &Ctx, clause: Node, removed: &[Node]) -> Result<Vec<Edit>, String> {
    let Some(try_stmt) = ctx.parent(clause) else {
        return Err("unexpected finally clause".to_owned());
    };
    if !on_own_line(ctx.text, clause) {
        return Err("the loop is closed in a finally clause that shares a line".to_owned());
    }
    let mut edits = vec![Edit::delete(line_range(ctx.text, clause))];
    let has_handlers = named_children(try_stmt).any(|c| c.kind() == "except_clause");
    if has_handlers {
        return Ok(edits);
    }
    let Some(body) = try_stmt.child_by_field_name("body") else {
        return Err("unexpected try statement".to_owned());
    };
    let kept: Vec<Node> = named_children(body)
        .filter(|c| c.kind() != "comment" && !removed.iter().any(|r| r.id() == c.id()))
        .collect();
    let Some(first) = named_children(body).next() else {
        return Err("unexpected try statement".to_owned());
    };
    let try_indent = crate::source::line_indent(ctx.text, try_stmt.start_byte());
    let body_indent = crate::source::line_indent(ctx.text, first.start_byte());
    let dedentable = !kept.is_empty()
        && on_own_line(ctx.text, try_stmt)
        && line_start(ctx.text, first.start_byte()) > try_stmt.start_byte()
        && body_indent.len() > try_indent.len()
        && body_indent.starts_with(try_indent)
        && !has_multiline_string(body);
    if !dedentable {
        return Err("the try/finally around the loop cannot be unwrapped safely".to_owned());
    }
    // `try:` (and anything up to the first body line) goes; each body line loses one level.
    edits.push(Edit::delete(
        line_start(ctx.text, try_stmt.start_byte())..line_start(ctx.text, first.start_byte()),
    ));
    let removed_ranges: Vec<_> = removed.iter().map(|r| line_range(ctx.text, *r)).collect();
    let mut pos = line_start(ctx.text, first.start_byte());
    while pos < body.end_byte() {
        let line_end = ctx.text[pos..]
            .find('\n')
            .map_or(ctx.text.len(), |i| pos + i + 1);
        let line = &ctx.text[pos..line_end];
        let inside_removed = removed_ranges.iter().any(|r| r.contains(&pos));
        if !inside_removed && line.starts_with(body_indent) && !line.trim().is_empty() {
            edits.push(Edit::delete(
                pos + try_indent.len()..pos + body_indent.len(),
            ));
        }
        pos = line_end;
    }
    Ok(edits)
}

/// A string literal spanning lines: dedenting would change its value.
fn has_multiline_string(node: Node) -> bool {
    if node.kind() == "string" && node.start_position().row != node.end_position().row {
        return true;
    }
    named_children(node).any(has_multiline_string)
}

/// Would deleting these ranges drop a comment?
fn lost_comments(ctx: &Ctx, edits: &[Edit]) -> bool {
    edits.iter().any(|e| {
        e.text.is_empty() && {
            let removed = &ctx.text[e.range.clone()];
            removed.contains('#') && {
                let mut stack = vec![ctx.tree.root_node()];
                let mut found = false;
                while let Some(n) = stack.pop() {
                    if n.end_byte() <= e.range.start || n.start_byte() >= e.range.end {
                        continue;
                    }
                    if n.kind() == "comment" {
                        found = true;
                        break;
                    }
                    stack.extend(named_children(n));
                }
                found
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::target::{Targets, Version};

    /// The output and the codes of the findings, for this codemod alone and a target anyio.
    fn run(src: &str, anyio: Version) -> (String, Vec<String>) {
        let targets = Targets {
            anyio,
            ..Targets::default()
        };
        let m = crate::engine::migrate_alone(super::ID, src, targets);
        let codes = m.findings.iter().map(|f| f.finding.code()).collect();
        (m.output, codes)
    }

    /// anyio 4.0 and 4.1 accept `backend_options={"loop_factory": ...}` and ignore it (the
    /// API table's probe shows it): the rewrite is made from 4.2 on only.
    #[test]
    fn loop_factory_needs_anyio_4_2() {
        let src = "import asyncio\n\nasync def main():\n    pass\n\nasyncio.run(main(), loop_factory=asyncio.SelectorEventLoop)\n";
        let (out, codes) = run(src, Version(4, 2, 0));
        assert!(
            out.contains(
                "anyio.run(main, backend_options={\"loop_factory\": asyncio.SelectorEventLoop})"
            ),
            "{out}"
        );
        assert!(codes.is_empty(), "{codes:?}");
        let (out, codes) = run(src, Version(4, 1, 0));
        assert_eq!(out, src);
        assert_eq!(codes, ["asyncio-run/anyio-too-old"]);
        // `debug=` alone works on every target.
        let debug = src.replace("loop_factory=asyncio.SelectorEventLoop", "debug=True");
        let (out, codes) = run(&debug, Version(3, 7, 1));
        assert!(out.contains("backend_options={\"debug\": True}"), "{out}");
        assert!(codes.is_empty(), "{codes:?}");
    }
}
