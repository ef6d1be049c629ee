//! A suite whose auto mode becomes markers (`deps::Uses::auto_as_markers`: the anyio release
//! its project's Python installs, or its anyio requirement allows, has neither `anyio_mode`
//! (4.11) nor `--anyio-mode` (4.15)). anyio's auto mode does one thing: at collection it gives
//! every coroutine test function the `anyio` marker's treatment (the plugin's
//! `pytest_pycollect_makeitem`); async fixtures run alike in both modes, for tests that use
//! `anyio_backend`. So each async test a test module of the suite defines gets
//! `@pytest.mark.anyio`, and the configuration's auto mode is deleted (`ini`, `pyproject`,
//! `options`).
//!
//! Which functions are tests: pytest's defaults (`test_*.py` / `*_test.py` modules,
//! `test*` functions, methods of classes), which the configuration keeps (`Uses` refuses the
//! markers where it sets `python_files`, `python_classes` or `python_functions`). Marked are
//! the module's `async def test*` functions and the `async def test*` methods of its classes at
//! any depth (a method of a class pytest does not collect is marked too: a collected subclass
//! inherits it, and the marker is inert elsewhere). Left alone: a function already marked
//! `anyio` or marked for another async plugin (pytest-trio, pytest-curio, pytest-tornasync), a
//! class or module marked `anyio`, classes derived from a `TestCase` (unittest runs their
//! methods, as it did under pytest-asyncio), functions nested in functions.

use super::{ConfigFacts, ID, Texts, is_test_module};
use crate::codemods::Ctx;
use crate::edit::{Edit, Finding, Fix, Verdict};
use crate::engine::Reported;
use crate::outcome::FileOutcome;
use crate::resolve::named_children;
use crate::source::{line_col, line_start};
use std::path::{Path, PathBuf};
use tree_sitter::Node;

/// Mark the async tests of every test module in a suite whose auto mode becomes markers.
pub fn mark_auto_suites(outcomes: &mut [FileOutcome], facts: &ConfigFacts) {
    let roots = super::folders(&facts.pytest_configs);
    let marked = super::folders(&facts.marked);
    for o in outcomes.iter_mut() {
        if o.config || !is_test_module(&o.path) || !in_marked_suite(&o.path, &roots, &marked) {
            continue;
        }
        mark_module(o);
    }
}

/// Whether the deepest configuration above `path` (of `roots`) is one of `marked`.
pub fn in_marked_suite(path: &Path, roots: &[PathBuf], marked: &[PathBuf]) -> bool {
    super::keep::suite_of(path, roots).is_some_and(|r| marked.contains(&r))
}

fn mark_module(o: &mut FileOutcome) {
    let Some(texts) = Texts::of(o) else {
        return;
    };
    let Some(plan) = Ctx::with_stars(&texts.current, &o.stars, plan).flatten() else {
        return;
    };
    // Where the report points: the first marked test, in the file as it was.
    let at = texts.original_offset(plan.first);
    let (line, column) = line_col(&texts.original, at);
    if let Some(why) = plan.blocked {
        let finding = Finding::manual(
            ID,
            "auto-mode-unmarkable",
            at,
            format!("{} async test(s) here ran in pytest-asyncio's auto mode, and the anyio release the suite runs on has no auto mode, so each needs `@pytest.mark.anyio`; {why}", plan.count),
            "import pytest under its own name in this module (or mark its async tests `anyio` by hand), then run the migration again",
        )
        .blocking();
        super::add_findings(o, &texts.original, vec![finding]);
        return;
    }
    let Some(next) = texts.edited(plan.edits) else {
        return;
    };
    let fix = Fix::new(ID, "auto-mode-markers", at, Verdict::Safe, Vec::new())
        .needs_only(&[])
        .note(format!(
            "{} async test(s) marked `@pytest.mark.anyio`: the suite's auto mode is deleted from its configuration, because the anyio release its Python installs (or its anyio requirement allows) has no `anyio_mode` (4.11) or `--anyio-mode` (4.15); the marker is what anyio's auto mode gives each coroutine test",
            plan.count
        ));
    o.migration.applied.push(Reported::at(fix, line, column));
    o.migration.applied.sort_by_key(|r| (r.line, r.column));
    texts.set_after(o, &next);
}

/// The markers one module needs.
struct Plan {
    edits: Vec<Edit>,
    /// Where the first test marked starts (its `async`), in the migrated text.
    first: usize,
    count: usize,
    /// Why the markers cannot be written (`pytest` means something else in the module).
    blocked: Option<&'static str>,
}

fn plan(ctx: &Ctx) -> Option<Plan> {
    let module = ctx.tree.root_node();
    if module_marked(ctx, module) {
        return None;
    }
    let mut tests = Vec::new();
    unmarked_tests(ctx, module, &mut tests);
    let first = tests.first()?;
    let mut plan = Plan {
        edits: Vec::new(),
        first: first.start_byte(),
        count: tests.len(),
        blocked: None,
    };
    // `pytest` as the module imports it (`import pytest as pt`), or imported.
    let Some((pytest, import)) = crate::codemods::pytest_asyncio::pytest_name(ctx, *first) else {
        plan.blocked = Some("`pytest` names something else in this module");
        return Some(plan);
    };
    plan.edits.extend(import);
    for f in &tests {
        let outer = ctx
            .parent(*f)
            .filter(|d| d.kind() == "decorated_definition")
            .unwrap_or(*f);
        let start = outer.start_byte();
        let indent = &ctx.text[line_start(ctx.text, start)..start];
        if !indent.trim().is_empty() {
            continue;
        }
        plan.edits.push(Edit::insert(
            start,
            format!("@{pytest}.mark.anyio\n{indent}"),
        ));
    }
    Some(plan)
}

/// A module-level `pytestmark` that names the `anyio` marker.
fn module_marked(ctx: &Ctx, module: Node) -> bool {
    named_children(module).any(|s| {
        s.kind() == "expression_statement"
            && s.named_child(0).is_some_and(|a| {
                a.kind() == "assignment"
                    && a.child_by_field_name("left")
                        .is_some_and(|l| ctx.text_of(l) == "pytestmark")
                    && ctx.text_of(a).contains("mark.anyio")
            })
    })
}

/// The decorators of a definition (its `decorated_definition`'s), as text.
fn decorators(ctx: &Ctx, def: Node) -> Vec<String> {
    ctx.parent(def)
        .filter(|d| d.kind() == "decorated_definition")
        .map(|d| {
            named_children(d)
                .filter(|c| c.kind() == "decorator")
                .map(|c| ctx.text_of(c).to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The `async def test*` functions and methods under `block` (a module or a class body) that
/// carry neither the `anyio` marker nor another async plugin's.
fn unmarked_tests<'t>(ctx: &Ctx<'t>, block: Node<'t>, out: &mut Vec<Node<'t>>) {
    for s in named_children(block) {
        let def = match s.kind() {
            "decorated_definition" => match s.child_by_field_name("definition") {
                Some(d) => d,
                None => continue,
            },
            "function_definition" | "class_definition" => s,
            _ => continue,
        };
        let marks = decorators(ctx, def);
        if marks.iter().any(|d| d.contains("mark.anyio")) {
            continue;
        }
        match def.kind() {
            "function_definition" => {
                let is_test = def
                    .child_by_field_name("name")
                    .is_some_and(|n| ctx.text_of(n).starts_with("test"));
                let other = marks.iter().any(|d| super::marks_for_other_plugin(d));
                if is_test && !other && crate::codemods::is_async_def(def) {
                    out.push(def);
                }
            }
            "class_definition" => {
                let unittest = def
                    .child_by_field_name("superclasses")
                    .is_some_and(|b| ctx.text_of(b).contains("TestCase"));
                let body = def.child_by_field_name("body");
                let class_marked = body.is_some_and(|b| module_marked(ctx, b));
                if let (false, false, Some(body)) = (unittest, class_marked, body) {
                    unmarked_tests(ctx, body, out);
                }
            }
            _ => {}
        }
    }
}

/// Whether a test module outside the run, under a marked suite, has async tests that need the
/// marker (for the leftovers report).
pub fn needs_markers(text: &str) -> bool {
    Ctx::with(text, |ctx| {
        let module = ctx.tree.root_node();
        let mut tests = Vec::new();
        if !module_marked(ctx, module) {
            unmarked_tests(ctx, module, &mut tests);
        }
        !tests.is_empty()
    })
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str) -> Option<String> {
        Ctx::with(text, |ctx| {
            let plan = plan(ctx)?;
            assert!(plan.blocked.is_none());
            Some(crate::edit::splice(
                text,
                &crate::edit::normalize(plan.edits),
                false,
            ))
        })
        .flatten()
    }

    #[test]
    fn every_unmarked_async_test_gets_the_marker() {
        let text = "import pytest\n\n\nasync def test_a():\n    pass\n\n\n@pytest.mark.parametrize('x', [1])\nasync def test_b(x):\n    pass\n\n\ndef test_sync():\n    pass\n\n\nasync def helper():\n    pass\n\n\nclass TestC:\n    async def test_m(self):\n        async def test_inner():\n            pass\n\n    class TestNested:\n        async def test_n(self):\n            pass\n";
        assert_eq!(
            marked(text).unwrap(),
            "import pytest\n\n\n@pytest.mark.anyio\nasync def test_a():\n    pass\n\n\n@pytest.mark.anyio\n@pytest.mark.parametrize('x', [1])\nasync def test_b(x):\n    pass\n\n\ndef test_sync():\n    pass\n\n\nasync def helper():\n    pass\n\n\nclass TestC:\n    @pytest.mark.anyio\n    async def test_m(self):\n        async def test_inner():\n            pass\n\n    class TestNested:\n        @pytest.mark.anyio\n        async def test_n(self):\n            pass\n"
        );
    }

    #[test]
    fn marked_tests_other_plugins_and_unittest_are_left_alone() {
        for text in [
            "import pytest\n\n@pytest.mark.anyio\nasync def test_a():\n    pass\n",
            "import pytest\n\n@pytest.mark.trio\nasync def test_a():\n    pass\n",
            "import pytest\npytestmark = [pytest.mark.anyio]\n\nasync def test_a():\n    pass\n",
            "import pytest\n\n@pytest.mark.anyio\nclass TestA:\n    async def test_a(self):\n        pass\n",
            "import pytest\n\nclass TestA:\n    pytestmark = pytest.mark.anyio\n\n    async def test_a(self):\n        pass\n",
            "import unittest\n\nclass T(unittest.IsolatedAsyncioTestCase):\n    async def test_a(self):\n        pass\n",
            "def test_sync():\n    pass\n",
        ] {
            assert_eq!(marked(text), None, "{text}");
            assert!(!needs_markers(text), "{text}");
        }
    }

    #[test]
    fn pytest_is_imported_when_the_module_lacks_it() {
        let text = "import asyncio\n\n\nasync def test_a():\n    await asyncio.sleep(0)\n";
        assert!(needs_markers(text));
        assert_eq!(
            marked(text).unwrap(),
            "import asyncio\n\nimport pytest\n\n\n@pytest.mark.anyio\nasync def test_a():\n    await asyncio.sleep(0)\n"
        );
    }

    #[test]
    fn the_marker_uses_the_name_pytest_is_imported_under() {
        let text = "import pytest as pt\n\n\nasync def test_a():\n    pass\n";
        assert_eq!(
            marked(text).unwrap(),
            "import pytest as pt\n\n\n@pt.mark.anyio\nasync def test_a():\n    pass\n"
        );
    }

    #[test]
    fn a_module_where_pytest_is_something_else_is_blocked() {
        let text = "from mytools import pytest\n\n\nasync def test_a():\n    pass\n";
        let blocked = Ctx::with(text, |ctx| plan(ctx).and_then(|p| p.blocked)).flatten();
        assert!(blocked.is_some());
    }
}
