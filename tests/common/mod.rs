//! Shared helpers for the integration tests: run the engine on an example, with every codemod
//! (`migrate_all`, `migrate_for`, `migrated_text`) or one alone (`migrate_alone`).

#![expect(dead_code, reason = "each test binary uses a different subset")]

#[cfg(unix)]
pub mod cli;

use anyio_migrate::engine::{Migration, Options};
use anyio_migrate::registry::CODEMODS;
use anyio_migrate::target::Targets;
use anyio_migrate::{Status, migrate_bytes};
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every example of a codemod, sorted.
pub fn examples(id: &str) -> Vec<PathBuf> {
    python_files(&root().join("codemods").join(id).join("examples"))
}

/// The composition examples: several codemods' idioms nested in each other.
pub fn compose_examples() -> Vec<PathBuf> {
    python_files(&root().join("tests").join("compose"))
}

/// The codemod examples `tests/compose/full_run.txt` lists (`<id>/<file>.py`, one a line, `#`
/// comments), also snapshotted with every codemod: (codemod id, path).
pub fn full_run_examples() -> Vec<(String, PathBuf)> {
    let list = root().join("tests/compose/full_run.txt");
    let text = std::fs::read_to_string(&list).unwrap_or_else(|e| panic!("{}: {e}", list.display()));
    text.lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (id, file) = l
                .split_once('/')
                .unwrap_or_else(|| panic!("full_run.txt: `{l}` is not `<id>/<file>.py`"));
            let path = root().join("codemods").join(id).join("examples").join(file);
            assert!(path.is_file(), "full_run.txt: no {}", path.display());
            (id.to_owned(), path)
        })
        .collect()
}

/// The `.py` files of a folder, sorted.
pub fn python_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    files
}

/// Migrate bytes with every codemod enabled, as a user's default run does.
pub fn migrate_all(bytes: &[u8]) -> (Status, Migration) {
    migrate_for(bytes, Targets::default())
}

/// Migrate bytes with every codemod enabled for the given targets.
pub fn migrate_for(bytes: &[u8], targets: Targets) -> (Status, Migration) {
    let all: Vec<_> = CODEMODS.iter().collect();
    migrate_bytes(bytes, &Options::alone(&all, targets))
}

/// Migrate bytes with one codemod alone for the given targets: how its own examples are
/// snapshotted (the other codemods' idioms stay as they are).
pub fn migrate_alone(id: &str, bytes: &[u8], targets: Targets) -> (Status, Migration) {
    let codemod = anyio_migrate::registry::find(id).unwrap_or_else(|| panic!("no codemod `{id}`"));
    migrate_bytes(bytes, &Options::alone(&[codemod], targets))
}

/// The targets an example is migrated for: the defaults, or the anyio release its
/// `<stem>.target-anyio` file names (an example of a form only older targets get).
pub fn example_targets(path: &Path) -> Targets {
    let anyio = std::fs::read_to_string(path.with_extension("target-anyio"))
        .ok()
        .and_then(|t| anyio_migrate::target::Version::parse(t.split_whitespace().next()?));
    match anyio {
        Some(anyio) => Targets {
            anyio,
            ..Targets::default()
        },
        None => Targets::default(),
    }
}

/// The migrated text of an example, for its targets (the input when nothing changed).
pub fn migrated_text(path: &Path) -> String {
    migrated_text_for(path, example_targets(path))
}

/// The migrated text of a file for the given targets (the input when nothing changed).
pub fn migrated_text_for(path: &Path, targets: Targets) -> String {
    let bytes = std::fs::read(path).unwrap();
    match migrate_for(&bytes, targets).0 {
        Status::Changed { after, .. } => after,
        Status::Unchanged => String::from_utf8(bytes).unwrap(),
        other => panic!("{}: {other:?}", path.display()),
    }
}

/// The runnable examples (a file with `async def main(`): (group, path), every codemod's and
/// the composition examples.
pub fn runnable_examples() -> Vec<(&'static str, PathBuf)> {
    CODEMODS
        .iter()
        .map(|c| (c.id, examples(c.id)))
        .chain([("compose", compose_examples())])
        .flat_map(|(group, paths)| paths.into_iter().map(move |p| (group, p)))
        .filter(|(_, p)| std::fs::read_to_string(p).is_ok_and(|t| t.contains("async def main(")))
        .collect()
}

/// Run `tests/exec/run_examples.py` on `cases` (written to `work/cases.json`) with the pinned
/// venv: the failures, each as "name:\ndetail".
pub fn run_examples(work: &Path, cases: &[serde_json::Value]) -> Vec<String> {
    let python = root().join("target/pyenv/bin/python");
    assert!(
        python.is_file(),
        "no pinned venv at target/pyenv: run scripts/setup-python.sh first"
    );
    assert!(!cases.is_empty(), "no runnable examples found");
    let manifest = work.join("cases.json");
    std::fs::write(&manifest, serde_json::to_string_pretty(cases).unwrap()).unwrap();
    let out = std::process::Command::new(&python)
        .arg(root().join("tests/exec/run_examples.py"))
        .arg(&manifest)
        .output()
        .expect("running the example runner");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "runner output is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let failed: Vec<String> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] != true)
        .map(|c| format!("{}:\n{}", c["name"], c["detail"].as_str().unwrap_or("")))
        .collect();
    assert!(
        out.status.success() || !failed.is_empty(),
        "runner failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    failed
}
