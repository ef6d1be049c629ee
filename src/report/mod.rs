//! Rendering outcomes: the unified diff (stdout), the review report and summary (stderr), JSON.
//! The only module that prints.

use crate::cli::{Color, Format, RunArgs};
use crate::edit::Verdict;
use crate::outcome::{FileOutcome, Status};
use crate::project::keep::KeptSuite;
use crate::project::targets::Derived;
use crate::registry::CODEMODS;
use crate::source::Encoding;
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

#[derive(Debug, Clone)]
#[allow(clippy::struct_excessive_bools, reason = "independent output switches")]
pub struct Style {
    pub format: Format,
    pub diff: bool,
    pub color: bool,
    pub quiet: bool,
    pub check: bool,
}

impl Style {
    pub fn new(args: &RunArgs, stdout_is_terminal: bool) -> Self {
        let color = match args.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => stdout_is_terminal && std::env::var_os("NO_COLOR").is_none(),
        };
        Self {
            format: args.format,
            diff: !args.write && !args.check,
            color,
            quiet: args.quiet,
            check: args.check,
        }
    }
}

pub fn emit(
    outcomes: &[FileOutcome],
    kept: &[KeptSuite],
    targets: &[Derived],
    style: &Style,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    if style.format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, &json(outcomes, kept, targets))?;
        writeln!(out)?;
        return Ok(());
    }
    if style.diff {
        for o in outcomes {
            if let Status::Changed { before, after } = &o.status {
                write_diff(out, o, before, after, style.color)?;
            }
        }
    }
    for o in outcomes {
        write_file_report(err, o, style)?;
    }
    if !style.quiet {
        write_summary(err, outcomes, kept, style)?;
        for t in targets {
            writeln!(
                err,
                "targets{}: anyio {} ({}), Python {} ({})",
                t.metadata
                    .as_ref()
                    .map_or_else(String::new, |m| format!(" of {}", m.display())),
                t.targets.anyio,
                t.anyio_from,
                t.targets.python,
                t.python_from
            )?;
        }
    }
    Ok(())
}

/// A unified diff `git apply` accepts: `a/` and `b/` prefixes, paths as given.
pub fn diff_text(path: &Path, before: &str, after: &str) -> String {
    let name = path.to_string_lossy().replace('\\', "/");
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// The diff that creates a file: `--- /dev/null`, so `git apply` and `patch` create it.
pub fn creation_diff_text(path: &Path, after: &str) -> String {
    let name = path.to_string_lossy().replace('\\', "/");
    similar::TextDiff::from_lines("", after)
        .unified_diff()
        .context_radius(3)
        .header("/dev/null", &format!("b/{name}"))
        .to_string()
}

/// One file's diff. The lines of the file's text are in its encoding, so that `git apply`
/// finds the file's bytes; the `---` and `+++` headers (the first two lines) hold its path.
fn write_diff(
    out: &mut dyn Write,
    o: &FileOutcome,
    before: &str,
    after: &str,
    color: bool,
) -> Result<()> {
    let text = if o.created {
        creation_diff_text(&o.path, after)
    } else {
        diff_text(&o.path, before, after)
    };
    let mut bytes = Vec::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        // The headers hold the path (as the rest of the output, UTF-8).
        let encoding = if i < 2 { Encoding::Utf8 } else { o.encoding };
        let code = match line.as_bytes().first() {
            _ if !color => "",
            _ if line.starts_with("---") || line.starts_with("+++") => "1",
            Some(b'+') => "32",
            Some(b'-') => "31",
            Some(b'@') => "36",
            _ => "",
        };
        if code.is_empty() {
            bytes.extend_from_slice(&encoding.encode(line)?);
        } else {
            let body = line.trim_end_matches(['\n', '\r']);
            bytes.extend_from_slice(format!("\x1b[{code}m").as_bytes());
            bytes.extend_from_slice(&encoding.encode(body)?);
            bytes.extend_from_slice(format!("\x1b[0m{}", &line[body.len()..]).as_bytes());
        }
    }
    out.write_all(&bytes)?;
    Ok(())
}

fn write_file_report(err: &mut dyn Write, o: &FileOutcome, style: &Style) -> Result<()> {
    let path = o.path.display();
    match &o.status {
        Status::Failed(why) => writeln!(err, "{path}: error: {why}")?,
        Status::Skipped(why) if !style.quiet => writeln!(err, "{path}: skipped: {why}")?,
        _ => {}
    }
    if style.quiet {
        return Ok(());
    }
    for r in &o.migration.applied {
        // Config edits and created files are listed even when SAFE: they are not Python the
        // reader reviews in the diff alone.
        if r.fix.verdict == Verdict::Safe && !(o.config || o.created || r.fix.edits.is_empty()) {
            continue;
        }
        let note = r.fix.note.as_deref().unwrap_or("review this rewrite");
        writeln!(
            err,
            "{path}:{}:{}: [{}] {}: {note}",
            r.line,
            r.column,
            r.fix.codemod,
            r.fix.verdict.as_str()
        )?;
    }
    for r in &o.migration.withheld {
        let note = r.fix.note.as_deref().unwrap_or("");
        writeln!(
            err,
            "{path}:{}:{}: [{}] UNSAFE rewrite not applied (--safe-only): {note}",
            r.line, r.column, r.fix.codemod
        )?;
    }
    for f in &o.migration.findings {
        writeln!(
            err,
            "{path}:{}:{}: [{}] MANUAL: {}",
            f.line, f.column, f.finding.codemod, f.finding.message
        )?;
        for line in f.finding.suggestion.lines() {
            writeln!(err, "    {line}")?;
        }
    }
    Ok(())
}

fn write_summary(
    err: &mut dyn Write,
    outcomes: &[FileOutcome],
    kept: &[KeptSuite],
    style: &Style,
) -> Result<()> {
    let s = Summary::of(outcomes);
    let verb = if style.diff || style.check {
        "would change"
    } else {
        "changed"
    };
    let files = if s.files_scanned == 1 {
        "file"
    } else {
        "files"
    };
    let created = match (s.files_created, style.diff || style.check) {
        (0, _) => String::new(),
        (n, true) => format!(", {n} would be created"),
        (n, false) => format!(", {n} created"),
    };
    writeln!(
        err,
        "{} {files} scanned: {} {verb}, {} unchanged, {} skipped, {} failed{created}",
        s.files_scanned, s.files_changed, s.files_unchanged, s.files_skipped, s.files_failed
    )?;
    let line = |m: &BTreeMap<&str, usize>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !s.rewrites.is_empty() {
        writeln!(err, "rewrites: {}", line(&s.rewrites))?;
    }
    if !s.findings.is_empty() {
        writeln!(err, "manual findings: {}", line(&s.findings))?;
    }
    for k in kept {
        writeln!(
            err,
            "tests kept on pytest-asyncio: {}: {} blocker(s) (the MANUAL findings that say so)",
            k.root.display(),
            k.blockers
        )?;
    }
    Ok(())
}

#[derive(Debug, Serialize, Default)]
pub struct Summary<'a> {
    pub files_scanned: usize,
    pub files_changed: usize,
    pub files_unchanged: usize,
    pub files_skipped: usize,
    pub files_failed: usize,
    /// Files the run creates (not counted as scanned).
    pub files_created: usize,
    pub rewrites: BTreeMap<&'a str, usize>,
    pub findings: BTreeMap<&'a str, usize>,
}

impl<'a> Summary<'a> {
    pub fn of(outcomes: &'a [FileOutcome]) -> Self {
        let mut s = Self {
            files_scanned: outcomes.iter().filter(|o| !o.created).count(),
            ..Self::default()
        };
        for o in outcomes {
            match o.status {
                Status::Changed { .. } if o.created => s.files_created += 1,
                Status::Changed { .. } => s.files_changed += 1,
                Status::Unchanged => s.files_unchanged += 1,
                Status::Skipped(_) => s.files_skipped += 1,
                Status::Failed(_) => s.files_failed += 1,
            }
            for r in &o.migration.applied {
                *s.rewrites.entry(r.fix.codemod).or_default() += 1;
            }
            for f in &o.migration.findings {
                *s.findings.entry(f.finding.codemod).or_default() += 1;
            }
        }
        s
    }
}

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
    fixes: Vec<JsonFix<'a>>,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    codemod: &'a str,
    line: usize,
    column: usize,
    verdict: &'static str,
    note: Option<&'a str>,
    applied: bool,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    codemod: &'a str,
    line: usize,
    column: usize,
    verdict: &'static str,
    message: &'a str,
    suggestion: &'a str,
}

fn json<'a>(
    outcomes: &'a [FileOutcome],
    kept: &[KeptSuite],
    targets: &[Derived],
) -> JsonReport<'a> {
    let files = outcomes
        .iter()
        .map(|o| {
            let (status, reason) = match &o.status {
                Status::Changed { .. } if o.created => ("created", None),
                Status::Changed { .. } => ("changed", None),
                Status::Unchanged => ("unchanged", None),
                Status::Skipped(r) => ("skipped", Some(r.as_str())),
                Status::Failed(r) => ("failed", Some(r.as_str())),
            };
            let fix = |r: &'a crate::apply::Reported, applied: bool| JsonFix {
                codemod: r.fix.codemod,
                line: r.line,
                column: r.column,
                verdict: r.fix.verdict.as_str(),
                note: r.fix.note.as_deref(),
                applied,
            };
            let m = &o.migration;
            let mut fixes: Vec<JsonFix> = m.applied.iter().map(|r| fix(r, true)).collect();
            fixes.extend(m.withheld.iter().map(|r| fix(r, false)));
            let findings = m
                .findings
                .iter()
                .map(|f| JsonFinding {
                    codemod: f.finding.codemod,
                    line: f.line,
                    column: f.column,
                    verdict: Verdict::Manual.as_str(),
                    message: &f.finding.message,
                    suggestion: &f.finding.suggestion,
                })
                .collect();
            JsonFile {
                path: o.path.to_string_lossy().into_owned(),
                status,
                reason,
                fixes,
                findings,
            }
        })
        .collect();
    JsonReport {
        version: 1,
        files,
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
    }
}

/// `anyio-migrate list`.
pub fn list(out: &mut dyn Write) -> Result<()> {
    let width = CODEMODS.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let vwidth = CODEMODS.iter().map(|c| c.verdicts.len()).max().unwrap_or(0);
    for c in CODEMODS {
        writeln!(
            out,
            "{:width$}  {:vwidth$}  {}",
            c.id, c.verdicts, c.summary
        )?;
    }
    Ok(())
}
