//! Edits and fixes as plain data: what a codemod wants changed, with its verdict and note.

use std::ops::Range;

pub mod codes;

/// How faithful a rewrite is (spec Part I, D2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Safe,
    SafeEdge,
    Unsafe,
    Manual,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Safe => "SAFE",
            Self::SafeEdge => "SAFE (edge)",
            Self::Unsafe => "UNSAFE",
            Self::Manual => "MANUAL",
        }
    }

    /// Applied under `--safe-only`.
    pub fn is_safe(self) -> bool {
        matches!(self, Self::Safe | Self::SafeEdge)
    }
}

/// A module a rewrite's text refers to, added once by the import pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Import {
    Anyio,
    Collections,
    Functools,
    Inspect,
    Math,
    Sys,
}

impl Import {
    pub const ALL: [Self; 6] = [
        Self::Anyio,
        Self::Collections,
        Self::Functools,
        Self::Inspect,
        Self::Math,
        Self::Sys,
    ];

    pub fn module(self) -> &'static str {
        match self {
            Self::Anyio => "anyio",
            Self::Collections => "collections",
            Self::Functools => "functools",
            Self::Inspect => "inspect",
            Self::Math => "math",
            Self::Sys => "sys",
        }
    }
}

/// Replace `range` of the text with `text`. Insertions have an empty range.
/// Newlines in `text` are written as `\n`; the applier converts them for CRLF files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
    /// The same edit may come from many fixes (a module-level helper): it is applied once
    /// and does not make the fixes that carry it overlap.
    pub shared: bool,
}

impl Edit {
    pub fn replace(range: Range<usize>, text: impl Into<String>) -> Self {
        Self {
            range,
            text: text.into(),
            shared: false,
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Self::replace(at..at, text)
    }

    pub fn delete(range: Range<usize>) -> Self {
        Self::replace(range, String::new())
    }

    /// An insertion many fixes may carry (see `shared`).
    pub fn shared_insert(at: usize, text: impl Into<String>) -> Self {
        Self {
            shared: true,
            ..Self::insert(at, text)
        }
    }
}

/// One rewrite: edits applied together or not at all.
#[derive(Debug, Clone)]
pub struct Fix {
    pub codemod: &'static str,
    /// The kind of rewrite within the codemod (`get-running-loop`): with the codemod id, the
    /// stable code users select, ignore and suppress (`Fix::code`).
    pub kind: &'static str,
    /// Byte offset the report points at (in the text of the pass that planned it).
    pub at: usize,
    pub edits: Vec<Edit>,
    pub verdict: Verdict,
    /// What changed in behaviour, for review; required for UNSAFE and SAFE (edge).
    pub note: Option<String>,
    pub imports: Vec<Import>,
    /// Applied only together with the fix of the same codemod at this offset (the rewrite it
    /// completes): when that one is suppressed, held back or rejected, so is this one.
    pub requires: Option<usize>,
}

impl Fix {
    /// A rewrite of `kind` (the `## Codes` section of the codemod's README lists every kind).
    pub fn new(
        codemod: &'static str,
        kind: &'static str,
        at: usize,
        verdict: Verdict,
        edits: Vec<Edit>,
    ) -> Self {
        check_catalogued(codemod, kind, verdict);
        Self {
            codemod,
            kind,
            at,
            edits,
            verdict,
            note: None,
            imports: vec![Import::Anyio],
            requires: None,
        }
    }

    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Apply this fix only with the fix of the same codemod at `at` (see `requires`).
    #[must_use]
    pub fn requiring(mut self, at: usize) -> Self {
        self.requires = Some(at);
        self
    }

    /// Replace the imports this fix needs (e.g. `&[]` for `except TimeoutError`).
    #[must_use]
    pub fn needs_only(mut self, imports: &[Import]) -> Self {
        self.imports = imports.to_vec();
        self
    }

    #[must_use]
    pub fn with_imports(mut self, imports: &[Import]) -> Self {
        for i in imports {
            if !self.imports.contains(i) {
                self.imports.push(*i);
            }
        }
        self
    }

    /// The stable code: `codemod/kind`.
    pub fn code(&self) -> String {
        code(self.codemod, self.kind)
    }

    /// The region this fix owns: the smallest range covering its own (not shared) edits.
    /// Fixes whose regions overlap wait for the next pass.
    pub fn span(&self) -> Range<usize> {
        let own = || self.edits.iter().filter(|e| !e.shared);
        let start = own().map(|e| e.range.start).min().unwrap_or(self.at);
        let end = own().map(|e| e.range.end).max().unwrap_or(self.at);
        start..end
    }
}

/// Code that cannot be migrated faithfully: reported, never rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub codemod: &'static str,
    /// The kind of finding within the codemod: see `Fix::kind`.
    pub kind: &'static str,
    pub at: usize,
    pub message: String,
    pub suggestion: String,
    /// The test suite cannot move to anyio's pytest plugin while this is left: the project pass
    /// keeps the suite on pytest-asyncio (`project::keep_blocked_suites`).
    pub blocks_switch: bool,
}

impl Finding {
    /// A finding of `kind` (listed, like the kinds of rewrites, in the codemod's README).
    pub fn manual(
        codemod: &'static str,
        kind: &'static str,
        at: usize,
        message: impl Into<String>,
        suggestion: impl Into<String>,
    ) -> Self {
        check_catalogued(codemod, kind, Verdict::Manual);
        Self {
            codemod,
            kind,
            at,
            message: message.into(),
            suggestion: suggestion.into(),
            blocks_switch: false,
        }
    }

    /// The stable code: `codemod/kind`.
    pub fn code(&self) -> String {
        code(self.codemod, self.kind)
    }

    /// Mark a finding that stops the suite's switch to anyio's plugin (see `blocks_switch`).
    #[must_use]
    pub fn blocking(mut self) -> Self {
        self.blocks_switch = true;
        self
    }
}

/// `codemod/kind`, or the codemod id alone when the kind is empty.
pub fn code(codemod: &str, kind: &str) -> String {
    if kind.is_empty() {
        codemod.to_owned()
    } else {
        format!("{codemod}/{kind}")
    }
}

/// Debug builds check that every code a codemod or project pass gives is in the catalogue (the
/// `## Codes` sections of the READMEs, `codes`) with this verdict, so each test run proves the
/// codes it meets are documented. Ids the catalogue does not know (the unit tests' own) are not
/// checked.
fn check_catalogued(codemod: &str, kind: &str, verdict: Verdict) {
    if cfg!(debug_assertions) && codes::is_catalogued_id(codemod) {
        let code = code(codemod, kind);
        let line = codes::code_line(&code);
        debug_assert!(
            line.is_some(),
            "`{code}` is not in the catalogue: add it to the `## Codes` section of its README"
        );
        debug_assert!(
            line.is_some_and(|l| l.has_verdict(verdict)),
            "`{code}` is given as {} but its catalogue line does not list that verdict",
            verdict.as_str()
        );
    }
}

/// What a codemod's planner returns for one match.
#[derive(Debug, Clone)]
pub enum Outcome {
    Fix(Fix),
    Finding(Finding),
}

impl From<Fix> for Outcome {
    fn from(f: Fix) -> Self {
        Self::Fix(f)
    }
}

impl From<Finding> for Outcome {
    fn from(f: Finding) -> Self {
        Self::Finding(f)
    }
}

/// Sort edits and drop exact duplicates (shared edits such as one helper insertion).
pub fn normalize(mut edits: Vec<Edit>) -> Vec<Edit> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    edits.dedup();
    edits
}

/// Apply sorted, non-overlapping edits in one pass over the text.
pub fn splice(text: &str, edits: &[Edit], crlf: bool) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut last = 0;
    for edit in edits {
        out.push_str(&text[last..edit.range.start]);
        if crlf {
            out.push_str(&edit.text.replace("\r\n", "\n").replace('\n', "\r\n"));
        } else {
            out.push_str(&edit.text);
        }
        last = edit.range.end;
    }
    out.push_str(&text[last..]);
    out
}

/// The text of `range` with `edits` (all inside it) applied: for a fix that moves a piece of
/// code it also rewrites.
pub fn splice_within(text: &str, range: std::ops::Range<usize>, edits: &[Edit]) -> String {
    let local: Vec<Edit> = edits
        .iter()
        .map(|e| {
            Edit::replace(
                e.range.start - range.start..e.range.end - range.start,
                e.text.clone(),
            )
        })
        .collect();
    splice(&text[range], &normalize(local), false)
}

/// A unified diff `git apply` accepts: `a/` and `b/` prefixes, paths as given.
pub fn diff_text(path: &std::path::Path, before: &str, after: &str) -> String {
    let name = path.to_string_lossy().replace('\\', "/");
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// The ANSI colour of a line of a unified diff: bold headers, green additions, red removals,
/// cyan hunk headers; `""` for context.
pub fn diff_line_colour(line: &str) -> &'static str {
    match line.as_bytes().first() {
        _ if line.starts_with("---") || line.starts_with("+++") => "1",
        Some(b'+') => "32",
        Some(b'-') => "31",
        Some(b'@') => "36",
        _ => "",
    }
}
