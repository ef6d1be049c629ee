//! A suite's own sync fixture that requests pytest-asyncio's `event_loop` becomes an async
//! fixture: under anyio's plugin an async fixture runs on the loop of the test that requests
//! it, as `event_loop` was that test's loop.
//! - One that only hands the loop out (`def loop(event_loop): return event_loop`, the legacy
//!   idiom of pytest-asyncio before 1.0) returns `asyncio.get_running_loop()`
//!   (`event-loop-alias`).
//! - One that passes the loop on as a value binds `event_loop = asyncio.get_running_loop()`
//!   first in its body, the parameter dropped (`event-loop-fixture`): `def owner(event_loop):
//!   owner = Mock(); owner.loop = event_loop; return owner`.
//!
//! Preconditions, all checked here, else the request stays a MANUAL blocker (the suite stays
//! on pytest-asyncio):
//! - the run selects the asyncio backend only (`--backends asyncio`): trio has no loop object;
//! - the fixture is a module-level sync `def` decorated as a fixture (without `name=`); in the
//!   second shape every use of `event_loop` is a value, never `event_loop.method(...)` (a method
//!   could drive or close the loop the async fixture runs on, and asyncio-loop would rewrite it
//!   on a second run, after this pass), and the name is never rebound;
//! - every function of the run that requests it (the module's own, or for a `conftest.py` every
//!   file below its folder) is an `async def` and no `usefixtures` names it: a sync test would
//!   now get a coroutine, or have to drive a loop anyio's runner owns.

use super::{ID, Texts, original_text};
use crate::codemods::Ctx;
use crate::codemods::pytest_asyncio::{
    fixture_decorator, import_point_in, parameter_range, parameters,
};
use crate::edit::{Edit, Fix, Verdict};
use crate::engine::Reported;
use crate::outcome::FileOutcome;
use crate::resolve::named_children;
use crate::source::line_col;
use std::path::{Path, PathBuf};
use tree_sitter::Node;

/// The finding the codemod gives a request of `event_loop` starts with this.
const REQUEST: &str = "requests pytest-asyncio's `event_loop` fixture";

const FIXTURE_NOTE: &str = "a sync fixture requesting pytest-asyncio's `event_loop` → an async fixture that binds `event_loop = asyncio.get_running_loop()` first: every function requesting it is async, and under anyio's plugin it runs on the loop of the test that requests it, as `event_loop` was that test's loop (asyncio backend only; the loop's uses are asyncio-loop's)";

const NOTE: &str = "a fixture handing out pytest-asyncio's `event_loop` → an async fixture returning `asyncio.get_running_loop()`: every function requesting it is async, and under anyio's plugin it runs on the loop of the test that requests it (asyncio backend only)";

/// Rewrite every alias fixture whose preconditions hold (see the module's documentation).
pub fn migrate_aliases(outcomes: &mut [FileOutcome], backends: &[String]) {
    if backends != ["asyncio"] {
        return;
    }
    // (file, fixture name, byte offset of the request in the original text)
    let mut aliases: Vec<(usize, String, usize)> = Vec::new();
    for (i, o) in outcomes.iter().enumerate() {
        if o.config {
            continue;
        }
        let requests: Vec<usize> = o
            .migration
            .findings
            .iter()
            .filter(|f| f.finding.codemod == ID && f.finding.message.starts_with(REQUEST))
            .map(|f| f.finding.at)
            .collect();
        if requests.is_empty() {
            continue;
        }
        let Some(text) = original_text(o) else {
            continue;
        };
        let found = Ctx::with(&text, |ctx| {
            requests
                .iter()
                .filter_map(|&at| alias_name(ctx, at).map(|name| (name, at)))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
        aliases.extend(found.into_iter().map(|(name, at)| (i, name, at)));
    }
    for (i, name, at) in aliases {
        let scope: PathBuf = if is_conftest(&outcomes[i].path) {
            outcomes[i]
                .path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        } else {
            outcomes[i].path.clone()
        };
        let all_async = outcomes
            .iter()
            .filter(|o| !o.config && o.path.starts_with(&scope))
            .all(|o| {
                original_text(o).is_none_or(|t| {
                    Ctx::with(&t, |ctx| requesters_are_async(ctx, &name)).unwrap_or(false)
                })
            });
        if all_async {
            rewrite(&mut outcomes[i], &name, at);
        }
    }
}

fn is_conftest(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "conftest.py")
}

/// The module-level fixture whose parameter `event_loop` sits at `at`, when it only hands that
/// loop out: its name.
fn alias_name(ctx: &Ctx, at: usize) -> Option<String> {
    let func = alias_at(ctx, at)?;
    Some(ctx.text_of(func.child_by_field_name("name")?).to_owned())
}

fn alias_at<'t>(ctx: &Ctx<'t>, at: usize) -> Option<Node<'t>> {
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
    if hands_out(ctx, func) {
        return Some(func);
    }
    // A fixture that passes the loop on as a value (`owner.loop = event_loop`, `Client(loop=
    // event_loop)`): never a method of it, which could drive or close the loop the async
    // fixture runs on, and which asyncio-loop would rewrite on a later run; the name not rebound.
    let body = func.child_by_field_name("body")?;
    let mut used = false;
    for n in crate::analysis::syntax::descendants(body) {
        if n.kind() != "identifier" || ctx.text_of(n) != "event_loop" {
            continue;
        }
        let parent = ctx.parent(n)?;
        let method = parent.kind() == "attribute"
            && parent
                .child_by_field_name("object")
                .is_some_and(|o| o.id() == n.id());
        if method || crate::analysis::bindings::is_binding_site(ctx.resolver, n) {
            return None;
        }
        used = true;
    }
    used.then_some(func)
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
/// aside), and no `usefixtures` names it.
fn requesters_are_async(ctx: &Ctx, name: &str) -> bool {
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
            let requests = parameters(ctx, n).iter().any(|(_, p)| p == name);
            if requests && !own_name && !crate::codemods::is_async_def(n) {
                return false;
            }
        }
        stack.extend(named_children(n));
    }
    true
}

/// Rewrite the fixture `name` in the outcome's migrated text; the request's finding becomes the
/// reported fix.
fn rewrite(o: &mut FileOutcome, name: &str, at: usize) {
    let Some(texts) = Texts::of(o) else {
        return;
    };
    let Some((edits, alias)) = Ctx::with(&texts.current, |ctx| {
        let edits = alias_edits(ctx, name)?;
        let alias = module_fixture(ctx, name).is_some_and(|f| hands_out(ctx, f));
        Some((edits, alias))
    })
    .flatten() else {
        return;
    };
    let Some(next) = texts.edited(edits) else {
        return;
    };
    o.migration
        .findings
        .retain(|f| !(f.finding.at == at && f.finding.message.starts_with(REQUEST)));
    let (line, column) = line_col(&texts.original, at);
    let fix = if alias {
        Fix::new(ID, "event-loop-alias", at, Verdict::SafeEdge, Vec::new()).note(NOTE)
    } else {
        Fix::new(ID, "event-loop-fixture", at, Verdict::SafeEdge, Vec::new()).note(FIXTURE_NOTE)
    }
    .needs_only(&[]);
    o.migration.applied.push(Reported::at(fix, line, column));
    o.migration.applied.sort_by_key(|r| (r.line, r.column));
    texts.set_after(o, &next);
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

/// The edits that make the module-level fixture `name` (in `ctx`'s text) async and return the
/// running loop; `import asyncio` added when the name does not resolve to it there.
fn alias_edits(ctx: &Ctx, name: &str) -> Option<Vec<Edit>> {
    let func = module_fixture(ctx, name)?;
    let params = func.child_by_field_name("parameters")?;
    let param = named_children(params).find(|p| ctx.text_of(*p) == "event_loop")?;
    let alias = alias_at(ctx, param.start_byte())?;
    if alias.id() != func.id() {
        return None;
    }
    let body = func.child_by_field_name("body")?;
    let mut edits = vec![
        Edit::insert(func.start_byte(), "async "),
        Edit::delete(parameter_range(ctx, param)),
    ];
    if hands_out(ctx, func) {
        let statement = named_children(body).rfind(|s| s.kind() != "comment")?;
        edits.push(Edit::replace(
            statement.byte_range(),
            "return asyncio.get_running_loop()",
        ));
    } else {
        // The loop the fixture used, bound first: the running one.
        let first = *crate::analysis::syntax::working_statements(body).first()?;
        let start = first.start_byte();
        let indent = &ctx.text[crate::source::line_start(ctx.text, start)..start];
        edits.push(Edit::insert(
            start,
            format!("event_loop = asyncio.get_running_loop()\n{indent}"),
        ));
    }
    match ctx.resolver.resolve_name("asyncio", func).as_deref() {
        Some("asyncio") => {}
        // `asyncio` means something else here.
        Some(_) => return None,
        None if ctx.resolver.is_bound("asyncio", func) => return None,
        None => {
            let module = ctx.tree.root_node();
            let (at, line) =
                crate::imports::sections::place(module, ctx.text, "asyncio", &[], &|_: &str| false)
                    .unwrap_or_else(|| {
                        (
                            import_point_in(module, ctx.text),
                            "import asyncio\n".to_owned(),
                        )
                    });
            edits.push(Edit::insert(at, line));
        }
    }
    Some(edits)
}
