//! pytest command-line options inside config values: `--asyncio-mode=auto` in `addopts`,
//! `pytest-asyncio` in `required_plugins`.

use super::{ConfigEdit, deps};
use crate::codemods::pytest_asyncio::loads_pytest_asyncio;
use crate::edit::Edit;
use std::ops::Range;

/// The kind and note of the deletion of the pytest-asyncio option `key` (an `asyncio_*` key of
/// a pytest config file) whose value is `value`. `asyncio_default_test_loop_scope` wider than
/// `function` ran each module's (class's, package's, session's) tests in one event loop, which
/// anyio's plugin does only while a fixture of that scope keeps its runner:
/// `docs/evidence/default_test_loop_scope.py`.
pub fn asyncio_key(key: &str, value: &str) -> (&'static str, String) {
    let value = value.trim_matches(['"', '\'']);
    let shared_loop = key == "asyncio_default_test_loop_scope" && !matches!(value, "" | "function");
    let kind: &'static str = if shared_loop {
        "shared-test-loop"
    } else {
        "asyncio-option"
    };
    let note = if key == "asyncio_mode" {
        format!("deleted `asyncio_mode = {value}`: anyio's plugin is strict by default")
    } else if shared_loop {
        format!(
            "deleted `{key} = {value}`: under pytest-asyncio the tests of each {value} ran in one event loop; anyio's plugin gives each test its own loop, and tests share one only while a higher-scoped async fixture they request keeps it running, so a loop-bound object one test leaves for the next (a Future, a task, a client) meets a closed loop: give such tests a {value}-scoped async fixture (with an `anyio_backend` fixture of that scope or wider)"
        )
    } else {
        format!("deleted `{key}`: a pytest-asyncio option (unknown to pytest without it)")
    };
    (kind, note)
}

/// What the option that keeps pytest-asyncio from loading says (`plugin-disabled`).
pub const PLUGIN_DISABLED_NOTE: &str = "added `-p no:asyncio` to addopts: this configuration turns warnings into errors, and pytest-asyncio, while it is still installed, warns when it starts that `asyncio_default_fixture_loop_scope` (deleted with its other options) is unset, which would stop pytest before any test; the option keeps pytest-asyncio from loading, and does nothing once it is uninstalled";

/// A pytest configuration whose pytest-asyncio options the run deletes needs `-p no:asyncio`
/// (`PLUGIN_DISABLED_NOTE`): its `filterwarnings` entries or the `-W` options among its
/// `addopts` tokens turn a warning into an error (an entry whose action is `error`: `error`,
/// `error::DeprecationWarning`, ...), and `addopts` does not already give `-p no:asyncio`.
pub fn needs_plugin_disabled<'a>(
    addopts: &[&str],
    filterwarnings: impl IntoIterator<Item = &'a str>,
) -> bool {
    let error = |v: &str| v.trim().split(':').next().map(str::trim) == Some("error");
    let mut errors = filterwarnings.into_iter().any(error);
    for (i, t) in addopts.iter().enumerate() {
        let next = addopts.get(i + 1).copied().unwrap_or("");
        if *t == "-pno:asyncio" || (*t == "-p" && next == "no:asyncio") {
            return false;
        }
        errors |= match t.strip_prefix("-W") {
            Some("") => error(next),
            Some(v) => error(v),
            None => false,
        };
    }
    errors
}

/// Whitespace-separated tokens of `text[range]`, as byte ranges.
fn tokens(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text[range.clone()].char_indices() {
        let at = range.start + i;
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(at),
            (true, Some(s)) => {
                out.push(s..at);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..range.end);
    }
    out
}

/// The range that removes tokens `first..=last` with the whitespace after them (or before them
/// when they end the value).
fn removal(toks: &[Range<usize>], first: usize, last: usize) -> Range<usize> {
    match (toks.get(last + 1), first.checked_sub(1).map(|i| &toks[i])) {
        (Some(next), _) => toks[first].start..next.start,
        (None, Some(prev)) => prev.end..toks[last].end,
        (None, None) => toks[first].start..toks[last].end,
    }
}

/// `markers`: the suite's auto mode becomes markers (`deps::Uses::auto_as_markers`), so
/// `--asyncio-mode=auto` is deleted rather than renamed.
/// `place`: where the options are, for the notes (`addopts`, `the tox command`).
pub fn options(text: &str, range: Range<usize>, markers: bool, place: &str) -> Vec<ConfigEdit> {
    let toks = tokens(text, range);
    let mut edits = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &text[toks[i].clone()];
        // `-p pytest_asyncio` / `-ppytest_asyncio`: loads the plugin the migration uninstalls.
        let loaded = match t.strip_prefix("-p") {
            Some("") => toks
                .get(i + 1)
                .filter(|n| loads_pytest_asyncio(&text[(*n).clone()]))
                .map(|_| i + 1),
            Some(name) if loads_pytest_asyncio(name) => Some(i),
            _ => None,
        };
        if let Some(last) = loaded {
            let option = text[toks[i].start..toks[last].end].to_owned();
            edits.push(ConfigEdit {
                kind: "asyncio-option",
                edit: Edit::delete(removal(&toks, i, last)),
                at: toks[i].start,
                note: format!(
                    "deleted `{option}` from {place}: it loads pytest-asyncio, which anyio's plugin replaces (pytest stops when it is not installed)"
                ),
            });
            i = last + 1;
            continue;
        }
        if let Some((edit, last)) = override_ini(text, &toks, i, markers, place) {
            edits.push(edit);
            i = last + 1;
            continue;
        }
        let (value, last) = match t.strip_prefix("--asyncio-mode") {
            Some(rest) if rest.starts_with('=') => (rest[1..].to_owned(), i),
            Some("") => (
                toks.get(i + 1)
                    .map_or(String::new(), |n| text[n.clone()].to_owned()),
                (i + 1).min(toks.len() - 1),
            ),
            _ if t.starts_with("--asyncio-") => {
                edits.push(ConfigEdit {
                    kind: "asyncio-option",
                    edit: Edit::delete(removal(&toks, i, i)),
                    at: toks[i].start,
                    note: format!("deleted `{t}` from {place}: a pytest-asyncio option"),
                });
                i += 1;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        };
        if value == "auto" && markers {
            edits.push(ConfigEdit {
                kind: "auto-mode-markers",
                edit: Edit::delete(removal(&toks, i, last)),
                at: toks[i].start,
                note: format!("deleted `--asyncio-mode=auto` from {place}: {MARKERS_NOTE}"),
            });
        } else if value == "auto" {
            let start = toks[i].start;
            edits.push(ConfigEdit {
                kind: "anyio-mode",
                edit: Edit::replace(
                    start..start + "--asyncio-mode".len(),
                    "--anyio-mode".to_owned(),
                ),
                at: start,
                note: format!("--asyncio-mode=auto → --anyio-mode=auto in {place}"),
            });
        } else {
            edits.push(ConfigEdit { kind: "asyncio-option", edit: Edit::delete(removal(&toks, i, last)), at: toks[i].start, note: format!(
                    "deleted `--asyncio-mode={value}` from {place}: anyio's plugin is strict by default"
                ) });
        }
        i = last + 1;
    }
    edits
}

/// `-o asyncio_mode=auto` (`-oasyncio_...`, `--override-ini[=]asyncio_...`): a pytest-asyncio
/// ini option set on the command line, edited as the config key would be (`asyncio_key`):
/// auto mode becomes anyio's (or markers), any other deleted. The edit, and the last token it
/// takes. Unedited, the suite's auto mode was seen but nothing switched it, silently.
fn override_ini(
    text: &str,
    toks: &[Range<usize>],
    i: usize,
    markers: bool,
    place: &str,
) -> Option<(ConfigEdit, usize)> {
    let t = &text[toks[i].clone()];
    let (last, value_start) = if t == "-o" || t == "--override-ini" {
        (i + 1, toks.get(i + 1)?.start)
    } else if let Some(v) = t.strip_prefix("--override-ini=") {
        (i, toks[i].end - v.len())
    } else if t.len() > 2 && t.starts_with("-o") && !t.starts_with("--") {
        (i, toks[i].start + 2)
    } else {
        return None;
    };
    let assignment = &text[value_start..toks[last].end];
    let (key, value) = assignment.split_once('=')?;
    if !key.starts_with("asyncio_") {
        return None;
    }
    let option = &text[toks[i].start..toks[last].end];
    let edit = if key == "asyncio_mode" && value == "auto" && !markers {
        ConfigEdit {
            kind: "anyio-mode",
            edit: Edit::replace(
                value_start..value_start + key.len(),
                "anyio_mode".to_owned(),
            ),
            at: toks[i].start,
            note: format!("`{option}` → anyio_mode=auto in {place}"),
        }
    } else if key == "asyncio_mode" && value == "auto" {
        ConfigEdit {
            kind: "auto-mode-markers",
            edit: Edit::delete(removal(toks, i, last)),
            at: toks[i].start,
            note: format!("deleted `{option}` from {place}: {MARKERS_NOTE}"),
        }
    } else {
        let (kind, note) = asyncio_key(key, value);
        ConfigEdit {
            kind,
            edit: Edit::delete(removal(toks, i, last)),
            at: toks[i].start,
            note: format!("{note} (`{option}` in {place})"),
        }
    };
    Some((edit, last))
}

/// The edits of pytest-asyncio's options in an `addopts` value.
pub fn addopts(text: &str, range: Range<usize>, markers: bool) -> Vec<ConfigEdit> {
    options(text, range, markers, "addopts")
}

/// Why an auto mode is deleted in a suite whose plugin release lacks its anyio form.
pub const MARKERS_NOTE: &str = "the anyio release the project's Python installs (or its anyio requirement allows) has no `anyio_mode` (4.11) or `--anyio-mode` (4.15), so each async test the suite collects is marked `@pytest.mark.anyio` instead, which is what anyio's auto mode does";

pub fn required_plugins(text: &str, range: Range<usize>) -> Vec<ConfigEdit> {
    let toks = tokens(text, range);
    toks.iter()
        .enumerate()
        .filter(|(_, t)| deps::is_pytest_asyncio(&text[(*t).clone()]))
        .map(|(i, t)| ConfigEdit {
            kind: "required-plugin",
            edit: Edit::delete(removal(&toks, i, i)),
            at: t.start,
            note: format!(
                "`{}` removed from required_plugins: anyio's plugin replaces it",
                &text[t.clone()]
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edited(text: &str) -> String {
        super::super::apply_edits(text, &addopts(text, 0..text.len(), false))
    }

    #[test]
    fn ini_options_given_as_overrides_are_edited_as_their_keys() {
        assert_eq!(
            edited("-ra -o asyncio_mode=auto -oasyncio_default_fixture_loop_scope=function -x"),
            "-ra -o anyio_mode=auto -x"
        );
        assert_eq!(
            edited("--override-ini asyncio_mode=strict --override-ini=asyncio_debug=true"),
            ""
        );
        // Other overrides, and pytest's own `-o` forms, stay.
        assert_eq!(edited("-o log_cli=true -v"), "-o log_cli=true -v");
        let text = "-o asyncio_default_test_loop_scope=module";
        let kinds: Vec<_> = addopts(text, 0..text.len(), false)
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds, ["shared-test-loop"]);
        // Auto mode becomes markers where the plugin release has no anyio_mode.
        let text = "-o asyncio_mode=auto";
        let edits = addopts(text, 0..text.len(), true);
        assert_eq!(edits[0].kind, "auto-mode-markers");
        assert_eq!(super::super::apply_edits(text, &edits), "");
    }

    #[test]
    fn a_test_loop_scope_wider_than_function_is_unsafe_to_delete() {
        for (value, kind) in [
            ("module", "shared-test-loop"),
            ("\"session\"", "shared-test-loop"),
            ("'class'", "shared-test-loop"),
            ("function", "asyncio-option"),
            ("\"function\"", "asyncio-option"),
        ] {
            let (got, note) = asyncio_key("asyncio_default_test_loop_scope", value);
            assert_eq!(got, kind, "{value}");
            let shared = kind == "shared-test-loop";
            assert_eq!(
                note.contains(&format!("= {}`", value.trim_matches(['"', '\'']))),
                shared,
                "{note}"
            );
        }
        assert_eq!(
            asyncio_key("asyncio_default_fixture_loop_scope", "session").0,
            "asyncio-option"
        );
        assert_eq!(
            asyncio_key("asyncio_mode", "\"strict\"").1,
            "deleted `asyncio_mode = strict`: anyio's plugin is strict by default"
        );
    }

    #[test]
    fn options_that_load_pytest_asyncio_are_deleted() {
        assert_eq!(edited("-ra -p pytest_asyncio --tb=short"), "-ra --tb=short");
        assert_eq!(edited("-p asyncio"), "");
        assert_eq!(edited("-ra -ppytest_asyncio.plugin"), "-ra");
        // Other plugins, and disabling pytest-asyncio, stay.
        assert_eq!(edited("-p no:asyncio -p xdist"), "-p no:asyncio -p xdist");
    }
}
