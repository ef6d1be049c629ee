//! asyncio-sync-primitives sees one file at a time: an Event or semaphore kept on an attribute
//! (`self._closed = asyncio.Event()`) is rewritten from its uses in that file. Another file of
//! the run (its tests, say) that calls a member anyio's lacks on an attribute of that name
//! (`pool._closed.clear()`, `limiter._sem.locked()`) would fail at run time with nothing
//! named: this pass reports each such use where it is.

use super::{add_findings, original_text};
use crate::edit::Finding;
use crate::outcome::FileOutcome;

const ID: &str = "asyncio-sync-primitives";

/// The members anyio's primitive lacks, by the constructor's name.
const MISSING: &[(&str, &[&str])] = &[
    ("Event", &["clear"]),
    ("Semaphore", &["locked", "_value"]),
    ("BoundedSemaphore", &["locked", "_value"]),
];

/// An attribute a rewrite gave an anyio primitive: its name, the constructor, where.
struct Rewritten {
    attr: String,
    kind: &'static str,
    origin: String,
    path: std::path::PathBuf,
}

/// Report, in every Python file of the run, a member anyio's primitive lacks used on an
/// attribute of the name a rewritten `self.<name> = asyncio.Event()` (or semaphore) has.
pub fn report_foreign_members(outcomes: &mut [FileOutcome]) {
    let mut rewritten = Vec::new();
    for o in outcomes.iter().filter(|o| !o.config && !o.created) {
        let constructors = o
            .migration
            .applied
            .iter()
            .filter(|r| r.fix.codemod == ID && r.fix.kind == "constructor");
        let mut text = None;
        for r in constructors {
            let Some(text) = text.get_or_insert_with(|| original_text(o)) else {
                break;
            };
            let Some(line) = text.lines().nth(r.line.saturating_sub(1)) else {
                continue;
            };
            if let Some((attr, kind)) = attribute_constructor(line) {
                rewritten.push(Rewritten {
                    attr,
                    kind,
                    origin: format!("{}:{}", o.path.display(), r.line),
                    path: o.path.clone(),
                });
            }
        }
    }
    if rewritten.is_empty() {
        return;
    }
    for o in outcomes.iter_mut().filter(|o| !o.config && !o.created) {
        let Some(text) = original_text(o).filter(|t| rewritten.iter().any(|r| t.contains(&r.attr)))
        else {
            continue;
        };
        let mut findings = Vec::new();
        for r in &rewritten {
            // A file that binds `self.<attr>` itself has its own attribute: its uses there were
            // checked by that file's own rewrite (or its finding).
            let own = text.contains(&format!("self.{} =", r.attr))
                || text.contains(&format!("self.{}:", r.attr));
            let members = MISSING
                .iter()
                .find(|(k, _)| *k == r.kind)
                .map_or(&[][..], |(_, m)| *m);
            for member in members {
                let needle = format!(".{}.{member}", r.attr);
                for (at, _) in text.match_indices(&needle) {
                    let line_start = crate::source::line_start(&text, at);
                    let line = &text[line_start..at];
                    let after = text[at + needle.len()..].chars().next();
                    if line.trim_start().starts_with('#')
                        || after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                        || ((own || o.path == r.path) && line.ends_with("self"))
                    {
                        continue;
                    }
                    let start = line
                        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                        .map_or(line_start, |i| line_start + i + 1);
                    // One finding per spot, naming the first rewrite of that name.
                    if findings.iter().any(|f: &Finding| f.at == start) {
                        continue;
                    }
                    findings.push(Finding::manual(
                        ID,
                        "member-elsewhere",
                        start,
                        format!("`.{}.{member}` is used here, and {} made `{}` an anyio.{} (from asyncio's), which has no `{member}`: if this is that object, it fails here", r.attr, r.origin, r.attr, if r.kind == "Event" { "Event" } else { "Semaphore" }),
                        if r.kind == "Event" {
                            format!("replace the Event instead of clearing it (`obj.{} = anyio.Event()`, and let waiters read it afresh), or keep asyncio's Event at {} (undo that rewrite)", r.attr, r.origin)
                        } else {
                            format!("read `.statistics().tasks_waiting` / `.value` of anyio's Semaphore instead, or keep asyncio's semaphore at {} (undo that rewrite)", r.origin)
                        },
                    ));
                }
            }
        }
        add_findings(o, &text, findings);
    }
}

/// `self.<name> = asyncio.Event()` (or a semaphore) on one line: the name and the constructor.
fn attribute_constructor(line: &str) -> Option<(String, &'static str)> {
    let rest = line.trim_start().strip_prefix("self.")?;
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    let (attr, value) = rest.split_at(end);
    let value = value.trim_start();
    let value = value
        .strip_prefix(':')
        .map_or(value, |v| v.split_once('=').map_or("", |(_, after)| after));
    let value = value.trim_start().strip_prefix('=').unwrap_or(value);
    let kind = MISSING
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| value.contains(&format!("{k}(")))
        .max_by_key(|k| k.len())?;
    (!attr.is_empty()).then(|| (attr.to_owned(), kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_constructors() {
        assert_eq!(
            attribute_constructor("        self._closed = asyncio.Event()"),
            Some(("_closed".to_owned(), "Event"))
        );
        assert_eq!(
            attribute_constructor("    self.sem: asyncio.Semaphore = asyncio.BoundedSemaphore(2)"),
            Some(("sem".to_owned(), "BoundedSemaphore"))
        );
        assert_eq!(attribute_constructor("    lock = asyncio.Event()"), None);
        assert_eq!(
            attribute_constructor("    self.lock = asyncio.Lock()"),
            None
        );
    }
}
