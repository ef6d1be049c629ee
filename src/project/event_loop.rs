//! A suite's own sync fixture that requests pytest-asyncio's `event_loop` becomes an async
//! fixture: under anyio's plugin an async fixture runs on the loop of the test that requests
//! it, as `event_loop` was that test's loop.
//! - One that only hands the loop out (`def loop(event_loop): return event_loop`, the legacy
//!   idiom of pytest-asyncio before 1.0) returns `asyncio.get_running_loop()`
//!   (`event-loop-alias`).
//! - One that passes the loop on as a value binds `event_loop = asyncio.get_running_loop()`
//!   first in its body, the parameter dropped (`event-loop-fixture`): `def owner(event_loop):
//!   owner = Mock(); owner.loop = event_loop; return owner`.
//! - One that never reads the loop (it asked for it so that pytest-asyncio ran it with the
//!   test's loop set as the current one) drops the parameter (`event-loop-unused`): the async
//!   fixture runs on the loop of the test that requests it. Its sync requesters may be tests of
//!   its module, each marked `@pytest.mark.usefixtures("anyio_backend")` in the same rewrite (so
//!   that anyio's plugin sets the fixture up for it), or other such fixtures of its module,
//!   rewritten with it.
//! - One that runs coroutines on the loop (`server = event_loop.run_until_complete(start())`
//!   in its setup and teardown, the idiom from before async fixtures) awaits them instead
//!   (`server = await start()`), the parameter dropped (`event-loop-run-fixture`); where it
//!   also passes the loop on as a value, it binds it as above.
//!
//! Preconditions, all checked here, else the request stays a MANUAL blocker (the suite stays
//! on pytest-asyncio):
//! - the run selects the asyncio backend only (`--backends asyncio`) where the fixture hands
//!   out or passes on the loop object: trio has none (a fixture that only runs coroutines on it,
//!   or never reads it, needs no loop object);
//! - one that never reads the loop calls no `run_until_complete` / `run_forever` (on a loop it
//!   gets another way): the async fixture's loop is running;
//! - the fixture is a module-level sync `def` decorated as a fixture (without `name=`); every
//!   use of `event_loop` is a value or `event_loop.run_until_complete(x)` with one argument, a
//!   name, attribute or call, as a whole statement, an assignment's value or a `return`'s, in
//!   the fixture's own body (not a nested function); never another method, which could drive
//!   or close the loop the async fixture runs on; and the name is never rebound;
//! - every test or fixture of the run that requests it (the module's own, or for a
//!   `conftest.py` every file below its folder) is an `async def` and no `usefixtures` names it:
//!   a sync test would now get a coroutine, or have to drive a loop anyio's runner owns (but
//!   the sync tests and fixtures of its own module allowed above for one that never reads the
//!   loop); a plain function's parameter of that name is its caller's value, not a request;
//! - the rewritten file is one the codemods leave as it is (an async fixture's body is theirs to
//!   rewrite: `subprocess.run` there would become `await anyio.run_process` on the next run), so a second
//!   run changes nothing.

use super::{ID, Texts, original_text};
use crate::codemods::Ctx;
use crate::codemods::pytest_asyncio::{
    asyncio_import, fixture_decorator, own_fixture_outcomes, parameter_range, parameters,
};
use crate::edit::{Edit, Fix, Outcome, Verdict};
use crate::engine::{Options, Reported, ReportedFinding};
use crate::outcome::FileOutcome;
use crate::project::targets::Finder;
use crate::resolve::named_children;
use crate::source::{line_col, offset_of};
use std::ops::Range;
use std::path::{Path, PathBuf};
use tree_sitter::Node;

/// The finding the codemod gives a request of `event_loop` starts with this.
const REQUEST: &str = "requests pytest-asyncio's `event_loop` fixture";

const FIXTURE_NOTE: &str = "a sync fixture requesting pytest-asyncio's `event_loop` → an async fixture that binds `event_loop = asyncio.get_running_loop()` first: every function requesting it is async, and under anyio's plugin it runs on the loop of the test that requests it, as `event_loop` was that test's loop (asyncio backend only; the loop's uses are asyncio-loop's)";

const UNUSED_NOTE: &str = "a sync fixture requesting pytest-asyncio's `event_loop` without reading it (which ran it with the test's loop set as the current one) → an async fixture without the parameter: under anyio's plugin it runs on the loop of the test that requests it, so what it makes belongs to that loop as before; a sync test requesting it is marked to use `anyio_backend`, which has anyio's plugin set it up (on every backend the run selects: on trio, what it makes must not need an asyncio loop)";

const RUN_NOTE: &str = "a sync fixture running coroutines on pytest-asyncio's `event_loop` (`event_loop.run_until_complete(c)`) → an async fixture awaiting them (`await c`): every function requesting it is async, and under anyio's plugin it runs on the loop of the test that requests it, as `event_loop` was that test's loop, so the coroutines run on the same loop as before; tasks they start now also run while the fixture's own code runs";

const RUN_VALUE_NOTE: &str = "; the loop it also passes on is bound first as `event_loop = asyncio.get_running_loop()` (asyncio backend only; the loop's uses are asyncio-loop's)";

const NOTE: &str = "a fixture handing out pytest-asyncio's `event_loop` → an async fixture returning `asyncio.get_running_loop()`: every function requesting it is async, and under anyio's plugin it runs on the loop of the test that requests it (asyncio backend only)";

/// Rewrite every alias fixture whose preconditions hold (see the module's documentation).
pub fn migrate_aliases(
    outcomes: &mut [FileOutcome],
    backends: &[String],
    (opts, targets): (&Options, &Finder),
) {
    let asyncio_only = backends == ["asyncio"];
    // (file, fixture name, byte offset of the request in the original text, what it does)
    let mut aliases: Vec<(usize, String, usize, Uses)> = Vec::new();
    for (i, o) in outcomes.iter().enumerate() {
        if o.config {
            continue;
        }
        let is_request = |f: &&ReportedFinding| {
            f.finding.codemod == ID && f.finding.message.starts_with(REQUEST)
        };
        if !o.migration.findings.iter().any(|f| is_request(&f)) {
            continue;
        }
        let Some(text) = original_text(o) else {
            continue;
        };
        // Where each request is in the file as it was (a finding's own offset is in the text
        // of the pass that made it).
        let requests: Vec<usize> = o
            .migration
            .findings
            .iter()
            .filter(is_request)
            .map(|f| offset_of(&text, f.line, f.column))
            .collect();
        let found = Ctx::with_stars(&text, &o.stars, |ctx| {
            requests
                .iter()
                .filter_map(|&at| {
                    let (func, uses) = alias_at(ctx, at)?;
                    let name = ctx.text_of(func.child_by_field_name("name")?).to_owned();
                    Some((name, at, uses))
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
        aliases.extend(
            found
                .into_iter()
                .filter(|(_, _, uses)| asyncio_only || !uses.needs_the_loop())
                .map(|(name, at, uses)| (i, name, at, uses)),
        );
    }
    // Per file, the fixtures that never read the loop: their sync requesters in that file may be
    // tests (marked to use `anyio_backend`) or one another (made async too).
    let unused: Vec<(usize, String)> = aliases
        .iter()
        .filter(|(_, _, _, uses)| uses.unused())
        .map(|(i, name, _, _)| (*i, name.clone()))
        .collect();
    let mut grouped: Vec<(usize, Vec<Request>)> = Vec::new();
    for (i, name, at, uses) in aliases {
        let scope: PathBuf = if is_conftest(&outcomes[i].path) {
            outcomes[i]
                .path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        } else {
            outcomes[i].path.clone()
        };
        let own_path = outcomes[i].path.clone();
        let siblings: Vec<String> = unused
            .iter()
            .filter(|(j, _)| *j == i && uses.unused())
            .map(|(_, n)| n.clone())
            .collect();
        let all_async = outcomes
            .iter()
            .filter(|o| !o.config && o.path.starts_with(&scope))
            .all(|o| {
                let here = if o.path == own_path {
                    siblings.as_slice()
                } else {
                    &[]
                };
                original_text(o).is_none_or(|t| {
                    Ctx::with_stars(&t, &o.stars, |ctx| requesters_are_async(ctx, &name, here))
                        .unwrap_or(false)
                })
            });
        if !all_async {
            continue;
        }
        if uses.unused() {
            // Rewritten together with the file's other such fixtures, below: the sync tests to
            // mark are those of all of them.
            match grouped.iter_mut().find(|(j, _)| *j == i) {
                Some((_, group)) => group.push((name, at, uses)),
                None => grouped.push((i, vec![(name, at, uses)])),
            }
        } else {
            rewrite(&mut outcomes[i], &[(name, at, uses)], (opts, targets));
        }
    }
    for (i, group) in grouped {
        rewrite(&mut outcomes[i], &group, (opts, targets));
    }
}

fn is_conftest(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "conftest.py")
}

/// A fixture's request of `event_loop` to rewrite: the fixture's name, the request's byte offset
/// in the original text, what the fixture does with the loop.
type Request = (String, usize, Uses);

/// What a fixture does with the `event_loop` it requests.
struct Uses {
    /// It only hands the loop out (`hands_out`).
    hands_out: bool,
    /// It passes the loop on as a value.
    value: bool,
    /// The byte ranges, in the text it was read from, of its `event_loop.run_until_complete(x)`
    /// calls.
    runs: Vec<Range<usize>>,
}

impl Uses {
    /// The rewrite needs the loop object, which only the asyncio backend has.
    fn needs_the_loop(&self) -> bool {
        self.hands_out || self.value
    }

    /// The fixture never reads `event_loop`: it asked for it to run with the test's loop set.
    fn unused(&self) -> bool {
        !self.hands_out && !self.value && self.runs.is_empty()
    }
}

/// The module-level sync fixture whose parameter `event_loop` sits at `at`, and what it does
/// with the loop, when every use is one this pass rewrites.
fn alias_at<'t>(ctx: &Ctx<'t>, at: usize) -> Option<(Node<'t>, Uses)> {
    let param = ctx
        .tree
        .root_node()
        .named_descendant_for_byte_range(at, at + "event_loop".len())?;
    let params = ctx.parent(param).filter(|p| p.kind() == "parameters")?;
    let func = ctx
        .parent(params)
        .filter(|f| f.kind() == "function_definition")?;
    let decorated = ctx
        .parent(func)
        .filter(|d| d.kind() == "decorated_definition")?;
    let module_level = ctx.parent(decorated).is_some_and(|m| m.kind() == "module");
    let decorator = fixture_decorator(ctx, decorated)?;
    let renamed = ctx
        .parent(decorator)
        .is_some_and(|d| d.kind() == "call" && ctx.text_of(d).contains("name"));
    if !module_level || renamed || crate::codemods::is_async_def(func) {
        return None;
    }
    let mut uses = Uses {
        hands_out: hands_out(ctx, func),
        value: false,
        runs: Vec::new(),
    };
    if uses.hands_out {
        return Some((func, uses));
    }
    // A fixture that passes the loop on as a value (`owner.loop = event_loop`, `Client(loop=
    // event_loop)`) or runs a coroutine on it in a statement of its own: never another method
    // of it, which could drive or close the loop the async fixture runs on; the name not
    // rebound.
    let body = func.child_by_field_name("body")?;
    for n in crate::analysis::syntax::descendants(body) {
        if n.kind() != "identifier" || ctx.text_of(n) != "event_loop" {
            continue;
        }
        if crate::analysis::bindings::is_binding_site(ctx.resolver, n) {
            return None;
        }
        let parent = ctx.parent(n)?;
        let method = parent.kind() == "attribute"
            && parent
                .child_by_field_name("object")
                .is_some_and(|o| o.id() == n.id());
        if !method {
            uses.value = true;
            continue;
        }
        uses.runs
            .push(run_in_statement(ctx, func, parent)?.byte_range());
    }
    // Never read (the request only made pytest-asyncio set the test's loop while the fixture
    // ran): no `run_until_complete` / `run_forever` either, on a loop it gets another way, which
    // the async fixture's running loop would refuse.
    let drives = ["run_until_complete", "run_forever"]
        .iter()
        .any(|m| ctx.text_of(body).contains(m));
    (uses.value || !uses.runs.is_empty() || !drives).then_some((func, uses))
}

/// `event_loop.run_until_complete(x)`, `attribute` its callee, when the call is a whole
/// statement, an assignment's value or a `return`'s, of `func`'s own body, and `x` its one
/// argument, a name, attribute or call (`await x` then reads as it should).
fn run_in_statement<'t>(ctx: &Ctx<'t>, func: Node<'t>, attribute: Node<'t>) -> Option<Node<'t>> {
    let method = attribute.child_by_field_name("attribute")?;
    let call = ctx
        .parent(attribute)
        .filter(|c| c.kind() == "call" && ctx.text_of(method) == "run_until_complete")?;
    let [arg] = crate::codemods::call_args(call)[..] else {
        return None;
    };
    if !matches!(arg.kind(), "identifier" | "attribute" | "call") {
        return None;
    }
    let holder = ctx.parent(call)?;
    let statement = match holder.kind() {
        "expression_statement" | "return_statement" => holder,
        "assignment"
            if holder
                .child_by_field_name("right")
                .is_some_and(|r| r.id() == call.id()) =>
        {
            ctx.parent(holder)
                .filter(|s| s.kind() == "expression_statement")?
        }
        _ => return None,
    };
    let own = crate::codemods::enclosing_function(ctx.resolver, statement)
        .is_some_and(|f| f.id() == func.id());
    own.then_some(call)
}

/// The fixture only hands the loop out: its body, docstring aside, is `return event_loop` or
/// `yield event_loop`, and it uses `event_loop` nowhere else.
fn hands_out(ctx: &Ctx, func: Node) -> bool {
    let Some(body) = func.child_by_field_name("body") else {
        return false;
    };
    let handed = match crate::analysis::syntax::working_statements(body)[..] {
        [only] => match only.kind() {
            "return_statement" => only.named_child(0),
            "expression_statement" => only
                .named_child(0)
                .filter(|y| y.kind() == "yield")
                .and_then(|y| y.named_child(0)),
            _ => None,
        },
        _ => None,
    };
    let uses = ctx.text[body.byte_range()].matches("event_loop").count();
    handed.is_some_and(|h| ctx.text_of(h) == "event_loop") && uses == 1
}

/// Every function of the module that requests `name` is an `async def` (the fixture itself
/// aside), and no `usefixtures` names it. With `unused` (the module's fixtures that never read
/// the loop, `name` among them), a sync requester may also be a test, which the rewrite marks
/// to use `anyio_backend`, or one of those fixtures, made async too.
fn requesters_are_async(ctx: &Ctx, name: &str, unused: &[String]) -> bool {
    if ctx.text.contains("usefixtures") && ctx.text.contains(name) {
        let quoted = [format!("\"{name}\""), format!("'{name}'")];
        if quoted.iter().any(|q| ctx.text.contains(q.as_str())) {
            return false;
        }
    }
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        if n.kind() == "function_definition" {
            let own_name = n
                .child_by_field_name("name")
                .is_some_and(|f| ctx.text_of(f) == name);
            let fixture = ctx
                .parent(n)
                .filter(|d| d.kind() == "decorated_definition")
                .and_then(|d| fixture_decorator(ctx, d))
                .is_some();
            let callee_name = n.child_by_field_name("name").map_or("", |f| ctx.text_of(f));
            let marked_test = !fixture && callee_name.starts_with("test");
            // Only tests and fixtures request fixtures: a helper's parameter of that name is
            // its caller's value.
            let requests =
                (fixture || marked_test) && parameters(ctx, n).iter().any(|(_, p)| p == name);
            let made_async = fixture && unused.iter().any(|u| u == callee_name);
            let tolerated = unused.iter().any(|u| u == name) && (marked_test || made_async);
            if requests && !own_name && !crate::codemods::is_async_def(n) && !tolerated {
                return false;
            }
        }
        stack.extend(named_children(n));
    }
    true
}

/// Rewrite the fixtures `group` (name, offset of the request in the original text, what each
/// does with the loop) in the outcome's migrated text, all or none, when the codemods leave the
/// result as it is; each request's finding becomes the reported fix, and the findings at the
/// `run_until_complete` calls it rewrote go.
fn rewrite(o: &mut FileOutcome, group: &[Request], (opts, targets): (&Options, &Finder)) {
    let Some(texts) = Texts::of(o) else {
        return;
    };
    // Every fixture of the group, or none: the current text parsed once for all of them.
    let edits = Ctx::with_stars(&texts.current, &o.stars, |ctx| {
        group
            .iter()
            .map(|(name, _, _)| alias_edits(ctx, name))
            .collect::<Option<Vec<Vec<Edit>>>>()
    })
    .flatten();
    let Some(mut edits) = edits.map(|all| all.concat()) else {
        return;
    };
    // Fixtures that never read the loop may have sync tests among their requesters: each is
    // marked to use `anyio_backend` (reported where it is in the original text, edited in the
    // current one), or nothing is rewritten.
    let unused: Vec<String> = group
        .iter()
        .filter(|(_, _, uses)| uses.unused())
        .map(|(name, _, _)| name.clone())
        .collect();
    let Some(marks) = sync_test_marks(&texts, &o.stars, &unused) else {
        return;
    };
    for mark in &marks.1 {
        edits.extend(mark.edits.iter().cloned());
    }
    let Some(next) = texts.edited(edits) else {
        return;
    };
    if !settled(o, &next, (opts, targets)) {
        return;
    }
    o.migration.findings.retain(|f| {
        let here = offset_of(&texts.original, f.line, f.column);
        group.iter().all(|(_, at, uses)| {
            let request = here == *at && f.finding.message.starts_with(REQUEST);
            let run = uses.runs.iter().any(|r| r.contains(&here));
            !request && !run
        })
    });
    for mark in marks.0 {
        let (line, column) = line_col(&texts.original, mark.at);
        o.migration.applied.push(Reported::at(mark, line, column));
    }
    for (_, at, uses) in group {
        let (line, column) = line_col(&texts.original, *at);
        o.migration
            .applied
            .push(Reported::at(reported_fix(*at, uses), line, column));
    }
    o.migration.applied.sort_by_key(|r| (r.line, r.column));
    texts.set_after(o, &next);
}

/// The marks of the sync tests that request one of `names` (fixtures made async), as fixes at
/// their places in the original text and in the current one; `None` when a test cannot be
/// marked (the finding says why) or the two texts disagree.
fn sync_test_marks(
    texts: &Texts,
    stars: &[(String, crate::resolve::Provided)],
    names: &[String],
) -> Option<(Vec<Fix>, Vec<Fix>)> {
    if names.is_empty() {
        return Some((Vec::new(), Vec::new()));
    }
    let fixes = |text: &str| -> Option<Vec<Fix>> {
        Ctx::with_stars(text, stars, |ctx| own_fixture_outcomes(ctx, names))?
            .into_iter()
            .map(|o| match o {
                Outcome::Fix(f) => Some(f),
                Outcome::Finding(_) => None,
            })
            .collect()
    };
    let (original, current) = (fixes(&texts.original)?, fixes(&texts.current)?);
    (original.len() == current.len()).then_some((original, current))
}

/// The fix a rewritten request is reported as.
fn reported_fix(at: usize, uses: &Uses) -> Fix {
    if uses.unused() {
        Fix::new(ID, "event-loop-unused", at, Verdict::SafeEdge, Vec::new()).note(UNUSED_NOTE)
    } else if uses.hands_out {
        Fix::new(ID, "event-loop-alias", at, Verdict::SafeEdge, Vec::new()).note(NOTE)
    } else if uses.runs.is_empty() {
        Fix::new(ID, "event-loop-fixture", at, Verdict::SafeEdge, Vec::new()).note(FIXTURE_NOTE)
    } else {
        let note = if uses.value {
            format!("{RUN_NOTE}{RUN_VALUE_NOTE}")
        } else {
            RUN_NOTE.to_owned()
        };
        Fix::new(
            ID,
            "event-loop-run-fixture",
            at,
            Verdict::SafeEdge,
            Vec::new(),
        )
        .note(note)
    }
    .needs_only(&[])
}

/// The codemods leave `next` (the file's migrated text with this pass's edits) as it is, with
/// the file's own targets: a second run would not rewrite the fixture's new async body.
fn settled(o: &FileOutcome, next: &str, (opts, targets): (&Options, &Finder)) -> bool {
    let Ok(mut parser) = crate::source::new_parser() else {
        return false;
    };
    let opts = Options {
        path: Some(&o.path),
        targets: targets.for_file(&o.path).targets,
        ..*opts
    };
    crate::engine::migrate(next, next.contains("\r\n"), &opts, &mut parser)
        .is_ok_and(|m| m.output == next)
}

/// The module-level decorated function `name`.
fn module_fixture<'t>(ctx: &Ctx<'t>, name: &str) -> Option<Node<'t>> {
    named_children(ctx.tree.root_node())
        .filter(|d| d.kind() == "decorated_definition")
        .filter_map(|d| d.child_by_field_name("definition"))
        .find(|f| {
            f.kind() == "function_definition"
                && f.child_by_field_name("name")
                    .is_some_and(|n| ctx.text_of(n) == name)
        })
}

/// The edits that make the module-level fixture `name` (in `ctx`'s text) async: it returns the
/// running loop, or awaits what it ran on the loop and binds the loop it passes on; `import
/// asyncio` added where the loop is bound and the name does not resolve to it there.
fn alias_edits(ctx: &Ctx, name: &str) -> Option<Vec<Edit>> {
    let func = module_fixture(ctx, name)?;
    let params = func.child_by_field_name("parameters")?;
    let param = named_children(params).find(|p| ctx.text_of(*p) == "event_loop")?;
    let (alias, uses) = alias_at(ctx, param.start_byte())?;
    if alias.id() != func.id() {
        return None;
    }
    let body = func.child_by_field_name("body")?;
    let mut edits = vec![
        Edit::insert(func.start_byte(), "async "),
        Edit::delete(parameter_range(ctx, param)),
    ];
    for run in &uses.runs {
        let call = ctx
            .tree
            .root_node()
            .named_descendant_for_byte_range(run.start, run.end)?;
        let arg = *crate::codemods::call_args(call).first()?;
        edits.push(Edit::replace(
            run.clone(),
            format!("await {}", ctx.text_of(arg)),
        ));
    }
    if uses.hands_out {
        let statement = named_children(body).rfind(|s| s.kind() != "comment")?;
        edits.push(Edit::replace(
            statement.byte_range(),
            "return asyncio.get_running_loop()",
        ));
    } else if uses.value {
        // The loop the fixture used, bound first: the running one.
        let first = *crate::analysis::syntax::working_statements(body).first()?;
        let start = first.start_byte();
        let indent = &ctx.text[crate::source::line_start(ctx.text, start)..start];
        edits.push(Edit::insert(
            start,
            format!("event_loop = asyncio.get_running_loop()\n{indent}"),
        ));
    } else {
        return Some(edits);
    }
    edits.extend(asyncio_import(ctx, func)?);
    Some(edits)
}
