//! Snapshot every codemod example (report, then diff) with THAT CODEMOD ALONE enabled
//! (`snapshots/<id>__<stem>.snap`), so a snapshot shows only its own codemod's rewrites and
//! findings, and every composition example (`tests/compose/`, `snapshots/compose__<stem>.snap`)
//! with every codemod, as a user's default run; a codemod example whose point is an interplay
//! of codemods (one rewrite enabling another, an import or variable that goes once another
//! codemod took its last use) is listed in `tests/compose/full_run.txt` and snapshotted a second
//! time with every codemod (`snapshots/full__<id>.<stem>.snap`). On each one the engine refuses
//! output that does not parse, and a second run with the same codemods must change nothing. An
//! example may also say what it expects, line by line: a line ending in the tag
//! `# MANUAL: <kind>` (its own codemod's; in a composition example `# MANUAL: <id>/<kind>`)
//! must get a MANUAL finding of that code (`expected_findings`); `# rewrite` a rewrite, `# OK`
//! neither a rewrite nor a finding (`expected_outcomes`). The `CPython` check below, the
//! execution proofs (tests/execution.rs, tests/floors.rs) and the example projects still migrate
//! with every codemod: the migrated program must be complete anyio code.

mod common;

use anyio_migrate::Status;
use anyio_migrate::engine::{Migration, Options};
use anyio_migrate::migrate_bytes;
use anyio_migrate::registry::CODEMODS;
use anyio_migrate::report::diff_text;
use anyio_migrate::target::Targets;
use common::{example_targets, examples, migrate_all};
use std::fmt::Write;

/// The group of the composition examples (`tests/compose/`, snapshots `compose__<stem>`).
const COMPOSE: &str = "compose";

/// The group of a codemod's examples also snapshotted with every codemod
/// (`tests/compose/full_run.txt`, snapshots `full__<id>.<stem>`).
const FULL_RUN: &str = "full";

/// The run an example is snapshotted with: its own codemod alone, or every codemod (a
/// composition example, a full run of a codemod's example).
/// A test module's example (`test_*.py`) is migrated as test code, under its file name, as a
/// user's run sees a test module; any other as bytes without a path.
fn migrate(
    group: &str,
    all: bool,
    path: &std::path::Path,
    bytes: &[u8],
    targets: Targets,
) -> (Status, Migration) {
    let codemods: Vec<_> = if all || group == COMPOSE {
        CODEMODS.iter().collect()
    } else {
        vec![anyio_migrate::registry::find(group).unwrap_or_else(|| panic!("no codemod `{group}`"))]
    };
    let mut opts = Options::alone(&codemods, targets);
    let name = std::path::Path::new(path.file_name().unwrap());
    if anyio_migrate::source::is_test_module(name) {
        opts.path = Some(name);
    }
    migrate_bytes(bytes, &opts)
}

/// Findings and fixes (line:col codemod verdict note), then the diff or "no changes". `group`
/// is the codemod whose tags the example carries (or `compose`); `all` runs every codemod.
fn render(group: &str, all: bool, path: &std::path::Path, bytes: &[u8]) -> String {
    let targets = example_targets(path);
    let (status, m) = migrate(group, all, path, bytes, targets);
    expected_findings(group, path, &String::from_utf8_lossy(bytes), &m.findings);
    expected_outcomes(group, path, &String::from_utf8_lossy(bytes), &m);
    let mut out = String::new();
    for r in &m.applied {
        let note = r
            .fix
            .note
            .as_deref()
            .map_or(String::new(), |n| format!(": {n}"));
        writeln!(
            out,
            "{}:{} [{}] {}{note}",
            r.line,
            r.column,
            r.fix.codemod,
            r.fix.verdict.as_str()
        )
        .unwrap();
    }
    for f in &m.findings {
        writeln!(
            out,
            "{}:{} [{}] MANUAL: {}",
            f.line, f.column, f.finding.codemod, f.finding.message
        )
        .unwrap();
        writeln!(
            out,
            "    fix: {}",
            f.finding.suggestion.replace('\n', "\n    ")
        )
        .unwrap();
    }
    out.push_str("---\n");
    let name = path.file_name().unwrap();
    match status {
        Status::Changed { before, after } => {
            out.push_str(&diff_text(std::path::Path::new(name), &before, &after));
            // Harness checks: a second run of the same codemods is a no-op (the engine
            // refuses output that does not parse).
            let (again, m2) = migrate(group, all, path, after.as_bytes(), targets);
            assert!(
                matches!(again, Status::Unchanged),
                "{}: second run changed the file: {again:?}",
                path.display()
            );
            assert!(
                m2.applied.is_empty(),
                "{}: second run applied fixes",
                path.display()
            );
        }
        Status::Unchanged => out.push_str("no changes\n"),
        Status::Skipped(why) => writeln!(out, "skipped: {why}").unwrap(),
        Status::Failed(why) => writeln!(out, "failed: {why}").unwrap(),
    }
    out
}

/// The tag at the end of a line: `# MANUAL: <code>`, the code one kebab-case word with an
/// optional `<id>/` (free text after `# MANUAL:` is a comment, not a tag).
fn manual_tag(line: &str) -> Option<&str> {
    let (_, code) = line.trim_end().rsplit_once("# MANUAL: ")?;
    let word = |w: &str| {
        w.starts_with(|c: char| c.is_ascii_lowercase())
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    let ok = match code.split_once('/') {
        Some((id, kind)) => word(id) && word(kind),
        None => word(code),
    };
    ok.then_some(code)
}

/// Every `# MANUAL: <code>` tag of the example has a MANUAL finding of that code on its line.
/// A codemod's example runs that codemod alone, so its tags name its own findings; another
/// codemod's (`<id>/<kind>`) belongs in a composition example.
fn expected_findings(
    group: &str,
    path: &std::path::Path,
    text: &str,
    findings: &[anyio_migrate::engine::ReportedFinding],
) {
    for (i, line) in text.lines().enumerate() {
        let Some(tag) = manual_tag(line) else {
            continue;
        };
        let code = if let Some((id, _)) = tag.split_once('/') {
            assert!(
                group == COMPOSE || id == group,
                "{}:{}: tagged `# MANUAL: {tag}`, another codemod's finding, but {group}'s \
                 examples run {group} alone: move the case to tests/compose/",
                path.display(),
                i + 1
            );
            tag.to_owned()
        } else {
            assert!(
                group != COMPOSE,
                "{}:{}: a composition example's tag names its codemod: `<id>/{tag}`",
                path.display(),
                i + 1
            );
            format!("{group}/{tag}")
        };
        assert!(
            anyio_migrate::registry::known_code(&code),
            "{}:{}: the tag names `{code}`, which no README catalogues",
            path.display(),
            i + 1
        );
        let found = findings.iter().any(|f| {
            f.line == i + 1 && format!("{}/{}", f.finding.codemod, f.finding.kind) == code
        });
        assert!(
            found,
            "{}:{}: tagged `# MANUAL: {tag}`, but no MANUAL finding `{code}` is on this line",
            path.display(),
            i + 1
        );
    }
}

/// The tags `# rewrite` (a rewrite is reported on this line: of the example's own codemod, or
/// any in a composition example) and `# OK` (nothing is reported on this line: no rewrite, no
/// finding), at the very end of a line, as in ruff's fixtures.
fn expected_outcomes(group: &str, path: &std::path::Path, text: &str, m: &Migration) {
    for (i, line) in text.lines().enumerate() {
        let at = i + 1;
        let rewrites = m
            .applied
            .iter()
            .filter(|r| r.line == at && (group == COMPOSE || r.fix.codemod == group))
            .count();
        let trimmed = line.trim_end();
        if trimmed.ends_with("# rewrite") {
            assert!(
                rewrites > 0,
                "{}:{at}: tagged `# rewrite`, but no rewrite is reported on this line",
                path.display()
            );
        } else if trimmed.ends_with("# OK") {
            let reported =
                m.applied.iter().any(|r| r.line == at) || m.findings.iter().any(|f| f.line == at);
            assert!(
                !reported,
                "{}:{at}: tagged `# OK`, but a rewrite or finding is reported on this line",
                path.display()
            );
        }
    }
}

#[test]
fn manual_tags_are_read_strictly() {
    assert_eq!(manual_tag("x()  # MANUAL: loop-class"), Some("loop-class"));
    assert_eq!(
        manual_tag("x()  # MANUAL: asyncio-loop/loop-class  "),
        Some("asyncio-loop/loop-class")
    );
    assert_eq!(manual_tag("x()  # MANUAL: sync code"), None);
    assert_eq!(manual_tag("x()  # MANUAL above"), None);
}

fn check_codemod(id: &str) {
    check_files(id, &examples(id));
}

/// Idioms of several codemods nested in each other: each case becomes correct code over the
/// fixpoint passes or a MANUAL finding, never broken output.
#[test]
fn composition() {
    let files = common::compose_examples();
    for path in &files {
        let (status, _) = migrate_all(&std::fs::read(path).unwrap());
        assert!(
            !matches!(status, Status::Failed(_)),
            "{}: {status:?}",
            path.display()
        );
    }
    check_files(COMPOSE, &files);
}

fn check_files(id: &str, files: &[std::path::PathBuf]) {
    assert!(!files.is_empty(), "{id} has no examples");
    for path in files {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        snapshot(path, &format!("{id}__{stem}"), id, false);
    }
}

/// Render `path` (`group`'s tags, `all` codemods or its own) and compare with snapshot `name`.
fn snapshot(path: &std::path::Path, name: &str, group: &str, all: bool) {
    let bytes = std::fs::read(path).unwrap();
    let rendered = render(group, all, path, &bytes);
    insta::with_settings!({
        snapshot_path => common::root().join("snapshots"),
        prepend_module_to_snapshot => false,
        input_file => path,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, rendered);
    });
}

/// Codemod examples whose point is an interplay of codemods (one rewrite enabling another, a
/// variable or import that goes once another codemod took its last use), listed in
/// `tests/compose/full_run.txt`: also snapshotted with every codemod, as a user's default run,
/// as `full__<id>.<stem>`; their tags name their own codemod's findings, met in the full run too.
#[test]
fn full_runs() {
    let listed = common::full_run_examples();
    assert!(
        !listed.is_empty(),
        "tests/compose/full_run.txt lists nothing"
    );
    for (id, path) in &listed {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        snapshot(path, &format!("{FULL_RUN}__{id}.{stem}"), id, true);
    }
}

/// One line per codemod (the consistency test checks that none is missing).
macro_rules! example_tests {
    ($($name:ident => $id:literal,)*) => {
        $( #[test] fn $name() { check_codemod($id); } )*
        pub const TESTED: &[&str] = &[$($id),*];
    };
}

example_tests! {
    asyncio_run => "asyncio-run",
    asyncio_sleep => "asyncio-sleep",
    blocking_sleep => "blocking-sleep",
    blocking_io => "blocking-io",
    asyncio_to_thread => "asyncio-to-thread",
    asyncio_sync_primitives => "asyncio-sync-primitives",
    asyncio_timeout_error => "asyncio-timeout-error",
    asyncio_cancelled_error => "asyncio-cancelled-error",
    asyncio_loop => "asyncio-loop",
    asyncio_star_import => "asyncio-star-import",
    asyncio_gather => "asyncio-gather",
    asyncio_task_group => "asyncio-task-group",
    asyncio_create_task => "asyncio-create-task",
    asyncio_shield => "asyncio-shield",
    asyncio_timeout => "asyncio-timeout",
    asyncio_wait => "asyncio-wait",
    asyncio_queue => "asyncio-queue",
    pytest_asyncio => "pytest-asyncio",
}

#[test]
fn every_codemod_is_complete() {
    let root = common::root();
    let index = std::fs::read_to_string(root.join("codemods/README.md")).unwrap();
    for c in anyio_migrate::registry::CODEMODS {
        assert!(
            TESTED.contains(&c.id),
            "{}: no line in example_tests!",
            c.id
        );
        let dir = root.join("codemods").join(c.id);
        assert!(dir.join("query.scm").is_file(), "{}: no query.scm", c.id);
        for section in [
            "## What it does",
            "## Why",
            "## Example",
            "## Use instead",
            "## Verdict",
            "## Preconditions",
        ] {
            assert!(
                c.readme.contains(section),
                "{}: README lacks `{section}`",
                c.id
            );
        }
        assert!(
            index.contains(&format!("`{}`", c.id)),
            "{}: no row in codemods/README.md",
            c.id
        );
        let module = root.join("src/codemods").join(c.id.replace('-', "_"));
        let rust = module.with_extension("rs");
        assert!(
            rust.is_file() || module.join("mod.rs").is_file(),
            "{}: no {} (nor {}/mod.rs)",
            c.id,
            rust.display(),
            module.display()
        );
        for ex in examples(c.id) {
            let stem = ex.file_stem().unwrap().to_string_lossy().into_owned();
            let snap = root
                .join("snapshots")
                .join(format!("{}__{stem}.snap", c.id));
            assert!(snap.is_file(), "{}: example {stem} has no snapshot", c.id);
        }
    }
    for (i, c) in anyio_migrate::registry::CODEMODS.iter().enumerate() {
        if let Err(e) = anyio_migrate::query::registered(i) {
            panic!("{}: the query does not compile: {e}", c.id);
        }
    }
}

/// Every example that `CPython` compiles still compiles once migrated (by every codemod, as a
/// user runs it; the snapshots run each codemod alone): tree-sitter accepts
/// more than `CPython` does (a docstring pushed below an import, `from __future__` no longer
/// first, `await` outside a coroutine), so the outputs go through its own compiler.
#[test]
fn every_migrated_example_compiles_with_cpython() {
    let root = common::root();
    let python = root.join("target/pyenv/bin/python");
    assert!(
        python.is_file(),
        "no pinned venv at target/pyenv: run scripts/setup-python.sh first"
    );
    let work = tempfile::tempdir().unwrap();
    let mut pairs = Vec::new();
    let files = anyio_migrate::registry::CODEMODS
        .iter()
        .flat_map(|c| examples(c.id))
        .chain(common::compose_examples());
    for (i, path) in files.enumerate() {
        let bytes = std::fs::read(&path).unwrap();
        let (Status::Changed { before, after }, _) = migrate_all(&bytes) else {
            continue;
        };
        let (b, a) = (
            work.path().join(format!("{i}_before.py")),
            work.path().join(format!("{i}_after.py")),
        );
        std::fs::write(&b, before).unwrap();
        std::fs::write(&a, after).unwrap();
        pairs.push((path, b, a));
    }
    assert!(
        pairs.len() > 100,
        "too few migrated examples: {}",
        pairs.len()
    );
    // One interpreter for all: prints the files whose input compiles and output does not.
    // Also the grammars of the older Pythons a project may target (`--target-python`, 3.9 by
    // default): an input one accepts gives an output it accepts.
    let script = "import ast, sys\nargs = sys.argv[1:]\nfor name, b, a in zip(args[0::3], args[1::3], args[2::3]):\n    def ok(p, version=None):\n        try:\n            text = open(p, encoding='utf-8').read()\n            if version:\n                ast.parse(text, p, feature_version=version)\n            else:\n                compile(text, p, 'exec')\n            return True\n        except SyntaxError as e:\n            print(name, version, e, file=sys.stderr)\n            return False\n    if (ok(b) and not ok(a)) or any(ok(b, v) and not ok(a, v) for v in ((3, 8), (3, 9), (3, 10))):\n        print(name)\n";
    let out = std::process::Command::new(python)
        .arg("-c")
        .arg(script)
        .args(
            pairs
                .iter()
                .flat_map(|(p, b, a)| [p.as_os_str(), b.as_os_str(), a.as_os_str()]),
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let failed = String::from_utf8_lossy(&out.stdout);
    assert!(
        failed.trim().is_empty(),
        "migrated examples CPython rejects:\n{failed}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The reverse of `every_codemod_is_complete`: nothing is left over. Every snapshot belongs to
/// an example that exists (a codemod's, a composition example, an example project), every
/// folder under `codemods/` is a registered codemod, and each codemod's module declares the
/// registry's id as its `ID`.
#[test]
fn nothing_is_orphaned() {
    let root = common::root();
    let ids: Vec<&str> = anyio_migrate::registry::CODEMODS
        .iter()
        .map(|c| c.id)
        .collect();
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(root.join("snapshots")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some((owner, stem)) = name
            .strip_suffix(".snap")
            .and_then(|base| base.split_once("__"))
        else {
            orphans.push(format!("snapshots/{name}: not `<owner>__<example>.snap`"));
            continue;
        };
        let source = match owner {
            "compose" => root.join("tests/compose").join(format!("{stem}.py")),
            FULL_RUN => {
                let listed = common::full_run_examples().into_iter().find(|(id, p)| {
                    p.file_stem()
                        .is_some_and(|s| format!("{id}.{}", s.to_string_lossy()) == stem)
                });
                let Some((_, path)) = listed else {
                    orphans.push(format!(
                        "snapshots/{name}: not listed in tests/compose/full_run.txt"
                    ));
                    continue;
                };
                path
            }
            "project" => root.join("tests/projects").join(stem),
            id if ids.contains(&id) => root
                .join("codemods")
                .join(id)
                .join("examples")
                .join(format!("{stem}.py")),
            _ => {
                orphans.push(format!("snapshots/{name}: `{owner}` is no codemod"));
                continue;
            }
        };
        if !source.exists() {
            orphans.push(format!(
                "snapshots/{name}: no {}",
                source.strip_prefix(&root).unwrap().display()
            ));
        }
    }
    for entry in std::fs::read_dir(root.join("codemods")).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !ids.contains(&name.as_str()) {
            orphans.push(format!("codemods/{name}/: no codemod of the registry"));
        }
    }
    for id in &ids {
        let module = root.join("src/codemods").join(id.replace('-', "_"));
        let file = if module.is_dir() {
            module.join("mod.rs")
        } else {
            module.with_extension("rs")
        };
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if !text.contains(&format!("const ID: &str = \"{id}\";")) {
            orphans.push(format!(
                "{}: does not declare `const ID: &str = \"{id}\";`",
                file.strip_prefix(&root).unwrap().display()
            ));
        }
    }
    assert!(orphans.is_empty(), "{}", orphans.join("\n"));
}
