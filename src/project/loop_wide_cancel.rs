//! Code that cancels every task of the running loop (`for t in asyncio.all_tasks(): t.cancel()`,
//! the graceful-shutdown idiom of signal handlers) cancels anyio's pytest plugin with it: the
//! plugin runs tasks of its own on the test's loop, and the test ends in `CancelledError`, where
//! under pytest-asyncio the loop ran only the test's task and the code's
//! (`docs/evidence/loop_wide_cancel.py`). The asyncio code itself is not wrong, so nothing is
//! rewritten: each async test of a suite the run moves to anyio's plugin that calls such a
//! function by name (or cancels the loop's tasks itself) gets a MANUAL finding at the call.
//!
//! A site is a call of `asyncio.all_tasks()` in a function whose body also calls `.cancel()`;
//! the function a test calls is the outermost one around the site (a module-level function, or
//! a method, matched only as `x.name(...)`). Callers of callers are not followed.

use super::{ConfigFacts, ID, add_findings, is_test_module, original_text};
use crate::analysis::callers::Function;
use crate::analysis::syntax::descendants;
use crate::codemods::Ctx;
use crate::edit::Finding;
use crate::outcome::FileOutcome;
use crate::resolve::named_children;
use crate::source::line_col;
use std::path::{Path, PathBuf};
use tree_sitter::Node;

/// A function that cancels every task of the loop.
struct Site {
    /// The outermost function around the `all_tasks()` call, as its callers name it.
    function: Function,
    /// Where the call is, as the report shows it (`path:line`).
    at: String,
    /// The byte offsets of the call and of the outermost function.
    call: usize,
    outer: usize,
}

/// Report the async tests, in suites moved to anyio's plugin, that cancel every task of the loop.
pub fn report(outcomes: &mut [FileOutcome], facts: &ConfigFacts) {
    // Only a run that moves some suite to anyio's plugin (the files are read again otherwise).
    if !outcomes.iter().any(super::rewritten) {
        return;
    }
    let mut sites = Vec::new();
    for o in outcomes.iter().filter(|o| !o.config) {
        let Some(text) = original_text(o).filter(|t| t.contains("all_tasks")) else {
            continue;
        };
        let found =
            Ctx::with_stars(&text, &o.stars, |ctx| sites_in(ctx, &o.path)).unwrap_or_default();
        sites.extend(found);
    }
    if sites.is_empty() {
        return;
    }
    let roots = super::folders(&facts.pytest_configs);
    // The folders of the configurations the run moved to anyio's plugin.
    let switched: Vec<PathBuf> = outcomes
        .iter()
        .filter(|o| o.config && super::rewritten(o))
        .filter_map(|o| o.path.parent().map(Path::to_path_buf))
        .collect();
    for o in outcomes.iter_mut() {
        if o.config || !is_test_module(&o.path) {
            continue;
        }
        let own = super::rewritten(o);
        let suite = super::keep::suite_of(&o.path, &roots);
        if !own && !suite.is_some_and(|s| switched.contains(&s)) {
            continue;
        }
        let Some(text) = original_text(o) else {
            continue;
        };
        let relevant: Vec<&Site> = sites
            .iter()
            .filter(|s| text.contains(s.function.name.as_str()))
            .collect();
        if relevant.is_empty() && !text.contains("all_tasks") {
            continue;
        }
        let findings =
            Ctx::with_stars(&text, &o.stars, |ctx| findings_in(ctx, &relevant)).unwrap_or_default();
        add_findings(o, &text, findings);
    }
}

/// The functions of one file that cancel every task of the loop.
fn sites_in(ctx: &Ctx, path: &Path) -> Vec<Site> {
    let mut out = Vec::new();
    for call in all_tasks_calls(ctx, ctx.tree.root_node()) {
        let mut functions = Vec::new();
        let mut node = call;
        while let Some(p) = ctx.parent(node) {
            if p.kind() == "function_definition" {
                functions.push(p);
            }
            node = p;
        }
        let (Some(inner), Some(outer)) = (functions.first(), functions.last()) else {
            continue;
        };
        if !ctx.text_of(*inner).contains(".cancel(") {
            continue;
        }
        let Some(function) = Function::of(ctx.code(), *outer) else {
            continue;
        };
        let (line, _) = line_col(ctx.text, call.start_byte());
        out.push(Site {
            function,
            at: format!("{}:{line}", path.display()),
            call: call.start_byte(),
            outer: outer.start_byte(),
        });
    }
    out
}

/// The calls of `asyncio.all_tasks()` under `node`.
fn all_tasks_calls<'t>(ctx: &Ctx<'t>, node: Node<'t>) -> Vec<Node<'t>> {
    calls(node)
        .into_iter()
        .filter(|n| {
            n.child_by_field_name("function").is_some_and(|f| {
                matches!(
                    ctx.qualified(f).as_deref(),
                    Some("asyncio.all_tasks" | "asyncio.Task.all_tasks")
                )
            })
        })
        .collect()
}

/// The findings for the async tests of one test module: at each call of a site's function, and
/// at each `all_tasks()` the test makes itself.
fn findings_in(ctx: &Ctx, sites: &[&Site]) -> Vec<Finding> {
    let own = sites_in(ctx, Path::new(""));
    let mut out = Vec::new();
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        let is_test = n.kind() == "function_definition"
            && crate::codemods::is_async_def(n)
            && n.child_by_field_name("name")
                .is_some_and(|f| ctx.text_of(f).starts_with("test"));
        if !is_test {
            stack.extend(named_children(n));
            continue;
        }
        let Some(body) = n.child_by_field_name("body") else {
            continue;
        };
        for site in own.iter().filter(|s| s.outer == n.start_byte()) {
            out.push(finding(
                site.call,
                "cancels every task of the running loop (`asyncio.all_tasks()`)",
            ));
        }
        for call in calls(body) {
            let Some(f) = call.child_by_field_name("function") else {
                continue;
            };
            let (called, attribute) = match f.kind() {
                "identifier" => (ctx.text_of(f), false),
                "attribute" => match f.child_by_field_name("attribute") {
                    Some(a) => (ctx.text_of(a), true),
                    None => continue,
                },
                _ => continue,
            };
            if let Some(site) = sites.iter().find(|s| s.function.spelled(called, attribute)) {
                out.push(finding(
                    call.start_byte(),
                    &format!(
                        "calls `{called}`, which cancels every task of the running loop (`asyncio.all_tasks()` at {})",
                        site.at
                    ),
                ));
            }
        }
    }
    out
}

/// The calls under `node`, in document order.
fn calls(node: Node) -> Vec<Node> {
    descendants(node)
        .into_iter()
        .filter(|n| n.kind() == "call")
        .collect()
}

fn finding(at: usize, what: &str) -> Finding {
    Finding::manual(
        ID,
        "loop-wide-cancel",
        at,
        format!(
            "this test {what}: under anyio's pytest plugin the loop also runs the plugin's own tasks, which that cancels too, so the test ends in CancelledError, where under pytest-asyncio only the test's task and the code's were cancelled"
        ),
        "cancel only the tasks the code started (keep them in a set, or run them in a task group and cancel its scope) rather than every task of the loop; until then this test fails under anyio's plugin",
    )
}
