//! Every spot a report names, flattened: one item per rewrite (applied or held back) and per
//! MANUAL finding, with its stable code and span. JSON Lines, SARIF, GitHub annotations and
//! `--statistics` all read these.

use crate::edit::Verdict;
use crate::outcome::FileOutcome;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Item<'a> {
    pub path: &'a Path,
    pub code: String,
    pub codemod: &'a str,
    pub verdict: Verdict,
    pub line: usize,
    pub column: usize,
    pub end: (usize, usize),
    /// A finding's message, or a rewrite's note (empty when it has none).
    pub message: &'a str,
    /// A finding's suggested fix; empty for rewrites.
    pub suggestion: &'a str,
    /// For a rewrite: applied (or, under `--safe-only`, held back); `None` for a finding.
    pub applied: Option<bool>,
    /// A rewrite that edits this file (a project-pass note may edit nothing).
    pub edits: bool,
}

impl Item<'_> {
    pub fn is_finding(&self) -> bool {
        self.applied.is_none()
    }

    /// What needs a reader's attention: MANUAL findings and UNSAFE rewrites (SARIF, GitHub).
    pub fn needs_review(&self) -> bool {
        self.is_finding() || self.verdict == Verdict::Unsafe
    }
}

/// The items of one file, in report order: rewrites, held-back rewrites, findings.
pub fn of_file<'a>(o: &'a FileOutcome) -> impl Iterator<Item = Item<'a>> {
    let m = &o.migration;
    let fix = move |r: &'a crate::engine::Reported, applied: bool| Item {
        path: &o.path,
        code: r.fix.code(),
        codemod: r.fix.codemod,
        verdict: r.fix.verdict,
        line: r.line,
        column: r.column,
        end: r.end,
        message: r.fix.note.as_deref().unwrap_or(""),
        suggestion: "",
        applied: Some(applied),
        edits: !r.fix.edits.is_empty(),
    };
    let applied = m.applied.iter().map(move |r| fix(r, true));
    let withheld = m.withheld.iter().map(move |r| fix(r, false));
    let findings = m.findings.iter().map(move |f| Item {
        path: &o.path,
        code: f.finding.code(),
        codemod: f.finding.codemod,
        verdict: Verdict::Manual,
        line: f.line,
        column: f.column,
        end: f.end,
        message: &f.finding.message,
        suggestion: &f.finding.suggestion,
        applied: None,
        edits: false,
    });
    applied.chain(withheld).chain(findings)
}

/// Every item of every file.
pub fn all(outcomes: &[FileOutcome]) -> impl Iterator<Item = Item<'_>> {
    outcomes.iter().flat_map(of_file)
}

/// One line of `--statistics`: how often a code was reported with a verdict.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Statistic {
    pub code: String,
    #[serde(serialize_with = "verdict_text")]
    pub verdict: Verdict,
    pub count: usize,
    /// What the code means: its catalogue entry, or the first message reported with it.
    pub description: String,
}

/// A verdict as the reports write it (`SAFE (edge)`).
#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "the signature serde's serialize_with calls"
)]
fn verdict_text<S: serde::Serializer>(verdict: &Verdict, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(verdict.as_str())
}

/// Counts per code and verdict, most frequent first (then by code), as ruff's `--statistics`.
pub fn statistics(outcomes: &[FileOutcome]) -> Vec<Statistic> {
    let mut counts: std::collections::BTreeMap<(String, Verdict), (usize, String)> =
        std::collections::BTreeMap::new();
    for item in all(outcomes) {
        let entry = counts
            .entry((item.code.clone(), item.verdict))
            .or_insert_with(|| (0, describe(&item)));
        entry.0 += 1;
    }
    let mut out: Vec<Statistic> = counts
        .into_iter()
        .map(|((code, verdict), (count, description))| Statistic {
            code,
            verdict,
            count,
            description,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    out
}

/// The catalogue's description of an item's code, else the first sentence of its message.
pub fn describe(item: &Item) -> String {
    if let Some(text) = catalogue_entry(&item.code) {
        return text.to_owned();
    }
    first_sentence(item.message)
}

fn first_sentence(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    match line.find(": ").or_else(|| line.find("; ")) {
        Some(i) if i > 20 => line[..i].to_owned(),
        _ => line.to_owned(),
    }
}

/// The catalogue's text for a code (its README's `## Codes` line).
fn catalogue_entry(code: &str) -> Option<&'static str> {
    crate::edit::codes::code_line(code).map(|l| l.description)
}
