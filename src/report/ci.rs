//! Reports for CI systems: SARIF 2.1.0 (code scanning) and GitHub Actions annotations. Both
//! carry what needs a reader: every MANUAL finding and every UNSAFE rewrite, plus files that
//! failed.

use super::items::{self, Item};
use crate::edit::Verdict;
use crate::engine::Status;
use crate::outcome::FileOutcome;
use anyhow::Result;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;

const INFORMATION_URI: &str = "https://github.com/anyio-migrate/anyio-migrate";

/// SARIF's level for a verdict: MANUAL work is a warning (it blocks `--check`), an UNSAFE
/// rewrite a note to review.
fn level(item: &Item) -> &'static str {
    match item.verdict {
        Verdict::Manual => "warning",
        _ => "note",
    }
}

/// A message with the suggestion after it (findings) or the verdict before it (rewrites).
fn full_message(item: &Item) -> String {
    if item.is_finding() {
        if item.suggestion.is_empty() {
            item.message.to_owned()
        } else {
            format!("{}\nSuggested fix: {}", item.message, item.suggestion)
        }
    } else {
        let applied = if item.applied == Some(false) {
            " (not applied: --safe-only)"
        } else {
            ""
        };
        let note = if item.message.is_empty() {
            "review this rewrite"
        } else {
            item.message
        };
        format!("{} rewrite{applied}: {note}", item.verdict.as_str())
    }
}

fn uri(path: &std::path::Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").unwrap_or(&text).to_owned()
}

/// `--format sarif`.
pub fn write_sarif(out: &mut dyn Write, outcomes: &[FileOutcome]) -> Result<()> {
    let reviewed: Vec<Item> = items::all(outcomes).filter(Item::needs_review).collect();
    let mut rules: BTreeMap<&str, &Item> = BTreeMap::new();
    for item in &reviewed {
        rules.entry(item.code.as_str()).or_insert(item);
    }
    let index: BTreeMap<&str, usize> = rules.keys().enumerate().map(|(i, c)| (*c, i)).collect();
    let rules: Vec<Value> = rules
        .iter()
        .map(|(code, item)| {
            let text = items::describe(item);
            json!({
                "id": code,
                "name": code,
                "shortDescription": { "text": text },
                "fullDescription": { "text": text },
                "help": { "text": format!("{text}\nRun `anyio-migrate explain {code}` for the codemod's documentation.") },
                "helpUri": format!("{INFORMATION_URI}/blob/main/codemods/{}/README.md", item.codemod),
                "properties": { "codemod": item.codemod },
            })
        })
        .collect();
    let mut results: Vec<Value> = reviewed
        .iter()
        .map(|item| {
            json!({
                "ruleId": item.code,
                "ruleIndex": index[item.code.as_str()],
                "level": level(item),
                "message": { "text": full_message(item) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(item.path) },
                        "region": {
                            "startLine": item.line,
                            "startColumn": item.column,
                            "endLine": item.end.0,
                            "endColumn": item.end.1,
                        },
                    },
                }],
                "properties": { "verdict": item.verdict.as_str() },
            })
        })
        .collect();
    let failed = outcomes.iter().filter_map(|o| match &o.status {
        Status::Failed(why) => Some((o, why)),
        _ => None,
    });
    let notifications: Vec<Value> = failed
        .map(|(o, why)| {
            json!({
                "level": "error",
                "message": { "text": why },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(&o.path) } } }],
            })
        })
        .collect();
    results.shrink_to_fit();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "anyio-migrate",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                },
            },
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)?;
    Ok(())
}

/// GitHub's workflow-command escaping: of a message, and (more) of a property value.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `--format github`: one `::warning` (MANUAL) or `::notice` (UNSAFE) annotation per spot,
/// `::error` per failed file.
pub fn write_github(out: &mut dyn Write, outcomes: &[FileOutcome]) -> Result<()> {
    for o in outcomes {
        if let Status::Failed(why) = &o.status {
            writeln!(
                out,
                "::error file={},title={}::{}",
                escape_property(&uri(&o.path)),
                escape_property("anyio-migrate: error"),
                escape_data(why)
            )?;
        }
        for item in items::of_file(o).filter(Item::needs_review) {
            let command = if item.is_finding() {
                "warning"
            } else {
                "notice"
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&uri(item.path)),
                item.line,
                item.column,
                item.end.0,
                item.end.1,
                escape_property(&format!("anyio-migrate ({})", item.code)),
                escape_data(&full_message(&item))
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes_what_would_end_a_property_or_a_line() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
