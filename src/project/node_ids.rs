//! With more than one backend (`--backends asyncio,trio`) the `anyio_backend` fixture the run
//! adds is parametrised, so the node id of every test anyio's plugin runs gains the backend:
//! `tests/test_a.py::test_x` becomes `tests/test_a.py::test_x[asyncio]` and `[trio]`. Code and
//! configuration that name a test by its node id (a conftest's set of ids that its
//! `pytest_collection_modifyitems` marks xfail, `--deselect` in `addopts`) then no longer match
//! it: a test the suite expected to fail, or never ran, fails. Found on a network library whose
//! conftest marked its known-blocking async tests xfail by id. Nothing is rewritten (the code
//! that compares ids is the project's): each literal that names an async test of a suite the run
//! moved is reported (MANUAL `node-id-changes`).

use super::{ConfigFacts, ID, add_findings, original_text};
use crate::edit::Finding;
use crate::outcome::FileOutcome;
use std::path::PathBuf;

/// Report the node ids, in the files of the suites moved to anyio's plugin, of async tests that
/// the parametrised backend renames.
pub fn report(outcomes: &mut [FileOutcome], facts: &ConfigFacts, backends: &[String]) {
    if backends.len() < 2 || !outcomes.iter().any(super::rewritten) {
        return;
    }
    let roots = super::folders(&facts.pytest_configs);
    // The suites (configuration folders) of the files the run moved to anyio's plugin.
    let switched: Vec<PathBuf> = outcomes
        .iter()
        .filter(|o| super::rewritten(o))
        .filter_map(|o| super::keep::suite_of(&o.path, &roots))
        .collect();
    let in_switched = |o: &FileOutcome| {
        super::rewritten(o)
            || super::keep::suite_of(&o.path, &roots).is_some_and(|s| switched.contains(&s))
    };
    // (file index, byte offset in its original text, the id)
    let mut found: Vec<(usize, usize, String)> = Vec::new();
    for (i, o) in outcomes.iter().enumerate() {
        if !in_switched(o) {
            continue;
        }
        let Some(text) = original_text(o).filter(|t| t.contains(".py::")) else {
            continue;
        };
        for (at, id) in node_ids(&text) {
            found.push((i, at, id));
        }
    }
    let mut findings: Vec<(usize, Finding)> = Vec::new();
    for (i, at, id) in found {
        let Some((file, name)) = split(&id) else {
            continue;
        };
        let is_async_test = outcomes.iter().any(|o| {
            !o.config
                && o.path.ends_with(file)
                && original_text(o).is_some_and(|t| t.contains(&format!("async def {name}(")))
        });
        if !is_async_test {
            continue;
        }
        let params: Vec<String> = backends.iter().map(|b| format!("`{id}[{b}]`")).collect();
        findings.push((
            i,
            Finding::manual(
                ID,
                "node-id-changes",
                at,
                format!(
                    "this names the test `{id}` by its node id, which under anyio's plugin with the backends {} becomes {}: the id no longer matches the test",
                    backends.join(", "),
                    params.join(" and "),
                ),
                "name each backend's id, or compare ids without the parameter (`item.nodeid.partition(\"[\")[0]`)",
            ),
        ));
    }
    for (i, finding) in findings {
        if let Some(text) = original_text(&outcomes[i]) {
            add_findings(&mut outcomes[i], &text, vec![finding]);
        }
    }
}

/// The node ids written in `text` (`path/to/test_x.py::test_y`, `...::Class::test_m`), with
/// their byte offsets; an id already followed by a parameter (`[...]`) is left out.
fn node_ids(text: &str) -> Vec<(usize, String)> {
    let path_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '/' | '-');
    let name_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | ':');
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find(".py::") {
        let sep = from + pos + ".py".len();
        from = sep + 2;
        let start = text[..sep]
            .char_indices()
            .rev()
            .take_while(|(_, c)| path_char(*c))
            .last()
            .map_or(sep, |(i, _)| i);
        let end = text[sep..]
            .char_indices()
            .find(|(_, c)| !name_char(*c))
            .map_or(text.len(), |(i, _)| sep + i);
        if text[end..].starts_with('[') || start == sep {
            continue;
        }
        out.push((start, text[start..end].trim_end_matches(':').to_owned()));
    }
    out
}

/// The file and the test's own name of a node id.
fn split(id: &str) -> Option<(&str, &str)> {
    let (file, rest) = id.split_once("::")?;
    let name = rest.rsplit("::").next()?;
    name.starts_with("test").then_some((file, name))
}

#[cfg(test)]
mod tests {
    use super::{node_ids, split};

    #[test]
    fn node_ids_in_code_and_options() {
        let text = "KNOWN = {\n    \"tests/test_a.py::test_x\",\n    'tests/test_b.py::TestC::test_m',\n    \"tests/test_a.py::test_p[asyncio]\",\n}\naddopts = --deselect tests/test_a.py::test_y -q\n";
        let ids: Vec<String> = node_ids(text).into_iter().map(|(_, id)| id).collect();
        assert_eq!(
            ids,
            [
                "tests/test_a.py::test_x",
                "tests/test_b.py::TestC::test_m",
                "tests/test_a.py::test_y"
            ]
        );
        let (at, _) = node_ids(text)[0];
        assert!(text[at..].starts_with("tests/test_a.py::test_x\""));
        assert_eq!(
            split("tests/test_b.py::TestC::test_m"),
            Some(("tests/test_b.py", "test_m"))
        );
        assert_eq!(split("tests/test_b.py::helper"), None);
    }
}
