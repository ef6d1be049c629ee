//! Rendering outcomes: the unified diff (stdout), the review report and summary (stderr), and
//! the machine formats (JSON, JSON Lines, SARIF, GitHub annotations). The only module that
//! prints.

mod ci;
pub mod items;
mod json;

use crate::cli::{Color, Format, RunArgs};
use crate::edit::Verdict;
use crate::engine::Status;
use crate::outcome::FileOutcome;
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
#[expect(clippy::struct_excessive_bools, reason = "independent output switches")]
pub struct Style {
    pub format: Format,
    pub diff: bool,
    /// Colour the diff (stdout).
    pub color: bool,
    /// Colour the report (stderr, or the `--output-file`).
    pub report_color: bool,
    pub quiet: bool,
    pub check: bool,
    /// `--statistics`: counts per code instead of one line per spot.
    pub statistics: bool,
}

impl Style {
    /// `terminal`: are stdout and the report's stream terminals?
    pub fn new(args: &RunArgs, (stdout, report): (bool, bool)) -> Self {
        let color = |terminal: bool| match args.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => terminal && std::env::var_os("NO_COLOR").is_none(),
        };
        Self {
            format: args.format,
            diff: !args.write && !args.check && !args.interactive,
            color: color(stdout),
            report_color: color(report),
            quiet: args.quiet,
            check: args.check,
            statistics: args.statistics,
        }
    }
}

/// ANSI colours of the text report.
fn paint(on: bool, code: &str, text: &str) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

fn verdict_colour(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Manual => "1;31",
        Verdict::Unsafe => "1;33",
        Verdict::Safe | Verdict::SafeEdge => "32",
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
    match style.format {
        Format::Json if style.statistics => return json::write_statistics(out, outcomes),
        Format::Json => return json::write(out, outcomes, kept, targets),
        Format::JsonLines => return json::write_lines(out, outcomes),
        Format::Sarif => return ci::write_sarif(out, outcomes),
        Format::Github => return ci::write_github(out, outcomes),
        Format::Text => {}
    }
    if style.diff {
        for o in outcomes {
            if let Status::Changed { before, after } = &o.status {
                write_diff(out, o, before, after, style.color)?;
            }
        }
    }
    if style.statistics {
        for o in outcomes {
            write_file_status(err, o, style)?;
        }
        write_statistics(err, outcomes, style)?;
    } else {
        for o in outcomes {
            write_file_report(err, o, style)?;
        }
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

pub use crate::edit::diff_text;

/// The diff of a changed or created file, as the dry run prints it.
pub fn diff_of(o: &FileOutcome) -> Option<String> {
    match &o.status {
        Status::Changed { after, .. } if o.created => Some(creation_diff_text(&o.path, after)),
        Status::Changed { before, after } => Some(diff_text(&o.path, before, after)),
        _ => None,
    }
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
        let code = if color {
            crate::edit::diff_line_colour(line)
        } else {
            ""
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

/// A failed file always, a skipped one unless `--quiet`.
fn write_file_status(err: &mut dyn Write, o: &FileOutcome, style: &Style) -> Result<()> {
    let path = paint(style.report_color, "1", &o.path.display().to_string());
    match &o.status {
        Status::Failed(why) => {
            writeln!(
                err,
                "{path}: {}: {why}",
                paint(style.report_color, "1;31", "error")
            )?;
        }
        Status::Skipped(why) if o.left_asyncio && !style.quiet => writeln!(
            err,
            "{path}: skipped: {why} (it uses asyncio: migrate it by hand; --check counts it as work left)"
        )?,
        Status::Skipped(why) if !style.quiet => writeln!(err, "{path}: skipped: {why}")?,
        _ => {}
    }
    Ok(())
}

fn write_file_report(err: &mut dyn Write, o: &FileOutcome, style: &Style) -> Result<()> {
    write_file_status(err, o, style)?;
    if style.quiet {
        return Ok(());
    }
    let on = style.report_color;
    let path = paint(on, "1", &o.path.display().to_string());
    for item in items::of_file(o) {
        // SAFE rewrites are in the diff; config edits and created files are listed even when
        // SAFE: they are not Python the reader reviews in the diff alone.
        if item.verdict == Verdict::Safe
            && item.applied == Some(true)
            && !(o.config || o.created || !item.edits)
        {
            continue;
        }
        let code = paint(on, "36", &item.code);
        let (verdict, text) = match item.applied {
            None => ("MANUAL".to_owned(), item.message),
            Some(true) => (
                item.verdict.as_str().to_owned(),
                if item.message.is_empty() {
                    "review this rewrite"
                } else {
                    item.message
                },
            ),
            Some(false) => (
                format!(
                    "{} rewrite not applied (--safe-only)",
                    item.verdict.as_str()
                ),
                item.message,
            ),
        };
        let verdict = paint(on, verdict_colour(item.verdict), &verdict);
        writeln!(
            err,
            "{path}:{}:{}: [{code}] {verdict}: {text}",
            item.line, item.column
        )?;
        for line in item.suggestion.lines() {
            writeln!(err, "    {line}")?;
        }
    }
    Ok(())
}

/// `--statistics`: `count  code  verdict  description`, most frequent first.
fn write_statistics(err: &mut dyn Write, outcomes: &[FileOutcome], style: &Style) -> Result<()> {
    let stats = items::statistics(outcomes);
    let count_width = stats
        .iter()
        .map(|s| s.count.to_string().len())
        .max()
        .unwrap_or(1);
    let code_width = stats.iter().map(|s| s.code.len()).max().unwrap_or(0);
    let verdict_width = stats
        .iter()
        .map(|s| s.verdict.as_str().len())
        .max()
        .unwrap_or(0);
    for s in &stats {
        let code = format!("{:code_width$}", s.code);
        let verdict = format!("{:verdict_width$}", s.verdict.as_str());
        writeln!(
            err,
            "{:>count_width$}  {}  {}  {}",
            s.count,
            paint(style.report_color, "36", &code),
            paint(style.report_color, verdict_colour(s.verdict), &verdict),
            s.description
        )?;
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
    if s.suppressed > 0 {
        writeln!(
            err,
            "suppressed: {} (by `# anyio-migrate: ignore` comments and per-file-ignores)",
            s.suppressed
        )?;
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
    /// Rewrites and findings left out by `# anyio-migrate: ignore` or `per-file-ignores`.
    pub suppressed: usize,
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
            s.suppressed += o.migration.suppressed;
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
