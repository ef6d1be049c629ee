//! The runtime dependency on anyio. When the migrated code of a package imports anyio and the
//! package does not depend on anyio at run time, `anyio>=TARGET` is added to its runtime
//! dependencies (PEP 621 `[project] dependencies`, Poetry's main dependencies, setup.cfg's
//! `install_requires`); where there is no such list the run says where to add it. When the user
//! targets a newer anyio than the package's own requirement allows as its floor
//! (`--target-anyio`), that requirement is raised, UNSAFE: everyone who installs the package
//! then needs that anyio.

use super::targets::{Finder, Origin, allows, constraints_of_requirement, floor_of_requirement};
use super::{ConfigEdit, apply_edits, deps, ini, original_text};
use crate::edit::{Edit, Finding, Fix, Verdict};
use crate::engine::{Reported, ReportedFinding, Status};
use crate::outcome::FileOutcome;
use crate::source::{line_col, line_start};
use crate::target::Version;
use std::path::{Path, PathBuf};
use toml_edit::{Document, Item};

/// The id the report gives these edits.
pub const ID: &str = "anyio-dependency";

/// Add (or raise) the runtime requirement on anyio of every package whose migrated code now
/// imports anyio.
pub fn add_runtime_anyio(outcomes: &mut Vec<FileOutcome>, finder: &Finder) {
    let mut needs: Vec<(PathBuf, Version, bool, PathBuf)> = Vec::new();
    for o in outcomes.iter() {
        if o.config || !is_package_code(&o.path) {
            continue;
        }
        let Status::Changed { after, .. } = &o.status else {
            continue;
        };
        let derived = finder.for_file(&o.path);
        let Some(metadata) = derived.metadata.clone() else {
            continue;
        };
        // The user targets a newer anyio than the package's own requirement allows.
        let raise = matches!(derived.anyio_from, Origin::Override(_))
            && derived.runtime_anyio
            && derived
                .required_floor()
                .is_some_and(|floor| floor < derived.targets.anyio);
        let newly = imports_anyio(after) && !original_text(o).is_some_and(|t| imports_anyio(&t));
        if !raise && (derived.runtime_anyio || !newly) {
            continue;
        }
        if !needs.iter().any(|(m, ..)| same(m, &metadata)) {
            needs.push((metadata, derived.targets.anyio, raise, o.path.clone()));
        }
    }
    for (metadata, version, raise, module) in needs {
        let index = if let Some(i) = outcomes.iter().position(|o| same(&o.path, &metadata)) {
            i
        } else {
            outcomes.push(FileOutcome::config(
                metadata.clone(),
                Status::Unchanged,
                crate::engine::Migration::default(),
            ));
            outcomes.len() - 1
        };
        edit_metadata(&mut outcomes[index], version, raise, &module);
    }
}

/// Add the requirement to one metadata file's outcome (on top of the run's other edits).
fn edit_metadata(o: &mut FileOutcome, version: Version, raise: bool, module: &Path) {
    let Some(original) = original_text(o) else {
        return;
    };
    let current = match &o.status {
        Status::Changed { after, .. } => after.clone(),
        _ => original.clone(),
    };
    let name = o.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let requirement = format!("anyio>={version}");
    let edit = if raise {
        raise_requirement(name, &current, &requirement)
    } else {
        add_requirement(name, &current, &requirement)
    };
    let Some(edit) = edit else {
        let at = 0;
        let (line, column) = line_col(&original, at);
        let finding = Finding::manual(
            ID,
            "missing-runtime-dependency",
            at,
            format!(
                "the migrated code of this package imports anyio (e.g. {}), and anyio is not among its runtime dependencies",
                module.display()
            ),
            format!("add `{requirement}` to the package's runtime dependencies"),
        );
        o.migration
            .findings
            .push(ReportedFinding::at(finding, line, column));
        return;
    };
    let next = apply_edits(&current, std::slice::from_ref(&edit));
    let parses = match name {
        "pyproject.toml" => Document::parse(next.as_str()).is_ok(),
        "setup.cfg" => ini::parse(&next).is_ok(),
        _ => true,
    };
    if !parses {
        return;
    }
    // Positions are reported in the original text where the edit's place still exists.
    let at = edit.at.min(original.len());
    let (line, column) = line_col(&original, at);
    let (verdict, note) = if raise {
        (
            Verdict::Unsafe,
            format!(
                "{}: raises the minimum anyio for everyone who installs this package (the run targets anyio {version})",
                edit.note
            ),
        )
    } else {
        (Verdict::Safe, edit.note.clone())
    };
    let fix = Fix::new(ID, edit.kind, at, verdict, Vec::<Edit>::new())
        .needs_only(&[])
        .note(note);
    o.migration.applied.push(Reported::at(fix, line, column));
    o.migration.output.clone_from(&next);
    o.status = Status::Changed {
        before: match &o.status {
            Status::Changed { before, .. } => before.clone(),
            _ => original,
        },
        after: next,
    };
}

/// The edit that adds `requirement` to the runtime dependency list of a metadata text.
fn add_requirement(name: &str, text: &str, requirement: &str) -> Option<ConfigEdit> {
    match name {
        "pyproject.toml" => add_to_pyproject(text, requirement),
        "setup.cfg" => add_to_setup_cfg(text, requirement),
        _ => None,
    }
}

fn add_to_pyproject(text: &str, requirement: &str) -> Option<ConfigEdit> {
    let doc = Document::parse(text).ok()?;
    let root = doc.as_table();
    if let Some(array) = root
        .get("project")
        .and_then(Item::as_table_like)
        .and_then(|p| p.get("dependencies"))
        .and_then(Item::as_array)
    {
        let span = array.span()?;
        let quoted = format!("\"{requirement}\"");
        let note =
            format!("runtime dependency `{requirement}` added: the migrated modules import anyio");
        let last = array.iter().last();
        let Some(last) = last else {
            // `dependencies = []`
            return Some(ConfigEdit {
                kind: "runtime-requirement",
                edit: Edit::replace(span.start + 1..span.end - 1, quoted),
                at: span.start,
                note,
            });
        };
        let last_end = last.span()?.end;
        let after = &text[last_end..span.end - 1];
        let comma = after.trim_start().starts_with(',');
        let multiline = text[span.clone()].contains('\n');
        let indent = {
            let start = line_start(text, last.span()?.start);
            let line = &text[start..];
            line[..line.len() - line.trim_start().len()].to_owned()
        };
        let (at, insert) = match (multiline, comma) {
            (true, true) => {
                let comma_at = last_end + after.find(',')? + 1;
                (comma_at, format!("\n{indent}{quoted},"))
            }
            (true, false) => (last_end, format!(",\n{indent}{quoted}")),
            (false, true) => {
                let comma_at = last_end + after.find(',')? + 1;
                (comma_at, format!(" {quoted},"))
            }
            (false, false) => (last_end, format!(", {quoted}")),
        };
        return Some(ConfigEdit {
            kind: "runtime-requirement",
            edit: Edit::replace(at..at, insert),
            at: span.start,
            note,
        });
    }
    // Poetry: a line in `[tool.poetry.dependencies]`, after its header.
    let poetry = root
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|t| t.get("dependencies"))
        .and_then(Item::as_table);
    if poetry.is_some() {
        let header = text.find("[tool.poetry.dependencies]")?;
        let at = super::next_line(text, header);
        let constraint = requirement.trim_start_matches("anyio");
        return Some(ConfigEdit {
            kind: "runtime-requirement",
            edit: Edit::replace(at..at, format!("anyio = \"{constraint}\"\n")),
            at: header,
            note: format!(
                "runtime dependency `anyio = \"{constraint}\"` added: the migrated modules import anyio"
            ),
        });
    }
    None
}

fn add_to_setup_cfg(text: &str, requirement: &str) -> Option<ConfigEdit> {
    let sections = ini::parse(text).ok()?;
    let entry = sections
        .iter()
        .find(|s| s.name == "options")?
        .get("install_requires")?;
    let note =
        format!("runtime dependency `{requirement}` added: the migrated modules import anyio");
    let last = entry
        .lines
        .iter()
        .rev()
        .find(|l| !text[(*l).clone()].trim().is_empty());
    let multiline = entry.lines.len() > 1 || last.is_none();
    if multiline {
        let indent = entry
            .lines
            .iter()
            .skip(1)
            .find(|l| !text[(*l).clone()].trim().is_empty())
            .map_or("    ".to_owned(), |l| {
                let line = &text[line_start(text, l.start)..l.end];
                line[..line.len() - line.trim_start().len()].to_owned()
            });
        let at = entry.end;
        let newline = if text[..at].ends_with('\n') { "" } else { "\n" };
        return Some(ConfigEdit {
            kind: "runtime-requirement",
            edit: Edit::replace(at..at, format!("{newline}{indent}{requirement}\n")),
            at: entry.start,
            note,
        });
    }
    // One line: `install_requires = httpx, idna` (comma-separated).
    let line = last?;
    Some(ConfigEdit {
        kind: "runtime-requirement",
        edit: Edit::replace(line.end..line.end, format!(", {requirement}")),
        at: entry.start,
        note,
    })
}

/// The edit that replaces the package's anyio requirement by `requirement` (a raised floor).
fn raise_requirement(name: &str, text: &str, requirement: &str) -> Option<ConfigEdit> {
    let old = super::targets::anyio_requirement(name, text)?;
    let floor = floor_of_requirement(&old);
    let at = text.find(&old).or_else(|| {
        // Poetry's `anyio = "^3.6"` is read as `anyio ^3.6`.
        let constraint = constraints_of_requirement(&old);
        text.find(&format!("\"{constraint}\""))
            .map(|i| i + 1)
            .filter(|_| !constraint.is_empty())
    })?;
    // The new floor, and the old upper bounds and exclusions.
    let constraint = constraints_of_requirement(&old);
    let kept: Vec<&str> = constraint
        .split(',')
        .map(str::trim)
        .filter(|c| c.starts_with('<') || c.starts_with("!="))
        // An upper bound below the new floor goes too (`>=3.6,<4` raised to 4.5).
        .filter(|c| floor_of_requirement(requirement).is_none_or(|v| allows(c, v)))
        .collect();
    let spec = std::iter::once(requirement.trim_start_matches("anyio"))
        .chain(kept)
        .collect::<Vec<_>>()
        .join(",");
    let (range, new) = if text[at..].starts_with(&old) {
        let len = deps::requirement_len(&old);
        // The name and its extras stay (`anyio[trio]`).
        let name_len = old[..len].find(constraint).unwrap_or(len);
        (
            at..at + len,
            format!("{}{spec}", old[..name_len].trim_end()),
        )
    } else {
        (at..at + constraint.len(), spec)
    };
    Some(ConfigEdit {
        kind: "raise-requirement",
        edit: Edit::replace(range, new.clone()),
        at,
        note: format!(
            "runtime requirement `{old}` replaced by `{}` (its floor was {})",
            if new.starts_with("anyio") {
                new.clone()
            } else {
                format!("anyio {new}")
            },
            floor.map_or_else(|| "unset".to_owned(), |v| v.to_string())
        ),
    })
}

/// Library code, not a test: not `test_*.py` / `*_test.py` / `conftest.py`, not under a
/// `tests` or `test` folder.
fn is_package_code(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let test_file =
        name.starts_with("test_") || name.ends_with("_test.py") || name == "conftest.py";
    let test_dir = path
        .components()
        .any(|c| matches!(c.as_os_str().to_str(), Some("tests" | "test" | "testing")));
    path.extension().is_some_and(|e| e == "py") && !test_file && !test_dir
}

/// `import anyio` / `from anyio ...` at the start of a line.
fn imports_anyio(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("import anyio") || l.starts_with("from anyio")
    })
}

fn same(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn added(name: &str, text: &str) -> String {
        let edit = add_requirement(name, text, "anyio>=4.16").expect("an edit");
        apply_edits(text, &[edit])
    }

    #[test]
    fn adds_to_each_kind_of_list() {
        assert_eq!(
            added(
                "pyproject.toml",
                "[project]\nname = \"x\"\ndependencies = [\"httpx\", \"aiohttp\"]\n"
            ),
            "[project]\nname = \"x\"\ndependencies = [\"httpx\", \"aiohttp\", \"anyio>=4.16\"]\n"
        );
        assert_eq!(
            added(
                "pyproject.toml",
                "[project]\ndependencies = [\n    \"httpx\",\n    \"aiohttp\",\n]\n"
            ),
            "[project]\ndependencies = [\n    \"httpx\",\n    \"aiohttp\",\n    \"anyio>=4.16\",\n]\n"
        );
        assert_eq!(
            added("pyproject.toml", "[project]\ndependencies = []\n"),
            "[project]\ndependencies = [\"anyio>=4.16\"]\n"
        );
        assert_eq!(
            added(
                "pyproject.toml",
                "[tool.poetry.dependencies]\npython = \"^3.9\"\n"
            ),
            "[tool.poetry.dependencies]\nanyio = \">=4.16\"\npython = \"^3.9\"\n"
        );
        assert_eq!(
            added(
                "setup.cfg",
                "[options]\ninstall_requires =\n    httpx\n    idna\n[x]\ny = 1\n"
            ),
            "[options]\ninstall_requires =\n    httpx\n    idna\n    anyio>=4.16\n[x]\ny = 1\n"
        );
        assert_eq!(
            added("setup.cfg", "[options]\ninstall_requires = httpx\n"),
            "[options]\ninstall_requires = httpx, anyio>=4.16\n"
        );
        assert!(
            add_requirement("pyproject.toml", "[project]\nname = \"x\"\n", "anyio>=4.16").is_none()
        );
    }

    #[test]
    fn raises_a_requirement() {
        let text = "[project]\ndependencies = [\"anyio[trio]>=3.6,<5\", \"httpx\"]\n";
        let edit = raise_requirement("pyproject.toml", text, "anyio>=4.5").unwrap();
        assert_eq!(
            apply_edits(text, &[edit]),
            "[project]\ndependencies = [\"anyio[trio]>=4.5,<5\", \"httpx\"]\n"
        );
        let text = "[project]\ndependencies = [\"anyio>=3.6,<4\"]\n";
        let edit = raise_requirement("pyproject.toml", text, "anyio>=4.5").unwrap();
        assert_eq!(
            apply_edits(text, &[edit]),
            "[project]\ndependencies = [\"anyio>=4.5\"]\n"
        );
        let text = "[tool.poetry.dependencies]\nanyio = \"^3.6\"\n";
        let edit = raise_requirement("pyproject.toml", text, "anyio>=4.5").unwrap();
        assert_eq!(
            apply_edits(text, &[edit]),
            "[tool.poetry.dependencies]\nanyio = \">=4.5\"\n"
        );
    }

    #[test]
    fn package_code_is_not_tests() {
        assert!(is_package_code(Path::new("src/pkg/mod.py")));
        assert!(!is_package_code(Path::new("tests/helpers.py")));
        assert!(!is_package_code(Path::new("pkg/test_mod.py")));
        assert!(!is_package_code(Path::new("conftest.py")));
    }
}
