//! INI files as pytest and setuptools read them (`pytest.ini`, `setup.cfg`, `tox.ini`): a small
//! configparser-like parser that keeps byte positions, and the line-based edits made on them.

use super::deps::{self, Deps};
use super::{ConfigEdit, options};
use crate::edit::Edit;
use crate::target::Version;
use std::ops::Range;

/// One `key = value` with its continuation lines.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub key_range: Range<usize>,
    /// Start of the key's line.
    pub start: usize,
    /// After the last line of the value, its newline included.
    pub end: usize,
    /// The value's physical lines (the first starts after the separator), without newlines.
    pub lines: Vec<Range<usize>>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub name: String,
    pub entries: Vec<Entry>,
}

impl Section {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

/// Parse like Python's configparser (strict mode): sections, `=`/`:` separators, indented
/// continuation lines, `#`/`;` full-line comments; duplicate sections or keys, a key line
/// without a separator or before the first section are errors.
pub fn parse(text: &str) -> Result<Vec<Section>, String> {
    let mut sections: Vec<Section> = Vec::new();
    let mut pos = 0;
    let mut lineno = 0;
    // Whether the last line extended a value: a blank line ends nothing yet, an indented line
    // after it still continues the value (configparser's empty_lines_in_values).
    let mut in_value = false;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let raw = &text[pos..line_end];
        let content = raw.trim_end_matches(['\n', '\r']);
        let content_range = pos..pos + content.len();
        lineno += 1;
        let stripped = content.trim();
        let indented = content.starts_with([' ', '\t']);
        if stripped.is_empty() || stripped.starts_with(['#', ';']) {
            pos = line_end;
            continue;
        }
        if indented
            && in_value
            && let Some(entry) = sections.last_mut().and_then(|s| s.entries.last_mut())
        {
            entry.lines.push(content_range);
            entry.end = line_end;
            pos = line_end;
            continue;
        }
        if stripped.starts_with('[') && stripped.ends_with(']') && !indented {
            let name = stripped[1..stripped.len() - 1].to_owned();
            if sections.iter().any(|s| s.name == name) {
                return Err(format!("line {lineno}: section [{name}] appears twice"));
            }
            sections.push(Section {
                name,
                entries: Vec::new(),
            });
            in_value = false;
            pos = line_end;
            continue;
        }
        let Some(section) = sections.last_mut() else {
            return Err(format!("line {lineno}: a key before the first [section]"));
        };
        let Some(sep) = content.find(['=', ':']) else {
            return Err(format!("line {lineno}: `{stripped}` has no `=` or `:`"));
        };
        let key_text = &content[..sep];
        let key = key_text.trim().to_lowercase();
        if key.is_empty() {
            return Err(format!("line {lineno}: empty key"));
        }
        if section.entries.iter().any(|e| e.key == key) {
            return Err(format!(
                "line {lineno}: key `{key}` appears twice in [{}]",
                section.name
            ));
        }
        let key_start = pos + (key_text.len() - key_text.trim_start().len());
        section.entries.push(Entry {
            key,
            key_range: key_start..key_start + key_text.trim().len(),
            start: pos,
            end: line_end,
            lines: std::iter::once(pos + sep + 1..pos + content.len()).collect(),
        });
        in_value = true;
        pos = line_end;
    }
    Ok(sections)
}

pub use crate::discover::Flavour;

impl Flavour {
    pub fn pytest_sections(self) -> &'static [&'static str] {
        match self {
            Self::PytestIni => &["pytest", "tool:pytest"],
            Self::SetupCfg => &["tool:pytest"],
            Self::ToxIni => &["pytest"],
        }
    }
}

/// The file configures pytest (it is where pytest's rootdir and inifile come from), or, for
/// tox.ini, runs pytest with pytest-asyncio's command-line options (its suite is the one in
/// tox.ini's folder, where tox runs it).
pub fn configures_pytest(text: &str, flavour: Flavour) -> bool {
    if flavour == Flavour::PytestIni {
        return true;
    }
    parse(text).is_ok_and(|sections| {
        sections.iter().any(|s| {
            flavour.pytest_sections().contains(&s.name.as_str())
                || (flavour == Flavour::ToxIni
                    && s.name.starts_with("testenv")
                    && s.entries.iter().filter(|e| e.key == "commands").any(|e| {
                        pytest_command_lines(text, e)
                            .into_iter()
                            .any(|l| !options::addopts(text, l, false).is_empty())
                    }))
        })
    })
}

/// The lines of a tox `commands` entry that run pytest (`pytest ...`, `python -m pytest ...`,
/// `coverage run -m pytest ...`): pytest-asyncio's options there are pytest's command line.
fn pytest_command_lines(text: &str, entry: &Entry) -> Vec<Range<usize>> {
    entry
        .lines
        .iter()
        .filter(|l| {
            text[(*l).clone()]
                .split_whitespace()
                .any(|t| t == "pytest" || t.ends_with("/pytest") || t == "py.test")
        })
        .cloned()
        .collect()
}

/// Runtime requirements (`[options] install_requires`) that ask for anyio >= `plugin`.
pub fn runtime_anyio(text: &str, flavour: Flavour, plugin: Version) -> bool {
    if flavour != Flavour::SetupCfg {
        return false;
    }
    let Ok(sections) = parse(text) else {
        return false;
    };
    sections
        .iter()
        .filter(|s| s.name == "options")
        .filter_map(|s| s.get("install_requires"))
        .any(|e| {
            tokens(text, e, Some(','))
                .iter()
                .any(|t| deps::is_sufficient_anyio(&text[t.clone()], plugin))
                || tokens(text, e, Some(';'))
                    .iter()
                    .any(|t| deps::is_sufficient_anyio(&text[t.clone()], plugin))
        })
}

/// The edits for one INI file; `Err` when it does not parse (it is then left alone).
pub fn migrate(text: &str, flavour: Flavour, deps: Deps) -> Result<Vec<ConfigEdit>, String> {
    let markers = super::plugin_uses(text).auto_as_markers(deps.plugin);
    migrate_parts(text, flavour, Some(deps), markers)
}

/// The pytest options' edits, and with `deps` the dependency lists' too.
/// `markers`: the suite's auto mode becomes markers (`deps::Uses::auto_as_markers`).
pub fn migrate_parts(
    text: &str,
    flavour: Flavour,
    deps: Option<Deps>,
    markers: bool,
) -> Result<Vec<ConfigEdit>, String> {
    let sections = parse(text)?;
    let mut edits = Vec::new();
    for section in &sections {
        if flavour.pytest_sections().contains(&section.name.as_str()) {
            for entry in &section.entries {
                edits.extend(pytest_option(text, entry, markers));
            }
            edits.extend(disable_plugin(text, section));
        }
        if flavour == Flavour::ToxIni && section.name.starts_with("testenv") {
            for entry in section.entries.iter().filter(|e| e.key == "commands") {
                for line in pytest_command_lines(text, entry) {
                    edits.extend(options::options(text, line, markers, "the tox command"));
                }
            }
        }
        let Some(deps) = deps else {
            continue;
        };
        let lists: &[(&str, Option<char>)] = match (flavour, section.name.as_str()) {
            (Flavour::SetupCfg, "options.extras_require") => &[("*", Some(';'))],
            (Flavour::SetupCfg, "options") => &[
                ("install_requires", Some(',')),
                ("tests_require", Some(',')),
            ],
            (Flavour::ToxIni, name) if name.starts_with("testenv") => &[("deps", None)],
            _ => &[],
        };
        for entry in &section.entries {
            let Some((_, sep)) = lists.iter().find(|(k, _)| *k == "*" || *k == entry.key) else {
                continue;
            };
            edits.extend(requirement_list(text, entry, *sep, deps));
        }
    }
    Ok(edits)
}

/// `-p no:asyncio` added to a pytest section that deletes pytest-asyncio's options and turns
/// warnings into errors (`options::PLUGIN_DISABLED_NOTE`), at the start of its `addopts`, or as
/// a new `addopts` line before its first entry.
fn disable_plugin(text: &str, section: &Section) -> Option<ConfigEdit> {
    let first = section.entries.first()?;
    if !section
        .entries
        .iter()
        .any(|e| e.key.starts_with("asyncio_"))
    {
        return None;
    }
    let addopts = section.get("addopts");
    let tokens: Vec<&str> = addopts.map_or_else(Vec::new, |a| {
        a.lines
            .iter()
            .flat_map(|r| text[r.clone()].split_whitespace())
            .collect()
    });
    let filters = section
        .get("filterwarnings")
        .map_or(&[][..], |f| f.lines.as_slice());
    if !options::needs_plugin_disabled(&tokens, filters.iter().map(|r| &text[r.clone()])) {
        return None;
    }
    let (edit, at) = match addopts.and_then(|a| a.lines.first().map(|l| (a, l.start))) {
        Some((a, pos)) => (Edit::insert(pos, " -p no:asyncio"), a.key_range.start),
        None => (
            Edit::insert(first.start, "addopts = -p no:asyncio\n"),
            first.start,
        ),
    };
    Some(ConfigEdit {
        kind: "plugin-disabled",
        edit,
        at,
        note: options::PLUGIN_DISABLED_NOTE.to_owned(),
    })
}

fn value_text(text: &str, entry: &Entry) -> String {
    entry
        .lines
        .iter()
        .map(|r| text[r.clone()].trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn pytest_option(text: &str, entry: &Entry, markers: bool) -> Vec<ConfigEdit> {
    let key = entry.key.as_str();
    let auto = key == "asyncio_mode" && value_text(text, entry) == "auto";
    if auto && markers {
        return vec![ConfigEdit {
            kind: "auto-mode-markers",
            edit: Edit::delete(entry.start..entry.end),
            at: entry.key_range.start,
            note: format!("deleted `asyncio_mode = auto`: {}", options::MARKERS_NOTE),
        }];
    }
    if auto {
        return vec![ConfigEdit {
            kind: "anyio-mode",
            edit: Edit::replace(entry.key_range.clone(), "anyio_mode"),
            at: entry.key_range.start,
            note: "asyncio_mode = auto → anyio_mode = auto".to_owned(),
        }];
    }
    if key.starts_with("asyncio_") {
        let (kind, note) = options::asyncio_key(key, &value_text(text, entry));
        return vec![ConfigEdit {
            kind,
            edit: Edit::delete(entry.start..entry.end),
            at: entry.key_range.start,
            note,
        }];
    }
    let addopts = |t: &str, r| options::addopts(t, r, markers);
    let edit_fn: &dyn Fn(&str, std::ops::Range<usize>) -> Vec<ConfigEdit> = match key {
        "addopts" => &addopts,
        "required_plugins" => &options::required_plugins,
        _ => return Vec::new(),
    };
    let mut edits = Vec::new();
    for (i, line) in entry.lines.iter().enumerate() {
        let line_edits = edit_fn(text, line.clone());
        let kept = super::apply_edits(&text[..line.end], &line_edits);
        let emptied = kept[line.start..].trim().is_empty() && !text[line.clone()].trim().is_empty();
        if i > 0
            && emptied
            && let Some(first) = line_edits.first()
        {
            // A continuation line left empty goes as a whole.
            edits.push(ConfigEdit {
                kind: first.kind,
                edit: Edit::delete(
                    crate::source::line_start(text, line.start)..super::next_line(text, line.end),
                ),
                at: first.at,
                note: line_edits
                    .iter()
                    .map(|e| e.note.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            });
        } else {
            edits.extend(line_edits);
        }
    }
    edits
}

/// The requirements of a list value, as byte ranges (trimmed; a tox factor prefix such as
/// `py311: ` excluded).
fn tokens(text: &str, entry: &Entry, sep: Option<char>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for line in &entry.lines {
        let mut start = line.start;
        let body = &text[line.clone()];
        let parts: Vec<&str> = match sep {
            Some(c) => body.split(c).collect(),
            None => vec![body],
        };
        for part in parts {
            let lead = part.len() - part.trim_start().len();
            let mut s = start + lead;
            let mut t = part.trim();
            if sep.is_none()
                && let Some((factor, rest)) = t.split_once(':')
                && !factor.contains(char::is_whitespace)
                && !rest.starts_with("//")
            {
                let rest_trimmed = rest.trim_start();
                s += t.len() - rest_trimmed.len();
                t = rest_trimmed;
            }
            if !t.is_empty() {
                out.push(s..s + t.len());
            }
            start += part.len() + 1;
        }
    }
    out
}

fn requirement_list(text: &str, entry: &Entry, sep: Option<char>, needs: Deps) -> Vec<ConfigEdit> {
    let toks = tokens(text, entry, sep);
    let has_anyio = toks
        .iter()
        .any(|t| deps::is_sufficient_anyio(&text[t.clone()], needs.plugin));
    let add = !needs.runtime_ok && !has_anyio;
    let mut edits = Vec::new();
    let mut added = false;
    for t in &toks {
        let req = &text[t.clone()];
        if !deps::is_pytest_asyncio(req) {
            continue;
        }
        if add && !added {
            added = true;
            let len = deps::requirement_len(req);
            edits.push(ConfigEdit {
                kind: "dependency-replaced",
                edit: Edit::replace(t.start..t.start + len, deps::requirement(needs.plugin)),
                at: t.start,
                note: format!(
                    "dependency `{}` replaced by `{}`",
                    &req[..len],
                    deps::requirement(needs.plugin)
                ),
            });
            continue;
        }
        let line = entry
            .lines
            .iter()
            .position(|l| l.start <= t.start && t.end <= l.end)
            .unwrap_or(0);
        let physical = &entry.lines[line];
        let alone = toks
            .iter()
            .filter(|o| physical.start <= o.start && o.end <= physical.end)
            .count()
            == 1;
        let range = if alone && line > 0 {
            // A continuation line of its own: the whole line goes.
            let start = crate::source::line_start(text, physical.start);
            start..super::next_line(text, physical.end)
        } else if alone {
            t.start..physical.end
        } else {
            let after = &text[t.end..physical.end];
            if let Some(i) = sep.and_then(|c| after.find(c)) {
                let rest = &text[t.end + i + 1..physical.end];
                t.start..t.end + i + 1 + (rest.len() - rest.trim_start().len())
            } else {
                let before = &text[physical.start..t.start];
                let cut = sep
                    .and_then(|c| before.rfind(c))
                    .map_or(t.start, |i| physical.start + i);
                cut..t.end
            }
        };
        let anyio = deps::requirement(needs.plugin);
        let why = if added {
            format!("{anyio} is already in this list")
        } else {
            format!("{anyio} is already a runtime dependency")
        };
        edits.push(ConfigEdit {
            kind: "dependency-removed",
            edit: Edit::delete(range),
            at: t.start,
            note: format!("dependency `{req}` removed ({why})"),
        });
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, edits: &[ConfigEdit]) -> String {
        super::super::apply_edits(text, edits)
    }

    #[test]
    fn warnings_as_errors_keep_pytest_asyncio_from_loading() {
        let pytest_ini = |text: &str| {
            let edits = migrate_parts(text, Flavour::PytestIni, None, false).unwrap();
            apply(text, &edits)
        };
        // A new addopts line before the first entry; the asyncio keys deleted.
        assert_eq!(
            pytest_ini("[pytest]\nfilterwarnings =\n    error\nasyncio_mode = strict\n"),
            "[pytest]\naddopts = -p no:asyncio\nfilterwarnings =\n    error\n"
        );
        // At the start of an existing addopts, beside the other edits of its value.
        assert_eq!(
            pytest_ini(
                "[pytest]\naddopts = --asyncio-mode=strict -ra\nfilterwarnings = error::DeprecationWarning\nasyncio_default_fixture_loop_scope = function\n"
            ),
            "[pytest]\naddopts = -p no:asyncio -ra\nfilterwarnings = error::DeprecationWarning\n"
        );
        // `-W error` in addopts turns warnings into errors too.
        assert_eq!(
            pytest_ini("[pytest]\naddopts = -W error\nasyncio_mode = strict\n"),
            "[pytest]\naddopts = -p no:asyncio -W error\n"
        );
        // Already disabled, warnings not errors, or no pytest-asyncio option: nothing added.
        for text in [
            "[pytest]\naddopts = -p no:asyncio\nfilterwarnings = error\nasyncio_mode = strict\n",
            "[pytest]\nfilterwarnings = ignore::DeprecationWarning\nasyncio_mode = strict\n",
            "[pytest]\nfilterwarnings = error\n",
        ] {
            assert_eq!(
                pytest_ini(text).matches("no:asyncio").count(),
                text.matches("no:asyncio").count(),
                "{text}"
            );
        }
    }

    #[test]
    fn parses_sections_keys_and_continuations() {
        let text = "# top\n[pytest]\naddopts = -ra\n    --strict-markers\n\n; c\nasyncio_mode: auto\n[other]\nx=1\n";
        let s = parse(text).unwrap();
        assert_eq!(s.len(), 2);
        let addopts = s[0].get("addopts").unwrap();
        assert_eq!(addopts.lines.len(), 2);
        assert_eq!(
            &text[addopts.start..addopts.end],
            "addopts = -ra\n    --strict-markers\n"
        );
        assert_eq!(
            &text[s[0].get("asyncio_mode").unwrap().key_range.clone()],
            "asyncio_mode"
        );
        assert!(parse("[a]\nx=1\nx=2\n").is_err());
        assert!(parse("x=1\n").is_err());
        assert!(parse("[a]\njunk\n").is_err());
    }

    #[test]
    fn pytest_section_keys() {
        let text = "[pytest]\n# keep me\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\naddopts = -ra --asyncio-mode=auto\nmarkers =\n    slow: slow\n";
        let edits = migrate(text, Flavour::PytestIni, Deps::needing(false)).unwrap();
        assert_eq!(
            apply(text, &edits),
            "[pytest]\n# keep me\nanyio_mode = auto\naddopts = -ra --anyio-mode=auto\nmarkers =\n    slow: slow\n"
        );
        let strict = "[tool:pytest]\nasyncio_mode=strict\ntimeout = 5\n";
        let edits = migrate(strict, Flavour::SetupCfg, Deps::needing(false)).unwrap();
        assert_eq!(apply(strict, &edits), "[tool:pytest]\ntimeout = 5\n");
    }

    #[test]
    fn dependency_lists() {
        let text = "[options]\ninstall_requires =\n    anyio>=4.16\n[options.extras_require]\ntest =\n    pytest\n    pytest-asyncio>=0.21\ndev = pytest-asyncio; mypy\n";
        let runtime_ok = runtime_anyio(text, Flavour::SetupCfg, deps::PLUGIN_ANYIO);
        let edits = migrate(text, Flavour::SetupCfg, Deps::needing(runtime_ok)).unwrap();
        assert_eq!(
            apply(text, &edits),
            "[options]\ninstall_requires =\n    anyio>=4.16\n[options.extras_require]\ntest =\n    pytest\ndev = mypy\n"
        );
        let tox = "[testenv]\ndeps =\n    pytest\n    py311: pytest-asyncio==1.5.0  # pinned\ncommands = pytest\n";
        let edits = migrate(tox, Flavour::ToxIni, Deps::needing(false)).unwrap();
        assert_eq!(
            apply(tox, &edits),
            "[testenv]\ndeps =\n    pytest\n    py311: anyio>=4.16  # pinned\ncommands = pytest\n"
        );
        let older = Deps {
            plugin: deps::PLUGIN_ANYIO_MODE,
            runtime_ok: false,
        };
        let edits = migrate(tox, Flavour::ToxIni, older).unwrap();
        assert_eq!(
            apply(tox, &edits),
            "[testenv]\ndeps =\n    pytest\n    py311: anyio>=4.11  # pinned\ncommands = pytest\n"
        );
    }
}
