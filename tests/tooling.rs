//! The tool among the user's other tools: its machine reports read by what reads them (the
//! JSON report by its JSON Schema, SARIF and GitHub annotations by their shapes, JSON Lines
//! and `--statistics` by their counts), and its output by the user's own ruff (import rules).
//!
//! ruff and jsonschema are pinned in `scripts/python-tools-constraints.txt` and installed by
//! `scripts/setup-python.sh` into `target/pytools`.

#![cfg(unix)]

use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_anyio-migrate");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tools() -> PathBuf {
    let dir = root().join("target/pytools");
    assert!(
        dir.join("bin/ruff").exists(),
        "target/pytools is missing: run scripts/setup-python.sh"
    );
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A project with every kind of spot: the demo (SAFE, SAFE (edge), MANUAL), an UNSAFE
/// rewrite, a file that fails (syntax error) and one that is skipped (binary).
fn mixed_project() -> TempDir {
    let dir = TempDir::new().unwrap();
    copy_tree(&root().join("examples/demo"), dir.path());
    fs::write(
        dir.path().join("unsafe.py"),
        "import asyncio\nimport time\n\n\nasync def main():\n    await asyncio.sleep(1)\n    time.sleep(1)\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("broken.py"),
        "def f(:\n    asyncio.sleep(1)\n",
    )
    .unwrap();
    fs::write(dir.path().join("binary.py"), b"import asyncio\0\n").unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json_report(dir: &Path) -> Value {
    let (_, out, err) = run(dir, &["--format", "json", "."]);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"))
}

/// (MANUAL findings, UNSAFE rewrites, all rewrites) of a JSON report.
fn counts(report: &Value) -> (usize, usize, usize) {
    let files = report["files"].as_array().unwrap();
    let findings = files
        .iter()
        .map(|f| f["findings"].as_array().unwrap().len())
        .sum();
    let all_fixes = || files.iter().flat_map(|f| f["fixes"].as_array().unwrap());
    let r#unsafe = all_fixes().filter(|x| x["verdict"] == "UNSAFE").count();
    (findings, r#unsafe, all_fixes().count())
}

#[test]
fn json_report_matches_its_schema() {
    let dir = mixed_project();
    let report = json_report(dir.path());
    let (findings, r#unsafe, _) = counts(&report);
    assert!(
        findings > 0 && r#unsafe > 0,
        "the project has both: {report:#}"
    );
    let statuses: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    for status in ["changed", "failed", "skipped"] {
        assert!(statuses.contains(&status), "{status} in {statuses:?}");
    }
    let doc = dir.path().join("report.json");
    fs::write(&doc, report.to_string()).unwrap();
    let check = Command::new(root().join("target/pyenv/bin/python"))
        .env("PYTHONPATH", tools())
        .args([
            "-c",
            "import json, sys, jsonschema\n\
             schema = json.load(open(sys.argv[1]))\n\
             jsonschema.Draft202012Validator.check_schema(schema)\n\
             errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))))\n\
             for e in errors: print(e.json_path, e.message)\n\
             sys.exit(1 if errors else 0)",
        ])
        .arg(root().join("docs/report.schema.json"))
        .arg(&doc)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    // The diff of a changed file is the dry run's diff.
    let (_, diff, _) = run(dir.path(), &["fetcher.py"]);
    let fetcher = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "fetcher.py")
        .expect("fetcher.py reported");
    assert_eq!(fetcher["diff"].as_str().unwrap(), diff);
}

#[test]
fn json_lines_carry_one_object_per_spot_and_a_summary() {
    let dir = mixed_project();
    let report = json_report(dir.path());
    let (findings, _, fixes) = counts(&report);
    let (_, out, _) = run(dir.path(), &["--format", "json-lines", "."]);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let of = |t: &str| lines.iter().filter(|l| l["type"] == t).count();
    assert_eq!(of("finding"), findings);
    assert_eq!(of("rewrite"), fixes);
    assert_eq!(of("file"), 2, "the failed and the skipped file");
    assert_eq!(lines.last().unwrap()["type"], "summary");
    assert_eq!(lines.last().unwrap()["files_failed"], 1);
}

#[test]
fn sarif_has_a_rule_per_code_and_a_result_per_manual_or_unsafe_spot() {
    let dir = mixed_project();
    let (findings, r#unsafe, _) = counts(&json_report(dir.path()));
    let (_, out, _) = run(dir.path(), &["--format", "sarif", "."]);
    let sarif: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "anyio-migrate");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), findings + r#unsafe);
    for r in results {
        let index = usize::try_from(r["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[index]["id"], r["ruleId"], "{r:#}");
        assert!(!rules[index]["help"]["text"].as_str().unwrap().is_empty());
        let level = if r["properties"]["verdict"] == "MANUAL" {
            "warning"
        } else {
            "note"
        };
        assert_eq!(r["level"], level);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(
            (region["endLine"].as_u64(), region["endColumn"].as_u64())
                >= (region["startLine"].as_u64(), region["startColumn"].as_u64())
        );
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(dir.path().join(uri).is_file(), "{uri} is a relative path");
    }
    let codes: Vec<&Value> = rules.iter().map(|r| &r["id"]).collect();
    let mut unique = codes.clone();
    unique.dedup();
    assert_eq!(codes.len(), unique.len(), "one rule per code");
    // The failed file is a notification of an unsuccessful run.
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
}

#[test]
fn github_annotations_one_per_spot_with_escaped_messages() {
    let dir = mixed_project();
    let (findings, r#unsafe, _) = counts(&json_report(dir.path()));
    let (_, out, _) = run(dir.path(), &["--format", "github", "."]);
    let lines: Vec<&str> = out.lines().collect();
    let starts = |p: &str| lines.iter().filter(|l| l.starts_with(p)).count();
    assert_eq!(starts("::warning file="), findings);
    assert_eq!(starts("::notice file="), r#unsafe);
    assert_eq!(starts("::error file="), 1);
    assert_eq!(
        lines.len(),
        findings + r#unsafe + 1,
        "one line per annotation"
    );
    for l in &lines {
        let (head, _message) = l[2..].split_once("::").expect("::command props::message");
        assert!(head.contains("file="), "{l}");
    }
}

#[test]
fn statistics_count_every_spot_most_frequent_first() {
    let dir = mixed_project();
    let (findings, _, fixes) = counts(&json_report(dir.path()));
    let (_, out, _) = run(dir.path(), &["--statistics", "--format", "json", "."]);
    let stats: Vec<Value> = serde_json::from_str(&out).unwrap();
    let total: u64 = stats.iter().map(|s| s["count"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, findings + fixes);
    let counts: Vec<u64> = stats.iter().map(|s| s["count"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    // The text table: one line per code and verdict, the count first, instead of each spot.
    let (_, _, err) = run(dir.path(), &["--statistics", "."]);
    let table: Vec<&str> = err.lines().take_while(|l| !l.contains("scanned")).collect();
    let rows: Vec<&str> = table
        .iter()
        .copied()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert_eq!(rows.len(), stats.len(), "{err}");
    assert!(!err.contains("MANUAL: "), "no per-spot lines: {err}");
}

#[test]
fn output_file_takes_the_report_and_leaves_the_diff_on_stdout() {
    let dir = mixed_project();
    let (_, json_out, _) = run(dir.path(), &["--format", "json", "."]);
    let (_, out, _) = run(
        dir.path(),
        &["--format", "json", "--output-file", "r.json", "."],
    );
    assert_eq!(out, "");
    assert_eq!(
        fs::read_to_string(dir.path().join("r.json")).unwrap(),
        json_out
    );
    let (_, diff, err) = run(dir.path(), &["--output-file", "r.txt", "."]);
    assert!(diff.starts_with("--- a/"), "{diff}");
    let report = fs::read_to_string(dir.path().join("r.txt")).unwrap();
    assert!(report.contains("MANUAL"), "{report}");
    assert!(report.contains("files scanned"), "{report}");
    assert!(!err.contains("MANUAL"), "{err}");
}

/// ruff's findings `(file, code)` → count on a tree, with its default settings.
fn ruff(dir: &Path) -> BTreeMap<(String, String), usize> {
    let out = Command::new(tools().join("bin/ruff"))
        .env("PYTHONPATH", tools())
        .args([
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "I001,F401",
            "--output-format",
            "json",
            "--exit-zero",
            ".",
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut counts = BTreeMap::new();
    for f in found {
        let file = f["filename"].as_str().unwrap();
        let file = Path::new(file)
            .strip_prefix(fs::canonicalize(dir).unwrap())
            .map_or_else(|_| file.to_owned(), |p| p.display().to_string());
        *counts
            .entry((file, f["code"].as_str().unwrap().to_owned()))
            .or_default() += 1;
    }
    counts
}

#[test]
fn migrated_code_gives_ruff_no_new_import_findings() {
    let mut trees = vec![root().join("examples/demo")];
    for entry in fs::read_dir(root().join("tests/projects")).unwrap() {
        trees.push(entry.unwrap().path());
    }
    let mut new = Vec::new();
    for tree in &trees {
        let dir = TempDir::new().unwrap();
        copy_tree(tree, dir.path());
        let before = ruff(dir.path());
        let (code, _, err) = run(dir.path(), &["--write", "."]);
        assert_eq!(code, Some(0), "{}: {err}", tree.display());
        for ((file, rule), n) in ruff(dir.path()) {
            if n > before
                .get(&(file.clone(), rule.clone()))
                .copied()
                .unwrap_or(0)
            {
                new.push(format!("{}: {file}: {rule} x{n}", tree.display()));
            }
        }
    }
    assert!(
        new.is_empty(),
        "new ruff findings after --write:\n{}",
        new.join("\n")
    );
}

/// The hooks of `.pre-commit-hooks.yaml`: `(id, entry)`, read line by line (the file is a
/// flat list of mappings).
fn hooks() -> Vec<(String, String)> {
    let text = fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let mut hooks = Vec::new();
    let mut id = None;
    for line in text.lines() {
        let line = line.trim_start_matches("- ").trim();
        if let Some(v) = line.strip_prefix("id: ") {
            id = Some(v.to_owned());
        } else if let Some(v) = line.strip_prefix("entry: ") {
            hooks.push((id.clone().expect("id before entry"), v.to_owned()));
        } else if let Some(v) = line.strip_prefix("types_or: ") {
            assert_eq!(v, "[python, pyi]");
        }
    }
    hooks
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Run a hook as pre-commit does: its entry (our binary for `anyio-migrate`) with the staged
/// Python files appended.
fn run_hook(dir: &Path, entry: &str) -> (Option<i32>, String) {
    let staged: Vec<String> = git(dir, &["diff", "--cached", "--name-only"])
        .lines()
        .filter(|f| {
            Path::new(f)
                .extension()
                .is_some_and(|e| e == "py" || e == "pyi")
        })
        .map(str::to_owned)
        .collect();
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("anyio-migrate"));
    let out = Command::new(BIN)
        .args(words)
        .args(&staged)
        .current_dir(dir)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn pre_commit_hooks_check_then_fix_the_staged_files_and_honour_excludes() {
    let hooks = hooks();
    let entry = |id: &str| {
        hooks
            .iter()
            .find(|(i, _)| i == id)
            .unwrap_or_else(|| panic!("hook {id} in {hooks:?}"))
            .1
            .clone()
    };
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    let sleep = "import asyncio\n\n\nasync def main():\n    await asyncio.sleep(1)\n";
    fs::create_dir_all(d.join("vendored")).unwrap();
    fs::write(d.join("app.py"), sleep).unwrap();
    fs::write(d.join("vendored/lib.py"), sleep).unwrap();
    fs::write(d.join("notes.txt"), "asyncio.sleep\n").unwrap();
    fs::write(
        d.join("pyproject.toml"),
        "[project]\nname = \"app\"\ndependencies = [\"anyio>=4.5\"]\n\n[tool.anyio-migrate]\nexclude = [\"vendored\"]\n",
    )
    .unwrap();
    git(d, &["add", "."]);
    let (code, err) = run_hook(d, &entry("anyio-migrate-check"));
    assert_eq!(code, Some(1), "work left: {err}");
    assert!(err.contains("vendored/lib.py: skipped: excluded"), "{err}");
    let (code, err) = run_hook(d, &entry("anyio-migrate"));
    assert_eq!(code, Some(0), "{err}");
    assert!(
        fs::read_to_string(d.join("app.py"))
            .unwrap()
            .contains("anyio.sleep(1)")
    );
    assert_eq!(
        fs::read_to_string(d.join("vendored/lib.py")).unwrap(),
        sleep
    );
    git(d, &["add", "."]);
    let (code, err) = run_hook(d, &entry("anyio-migrate-check"));
    assert_eq!(code, Some(0), "nothing left: {err}");
}

/// The files of a tree, by relative path.
fn tree_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                files.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// `--interactive` on a copy of the demo with these answers: (exit code, what the terminal
/// showed, the files after).
fn review(answers: &[&str]) -> (Option<i32>, String, BTreeMap<PathBuf, Vec<u8>>) {
    let dir = TempDir::new().unwrap();
    copy_tree(&root().join("examples/demo"), dir.path());
    let out = Command::new(root().join("target/pyenv/bin/python"))
        .arg(root().join("tests/exec/pty_drive.py"))
        .arg(BIN)
        .arg(dir.path())
        .args(answers)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        tree_files(dir.path()),
    )
}

#[test]
fn interactive_review_through_a_terminal_all_yes_is_write_all_no_changes_nothing() {
    let pristine = tree_files(&root().join("examples/demo"));
    let written = {
        let dir = TempDir::new().unwrap();
        copy_tree(&root().join("examples/demo"), dir.path());
        let (code, _, err) = run(dir.path(), &["--write", "."]);
        assert_eq!(code, Some(0), "{err}");
        tree_files(dir.path())
    };
    assert_ne!(written, pristine);
    let (code, shown, after) = review(&["y"]);
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains("Apply this rewrite?"), "{shown}");
    assert!(
        shown.contains("[asyncio-sleep"),
        "each prompt names the code: {shown}"
    );
    assert!(
        shown.contains("review: 8 rewrite(s) applied, 0 skipped"),
        "{shown}"
    );
    assert_eq!(after, written, "all y is --write");
    let (code, shown, after) = review(&["n"]);
    assert_eq!(code, Some(0), "{shown}");
    assert_eq!(after, pristine, "all n changes nothing");
    let (_, shown, after) = review(&["q"]);
    assert!(
        shown.contains("prompts answered: 1"),
        "q stops the questions: {shown}"
    );
    assert_eq!(after, pristine);
    // `a` accepts the rest of the first file, `d` skips the rest of the next: one file changed,
    // with the same bytes as --write gives it.
    let (_, shown, after) = review(&["a", "d", "d"]);
    let changed: Vec<&PathBuf> = after
        .iter()
        .filter(|(p, b)| pristine.get(*p) != Some(b))
        .map(|(p, _)| p)
        .collect();
    assert_eq!(changed, [&PathBuf::from("fetcher.py")], "{shown}");
    assert_eq!(
        after[&PathBuf::from("fetcher.py")],
        written[&PathBuf::from("fetcher.py")]
    );
}

#[test]
fn interactive_without_a_terminal_is_a_clear_error() {
    let dir = mixed_project();
    let (code, _, err) = run(dir.path(), &["-i", "."]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--interactive reads its answers from a terminal"),
        "{err}"
    );
}

#[test]
fn a_long_run_shows_a_progress_bar_on_a_terminal_only() {
    let dir = TempDir::new().unwrap();
    for i in 0..600 {
        fs::write(
            dir.path().join(format!("m{i}.py")),
            "import asyncio\n\n\nasync def main():\n    await asyncio.sleep(1)\n",
        )
        .unwrap();
    }
    let shown = Command::new(root().join("target/pyenv/bin/python"))
        .arg(root().join("tests/exec/pty_drive.py"))
        .arg(BIN)
        .arg(dir.path())
        .args(["--", "--check", "."])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.contains("/600 files"), "{shown}");
    // Not on a pipe.
    let (_, _, err) = run(dir.path(), &["--check", "."]);
    assert!(!err.contains("/600 files"), "{err}");
}

/// The README's example run is the real output: its report verbatim, and each diff it shows.
#[test]
fn the_readme_example_run_is_real_output() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let (code, diff, err) = run(&root(), &["examples/demo"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        readme.contains(&err),
        "the README's report differs from:\n{err}"
    );
    for file in ["main.py", "heartbeat.py"] {
        let one = diff
            .split("--- a/")
            .find(|d| d.starts_with(&format!("examples/demo/{file}")))
            .unwrap();
        assert!(
            readme.contains(one),
            "the README's diff of {file} differs from:\n{one}"
        );
    }
}
