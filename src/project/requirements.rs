//! `requirements*.txt`: pip's line format (comments, options, `\` continuations, hashes).

use super::deps::{self, Deps};
use super::{ConfigEdit, ConfigFinding};
use crate::edit::Edit;
use crate::target::Version;
use std::ops::Range;

/// Logical lines: (range of the whole logical line including its newline, requirement text of
/// its first physical line, whether it continues or carries hashes).
fn logical_lines(text: &str) -> Vec<(Range<usize>, Range<usize>, bool)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let start = pos;
        let first_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let first = text[start..first_end].trim_end_matches('\r');
        let mut end = super::next_line(text, first_end);
        let mut continued = false;
        let mut line = first;
        while line.trim_end().ends_with('\\') && end < text.len() {
            continued = true;
            let next_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
            line = text[end..next_end].trim_end_matches('\r');
            end = super::next_line(text, next_end);
        }
        let lead = first.len() - first.trim_start().len();
        let req = start + lead..start + first.len();
        let hashed = continued || first.contains("--hash");
        out.push((start..end, req, hashed));
        pos = end;
    }
    out
}

/// A requirement line (not a comment, blank or option).
fn requirement<'a>(text: &'a str, req: &Range<usize>) -> Option<&'a str> {
    let s = &text[req.clone()];
    (!s.is_empty() && !s.starts_with(['#', '-'])).then_some(s)
}

pub fn runtime_anyio(text: &str, plugin: Version) -> bool {
    logical_lines(text)
        .iter()
        .filter_map(|(_, r, _)| requirement(text, r))
        .any(|r| deps::is_sufficient_anyio(r, plugin))
}

pub fn migrate(text: &str, needs: Deps) -> (Vec<ConfigEdit>, Vec<ConfigFinding>) {
    let lines = logical_lines(text);
    let anyio = deps::requirement(needs.plugin);
    let mut add = !needs.runtime_ok && !runtime_anyio(text, needs.plugin);
    let mut edits = Vec::new();
    let mut findings = Vec::new();
    for (whole, req, hashed) in &lines {
        let Some(r) = requirement(text, req) else {
            continue;
        };
        if !deps::is_pytest_asyncio(r) {
            continue;
        }
        let len = deps::requirement_len(r);
        if add && !hashed {
            add = false;
            edits.push(ConfigEdit {
                kind: "dependency-replaced",
                edit: Edit::replace(req.start..req.start + len, anyio.clone()),
                at: req.start,
                note: format!("dependency `{}` replaced by `{anyio}`", &r[..len]),
            });
            continue;
        }
        edits.push(ConfigEdit {
            kind: "dependency-removed",
            edit: Edit::delete(whole.clone()),
            at: req.start,
            note: format!("dependency `{}` removed", &r[..len]),
        });
        if add {
            add = false;
            findings.push(ConfigFinding {
                kind: "hashed-requirement",
                at: req.start,
                message: format!("pytest-asyncio was pinned with hashes: {anyio} must be added with its own hashes"),
                suggestion: format!("add `anyio=={}.{}.{} --hash=sha256:...` (e.g. regenerate the file with pip-compile --generate-hashes)", needs.plugin.0, needs.plugin.1, needs.plugin.2),
            });
        }
    }
    (edits, findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_or_removes() {
        let text =
            "# test deps\npytest==9.2.0\npytest-asyncio==1.5.0  # async tests\n-r base.txt\n";
        let (edits, _) = migrate(text, Deps::needing(false));
        assert_eq!(
            super::super::apply_edits(text, &edits),
            "# test deps\npytest==9.2.0\nanyio>=4.16  # async tests\n-r base.txt\n"
        );
        let (edits, _) = migrate(text, Deps::needing(true));
        assert_eq!(
            super::super::apply_edits(text, &edits),
            "# test deps\npytest==9.2.0\n-r base.txt\n"
        );
        let hashed = "pytest-asyncio==1.5.0 \\\n    --hash=sha256:abc\npytest==9\n";
        let (edits, findings) = migrate(hashed, Deps::needing(false));
        assert_eq!(super::super::apply_edits(hashed, &edits), "pytest==9\n");
        assert_eq!(findings.len(), 1);
    }
}
