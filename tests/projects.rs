//! Example projects for the pytest-asyncio migration (`tests/projects/<name>/`: config files,
//! conftest and test modules). Each one is
//! 1. migrated by the real binary in a copy: the multi-file diff and the report are
//!    snapshotted (`snapshots/project__<name>.snap`); the diff applied with `git apply` gives
//!    exactly what `--write` writes; a second run changes nothing;
//! 2. run by pytest as written, with pytest-asyncio, and migrated, with pytest-asyncio disabled
//!    (`-p no:asyncio`, and an importable `pytest_asyncio` that raises `ImportError`), and
//!    migrated with pytest-asyncio still installed (as until the dependencies are synced): all
//!    must pass, the same number of tests, under `--strict-config --strict-markers`.
//!
//! A project's `.backends` file (hidden, so never migrated) holds its `--backends` value. A
//! project with a `.kept` file has a blocker the run cannot migrate: the report must say that
//! the suite stays on pytest-asyncio, and the migrated run keeps pytest-asyncio loaded. A
//! project with a `.legacy` file runs (before and after) in the venv with pytest-asyncio 0.23,
//! whose `event_loop` fixture it requests. A project with a `.anyio` file (an anyio floor of
//! `scripts/anyio-floors.txt`) runs before and after on that anyio release, the one its own
//! requirement allows (`target/anyio-floors/<version>` first on the path).
//! Needs the pinned venv from `scripts/setup-python.sh` (with pytest-asyncio).

#![cfg(unix)]

mod common;

use common::root;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_anyio-migrate");

fn projects() -> Vec<PathBuf> {
    let dir = root().join("tests/projects");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

fn copy_tree(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() == "__pycache__" {
                continue;
            }
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file of a tree (relative path → bytes), `__pycache__` left out.
fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                if p.file_name()
                    .is_some_and(|n| n != "__pycache__" && n != ".pytest_cache")
                {
                    stack.push(p);
                }
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

fn migrate(dir: &Path, extra: &[String]) -> (Option<i32>, String, String) {
    let out = Command::new(BIN)
        .current_dir(dir)
        .arg(".")
        .args(extra)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Run pytest in `dir`; the summary counts (passed, failed+errors).
fn pytest(
    python: &Path,
    dir: &Path,
    with_pytest_asyncio: bool,
    shadow: &Path,
    anyio: Option<&Path>,
) -> (usize, String) {
    let mut cmd = Command::new(python);
    cmd.current_dir(dir)
        .args(["-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA"])
        .args([
            "--strict-config",
            "--strict-markers",
            "-W",
            "error::pytest.PytestConfigWarning",
        ])
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env_remove("PYTEST_ADDOPTS");
    let mut path: Vec<&Path> = anyio.into_iter().collect();
    if !with_pytest_asyncio {
        cmd.args(["-p", "no:asyncio"]);
        path.push(shadow);
    }
    if !path.is_empty() {
        cmd.env("PYTHONPATH", std::env::join_paths(path).unwrap());
    }
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "pytest {} pytest-asyncio failed in {}:\n{text}",
        if with_pytest_asyncio {
            "with"
        } else {
            "without"
        },
        dir.display()
    );
    let passed = text
        .lines()
        .rev()
        .find_map(|l| {
            let i = l.find(" passed")?;
            l[..i]
                .rsplit(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or(0);
    (passed, text)
}

/// git apply of the dry-run diff gives exactly the written tree (a run that changes nothing, a
/// suite kept whole, has no diff to apply).
fn assert_diff_applies(name: &str, diff: &str, applied: &Path, after: &Path) {
    if !diff.is_empty() {
        let mut git = Command::new("git");
        git.current_dir(applied)
            .args([
                "-c",
                "core.autocrlf=false",
                "apply",
                "--whitespace=nowarn",
                "-",
            ])
            .stdin(std::process::Stdio::piped());
        let mut child = git.spawn().unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), diff.as_bytes()).unwrap();
        assert!(child.wait().unwrap().success(), "{name}: git apply failed");
    }
    assert!(
        snapshot_tree(applied) == snapshot_tree(after),
        "{name}: git apply and --write differ"
    );
}

#[test]
fn example_projects_migrate_and_pass_without_pytest_asyncio() {
    let python = root().join("target/pyenv/bin/python");
    assert!(
        python.is_file(),
        "no pinned venv at target/pyenv: run scripts/setup-python.sh first"
    );
    let work = root().join("target/project-cases");
    let _ = std::fs::remove_dir_all(&work);
    // `import pytest_asyncio` must fail in the migrated runs, as if it were uninstalled.
    let shadow = work.join("no-pytest-asyncio");
    std::fs::create_dir_all(shadow.join("pytest_asyncio")).unwrap();
    std::fs::write(
        shadow.join("pytest_asyncio/__init__.py"),
        "raise ImportError('pytest-asyncio is uninstalled in the migrated run')\n",
    )
    .unwrap();
    let all = projects();
    assert!(all.len() >= 5, "example projects missing");
    for project in &all {
        let name = project.file_name().unwrap().to_string_lossy().into_owned();
        let backends = std::fs::read_to_string(project.join(".backends"))
            .map(|b| vec![format!("--backends={}", b.trim())])
            .unwrap_or_default();
        let before = work.join(&name).join("before");
        let after = work.join(&name).join("after");
        let applied = work.join(&name).join("applied");
        copy_tree(project, &before);
        copy_tree(project, &after);
        copy_tree(project, &applied);

        let kept = project.join(".kept").exists();
        let python = if project.join(".legacy").exists() {
            root().join("target/pyenv-legacy/bin/python")
        } else {
            python.clone()
        };
        // The dry run: diff on stdout, report on stderr.
        let (code, diff, report) = migrate(&after, &backends);
        assert_eq!(code, Some(0), "{name}: {report}");
        assert_eq!(
            report.contains("tests kept on pytest-asyncio: "),
            kept,
            "{name}: the suite should {}stay on pytest-asyncio:\n{report}",
            if kept { "" } else { "not " }
        );
        insta::with_settings!({
            snapshot_path => root().join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("project__{name}"), format!("{report}---\n{diff}"));
        });

        // --write, then nothing left to do.
        let mut args = backends.clone();
        args.push("--write".to_owned());
        let (code, _, report) = migrate(&after, &args);
        assert_eq!(code, Some(0), "{name}: {report}");
        let (_, again, report) = migrate(&after, &backends);
        assert_eq!(again, "", "{name}: a second run changes more:\n{report}");

        assert_diff_applies(&name, &diff, &applied, &after);

        // Execution: before with pytest-asyncio, after without it (a kept suite: with it).
        let anyio = std::fs::read_to_string(project.join(".anyio"))
            .ok()
            .map(|v| root().join("target/anyio-floors").join(v.trim()));
        if let Some(dir) = &anyio {
            assert!(
                dir.join(".installed").is_file(),
                "{name}: run scripts/setup-python.sh ({} missing)",
                dir.display()
            );
        }
        let (n_before, _) = pytest(&python, &before, true, &shadow, anyio.as_deref());
        let (n_after, log) = pytest(&python, &after, kept, &shadow, anyio.as_deref());
        assert!(n_before > 0, "{name}: no test ran");
        let expected = if backends.iter().any(|b| b.contains("trio")) {
            2 * n_before
        } else {
            n_before
        };
        assert_eq!(
            n_after, expected,
            "{name}: different test count after migration:\n{log}"
        );
        // Until the project's dependencies are synced, pytest-asyncio is still installed: the
        // migrated suite passes with it loaded too.
        if !kept {
            let (n_installed, log) = pytest(&python, &after, true, &shadow, anyio.as_deref());
            assert_eq!(
                n_installed, expected,
                "{name}: different test count with pytest-asyncio still installed:\n{log}"
            );
        }
    }
}
