//! Proof by execution: every runnable example (one with `async def main`) runs as written under
//! `asyncio.run` and, migrated, under `anyio.run` on the asyncio and trio backends; the printed
//! output must match (or match the example's `.expected` file, a documented difference).
//! Needs the pinned venv from `scripts/setup-python.sh` (the test command runs it first).

mod common;

use common::{migrated_text, root, run_examples, runnable_examples};

#[test]
fn runnable_examples_behave_the_same_after_migration() {
    let work = root().join("target/exec-cases");
    let _ = std::fs::remove_dir_all(&work);
    let mut cases = Vec::new();
    for (group, path) in runnable_examples() {
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
    let failed = run_examples(&work, &cases);
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
}
