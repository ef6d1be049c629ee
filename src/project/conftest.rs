//! The root `conftest.py` of the project pass (`add_anyio_backend`): the session-scoped
//! `anyio_backend` fixture added once the run migrates anything from pytest-asyncio, in the file
//! created when there is none, or made of the loop-factory override the codemod wrote there.

use super::{ConfigFacts, common_prefix, migrates, with_bom};
use crate::codemods::Ctx;
use crate::codemods::pytest_asyncio::{ID, import_point_in};
use crate::edit::{Fix, Verdict};
use crate::engine::{Migration, Reported, Status};
use crate::outcome::FileOutcome;
use crate::resolve::named_children;
use crate::source::{self, Encoding, SourceText, line_col};
use std::path::{Path, PathBuf};

/// Add the session-scoped `anyio_backend` fixture to the root `conftest.py` (creating it when
/// there is none) once the run migrates anything from pytest-asyncio; an existing
/// `anyio_backend` is kept (the codemod widens its scope).
pub fn add_anyio_backend(
    outcomes: &mut Vec<FileOutcome>,
    facts: &ConfigFacts,
    backends: &[String],
    targets: &super::targets::Finder,
) {
    if !outcomes.iter().any(|o| migrates(o, facts)) {
        return;
    }
    let Some(root) = root_dir(outcomes, facts) else {
        return;
    };
    if covered_by_existing_fixture(outcomes) {
        return;
    }
    let path = root.join("conftest.py");
    let existing = outcomes.iter().position(|o| same_file(&o.path, &path));
    let mut encoding = existing.map_or(Encoding::Utf8, |i| outcomes[i].encoding);
    let (original, current) = match existing.map(|i| &outcomes[i].status) {
        Some(Status::Changed { before, after }) => (Some(before.clone()), after.clone()),
        Some(Status::Unchanged) => match outcomes[existing.unwrap_or(0)].read_text() {
            Some(t) => (Some(t.clone()), t),
            None => return,
        },
        Some(_) => return,
        None if path.exists() => match std::fs::read(&path)
            .ok()
            .and_then(|b| SourceText::decode_python(&b).ok())
        {
            Some(src) => {
                encoding = src.encoding;
                let t = with_bom(&src, &src.text);
                (Some(t.clone()), t)
            }
            None => return,
        },
        None => (None, String::new()),
    };
    // Snapshots stored under the tests' node ids would not be found under ids with a backend.
    let snapshots = snapshot_tests(outcomes);
    let narrowed = backends.len() > 1 && !snapshots.is_empty();
    let backends = if narrowed { &backends[..1] } else { backends };
    // The asyncio backend's loops keep asyncio's exception handler where the plugin takes the
    // backend's `loop_factory` option (anyio 4.0 and the Python it needs).
    let release = crate::target::Version(4, 0, 0);
    let allowed = targets.for_file(&path).targets;
    let logging = backends.iter().any(|b| b == "asyncio")
        && allowed.anyio >= release
        && allowed.python >= crate::target::python_floor_of_anyio(release)
        && !current.contains(LOGGING_LOOP_NAME);
    let Some((after, logging)) = with_fixture(&current, backends, logging) else {
        return;
    };
    let (verdict, note) = fixture_note(backends, narrowed.then_some(&snapshots[..]), logging);
    let base = original.clone().unwrap_or_default();
    let at = base.len();
    let (line, column) = if original.is_some() {
        line_col(&base, at)
    } else {
        (1, 1)
    };
    let fix = Fix::new(ID, "anyio-backend-fixture", at, verdict, Vec::new())
        .needs_only(&[])
        .note(note);
    let reported = Reported::at(fix, line, column);
    if let Some(i) = existing {
        let o = &mut outcomes[i];
        o.status = Status::Changed {
            before: base,
            after,
        };
        o.migration.applied.push(reported);
    } else {
        let created = original.is_none();
        let status = Status::Changed {
            before: base,
            after,
        };
        let migration = Migration {
            applied: vec![reported],
            ..Migration::default()
        };
        let mut o = FileOutcome::config(path, status, migration);
        o.config = false;
        o.created = created;
        o.encoding = encoding;
        outcomes.push(o);
    }
    if logging {
        drop_loop_handler_findings(outcomes, &root);
    }
}

/// The added fixture's verdict and note: which backends it selects and why (`narrowed_for`: the
/// snapshot tests it keeps to one backend for), and what the asyncio backend's loops do with
/// errors that reach their exception handler.
fn fixture_note(
    backends: &[String],
    narrowed_for: Option<&[String]>,
    logging: bool,
) -> (Verdict, String) {
    let snapshots = narrowed_for.unwrap_or_default();
    let note = if let Some(first) = snapshots.first() {
        format!(
            "added the session-scoped `anyio_backend` fixture (\"{}\" only, not parametrised over the backends asked for): {} async test(s) compare syrupy snapshots stored under their node ids (`{first}`), which a backend parameter would rename (`[{}]`), so none would be found; to run them on the other backends too, parametrise the fixture and store the snapshots again (`pytest --snapshot-update`)",
            backends[0],
            snapshots.len(),
            backends[0],
        )
    } else if backends.len() == 1 {
        format!(
            "added the session-scoped `anyio_backend` fixture (\"{}\" only): anyio's default runs each test on every installed backend",
            backends[0]
        )
    } else {
        format!(
            "added the session-scoped `anyio_backend` fixture, parametrised over {}",
            backends.join(", ")
        )
    };
    // Switching the test runner changes one thing on the asyncio backend for every test, unless
    // its loops keep asyncio's handler: what reaches the loop's exception handler fails the
    // test (docs/evidence/loop_exception_handler.py).
    if logging {
        (Verdict::SafeEdge, format!("{note}; {LOGGING_LOOP_NOTE}"))
    } else if backends.iter().any(|b| b == "asyncio") {
        (Verdict::SafeEdge, format!("{note}; {LOOP_HANDLER_NOTE}"))
    } else {
        (Verdict::Safe, note)
    }
}

/// The tests reported for failing a Future by hand or watching asyncio's logger
/// (`loop-exception-handler`) pass as before once the asyncio backend's loops keep asyncio's
/// exception handler: their findings under `root` go.
fn drop_loop_handler_findings(outcomes: &mut [FileOutcome], root: &Path) {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    for o in outcomes.iter_mut() {
        let under = std::fs::canonicalize(&o.path).is_ok_and(|p| p.starts_with(&root));
        if under {
            o.migration.findings.retain(|f| {
                !(f.finding.codemod == ID && f.finding.kind == "loop-exception-handler")
            });
        }
    }
}

/// The helper the root fixture gives anyio's asyncio backend as its `loop_factory`.
const LOGGING_LOOP_NAME: &str = "_loop_logging_handler_errors";

/// Its source: a loop on which anyio's plugin does not install its exception handler (it
/// collects what reaches the handler and re-raises it in the running test), so asyncio's own
/// logs it, as under pytest-asyncio (`docs/evidence/loop_exception_handler.py`, B2); a handler
/// the code installs itself is kept. The loop is the thread's current one while it is open, as
/// anyio's runner makes it without a factory (B3). A loop type that takes no instance
/// attribute (uvloop's) keeps anyio's handler. Its `close()` unsets it as the current loop,
/// with the loop's own `close` back in place first: an event loop policy whose
/// `set_event_loop()` closes the loop it replaces (a test package's `TestingPolicy`, found on a
/// project outside the corpus) then closes it once, where it recursed.
const LOGGING_LOOP: &str = "def _loop_logging_handler_errors():
    # pytest-asyncio only logged what reaches the loop's exception handler (a task's exception
    # never retrieved, `loop.call_exception_handler()`); anyio's plugin installs a handler that
    # fails the running test with it. This loop keeps asyncio's handler, as before: delete the
    # `loop_factory` below to have such errors fail the tests.
    loop = asyncio.new_event_loop()  # anyio-migrate: ignore[asyncio-loop]
    set_handler, close = loop.set_exception_handler, loop.close

    def set_exception_handler(handler):
        if not type(getattr(handler, \"__self__\", None)).__module__.startswith(\"anyio.\"):
            set_handler(handler)

    def close_as_current_loop():
        del loop.close  # an event loop policy's set_event_loop() may close the old loop
        asyncio.set_event_loop(None)  # anyio-migrate: ignore[asyncio-loop]
        close()

    try:
        loop.set_exception_handler = set_exception_handler
        loop.close = close_as_current_loop
    except AttributeError:
        return loop
    asyncio.set_event_loop(loop)  # anyio-migrate: ignore[asyncio-loop]
    return loop
";

/// The note of a fixture whose asyncio loops keep asyncio's exception handler.
const LOGGING_LOOP_NOTE: &str = "its asyncio backend makes its loops with `_loop_logging_handler_errors`, on which anyio's plugin does not install its exception handler: what reaches the loop's handler (a task whose exception is never retrieved, `loop.call_exception_handler()`) is logged, as under pytest-asyncio, where anyio's plugin would fail the running test with it (delete the `loop_factory` to have it do so); the loop is the thread's current event loop while it is open, as anyio's runner makes it";

/// The async tests (`path::name`) of the run's test modules (anyio's plugin runs them once the
/// fixture is added) that request syrupy's `snapshot` fixture beside a `__snapshots__` folder: syrupy stores each
/// snapshot under the test's node id, parameters included, so a parametrised `anyio_backend`
/// (`test_x[asyncio]`) would look for snapshots nobody stored. Found on a mower-client
/// library outside the corpus, whose snapshot tests all failed after the migration.
fn snapshot_tests(outcomes: &[FileOutcome]) -> Vec<String> {
    let mut out = Vec::new();
    for o in outcomes
        .iter()
        .filter(|o| !o.config && super::is_test_module(&o.path))
    {
        let beside = o.path.parent().unwrap_or_else(|| Path::new(""));
        if !beside.join("__snapshots__").is_dir() {
            continue;
        }
        let Some(text) = super::original_text(o).filter(|t| t.contains("snapshot")) else {
            continue;
        };
        let names = Ctx::with_stars(&text, &o.stars, |ctx| {
            crate::analysis::syntax::descendants(ctx.tree.root_node())
                .into_iter()
                .filter(|f| crate::analysis::syntax::is_async_def(*f))
                .filter_map(|f| {
                    let name = ctx.text_of(f.child_by_field_name("name")?);
                    let asks = crate::codemods::pytest_asyncio::parameters(ctx, f)
                        .iter()
                        .any(|(_, p)| p == "snapshot");
                    (name.starts_with("test") && asks).then(|| name.to_owned())
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
        out.extend(
            names
                .into_iter()
                .map(|n| format!("{}::{n}", o.path.display())),
        );
    }
    out
}

/// Where the suite's root `conftest.py` lives: beside the file that configures pytest (the
/// shallowest one, if several), else in the deepest folder that holds every Python file the
/// pytest-asyncio codemod changed.
fn root_dir(outcomes: &[FileOutcome], facts: &ConfigFacts) -> Option<PathBuf> {
    if let Some(cfg) = facts
        .pytest_configs
        .iter()
        .min_by_key(|p| (p.components().count(), (*p).clone()))
    {
        return Some(cfg.parent().map(Path::to_path_buf).unwrap_or_default());
    }
    let mut dirs = outcomes
        .iter()
        .filter(|o| !o.config && migrates(o, facts))
        .map(|o| o.path.parent().map(Path::to_path_buf).unwrap_or_default());
    let first = dirs.next()?;
    Some(dirs.fold(first, |acc, d| common_prefix(&acc, &d)))
}

/// A `conftest.py` of the run already defines `anyio_backend` (the codemod widened it) in a
/// folder that holds every Python file the migration touched: nothing to add.
fn covered_by_existing_fixture(outcomes: &[FileOutcome]) -> bool {
    let text_of = |o: &FileOutcome| match &o.status {
        Status::Changed { after, .. } => Some(after.clone()),
        Status::Unchanged => o.read_text(),
        _ => None,
    };
    let dirs: Vec<PathBuf> = outcomes
        .iter()
        .filter(|o| o.path.file_name().is_some_and(|n| n == "conftest.py"))
        .filter(|o| {
            text_of(o).is_some_and(|t| {
                with_fixture(&t, &["asyncio".to_owned()], false).is_none() && !t.trim().is_empty()
            })
        })
        .map(|o| o.path.parent().map(Path::to_path_buf).unwrap_or_default())
        .collect();
    let mut migrated = outcomes
        .iter()
        .filter(|o| !o.config && super::rewritten(o))
        .peekable();
    migrated.peek().is_some() && migrated.all(|o| dirs.iter().any(|d| o.path.starts_with(d)))
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

/// What anyio's pytest plugin does differently from pytest-asyncio on the asyncio backend.
const LOOP_HANDLER_NOTE: &str = "on the asyncio backend anyio's plugin fails a test when an exception reaches the event loop's exception handler while it runs (a task whose exception is never retrieved, `loop.call_exception_handler()`), where pytest-asyncio only logged it: retrieve or handle such failures in the code or the test";

/// `text` with the fixture appended (and pytest imported), `None` when the module already
/// defines `anyio_backend` or does not parse.
fn with_fixture(text: &str, backends: &[String], logging: bool) -> Option<(String, bool)> {
    let crlf = SourceText::from_text(text, false).crlf;
    let text_lf = text.replace("\r\n", "\n");
    let mut parser = source::new_parser().ok()?;
    let tree = source::parse(&mut parser, &text_lf).ok()?;
    let module = tree.root_node();
    if module.has_error() {
        return None;
    }
    let mut pytest = None;
    for stmt in named_children(module) {
        let def = if stmt.kind() == "decorated_definition" {
            stmt.child_by_field_name("definition")
        } else {
            Some(stmt)
        };
        let defined = def.is_some_and(|d| {
            let name = match d.kind() {
                "function_definition" => d.child_by_field_name("name"),
                "expression_statement" => d
                    .named_child(0)
                    .filter(|a| a.kind() == "assignment")
                    .and_then(|a| a.child_by_field_name("left")),
                _ => None,
            };
            name.is_some_and(|n| &text_lf[n.byte_range()] == "anyio_backend")
        });
        if defined {
            // The fixture the pytest-asyncio codemod wrote for a loop-factory hook overrides
            // the root one: when it is in the root conftest.py itself, it becomes the root one.
            return merge_loop_factory_override(&text_lf, backends)
                .map(|out| if crlf { out.replace('\n', "\r\n") } else { out })
                .map(|out| (out, false));
        }
        if stmt.kind() == "import_statement" {
            for n in named_children(stmt) {
                match n.kind() {
                    "dotted_name" if &text_lf[n.byte_range()] == "pytest" => {
                        pytest = Some("pytest".to_owned());
                    }
                    "aliased_import" => {
                        let (Some(p), Some(a)) = (
                            n.child_by_field_name("name"),
                            n.child_by_field_name("alias"),
                        ) else {
                            continue;
                        };
                        if &text_lf[p.byte_range()] == "pytest" && pytest.is_none() {
                            pytest = Some(text_lf[a.byte_range()].to_owned());
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    let mut out = text_lf.clone();
    let name = pytest.clone().unwrap_or_else(|| "pytest".to_owned());
    // `asyncio` must name the module where the helper runs: a module that binds it otherwise
    // keeps anyio's handler.
    let asyncio = imports_asyncio(module, &text_lf);
    let logging = logging && (asyncio || !binds_name(module, &text_lf, "asyncio"));
    let mut fixture = fixture_source(&name, backends, logging);
    if logging {
        fixture = format!("{LOGGING_LOOP}\n\n{fixture}");
    }
    let needed: Vec<&str> = [
        ("asyncio", logging && !asyncio),
        ("pytest", pytest.is_none()),
    ]
    .into_iter()
    .filter_map(|(m, needed)| needed.then_some(m))
    .collect();
    if out.trim().is_empty() {
        // The standard library's section, then the third-party one (isort's order).
        let lines = needed
            .iter()
            .map(|m| format!("import {m}\n"))
            .collect::<Vec<_>>()
            .join("\n");
        out = format!("{lines}\n\n{fixture}");
    } else {
        out = with_imports(out, &needed, &mut parser)?;
        let body = out.trim_end_matches('\n').len();
        out.truncate(body);
        out.push_str("\n\n\n");
        out.push_str(&fixture);
    }
    Some((if crlf { out.replace('\n', "\r\n") } else { out }, logging))
}

/// `text` with `import M` for each of `modules`, each placed as the file's imports are.
fn with_imports(
    mut out: String,
    modules: &[&str],
    parser: &mut tree_sitter::Parser,
) -> Option<String> {
    for module_name in modules.iter().rev() {
        let tree = source::parse(parser, &out).ok()?;
        let (at, line) = crate::imports::sections::place(
            tree.root_node(),
            &out,
            module_name,
            &[],
            &|_: &str| false,
        )
        .unwrap_or_else(|| {
            let at = import_point_in(tree.root_node(), &out);
            (at, format!("import {module_name}\n"))
        });
        let line = if at == out.len() && !out.ends_with('\n') {
            format!("\n{line}")
        } else {
            line
        };
        out.insert_str(at, &line);
    }
    Some(out)
}

/// The module has a top-level `import asyncio`.
fn imports_asyncio(module: tree_sitter::Node, text: &str) -> bool {
    named_children(module)
        .filter(|s| s.kind() == "import_statement")
        .flat_map(|s| named_children(s).collect::<Vec<_>>())
        .any(|n| n.kind() == "dotted_name" && &text[n.byte_range()] == "asyncio")
}

/// Some statement of the module binds `name` (an assignment, a def, a class, an import's
/// alias, a `for` target, a `global`): the helper could not use it as the module.
fn binds_name(module: tree_sitter::Node, text: &str, name: &str) -> bool {
    let is_name = |n: Option<tree_sitter::Node>| {
        n.is_some_and(|n| n.kind() == "identifier" && &text[n.byte_range()] == name)
    };
    crate::analysis::syntax::descendants(module)
        .into_iter()
        .any(|n| match n.kind() {
            "assignment" | "for_statement" => is_name(n.child_by_field_name("left")),
            "function_definition" | "class_definition" => is_name(n.child_by_field_name("name")),
            "aliased_import" => is_name(n.child_by_field_name("alias")),
            "global_statement" => named_children(n).any(|c| is_name(Some(c))),
            _ => false,
        })
}

/// The override `pytest_asyncio::LOOP_FACTORY_OVERRIDE` (in `text`) turned into the root
/// fixture: it selects `backends` itself instead of asking the fixture it overrides.
fn merge_loop_factory_override(text: &str, backends: &[String]) -> Option<String> {
    use crate::codemods::pytest_asyncio::{
        LOOP_FACTORY_CONFIG_OVERRIDE, LOOP_FACTORY_OVERRIDE, LOOP_POLICY_OVERRIDE,
    };
    // Each head, with the fixtures it asks for besides the one it overrides.
    let (header, at, mut params) = [
        (LOOP_FACTORY_OVERRIDE, vec![]),
        (LOOP_FACTORY_CONFIG_OVERRIDE, vec!["pytestconfig"]),
        (LOOP_POLICY_OVERRIDE, vec!["event_loop_policy"]),
    ]
    .into_iter()
    .find_map(|(h, p)| Some((h, text.find(h)?, p)))?;
    let replacement = if let [only] = backends {
        format!(
            "(scope=\"session\")\ndef anyio_backend({}):\n    anyio_backend = \"{only}\"\n",
            params.join(", ")
        )
    } else {
        let list = quoted_list(backends);
        params.insert(0, "request");
        format!(
            "(scope=\"session\", params=[{list}])\ndef anyio_backend({}):\n    anyio_backend = request.param\n",
            params.join(", ")
        )
    };
    let mut out = text.to_owned();
    out.replace_range(at..at + header.len(), &replacement);
    Some(out)
}

/// Which backends the `anyio_backend` fixture selects (`--backends`); with `logging`, the
/// asyncio backend makes its loops with [`LOGGING_LOOP_NAME`].
fn fixture_source(pytest: &str, backends: &[String], logging: bool) -> String {
    let asyncio = format!("\"asyncio\", {{\"loop_factory\": {LOGGING_LOOP_NAME}}}");
    if let [only] = backends {
        let value = if logging {
            asyncio
        } else {
            format!("\"{only}\"")
        };
        return format!(
            "# anyio's pytest plugin runs each anyio test on every installed backend unless told\n# otherwise; session scope lets module- and session-scoped async fixtures work.\n@{pytest}.fixture(scope=\"session\")\ndef anyio_backend():\n    return {value}\n"
        );
    }
    let list = quoted_list(backends);
    let body = if logging {
        format!(
            "    if request.param == \"asyncio\":\n        return {asyncio}\n    return request.param\n"
        )
    } else {
        "    return request.param\n".to_owned()
    };
    format!(
        "# anyio's pytest plugin: run each anyio test on these backends; session scope lets module-\n# and session-scoped async fixtures work.\n@{pytest}.fixture(scope=\"session\", params=[{list}])\ndef anyio_backend(request):\n{body}"
    )
}

/// `"asyncio", "trio"`: the backends as the items of a Python list.
fn quoted_list(backends: &[String]) -> String {
    backends
        .iter()
        .map(|b| format!("\"{b}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_reading_override_becomes_the_root_fixture_keeping_pytestconfig() {
        let head = crate::codemods::pytest_asyncio::LOOP_FACTORY_CONFIG_OVERRIDE;
        let text = format!("@pytest.fixture{head}    name = 1\n");
        let one = merge_loop_factory_override(&text, &["asyncio".to_owned()]).unwrap();
        assert_eq!(
            one,
            "@pytest.fixture(scope=\"session\")\ndef anyio_backend(pytestconfig):\n    anyio_backend = \"asyncio\"\n    name = 1\n"
        );
        let both = ["asyncio".to_owned(), "trio".to_owned()];
        let two = merge_loop_factory_override(&text, &both).unwrap();
        assert!(two.contains("params=[\"asyncio\", \"trio\"])\ndef anyio_backend(request, pytestconfig):\n    anyio_backend = request.param\n"), "{two}");
    }

    #[test]
    fn a_policy_override_becomes_the_root_fixture_keeping_the_policy_fixture() {
        let head = crate::codemods::pytest_asyncio::LOOP_POLICY_OVERRIDE;
        let text = format!("@pytest.fixture{head}    name = 1\n");
        let both = ["asyncio".to_owned(), "trio".to_owned()];
        let two = merge_loop_factory_override(&text, &both).unwrap();
        assert_eq!(
            two,
            "@pytest.fixture(scope=\"session\", params=[\"asyncio\", \"trio\"])\ndef anyio_backend(request, event_loop_policy):\n    anyio_backend = request.param\n    name = 1\n"
        );
    }

    #[test]
    fn fixture_is_appended_once_with_the_import() {
        let one = ["asyncio".to_owned()];
        let (out, _) = with_fixture("\"\"\"Doc.\"\"\"\nimport os\n\nX = 1\n", &one, false).unwrap();
        assert!(
            out.starts_with("\"\"\"Doc.\"\"\"\nimport os\n\nimport pytest\n\nX = 1\n\n\n# anyio"),
            "{out}"
        );
        assert!(out.ends_with("def anyio_backend():\n    return \"asyncio\"\n"));
        assert!(with_fixture(&out, &one, false).is_none());
        let both = ["asyncio".to_owned(), "trio".to_owned()];
        let (created, _) = with_fixture("", &both, false).unwrap();
        assert!(created.starts_with("import pytest\n\n\n"));
        assert!(created.contains("params=[\"asyncio\", \"trio\"]"));
        let (crlf, _) = with_fixture("import pytest as pt\r\n", &one, false).unwrap();
        assert!(crlf.contains("@pt.fixture(scope=\"session\")\r\n"));
        assert!(!crlf.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn logging_loop_comes_with_its_import_and_only_where_asyncio_is_the_module() {
        let both = ["asyncio".to_owned(), "trio".to_owned()];
        let (created, logging) = with_fixture("", &both, true).unwrap();
        assert!(logging);
        assert!(
            created.starts_with(
                "import asyncio\n\nimport pytest\n\n\ndef _loop_logging_handler_errors():\n"
            ),
            "{created}"
        );
        assert!(
            created.ends_with("def anyio_backend(request):\n    if request.param == \"asyncio\":\n        return \"asyncio\", {\"loop_factory\": _loop_logging_handler_errors}\n    return request.param\n"),
            "{created}"
        );
        let (kept, _) =
            with_fixture("import asyncio\nimport pytest\n\nX = 1\n", &both, true).unwrap();
        assert_eq!(kept.matches("import asyncio").count(), 1, "{kept}");
        // `asyncio` bound to something else: the plain fixture.
        let (plain, logging) = with_fixture(
            "import pytest\nfrom x import loop as asyncio\n",
            &both,
            true,
        )
        .unwrap();
        assert!(!logging);
        assert!(!plain.contains("_loop_logging_handler_errors"), "{plain}");
    }
}
