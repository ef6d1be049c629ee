//! The catalogue of codes: every kind of rewrite and finding, documented in the `## Codes`
//! section of its codemod's README (`codemods/<id>/README.md`; the project pass that is no
//! codemod in `codemods/README.md`, `## Codes of the project passes`), one line each:
//! `` - `<id>/<kind>` (VERDICTS): when it is given and what to do.``
//!
//! The READMEs live here, at the bottom of the crate, so that `Fix::new` and `Finding::manual`
//! can check in debug builds that the code they make is catalogued; the registry takes each
//! codemod's README from here (`readme_of`) and attaches the codemod to each line
//! (`registry::code_entry`).

use super::Verdict;

/// Every codemod's README, by id (the registry's order).
pub const READMES: &[(&str, &str)] = &[
    (
        "asyncio-gather",
        include_str!("../../codemods/asyncio-gather/README.md"),
    ),
    (
        "asyncio-task-group",
        include_str!("../../codemods/asyncio-task-group/README.md"),
    ),
    (
        "asyncio-create-task",
        include_str!("../../codemods/asyncio-create-task/README.md"),
    ),
    (
        "asyncio-shield",
        include_str!("../../codemods/asyncio-shield/README.md"),
    ),
    (
        "asyncio-timeout",
        include_str!("../../codemods/asyncio-timeout/README.md"),
    ),
    (
        "asyncio-wait",
        include_str!("../../codemods/asyncio-wait/README.md"),
    ),
    (
        "asyncio-queue",
        include_str!("../../codemods/asyncio-queue/README.md"),
    ),
    (
        "asyncio-run",
        include_str!("../../codemods/asyncio-run/README.md"),
    ),
    (
        "asyncio-sleep",
        include_str!("../../codemods/asyncio-sleep/README.md"),
    ),
    (
        "blocking-sleep",
        include_str!("../../codemods/blocking-sleep/README.md"),
    ),
    (
        "blocking-io",
        include_str!("../../codemods/blocking-io/README.md"),
    ),
    (
        "asyncio-to-thread",
        include_str!("../../codemods/asyncio-to-thread/README.md"),
    ),
    (
        "asyncio-sync-primitives",
        include_str!("../../codemods/asyncio-sync-primitives/README.md"),
    ),
    (
        "asyncio-timeout-error",
        include_str!("../../codemods/asyncio-timeout-error/README.md"),
    ),
    (
        "asyncio-cancelled-error",
        include_str!("../../codemods/asyncio-cancelled-error/README.md"),
    ),
    (
        "asyncio-loop",
        include_str!("../../codemods/asyncio-loop/README.md"),
    ),
    (
        "asyncio-star-import",
        include_str!("../../codemods/asyncio-star-import/README.md"),
    ),
    (
        "pytest-asyncio",
        include_str!("../../codemods/pytest-asyncio/README.md"),
    ),
];

/// `codemods/README.md`: the index of the codemods, and the codes of the project passes that are
/// no codemod.
pub const INDEX: &str = include_str!("../../codemods/README.md");

/// The ids of the project passes that are no codemod (`project::runtime::ID`): their codes are
/// in `INDEX`.
pub const PROJECT_PASSES: &[&str] = &["anyio-dependency"];

/// The heading of the codes of a codemod's README.
pub const CODES_HEADING: &str = "## Codes";

/// The heading of the codes of the project passes in `INDEX`.
pub const PROJECT_CODES_HEADING: &str = "## Codes of the project passes";

/// The verdicts a codes line may name, as `Verdict::as_str` spells them.
pub const VERDICTS: [&str; 4] = ["SAFE", "SAFE (edge)", "UNSAFE", "MANUAL"];

/// The README of the codemod `id`, at compile time (a registry entry without one does not
/// compile).
pub const fn readme_of(id: &str) -> &'static str {
    let mut i = 0;
    while i < READMES.len() {
        if same(READMES[i].0.as_bytes(), id.as_bytes()) {
            return READMES[i].1;
        }
        i += 1;
    }
    panic!("a codemod without a README in edit::codes::READMES");
}

const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Which README a codes line is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readme {
    /// The README of the codemod with this id.
    Codemod(&'static str),
    /// `INDEX`, the project passes' codes.
    Index,
}

/// One line of a codes section.
#[derive(Debug, Clone, Copy)]
pub struct CodeLine {
    /// `<id>/<kind>`.
    pub code: &'static str,
    /// The verdicts the code can have, as written: `SAFE, SAFE (edge)`.
    pub verdicts: &'static str,
    pub description: &'static str,
    /// The whole line, as written in the README.
    pub line: &'static str,
    pub readme: Readme,
}

impl CodeLine {
    /// The codemod (or project pass) id: the code up to its `/`.
    pub fn id(&self) -> &'static str {
        self.code.split_once('/').map_or(self.code, |(id, _)| id)
    }

    /// The kind: the code after its `/`.
    pub fn kind(&self) -> &'static str {
        self.code.split_once('/').map_or("", |(_, kind)| kind)
    }

    /// The verdicts, one by one.
    pub fn verdict_list(&self) -> impl Iterator<Item = &'static str> {
        self.verdicts.split(", ")
    }

    pub fn has_verdict(&self, verdict: Verdict) -> bool {
        self.verdict_list().any(|v| v == verdict.as_str())
    }
}

/// The lines of the section under `heading` (exactly that line) up to the next `## ` heading,
/// without blank lines.
pub fn section_lines(readme: &'static str, heading: &str) -> Vec<&'static str> {
    readme
        .lines()
        .skip_while(|l| l.trim_end() != heading)
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// A line of a codes section: code, verdicts and description; `None` when it is not in the form
/// `` - `<id>/<kind>` (VERDICTS): description.`` with known verdicts and a kebab-case kind.
pub fn parse_code_line(line: &'static str) -> Option<(&'static str, &'static str, &'static str)> {
    let rest = line.strip_prefix("- `")?;
    let (code, rest) = rest.split_once('`')?;
    let (verdicts, description) = rest.strip_prefix(" (")?.split_once("): ")?;
    let (id, kind) = code.split_once('/')?;
    let kebab = |s: &str| {
        !s.is_empty()
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--")
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    let known = verdicts.split(", ").all(|v| VERDICTS.contains(&v));
    (kebab(id) && kebab(kind) && known && description.ends_with('.')).then_some((
        code,
        verdicts,
        description,
    ))
}

/// Every catalogued code, in README order (the codemods', then the project passes').
pub fn code_lines() -> &'static [CodeLine] {
    static LINES: std::sync::OnceLock<Vec<CodeLine>> = std::sync::OnceLock::new();
    LINES.get_or_init(|| {
        let sections = READMES
            .iter()
            .map(|(id, text)| (*text, CODES_HEADING, Readme::Codemod(id)))
            .chain([(INDEX, PROJECT_CODES_HEADING, Readme::Index)]);
        let mut lines = Vec::new();
        for (text, heading, readme) in sections {
            for line in section_lines(text, heading) {
                if let Some((code, verdicts, description)) = parse_code_line(line) {
                    lines.push(CodeLine {
                        code,
                        verdicts,
                        description,
                        line,
                        readme,
                    });
                }
            }
        }
        lines
    })
}

/// The catalogue's line for `code` (`asyncio-sleep/sleep-forever`).
pub fn code_line(code: &str) -> Option<&'static CodeLine> {
    code_lines().iter().find(|l| l.code == code)
}

/// `id` is a codemod or a project pass, whose codes the catalogue lists.
pub fn is_catalogued_id(id: &str) -> bool {
    READMES.iter().any(|(r, _)| *r == id) || PROJECT_PASSES.contains(&id)
}
