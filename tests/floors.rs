//! Proof by execution on the older anyio releases a project may pin: every runnable example is
//! migrated for each floor of `scripts/anyio-floors.txt` (`--target-anyio`) and run on exactly
//! that anyio release (with a trio it supports), on the asyncio and trio backends; the output
//! must match asyncio's, as in `tests/execution.rs`, or the documented difference:
//! - `<stem>.before-X.Y.expected` documents the output for targets below anyio X.Y (the one
//!   with the smallest X.Y above the floor applies), else `<stem>.expected`;
//! - where the migration for the floor reports a MANUAL finding the one for the newest anyio
//!   does not (asyncio code left: the target lacks the API), asyncio's own output is also
//!   accepted on the asyncio backend, and trio, which has no asyncio loop, is not run (a floor
//!   may report fewer: a module helper keeps asyncio's interface where the newest anyio's own
//!   API differs);
//! - an example whose own driver code needs a newer anyio says so in `<stem>.min-anyio`
//!   (`4.0 why`) and is not run below it.
//!
//! Needs `scripts/setup-python.sh` (the venv and `target/anyio-floors/<anyio>`).

mod common;

use anyio_migrate::Status;
use anyio_migrate::target::{Targets, Version};
use common::{migrate_for, root, run_examples, runnable_examples};
use std::path::{Path, PathBuf};

fn floors() -> Vec<(Version, String)> {
    let text = std::fs::read_to_string(root().join("scripts/anyio-floors.txt")).unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next())
        .map(|v| (Version::parse(v).unwrap(), v.to_owned()))
        .collect()
}

/// The migrated text (the input when nothing changed) and its MANUAL findings (line, code).
fn migrated(path: &Path, targets: Targets) -> (String, Vec<(usize, String)>) {
    let bytes = std::fs::read(path).unwrap();
    let (status, migration) = migrate_for(&bytes, targets);
    let text = match status {
        Status::Changed { after, .. } => after,
        Status::Unchanged => String::from_utf8(bytes).unwrap(),
        other => panic!("{}: {other:?}", path.display()),
    };
    let findings = migration
        .findings
        .iter()
        .map(|f| (f.line, f.finding.kind.to_owned()))
        .collect();
    (text, findings)
}

/// The oldest anyio an example's own driver code runs on (`<stem>.min-anyio`), if it says.
fn min_anyio(path: &Path) -> Option<Version> {
    let text = std::fs::read_to_string(path.with_extension("min-anyio")).ok()?;
    Version::parse(text.split_whitespace().next()?)
}

/// The expected file for a floor: the `before-X.Y` one with the smallest X.Y above it, else
/// the example's own.
fn expected_for(path: &Path, floor: Version) -> Option<PathBuf> {
    let stem = path.file_stem()?.to_string_lossy().into_owned();
    let dir = path.parent()?;
    let prefix = format!("{stem}.before-");
    let mut befores: Vec<(Version, PathBuf)> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| {
            let p = e.ok()?.path();
            let name = p.file_name()?.to_str()?.to_owned();
            let version = name.strip_prefix(&prefix)?.strip_suffix(".expected")?;
            Some((Version::parse(version)?, p))
        })
        .filter(|(v, _)| floor < *v)
        .collect();
    befores.sort();
    befores
        .into_iter()
        .next()
        .map(|(_, p)| p)
        .or_else(|| Some(path.with_extension("expected")).filter(|p| p.is_file()))
}

#[test]
fn runnable_examples_behave_the_same_on_each_anyio_floor() {
    let work = root().join("target/floor-cases");
    let _ = std::fs::remove_dir_all(&work);
    let examples = runnable_examples();
    let mut cases = Vec::new();
    let mut skipped = 0;
    for (floor, name) in floors() {
        let libs = root().join("target/anyio-floors").join(&name);
        assert!(
            libs.join(".installed").is_file(),
            "anyio {name} is not in {}: run scripts/setup-python.sh",
            libs.display()
        );
        let targets = Targets {
            anyio: floor,
            ..Targets::default()
        };
        for (group, path) in &examples {
            if min_anyio(path).is_some_and(|min| floor < min) {
                skipped += 1;
                continue;
            }
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let dir = work.join(&name).join(group);
            std::fs::create_dir_all(&dir).unwrap();
            let (text, manual) = migrated(path, targets);
            let (newest, newest_manual) = migrated(path, Targets::default());
            let left = text != newest && manual.iter().any(|f| !newest_manual.contains(f));
            let migrated = dir.join(format!("{stem}.py"));
            std::fs::write(&migrated, &text).unwrap();
            cases.push(serde_json::json!({
                "name": format!("anyio {name}: {group}/{stem}"),
                "original": path,
                "migrated": migrated,
                "expected": expected_for(path, floor),
                "pythonpath": libs,
                "left_on_asyncio": left,
            }));
        }
    }
    let failed = run_examples(&work, &cases);
    eprintln!(
        "{} example runs on the anyio floors ({skipped} skipped: the example's driver needs a newer anyio)",
        cases.len()
    );
    assert!(
        failed.is_empty(),
        "{} example(s) behave differently on an anyio floor:\n{}",
        failed.len(),
        failed.join("\n")
    );
}
