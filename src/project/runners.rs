//! Files that run or install the test suite outside the configuration the project pass edits:
//! CI workflows, a Makefile, a noxfile. Once a suite is moved to anyio's plugin, a runner that
//! still passes pytest-asyncio's options (`--asyncio-mode=auto`, `-o asyncio_mode=auto`,
//! `-p pytest_asyncio`) stops pytest ("unrecognized arguments") where pytest-asyncio is no longer
//! installed, or runs the anyio-marked tests under both plugins where it still is; one that
//! installs pytest-asyncio instead of the anyio the tests now need runs them on whatever anyio
//! the project happens to get. The run does not edit these files (their formats are not its
//! own): each such line is a MANUAL finding with the replacement.
//!
//! Looked at, in the folder of each configuration the run moved to anyio's plugin (or, when
//! none is among the run's files, the folder of the one pytest reads for the paths):
//! `Makefile`, `justfile`, `noxfile.py`, `.gitlab-ci.yml`, `azure-pipelines.yml`,
//! `.circleci/config.yml` and `.github/workflows/*.yml`. Lines that are comments are skipped.

use super::{ID, reported_at};
use crate::edit::Finding;
use crate::outcome::FileOutcome;
use std::path::{Path, PathBuf};

/// The runner files of one project folder.
fn runner_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = [
        "Makefile",
        "justfile",
        "Justfile",
        "noxfile.py",
        ".gitlab-ci.yml",
        "azure-pipelines.yml",
        ".circleci/config.yml",
    ]
    .iter()
    .map(|name| dir.join(name))
    .filter(|p| p.is_file())
    .collect();
    if let Ok(entries) = std::fs::read_dir(dir.join(".github/workflows")) {
        let mut workflows: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
            .collect();
        workflows.sort();
        out.extend(workflows);
    }
    out
}

/// What one line of a runner still asks of pytest-asyncio: (byte offset in the line, what).
fn mention(line: &str) -> Option<(usize, String)> {
    let code = line.trim_start();
    if code.starts_with('#') {
        return None;
    }
    for option in [
        "--asyncio-mode",
        "asyncio_mode=",
        "-p pytest_asyncio",
        "-p asyncio",
    ] {
        if let Some(at) = line.find(option) {
            let end = line[at..]
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ']'))
                .map_or(line.len(), |e| at + e);
            let shown = if option.starts_with("-p ") {
                option
            } else {
                &line[at..end]
            };
            return Some((at, format!("passes pytest-asyncio's option `{shown}`")));
        }
    }
    for name in ["pytest-asyncio", "pytest_asyncio"] {
        if let Some(at) = line.find(name) {
            return Some((at, "installs pytest-asyncio".to_owned()));
        }
    }
    None
}

/// Report the runner files of the project folders whose suites the run moved to anyio's
/// plugin.
pub fn report(outcomes: &mut Vec<FileOutcome>, paths: &[PathBuf]) {
    let switched = outcomes.iter().any(super::rewritten);
    if !switched {
        return;
    }
    let mut dirs: Vec<PathBuf> = outcomes
        .iter()
        .filter(|o| o.config && super::rewritten(o))
        .map(|o| o.path.parent().map(Path::to_path_buf).unwrap_or_default())
        .collect();
    if dirs.is_empty()
        && let Some(config) = super::governing_config(paths)
        && let Some(dir) = config.parent()
    {
        dirs.push(super::shown(dir));
    }
    dirs.sort();
    dirs.dedup();
    for path in dirs.iter().flat_map(|d| runner_files(d)) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let mut findings = Vec::new();
        let mut start = 0;
        for (n, line) in text.split_inclusive('\n').enumerate() {
            if let Some((at, what)) = mention(line) {
                findings.push((n + 1, at + 1, start + at, what));
            }
            start += line.len();
        }
        let Some(&(line, column, at, _)) = findings.first() else {
            continue;
        };
        let lines: Vec<String> = findings
            .iter()
            .map(|(l, _, _, what)| format!("line {l} {what}"))
            .collect();
        let finding = Finding::manual(
            ID,
            "runner-uses-pytest-asyncio",
            at,
            format!(
                "this file runs or installs the test suite the run moved to anyio's pytest plugin, and still uses pytest-asyncio ({}): pytest stops on pytest-asyncio's options once it is not installed, and runs the anyio-marked tests under both plugins while it is",
                lines.join("; ")
            ),
            "install the anyio requirement the run wrote in the project's test dependencies instead of pytest-asyncio, and replace `--asyncio-mode=auto` with `--anyio-mode=auto` (or drop the option where the configuration sets the mode)",
        );
        // A noxfile may be one of the run's own files: the finding joins its outcome (only
        // outcomes of that file name are resolved).
        let real = std::fs::canonicalize(&path).ok();
        match outcomes.iter_mut().find(|o| {
            real.is_some()
                && o.path.file_name() == path.file_name()
                && std::fs::canonicalize(&o.path).ok() == real
        }) {
            Some(o) => super::add_findings(o, &text, vec![finding]),
            None => outcomes.push(reported_at(path, finding, line, column)),
        }
    }
}
