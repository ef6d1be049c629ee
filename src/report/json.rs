//! The JSON report (`--format json`, described by `docs/report.schema.json`) and JSON Lines
//! (`--format json-lines`: one object per rewrite, finding or failed file, then the summary).

use super::items::{self, Item};
use super::{Summary, diff_of};
use crate::edit::Verdict;
use crate::engine::Status;
use crate::outcome::FileOutcome;
use crate::project::keep::KeptSuite;
use crate::project::targets::Derived;
use anyhow::Result;
use serde::Serialize;
use std::io::Write;

/// The version of the JSON document's shape; fields are only ever added within a version.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    files: Vec<JsonFile<'a>>,
    summary: Summary<'a>,
    /// The test suites the run keeps on pytest-asyncio, with their number of blockers.
    kept_on_pytest_asyncio: Vec<JsonKept>,
    /// The targets used, one entry per project metadata file (or none).
    targets: Vec<JsonTargets>,
}

#[derive(Serialize)]
struct JsonTargets {
    metadata: Option<String>,
    anyio: String,
    anyio_from: String,
    python: String,
    python_from: String,
}

#[derive(Serialize)]
struct JsonKept {
    root: String,
    blockers: usize,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: String,
    status: &'static str,
    reason: Option<&'a str>,
    /// The unified diff of a changed or created file (`git apply` accepts it).
    diff: Option<String>,
    fixes: Vec<JsonFix<'a>>,
    findings: Vec<JsonFinding<'a>>,
}

/// What every fix and finding says first: its code and where it is.
#[derive(Serialize)]
struct JsonSpot<'a> {
    code: String,
    codemod: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    #[serde(flatten)]
    spot: JsonSpot<'a>,
    verdict: &'static str,
    note: Option<&'a str>,
    applied: bool,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    #[serde(flatten)]
    spot: JsonSpot<'a>,
    verdict: &'static str,
    message: &'a str,
    suggestion: &'a str,
}

fn status_of(o: &FileOutcome) -> (&'static str, Option<&str>) {
    match &o.status {
        Status::Changed { .. } if o.created => ("created", None),
        Status::Changed { .. } => ("changed", None),
        Status::Unchanged => ("unchanged", None),
        Status::Skipped(r) => ("skipped", Some(r.as_str())),
        Status::Failed(r) => ("failed", Some(r.as_str())),
    }
}

fn file(o: &FileOutcome) -> JsonFile<'_> {
    let (status, reason) = status_of(o);
    let mut fixes = Vec::new();
    let mut findings = Vec::new();
    for item in items::of_file(o) {
        let Item {
            code,
            codemod,
            verdict,
            line,
            column,
            end: (end_line, end_column),
            message,
            suggestion,
            applied,
            ..
        } = item;
        let spot = JsonSpot {
            code,
            codemod,
            line,
            column,
            end_line,
            end_column,
        };
        match applied {
            Some(applied) => fixes.push(JsonFix {
                spot,
                verdict: verdict.as_str(),
                note: (!message.is_empty()).then_some(message),
                applied,
            }),
            None => findings.push(JsonFinding {
                spot,
                verdict: Verdict::Manual.as_str(),
                message,
                suggestion,
            }),
        }
    }
    JsonFile {
        path: o.path.to_string_lossy().into_owned(),
        status,
        reason,
        diff: diff_of(o),
        fixes,
        findings,
    }
}

pub fn write(
    out: &mut dyn Write,
    outcomes: &[FileOutcome],
    kept: &[KeptSuite],
    targets: &[Derived],
) -> Result<()> {
    let report = JsonReport {
        version: VERSION,
        files: outcomes.iter().map(file).collect(),
        summary: Summary::of(outcomes),
        kept_on_pytest_asyncio: kept
            .iter()
            .map(|k| JsonKept {
                root: k.root.to_string_lossy().into_owned(),
                blockers: k.blockers,
            })
            .collect(),
        targets: targets
            .iter()
            .map(|t| JsonTargets {
                metadata: t
                    .metadata
                    .as_ref()
                    .map(|m| m.to_string_lossy().into_owned()),
                anyio: t.targets.anyio.to_string(),
                anyio_from: t.anyio_from.to_string(),
                python: t.targets.python.to_string(),
                python_from: t.python_from.to_string(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)?;
    Ok(())
}

/// One line of JSON Lines.
#[derive(Serialize)]
struct Record<'a> {
    /// `rewrite`, `finding` or `file` (a file that failed or was skipped).
    r#type: &'static str,
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verdict: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    suggestion: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    applied: Option<bool>,
}

/// The last line of JSON Lines.
#[derive(Serialize)]
struct SummaryRecord<'a> {
    r#type: &'static str,
    #[serde(flatten)]
    summary: Summary<'a>,
}

/// `--format json-lines`: every item as it comes, then failed and skipped files, then one
/// `{"type": "summary", ...}` line.
pub fn write_lines(out: &mut dyn Write, outcomes: &[FileOutcome]) -> Result<()> {
    for o in outcomes {
        if let (status @ ("failed" | "skipped"), Some(reason)) = status_of(o) {
            let line = Record {
                r#type: "file",
                path: o.path.to_string_lossy().into_owned(),
                code: None,
                verdict: None,
                status: Some(status),
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
                message: reason,
                suggestion: "",
                applied: None,
            };
            serde_json::to_writer(&mut *out, &line)?;
            writeln!(out)?;
        }
        for item in items::of_file(o) {
            let line = Record {
                r#type: if item.is_finding() {
                    "finding"
                } else {
                    "rewrite"
                },
                path: item.path.to_string_lossy().into_owned(),
                code: Some(item.code),
                verdict: Some(item.verdict.as_str()),
                status: None,
                line: item.line,
                column: item.column,
                end_line: item.end.0,
                end_column: item.end.1,
                message: item.message,
                suggestion: item.suggestion,
                applied: item.applied,
            };
            serde_json::to_writer(&mut *out, &line)?;
            writeln!(out)?;
        }
    }
    serde_json::to_writer(
        &mut *out,
        &SummaryRecord {
            r#type: "summary",
            summary: Summary::of(outcomes),
        },
    )?;
    writeln!(out)?;
    Ok(())
}

/// `--statistics --format json`: the counts as an array.
pub fn write_statistics(out: &mut dyn Write, outcomes: &[FileOutcome]) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, &items::statistics(outcomes))?;
    writeln!(out)?;
    Ok(())
}
