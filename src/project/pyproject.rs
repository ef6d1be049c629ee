//! `pyproject.toml`: located with `toml_edit` (a format-preserving parser that keeps every
//! key's and value's byte span), edited as byte ranges so every other byte stays.

use super::deps::{self, Deps};
use super::{ConfigEdit, next_line, options};
use crate::edit::Edit;
use crate::source::line_start;
use crate::target::Version;
use std::ops::Range;
use toml_edit::{Array, Document, Item, Key, TableLike, Value};

fn parse(text: &str) -> Result<Document<&str>, String> {
    Document::parse(text).map_err(|e| e.to_string().trim().to_owned())
}

fn table<'a>(root: &'a dyn TableLike, path: &[&str]) -> Option<&'a dyn TableLike> {
    path.iter()
        .try_fold(root, |t, k| t.get(k).and_then(Item::as_table_like))
}

pub fn check(text: &str) -> Result<(), String> {
    parse(text).map(|_| ())
}

/// `[tool.pytest.ini_options]` or pytest 9's `[tool.pytest]`.
pub fn configures_pytest(text: &str) -> bool {
    parse(text).is_ok_and(|doc| table(doc.as_table(), &["tool", "pytest"]).is_some())
}

/// anyio >= `plugin` among `[project] dependencies` or Poetry's main dependencies.
pub fn runtime_anyio(text: &str, plugin: Version) -> bool {
    let Ok(doc) = parse(text) else {
        return false;
    };
    let root = doc.as_table();
    let pep621 = table(root, &["project"])
        .and_then(|p| p.get("dependencies"))
        .and_then(Item::as_array)
        .is_some_and(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .any(|r| deps::is_sufficient_anyio(r, plugin))
        });
    let poetry = table(root, &["tool", "poetry", "dependencies"])
        .and_then(|t| t.get("anyio"))
        .is_some_and(|i| poetry_sufficient(i, plugin));
    pep621 || poetry
}

fn poetry_sufficient(item: &Item, plugin: Version) -> bool {
    let version = item.as_str().or_else(|| {
        item.as_inline_table()
            .and_then(|t| t.get("version"))
            .and_then(Value::as_str)
    });
    version.is_some_and(|v| deps::constraint_sufficient(v, plugin))
}

pub fn migrate(text: &str, deps: Deps) -> Result<Vec<ConfigEdit>, String> {
    let markers = super::plugin_uses(text).auto_as_markers(deps.plugin);
    migrate_parts(text, Some(deps), markers)
}

/// The pytest options' edits, and with `deps` the dependency lists' too.
/// `markers`: the suite's auto mode becomes markers (`deps::Uses::auto_as_markers`).
pub fn migrate_parts(
    text: &str,
    deps: Option<Deps>,
    markers: bool,
) -> Result<Vec<ConfigEdit>, String> {
    let doc = parse(text)?;
    let root = doc.as_table();
    let mut edits = Vec::new();
    for path in [&["tool", "pytest", "ini_options"][..], &["tool", "pytest"]] {
        if let Some(t) = table(root, path) {
            edits.extend(pytest_options(text, t, markers));
            edits.extend(disable_plugin(text, t));
        }
    }
    let Some(needs) = deps else {
        return Ok(edits);
    };
    let mut lists: Vec<&Array> = Vec::new();
    arrays_in(&mut lists, table(root, &["project"]), Some("dependencies"));
    arrays_in(
        &mut lists,
        table(root, &["project", "optional-dependencies"]),
        None,
    );
    arrays_in(&mut lists, table(root, &["dependency-groups"]), None);
    arrays_in(
        &mut lists,
        table(root, &["tool", "pdm", "dev-dependencies"]),
        None,
    );
    arrays_in(
        &mut lists,
        table(root, &["tool", "uv"]),
        Some("dev-dependencies"),
    );
    if let Some(envs) = table(root, &["tool", "hatch", "envs"]) {
        for (_, env) in envs.iter() {
            if let Some(env) = env.as_table_like() {
                arrays_in(&mut lists, Some(env), Some("dependencies"));
                arrays_in(&mut lists, Some(env), Some("extra-dependencies"));
            }
        }
    }
    for list in lists {
        edits.extend(requirement_array(text, list, needs));
    }
    let mut poetry: Vec<&dyn TableLike> = Vec::new();
    poetry.extend(table(root, &["tool", "poetry", "dependencies"]));
    poetry.extend(table(root, &["tool", "poetry", "dev-dependencies"]));
    if let Some(groups) = table(root, &["tool", "poetry", "group"]) {
        for (_, g) in groups.iter() {
            poetry.extend(
                g.as_table_like()
                    .and_then(|g| g.get("dependencies"))
                    .and_then(Item::as_table_like),
            );
        }
    }
    for t in poetry {
        edits.extend(poetry_table(text, t, needs));
    }
    Ok(edits)
}

/// The arrays of `t` (all, or the one under `key`).
fn arrays_in<'a>(lists: &mut Vec<&'a Array>, t: Option<&'a dyn TableLike>, key: Option<&str>) {
    let Some(t) = t else { return };
    match key {
        Some(k) => lists.extend(t.get(k).and_then(Item::as_array)),
        None => lists.extend(t.iter().filter_map(|(_, i)| i.as_array())),
    }
}

/// `-p no:asyncio` added to a pytest table that deletes pytest-asyncio's options and turns
/// warnings into errors (`options::PLUGIN_DISABLED_NOTE`): at the start of its `addopts`
/// string or array, or as a new `addopts` line before its `filterwarnings` (or `-W`) line.
fn disable_plugin(text: &str, t: &dyn TableLike) -> Option<ConfigEdit> {
    if !t.iter().any(|(k, _)| k.starts_with("asyncio_")) {
        return None;
    }
    let strings = |item: &Item| -> Vec<String> {
        match item.as_value() {
            Some(Value::String(s)) => vec![s.value().clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    };
    let addopts = t.get_key_value("addopts");
    let opts = addopts.map_or_else(Vec::new, |(_, i)| strings(i));
    let tokens: Vec<&str> = opts.iter().flat_map(|o| o.split_whitespace()).collect();
    let filters = t.get_key_value("filterwarnings");
    let filter_values = filters.map_or_else(Vec::new, |(_, i)| strings(i));
    if !options::needs_plugin_disabled(&tokens, filter_values.iter().map(String::as_str)) {
        return None;
    }
    let (edit, at) = if let Some((key, item)) = addopts {
        let at = key.span()?.start;
        let edit = match item.as_value()? {
            v @ Value::String(_) => Edit::insert(string_inner(text, v)?.start, "-p no:asyncio "),
            Value::Array(a) => Edit::insert(a.span()?.start + 1, "\"-p\", \"no:asyncio\", "),
            _ => return None,
        };
        (edit, at)
    } else {
        let key = filters?.0.span()?;
        let start = line_start(text, key.start);
        if !text[start..key.start].trim().is_empty() {
            return None;
        }
        (
            Edit::insert(start, "addopts = [\"-p\", \"no:asyncio\"]\n"),
            start,
        )
    };
    Some(ConfigEdit {
        kind: "plugin-disabled",
        edit,
        at,
        note: options::PLUGIN_DISABLED_NOTE.to_owned(),
    })
}

/// The lines a `key = value` occupies, when it has them to itself.
fn own_lines(text: &str, key: &Key, item: &Item) -> Option<Range<usize>> {
    let k = key.span()?;
    let v = item
        .span()
        .or_else(|| item.as_value().and_then(Value::span))?;
    let start = line_start(text, k.start);
    let end = next_line(text, v.end);
    let after = text[v.end..end].trim();
    (text[start..k.start].trim().is_empty() && (after.is_empty() || after.starts_with('#')))
        .then_some(start..end)
}

fn pytest_options(text: &str, t: &dyn TableLike, markers: bool) -> Vec<ConfigEdit> {
    let mut edits = Vec::new();
    for (name, _) in t.iter() {
        let Some((key, item)) = t.get_key_value(name) else {
            continue;
        };
        let Some(key_span) = key.span() else {
            continue;
        };
        let auto = name == "asyncio_mode" && item.as_str() == Some("auto");
        if auto && markers {
            if let Some(lines) = own_lines(text, key, item) {
                edits.push(ConfigEdit {
                    kind: "auto-mode-markers",
                    edit: Edit::delete(lines),
                    at: key_span.start,
                    note: format!("deleted `asyncio_mode`: {}", options::MARKERS_NOTE),
                });
            }
        } else if auto {
            let raw = &text[key_span.clone()];
            edits.push(ConfigEdit {
                kind: "anyio-mode",
                edit: Edit::replace(
                    key_span.clone(),
                    raw.replacen("asyncio_mode", "anyio_mode", 1),
                ),
                at: key_span.start,
                note: "asyncio_mode = \"auto\" → anyio_mode = \"auto\"".to_owned(),
            });
        } else if name.starts_with("asyncio_") {
            let Some(lines) = own_lines(text, key, item) else {
                continue;
            };
            let value = item.as_str().unwrap_or_default();
            let (kind, note) = options::asyncio_key(name, value);
            edits.push(ConfigEdit {
                kind,
                edit: Edit::delete(lines),
                at: key_span.start,
                note,
            });
        } else if matches!(name, "addopts" | "required_plugins") {
            let addopts = |t: &str, r| options::addopts(t, r, markers);
            let edit_fn: &dyn Fn(&str, Range<usize>) -> Vec<ConfigEdit> = if name == "addopts" {
                &addopts
            } else {
                &options::required_plugins
            };
            match item.as_value() {
                Some(Value::String(_)) => {
                    if let Some(inner) = item.as_value().and_then(|v| string_inner(text, v)) {
                        edits.extend(edit_fn(text, inner));
                    }
                }
                Some(Value::Array(a)) => {
                    if name == "addopts" {
                        edits.extend(plugin_option_pairs(a));
                    }
                    for (i, v) in a.iter().enumerate() {
                        let Some(inner) = string_inner(text, v) else {
                            continue;
                        };
                        for e in edit_fn(text, inner.clone()) {
                            // A whole element deleted: the element goes, not just its text.
                            if e.edit.text.is_empty()
                                && e.edit.range.start <= inner.start
                                && inner.end <= e.edit.range.end
                            {
                                if let Some(range) = remove_element(text, a, i) {
                                    edits.push(ConfigEdit {
                                        edit: Edit { range, ..e.edit },
                                        ..e
                                    });
                                }
                            } else {
                                edits.push(e);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    edits
}

/// `addopts = ["-p", "pytest_asyncio"]`: the option and its value as two elements, which load
/// pytest-asyncio (pytest stops once it is uninstalled); both elements go.
fn plugin_option_pairs(a: &Array) -> Vec<ConfigEdit> {
    let Some(spans) = a.iter().map(Value::span).collect::<Option<Vec<_>>>() else {
        return Vec::new();
    };
    let values: Vec<Option<&str>> = a.iter().map(Value::as_str).collect();
    let mut edits = Vec::new();
    for i in 0..values.len().saturating_sub(1) {
        let loads = values[i] == Some("-p")
            && values[i + 1].is_some_and(crate::codemods::pytest_asyncio::loads_pytest_asyncio);
        if !loads {
            continue;
        }
        let range = match (spans.get(i + 2), i.checked_sub(1)) {
            (Some(next), _) => spans[i].start..next.start,
            (None, Some(prev)) => spans[prev].end..spans[i + 1].end,
            (None, None) => spans[i].start..spans[i + 1].end,
        };
        edits.push(ConfigEdit {
            kind: "asyncio-option",
            edit: Edit::delete(range),
            at: spans[i].start,
            note: format!(
                "deleted `-p {}` from addopts: it loads pytest-asyncio, which anyio's plugin replaces (pytest stops when it is not installed)",
                values[i + 1].unwrap_or_default()
            ),
        });
    }
    edits
}

/// The text between the quotes of a one-line string value.
fn string_inner(text: &str, v: &Value) -> Option<Range<usize>> {
    let span = v.span()?;
    let raw = &text[span.clone()];
    let single = (raw.starts_with('"') || raw.starts_with('\''))
        && !raw.starts_with("\"\"\"")
        && !raw.starts_with("'''")
        && raw.len() >= 2;
    single.then(|| span.start + 1..span.end - 1)
}

/// The range that removes element `i` of an array: its own line when it has one, else the
/// element with the separator next to it.
fn remove_element(text: &str, a: &Array, i: usize) -> Option<Range<usize>> {
    let spans: Vec<Range<usize>> = a.iter().map(Value::span).collect::<Option<_>>()?;
    let span = spans.get(i)?.clone();
    let start = line_start(text, span.start);
    let end = next_line(text, span.end);
    let rest = text[span.end..end].trim();
    let rest = rest.strip_prefix(',').unwrap_or(rest).trim();
    if text[start..span.start].trim().is_empty() && (rest.is_empty() || rest.starts_with('#')) {
        return Some(start..end);
    }
    if let Some(next) = spans.get(i + 1) {
        return Some(span.start..next.start);
    }
    if let Some(prev) = i.checked_sub(1).map(|j| &spans[j]) {
        return Some(prev.end..span.end);
    }
    let after = &text[span.end..];
    let comma = after.trim_start().starts_with(',');
    Some(
        span.start..if comma {
            span.end + after.find(',')? + 1
        } else {
            span.end
        },
    )
}

fn requirement_array(text: &str, a: &Array, needs: Deps) -> Vec<ConfigEdit> {
    let anyio = deps::requirement(needs.plugin);
    let has_anyio = a
        .iter()
        .filter_map(Value::as_str)
        .any(|r| deps::is_sufficient_anyio(r, needs.plugin));
    let mut add = !needs.runtime_ok && !has_anyio;
    let mut edits = Vec::new();
    for (i, v) in a.iter().enumerate() {
        let Some(req) = v.as_str().filter(|r| deps::is_pytest_asyncio(r)) else {
            continue;
        };
        let Some(span) = v.span() else {
            continue;
        };
        if add && let Some(inner) = string_inner(text, v) {
            add = false;
            let raw = &text[inner.clone()];
            let len = deps::requirement_len(raw);
            edits.push(ConfigEdit {
                kind: "dependency-replaced",
                edit: Edit::replace(inner.start..inner.start + len, anyio.clone()),
                at: span.start,
                note: format!("dependency `{}` replaced by `{anyio}`", &raw[..len]),
            });
            continue;
        }
        let Some(range) = remove_element(text, a, i) else {
            continue;
        };
        edits.push(ConfigEdit {
            kind: "dependency-removed",
            edit: Edit::delete(range),
            at: span.start,
            note: format!("dependency `{req}` removed ({anyio} is already a dependency)"),
        });
    }
    edits
}

fn poetry_table(text: &str, t: &dyn TableLike, needs: Deps) -> Vec<ConfigEdit> {
    let plugin = needs.plugin;
    let has_anyio = t.get("anyio").is_some_and(|i| poetry_sufficient(i, plugin));
    let mut edits = Vec::new();
    for (name, _) in t.iter() {
        if deps::normalize(name) != "pytest-asyncio" {
            continue;
        }
        let Some((key, item)) = t.get_key_value(name) else {
            continue;
        };
        let (Some(k), Some(v)) = (key.span(), item.as_value().and_then(Value::span)) else {
            continue;
        };
        if !needs.runtime_ok && !has_anyio {
            edits.push(ConfigEdit {
                kind: "dependency-replaced",
                edit: Edit::replace(k.start..v.end, format!("anyio = \">={plugin}\"")),
                at: k.start,
                note: format!("dependency `{name}` replaced by `anyio = \">={plugin}\"`"),
            });
        } else if let Some(lines) = own_lines(text, key, item) {
            edits.push(ConfigEdit {
                kind: "dependency-removed",
                edit: Edit::delete(lines),
                at: k.start,
                note: format!(
                    "dependency `{name}` removed (anyio>={plugin} is already a dependency)"
                ),
            });
        }
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_as_errors_keep_pytest_asyncio_from_loading() {
        let options = |text: &str| {
            let edits = migrate_parts(text, None, false).unwrap();
            let out = super::super::apply_edits(text, &edits);
            check(&out).unwrap();
            out
        };
        let head = "[tool.pytest.ini_options]\n";
        assert_eq!(
            options(&format!(
                "{head}filterwarnings = [\"error\"]\nasyncio_mode = \"strict\"\n"
            )),
            format!("{head}addopts = [\"-p\", \"no:asyncio\"]\nfilterwarnings = [\"error\"]\n")
        );
        assert_eq!(
            options(&format!(
                "{head}addopts = \"-ra\"\nfilterwarnings = [\"error\"]\nasyncio_mode = \"strict\"\n"
            )),
            format!("{head}addopts = \"-p no:asyncio -ra\"\nfilterwarnings = [\"error\"]\n")
        );
        assert_eq!(
            options(&format!(
                "{head}addopts = [\"-ra\"]\nfilterwarnings = \"error\"\nasyncio_mode = \"strict\"\n"
            )),
            format!(
                "{head}addopts = [\"-p\", \"no:asyncio\", \"-ra\"]\nfilterwarnings = \"error\"\n"
            )
        );
        let untouched = format!(
            "{head}addopts = [\"-p\", \"no:asyncio\"]\nfilterwarnings = [\"error\"]\nasyncio_mode = \"strict\"\n"
        );
        assert_eq!(options(&untouched).matches("no:asyncio").count(), 1);
        let warnings_kept =
            format!("{head}filterwarnings = [\"default\"]\nasyncio_mode = \"strict\"\n");
        assert!(!options(&warnings_kept).contains("no:asyncio"));
    }

    fn run(text: &str, runtime_ok: bool) -> String {
        let needs = Deps {
            plugin: deps::PLUGIN_ANYIO,
            runtime_ok,
        };
        let edits = migrate(text, needs).unwrap();
        let out = super::super::apply_edits(text, &edits);
        check(&out).unwrap();
        out
    }

    #[test]
    fn pytest_tables_keep_comments_and_layout() {
        let text = "[tool.pytest.ini_options]\n# mode\nasyncio_mode = \"auto\"  # trailing\nasyncio_default_fixture_loop_scope = 'function'\naddopts = \"-ra --asyncio-mode=auto\"\n\n[tool.other]\nx = 1\n";
        assert_eq!(
            run(text, false),
            "[tool.pytest.ini_options]\n# mode\nanyio_mode = \"auto\"  # trailing\naddopts = \"-ra --anyio-mode=auto\"\n\n[tool.other]\nx = 1\n"
        );
        let native = "[tool.pytest]\nasyncio_mode = 'strict'\naddopts = [\"-ra\", \"--asyncio-mode=strict\"]\nrequired_plugins = [\"pytest-asyncio>=1\", \"pytest-timeout\"]\n";
        assert_eq!(
            run(native, false),
            "[tool.pytest]\naddopts = [\"-ra\"]\nrequired_plugins = [\"pytest-timeout\"]\n"
        );
    }

    #[test]
    fn loading_pytest_asyncio_as_two_array_elements_goes() {
        for (addopts, after) in [
            (r#"["-p", "pytest_asyncio", "-ra"]"#, r#"["-ra"]"#),
            (r#"["-ra", "-p", "asyncio"]"#, r#"["-ra"]"#),
            (
                "[\n    \"-ra\",\n    \"-p\",\n    \"pytest_asyncio\",\n]",
                "[\n    \"-ra\",\n]",
            ),
            (
                r#"["-p", "xdist", "-p", "no:asyncio"]"#,
                r#"["-p", "xdist", "-p", "no:asyncio"]"#,
            ),
        ] {
            let text = format!("[tool.pytest.ini_options]\naddopts = {addopts}\n");
            assert_eq!(
                run(&text, false),
                format!("[tool.pytest.ini_options]\naddopts = {after}\n"),
                "{addopts}"
            );
        }
    }

    #[test]
    fn dependency_lists() {
        let text = "[project]\ndependencies = [\"anyio>=4.16\"]\n\n[project.optional-dependencies]\ntest = [\n    \"pytest\",\n    \"pytest-asyncio>=0.23\",  # async\n]\n\n[dependency-groups]\ndev = [\"pytest-asyncio\", \"mypy\"]\n";
        assert!(runtime_anyio(text, deps::PLUGIN_ANYIO));
        assert_eq!(
            run(text, true),
            "[project]\ndependencies = [\"anyio>=4.16\"]\n\n[project.optional-dependencies]\ntest = [\n    \"pytest\",\n]\n\n[dependency-groups]\ndev = [\"mypy\"]\n"
        );
        let text = "[dependency-groups]\ntest = ['pytest', 'pytest-asyncio==1.5.0; python_version >= \"3.10\"']\n";
        assert_eq!(
            run(text, false),
            "[dependency-groups]\ntest = ['pytest', 'anyio>=4.16; python_version >= \"3.10\"']\n"
        );
    }

    #[test]
    fn poetry_groups() {
        let text = "[tool.poetry.dependencies]\npython = \"^3.10\"\n\n[tool.poetry.group.dev.dependencies]\npytest = \"^9\"\npytest-asyncio = { version = \"^1.5\" }\n";
        assert_eq!(
            run(text, false),
            "[tool.poetry.dependencies]\npython = \"^3.10\"\n\n[tool.poetry.group.dev.dependencies]\npytest = \"^9\"\nanyio = \">=4.16\"\n"
        );
    }
}
