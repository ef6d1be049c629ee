//! Whether a project's tests turn warnings into errors, as far as the rewrites care: anyio's
//! memory object streams warn when they are garbage-collected unclosed (`ResourceWarning:
//! Unclosed <MemoryObjectReceiveStream at ...>`, from `anyio.streams.memory`, raised in
//! `__del__`), and under pytest's `filterwarnings = error` that warning fails the test that
//! collected the stream (pytest reports it as a `PytestUnraisableExceptionWarning`, an error
//! too under the same filter).
//!
//! pytest's filters are read as pytest applies them, the last matching one winning: the
//! configuration file's `filterwarnings`, then the lines a top-level `conftest.py` adds
//! (`config.addinivalue_line("filterwarnings", "error")`), then `-W` options in `addopts`.

use super::ini;
use crate::discover::ConfigKind;
use std::path::Path;

/// The filters of the project rooted at `dir`, in the order pytest applies them.
pub fn filters(dir: &Path) -> Vec<String> {
    let mut ini_filters = Vec::new();
    let mut cmdline = Vec::new();
    if let Some((path, text)) = super::pytest_config_in(dir) {
        let (entries, addopts) = match ConfigKind::of(&path) {
            Some(ConfigKind::Pyproject) => from_pyproject(&text),
            Some(ConfigKind::Ini(flavour)) => from_ini(&text, flavour),
            _ => from_ini(&text, ini::Flavour::PytestIni),
        };
        ini_filters = entries;
        cmdline = w_options(&addopts);
    }
    for folder in [dir.to_path_buf(), dir.join("tests"), dir.join("test")] {
        if let Ok(text) = std::fs::read_to_string(folder.join("conftest.py")) {
            ini_filters.extend(conftest_filters(&text));
        }
    }
    ini_filters.extend(cmdline);
    ini_filters
}

fn from_ini(text: &str, flavour: ini::Flavour) -> (Vec<String>, String) {
    let Ok(sections) = ini::parse(text) else {
        return (Vec::new(), String::new());
    };
    let section = sections
        .iter()
        .find(|s| flavour.pytest_sections().contains(&s.name.as_str()));
    let Some(section) = section else {
        return (Vec::new(), String::new());
    };
    let lines = |key: &str| -> Vec<String> {
        section.get(key).map_or_else(Vec::new, |e| {
            e.lines
                .iter()
                .map(|r| text[r.clone()].trim().to_owned())
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect()
        })
    };
    (lines("filterwarnings"), lines("addopts").join(" "))
}

fn from_pyproject(text: &str) -> (Vec<String>, String) {
    let Ok(doc) = toml_edit::Document::parse(text) else {
        return (Vec::new(), String::new());
    };
    let root = doc.as_table();
    let table = ["ini_options"]
        .iter()
        .find_map(|sub| {
            root.get("tool")?
                .as_table_like()?
                .get("pytest")?
                .as_table_like()?
                .get(sub)?
                .as_table_like()
        })
        .or_else(|| {
            root.get("tool")?
                .as_table_like()?
                .get("pytest")?
                .as_table_like()
        });
    let Some(table) = table else {
        return (Vec::new(), String::new());
    };
    let strings = |key: &str| -> Vec<String> {
        match table.get(key) {
            Some(item) => match item.as_array() {
                Some(a) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                None => item.as_str().map(str::to_owned).into_iter().collect(),
            },
            None => Vec::new(),
        }
    };
    (strings("filterwarnings"), strings("addopts").join(" "))
}

/// The filters of `-W X` / `-WX` / `--pythonwarnings X` / `--pythonwarnings=X` in `addopts`.
fn w_options(addopts: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut words = addopts.split_whitespace();
    while let Some(word) = words.next() {
        if word == "-W" || word == "--pythonwarnings" {
            out.extend(words.next().map(str::to_owned));
        } else if let Some(rest) = word.strip_prefix("--pythonwarnings=") {
            out.push(rest.to_owned());
        } else if let Some(rest) = word.strip_prefix("-W") {
            out.push(rest.to_owned());
        }
    }
    out
}

/// `config.addinivalue_line("filterwarnings", "<filter>")` calls with literal strings.
fn conftest_filters(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("addinivalue_line(") {
        rest = &rest[i + "addinivalue_line(".len()..];
        let mut args = literal_strings(rest, 2);
        if args.len() == 2 && args[0] == "filterwarnings" {
            out.push(args.remove(1));
        }
    }
    out
}

/// Up to `n` leading string literals of an argument list (`'a', "b"`), stopping at anything
/// else.
fn literal_strings(text: &str, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while out.len() < n {
        let Some(quote) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') else {
            break;
        };
        let Some(end) = rest[1..].find(quote) else {
            break;
        };
        let value = &rest[1..=end];
        if value.contains('\\') {
            break;
        }
        out.push(value.to_owned());
        rest = rest[end + 2..].trim_start();
        match rest.strip_prefix(',') {
            Some(r) => rest = r.trim_start(),
            None => break,
        }
    }
    out
}

/// One filter, `action:message:category:module:lineno`, as pytest parses it.
struct Filter<'a> {
    action: &'a str,
    message: &'a str,
    category: &'a str,
    module: &'a str,
}

impl<'a> Filter<'a> {
    fn parse(text: &'a str) -> Option<Self> {
        let mut parts = text.split(':').map(str::trim);
        let action = parts.next()?;
        let f = Filter {
            action,
            message: parts.next().unwrap_or(""),
            category: parts.next().unwrap_or(""),
            module: parts.next().unwrap_or(""),
        };
        [
            "default", "error", "ignore", "always", "all", "module", "once",
        ]
        .iter()
        .any(|a| !action.is_empty() && a.starts_with(action))
        .then_some(f)
    }

    fn is_error(&self) -> bool {
        "error".starts_with(self.action)
    }

    /// Whether the filter applies to a warning of one of `categories` (its names, the last
    /// part of a dotted path) saying `message` from `module`. A message or module pattern is
    /// a regular expression matched at the start; one with special characters other than a
    /// trailing `.*` is taken to match only where its literal start does.
    fn matches(&self, categories: &[&str], message: &str, module: &str) -> bool {
        let category = self.category.rsplit('.').next().unwrap_or("");
        let literal = |pattern: &str, value: &str| {
            let pattern = pattern.strip_suffix(".*").unwrap_or(pattern);
            let plain: String = pattern
                .chars()
                .take_while(|c| c.is_alphanumeric() || " _<>-".contains(*c))
                .collect();
            value.to_lowercase().starts_with(&plain.to_lowercase())
                && (plain.len() == pattern.len() || pattern[plain.len()..].starts_with('.'))
        };
        (category.is_empty() || categories.contains(&category))
            && (self.message.is_empty() || literal(self.message, message))
            && (self.module.is_empty() || literal(self.module, module))
    }
}

/// The action of the last filter matching the warning, as pytest applies them.
fn last_action<'a>(
    filters: &'a [String],
    categories: &[&str],
    message: &str,
    module: &str,
) -> Option<Filter<'a>> {
    filters
        .iter()
        .rev()
        .filter_map(|f| Filter::parse(f))
        .find(|f| f.matches(categories, message, module))
}

/// Whether an anyio memory object stream collected unclosed fails a test under `filters`.
pub fn unclosed_streams_fail(filters: &[String]) -> bool {
    let resource = last_action(
        filters,
        &["ResourceWarning", "Warning"],
        "Unclosed <MemoryObjectReceiveStream at 7f0000000000>",
        "anyio.streams.memory",
    );
    let unraisable = last_action(
        filters,
        &[
            "PytestUnraisableExceptionWarning",
            "PytestWarning",
            "UserWarning",
            "Warning",
        ],
        "Exception ignored in: <function MemoryObjectReceiveStream.__del__",
        "_pytest.unraisableexception",
    );
    resource.is_some_and(|f| f.is_error()) && unraisable.is_none_or(|f| f.is_error())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail(filters: &[&str]) -> bool {
        let filters: Vec<String> = filters.iter().map(|s| (*s).to_owned()).collect();
        unclosed_streams_fail(&filters)
    }

    #[test]
    fn the_last_matching_filter_decides() {
        assert!(!fail(&[]));
        assert!(fail(&["error"]));
        assert!(fail(&["error::ResourceWarning"]));
        assert!(fail(&["error::builtins.ResourceWarning"]));
        assert!(fail(&["ignore::DeprecationWarning", "error"]));
        assert!(!fail(&["error", "ignore::ResourceWarning"]));
        assert!(fail(&["ignore::ResourceWarning", "error"]));
        assert!(!fail(&["error::DeprecationWarning"]));
        assert!(!fail(&["error", "ignore:Unclosed <MemoryObject"]));
        assert!(!fail(&["error", "ignore:unclosed.*:ResourceWarning"]));
        assert!(fail(&["error", "ignore:unclosed file:ResourceWarning"]));
        assert!(!fail(&["error", "ignore:::anyio"]));
        assert!(!fail(&[
            "error",
            "ignore::pytest.PytestUnraisableExceptionWarning"
        ]));
        assert!(!fail(&["default"]));
    }

    #[test]
    fn filters_come_from_config_conftest_and_addopts() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[tool.pytest.ini_options]\nfilterwarnings = [\"ignore::ResourceWarning\"]\naddopts = \"-q -W error\"\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("tests")).unwrap();
        std::fs::write(
            dir.path().join("tests/conftest.py"),
            "def pytest_configure(config):\n    config.addinivalue_line('filterwarnings', 'ignore:x:UserWarning')\n",
        )
        .unwrap();
        assert_eq!(
            filters(dir.path()),
            ["ignore::ResourceWarning", "ignore:x:UserWarning", "error"]
        );
        std::fs::write(
            dir.path().join("setup.cfg"),
            "[tool:pytest]\nfilterwarnings =\n    error\n    ignore::DeprecationWarning\n",
        )
        .unwrap();
        std::fs::remove_file(dir.path().join("pyproject.toml")).unwrap();
        assert_eq!(
            filters(dir.path()),
            [
                "error",
                "ignore::DeprecationWarning",
                "ignore:x:UserWarning"
            ]
        );
    }
}
