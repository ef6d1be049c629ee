//! Proof by execution: every runnable example (one with `async def main`) runs as written under
//! `asyncio.run` and, migrated, under `anyio.run` on the asyncio and trio backends; the printed
//! output must match (or match the example's `.expected` file, a documented difference).
//! Needs the pinned venv from `scripts/setup-python.sh` (the test command runs it first).

mod common;

use common::{examples, migrated_text, root};
use std::process::Command;

#[test]
fn runnable_examples_behave_the_same_after_migration() {
    let python = root().join("target/pyenv/bin/python");
    assert!(
        python.is_file(),
        "no pinned venv at target/pyenv: run scripts/setup-python.sh first"
    );
    let work = root().join("target/exec-cases");
    let _ = std::fs::remove_dir_all(&work);
    let mut cases = Vec::new();
    let groups = anyio_migrate::registry::CODEMODS
        .iter()
        .map(|c| (c.id, examples(c.id)))
        .chain([("compose", common::compose_examples())]);
    for (group, paths) in groups {
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            if !text.contains("async def main(") {
                continue;
            }
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let dir = work.join(group);
            std::fs::create_dir_all(&dir).unwrap();
            let migrated = dir.join(format!("{stem}.py"));
            std::fs::write(&migrated, migrated_text(&path)).unwrap();
            let expected = path.with_extension("expected");
            cases.push(serde_json::json!({
                "name": format!("{group}/{stem}"),
                "original": path,
                "migrated": migrated,
                "expected": expected.is_file().then_some(expected),
            }));
        }
    }
    assert!(!cases.is_empty(), "no runnable examples found");
    let manifest = work.join("cases.json");
    std::fs::write(&manifest, serde_json::to_string_pretty(&cases).unwrap()).unwrap();
    let out = Command::new(&python)
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
    eprintln!(
        "{} runnable examples executed on asyncio, anyio+asyncio and anyio+trio",
        cases.len()
    );
    assert!(
        failed.is_empty(),
        "{} example(s) behave differently after migration:\n{}",
        failed.len(),
        failed.join("\n")
    );
    assert!(
        out.status.success(),
        "runner failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
