//! The invariant of the pytest-asyncio migration: after `--write` every test suite still starts
//! and passes as before on asyncio. Moving a suite (the tests one pytest configuration governs)
//! from pytest-asyncio to anyio's plugin is all or nothing: when anything the run cannot migrate
//! needs pytest-asyncio (a finding marked `blocks_switch`: a pytest-asyncio hook, a request of
//! `event_loop`, a plugin built on pytest-asyncio, an option that only lived on the command
//! line, ...), the whole suite stays on pytest-asyncio. Its configuration, markers and fixtures
//! keep their pytest-asyncio form; every other codemod still migrates its files (anyio runs on
//! the loop pytest-asyncio gives each test); each blocker stays a MANUAL finding, and the report
//! says once per suite that it was kept. pytest-asyncio's dependency then stays everywhere: one
//! environment serves every suite of the project.

use super::targets::{Derived, Finder};
use super::{
    ConfigFacts, ID, Texts, add_findings, common_prefix, migrate_configs_parts, original_text,
};
use crate::edit::Finding;
use crate::engine::{Migration, Options, ReportedFinding, Status};
use crate::outcome::FileOutcome;
use crate::target::Version;
use std::path::{Path, PathBuf};

/// A suite the run keeps on pytest-asyncio, for the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptSuite {
    /// The folder of its pytest configuration (or the common folder of its files).
    pub root: PathBuf,
    pub blockers: usize,
}

/// pytest plugins that import pytest-asyncio (each release's `Requires-Dist` names it): a suite
/// whose project depends on one keeps pytest-asyncio installed and running.
const NEEDS_PYTEST_ASYNCIO: &[&str] = &["pytest-aiohttp", "aresponses"];

/// What a kept suite's blocker adds to its message.
const KEPT: &str = "; until this is migrated the run keeps the suite on pytest-asyncio (its markers, fixtures, configuration and dependency stay as they are)";

/// Keep every suite with a blocker on pytest-asyncio: its Python files are migrated again
/// without the pytest-asyncio codemod, its configuration files are left as they are, and no
/// configuration file of the run drops pytest-asyncio as a dependency. Returns the kept suites.
pub fn keep_blocked_suites(
    outcomes: &mut [FileOutcome],
    facts: &mut ConfigFacts,
    (opts, targets): (&Options, &Finder),
) -> Vec<KeptSuite> {
    plugin_findings(outcomes, targets);
    let roots = super::folders(&facts.pytest_configs);
    let mut blocked: Vec<(Option<PathBuf>, usize)> = Vec::new();
    for o in outcomes.iter() {
        let n = o
            .migration
            .findings
            .iter()
            .filter(|f| f.finding.blocks_switch)
            .count();
        if n == 0 {
            continue;
        }
        let suite = suite_of(&o.path, &roots);
        match blocked.iter_mut().find(|(s, _)| *s == suite) {
            Some((_, total)) => *total += n,
            None => blocked.push((suite, n)),
        }
    }
    if blocked.is_empty() {
        return Vec::new();
    }
    let without: Vec<_> = opts
        .codemods
        .iter()
        .copied()
        .filter(|c| c.id != ID)
        .collect();
    let again = Options {
        codemods: &without,
        ..*opts
    };
    let is_kept = |path: &Path| {
        let suite = suite_of(path, &roots);
        blocked.iter().any(|(s, _)| *s == suite)
    };
    for o in outcomes.iter_mut() {
        for f in &mut o.migration.findings {
            if f.finding.blocks_switch && !f.finding.message.ends_with(KEPT) {
                f.finding.message.push_str(KEPT);
            }
        }
        if o.config || !is_kept(&o.path) {
            continue;
        }
        if super::rewritten(o) {
            remigrate(o, &again, targets);
        }
    }
    facts.unmarked.retain(|p| !is_kept(p));
    keep_configs(outcomes, targets, &is_kept);
    let mut kept: Vec<KeptSuite> = blocked
        .into_iter()
        .map(|(suite, blockers)| KeptSuite {
            root: match suite {
                Some(root) if root.as_os_str().is_empty() => PathBuf::from("."),
                Some(root) => root,
                None => common_folder(outcomes, &roots),
            },
            blockers,
        })
        .collect();
    kept.sort_by(|a, b| a.root.cmp(&b.root));
    kept
}

/// The suite a file belongs to: the deepest folder of a pytest configuration above it (`None`:
/// the files no configuration of the run governs).
pub(super) fn suite_of(path: &Path, roots: &[PathBuf]) -> Option<PathBuf> {
    roots
        .iter()
        .filter(|r| path.starts_with(r))
        .max_by_key(|r| r.components().count())
        .cloned()
}

/// The common folder of the files outside every configuration's folder.
fn common_folder(outcomes: &[FileOutcome], roots: &[PathBuf]) -> PathBuf {
    let mut dirs = outcomes
        .iter()
        .filter(|o| suite_of(&o.path, roots).is_none())
        .map(|o| o.path.parent().map(Path::to_path_buf).unwrap_or_default());
    let first = dirs.next().unwrap_or_default();
    let common = dirs.fold(first, |acc, d| common_prefix(&acc, &d));
    if common.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        common
    }
}

/// A Python file of a kept suite, migrated again from its original bytes by every codemod but
/// pytest-asyncio; its blockers stay.
fn remigrate(o: &mut FileOutcome, opts: &Options, targets: &Finder) {
    let blockers = take_blockers(&mut o.migration);
    migrate_again(o, opts, targets);
    o.migration.findings.extend(blockers);
    o.migration
        .findings
        .sort_by_key(|f| (f.line, f.column, f.finding.codemod));
}

/// A Python file migrated again from its original bytes with `opts` and the targets `targets`
/// gives it now; what the first migration found is dropped.
pub(super) fn migrate_again(o: &mut FileOutcome, opts: &Options, targets: &Finder) {
    let Some(texts) = Texts::of(o) else {
        return;
    };
    let text = if texts.bom {
        format!("\u{feff}{}", texts.original)
    } else {
        texts.original
    };
    // The original text encodes back to the file's bytes (checked when it was read).
    let Ok(bytes) = o.encoding.encode(&text) else {
        return;
    };
    let opts = Options {
        path: Some(&o.path),
        targets: targets.for_file(&o.path).targets,
        ..*opts
    };
    let FileOutcome {
        status,
        migration,
        encoding,
        ..
    } = FileOutcome::migrated(o.path.clone(), &bytes, &opts);
    o.status = status;
    o.migration = migration;
    o.encoding = encoding;
}

/// The findings of `migration` that block its suite's switch, taken out of it (the others are
/// dropped: the file is migrated again).
fn take_blockers(migration: &mut Migration) -> Vec<ReportedFinding> {
    migration
        .findings
        .drain(..)
        .filter(|f| f.finding.blocks_switch)
        .collect()
}

/// Configuration files of kept suites stay as they are (their blockers stay reported); every
/// other one is migrated without its dependency edits, so pytest-asyncio stays installed.
fn keep_configs(outcomes: &mut [FileOutcome], targets: &Finder, is_kept: &dyn Fn(&Path) -> bool) {
    for o in outcomes.iter_mut().filter(|o| o.config) {
        let blockers = take_blockers(&mut o.migration);
        let (status, mut migration) = if is_kept(&o.path) {
            (Status::Unchanged, Migration::default())
        } else {
            let (mut again, _) =
                migrate_configs_parts(std::slice::from_ref(&o.path), targets, false);
            match again.pop() {
                Some(c) => (c.status, c.migration),
                None => continue,
            }
        };
        migration.findings.extend(blockers);
        o.status = status;
        o.migration = migration;
    }
}

/// A dependency on a plugin built on pytest-asyncio (in a configuration or requirements file,
/// or loaded by a `conftest.py`'s `pytest_plugins`) blocks its suite's switch.
fn plugin_findings(outcomes: &mut [FileOutcome], targets: &Finder) {
    // One Python-floor blocker per folder of configuration files (pyproject.toml and tox.ini
    // side by side are one suite).
    let mut floor_reported: Vec<PathBuf> = Vec::new();
    for o in outcomes.iter_mut() {
        let conftest = o.path.file_name().is_some_and(|n| n == "conftest.py");
        if !o.config && !conftest {
            continue;
        }
        let Some(text) = original_text(o) else {
            continue;
        };
        let mut findings = Vec::new();
        for plugin in NEEDS_PYTEST_ASYNCIO {
            let module = plugin.replace('-', "_");
            let spellings: &[&str] = if conftest {
                &[&module]
            } else {
                &[plugin, &module]
            };
            let Some(at) = spellings.iter().find_map(|s| mention(&text, s)) else {
                continue;
            };
            if conftest && !text.contains("pytest_plugins") {
                continue;
            }
            findings.push(
                Finding::manual(
                    ID,
                    "plugin-needs-pytest-asyncio",
                    at,
                    format!("`{plugin}` is used by this project and runs on pytest-asyncio (it requires and imports it): without pytest-asyncio pytest cannot load it"),
                    format!("keep pytest-asyncio while `{plugin}` is used, or replace what the tests take from it with anyio-marked tests that build their servers and clients themselves"),
                )
                .blocking(),
            );
        }
        if o.config {
            let derived = targets.for_file(&o.path);
            let plugin = plugin_for_config(&derived, &text);
            if let Ok(plugin) = plugin
                && let Some(finding) = o
                    .path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|name| plugin_release_excluded(name, &text, &derived, plugin))
            {
                findings.push(finding);
            }
            let folder = o.path.parent().map(Path::to_path_buf).unwrap_or_default();
            if !floor_reported.contains(&folder)
                && let Err(needs) = plugin
            {
                findings.push(plugin_python_excluded(&derived, &text, needs));
                floor_reported.push(folder);
            }
        }
        add_findings(o, &text, findings);
    }
    unconfigured_floor(outcomes, targets);
}

/// Test files the pytest-asyncio codemod rewrote that no configuration file of the run
/// governs (the run was given the test folders only): the project's Python floor, read from its
/// metadata all the same, may install no release of anyio's plugin (anyio needs Python 3.7;
/// markers and fixtures need more of it than that): the first such file gets the blocker, and
/// the suite stays on pytest-asyncio, as it would with its configuration in the run. Found on a
/// probe of unseen projects: a Python 3.6 project's markers were moved to anyio's plugin.
fn unconfigured_floor(outcomes: &mut [FileOutcome], targets: &Finder) {
    let configs: Vec<PathBuf> = outcomes
        .iter()
        .filter(|o| o.config)
        .map(|o| o.path.parent().map(Path::to_path_buf).unwrap_or_default())
        .collect();
    let mut reported: Vec<String> = Vec::new();
    for o in outcomes.iter_mut() {
        if o.config
            || o.created
            || configs.iter().any(|c| o.path.starts_with(c))
            || !o.migration.applied.iter().any(|r| r.fix.codemod == ID)
        {
            continue;
        }
        let derived = targets.for_file(&o.path);
        let Err(needs) = plugin_for_config(&derived, "") else {
            continue;
        };
        let origin = derived.python_from.to_string();
        if reported.contains(&origin) {
            continue;
        }
        reported.push(origin);
        let Some(text) = original_text(o) else {
            continue;
        };
        add_findings(o, &text, vec![plugin_python_excluded(&derived, "", needs)]);
    }
}

/// The release of anyio's pytest plugin the suite of a configuration file could run on by its
/// project's oldest Python and what the file uses (`deps::plugin_for`: auto mode, the mode as
/// a command-line option), whatever the project's anyio requirement; `Err` with the release it
/// would need.
fn plugin_for_config(derived: &Derived, text: &str) -> Result<Version, Version> {
    super::deps::plugin_for(derived.targets.python, super::plugin_uses(text), &|_| true)
}

/// A project whose own anyio requirement (in this file) excludes every release of anyio's
/// pytest plugin the migrated suite could run on (`plugin`, the first of them): adding
/// `anyio>=plugin` for the tests beside it would make an unsatisfiable set, so the suite stays
/// on pytest-asyncio.
fn plugin_release_excluded(
    file_name: &str,
    text: &str,
    derived: &Derived,
    plugin: Version,
) -> Option<Finding> {
    use super::targets::{allows, anyio_requirement, constraints_of_requirement};
    let req = anyio_requirement(file_name, text)?;
    let allowed = |v| allows(constraints_of_requirement(&req), v);
    if super::deps::plugin_for(derived.targets.python, super::plugin_uses(text), &allowed).is_ok() {
        return None;
    }
    let at = mention(text, "anyio").unwrap_or(0);
    Some(
        Finding::manual(
            ID,
            "anyio-requirement-too-narrow",
            at,
            format!("the project requires `{req}`, which excludes anyio {plugin}, the release of anyio's pytest plugin the migrated tests run on (the oldest with what they use, `anyio_mode` among it, that the project's Python installs): adding `anyio>={plugin}` for the tests beside it would make an unsatisfiable set"),
            format!("allow anyio {plugin} in the requirement (e.g. raise its upper bound), then run the migration again; the library code is migrated for the anyio release the requirement allows"),
        )
        .blocking(),
    )
}

/// A project whose oldest Python cannot install a release of anyio's pytest plugin with what
/// the migrated suite uses (`needs`: anyio 4.11 for `anyio_mode`, 4.15 for `--anyio-mode`):
/// its tests would no longer install there, so the suite stays on pytest-asyncio. The floor
/// is the project's `requires-python` (or `--target-python`); with none, the default floor
/// installs it.
fn plugin_python_excluded(derived: &Derived, text: &str, needs: Version) -> Finding {
    let python = crate::target::python_floor_of_anyio(needs);
    let floor = derived.targets.python;
    let at = ["requires-python", "python_requires", "python ="]
        .iter()
        .find_map(|name| text.find(name))
        .unwrap_or(0);
    let what = if needs >= super::deps::PLUGIN_MODE_OPTION {
        "the `--anyio-mode` command-line option the configuration's `--asyncio-mode=auto` becomes"
    } else if needs >= super::deps::PLUGIN_ANYIO_MODE {
        "`anyio_mode`, for the configuration's `asyncio_mode = auto`"
    } else {
        "markers and async fixtures"
    };
    Finding::manual(
        ID,
        "python-too-old-for-plugin",
        at,
        format!("the project supports Python {floor} ({}), and anyio {needs}, the oldest release of anyio's pytest plugin with what the migrated tests use ({what}), installs on Python {python} and later: the tests could no longer be installed on Python {floor}", derived.python_from),
        format!("keep the tests on pytest-asyncio while Python {floor} is supported; once the project requires Python >= {python} (or with `--target-python {python}` when you drop the older ones), run the migration again"),
    )
    .blocking()
}

/// The first place `name` is written as a whole package name on a line that is not a comment.
fn mention(text: &str, name: &str) -> Option<usize> {
    let part = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    text.match_indices(name).map(|(at, _)| at).find(|&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        let line = &text[crate::source::line_start(text, at)..at];
        !before.is_some_and(part) && !after.is_some_and(part) && !line.trim_start().starts_with('#')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_belongs_to_the_deepest_configuration_above_it() {
        let roots = [PathBuf::new(), PathBuf::from("sub")];
        assert_eq!(
            suite_of(Path::new("tests/t.py"), &roots),
            Some(PathBuf::new())
        );
        assert_eq!(
            suite_of(Path::new("sub/tests/t.py"), &roots),
            Some(PathBuf::from("sub"))
        );
        assert_eq!(suite_of(Path::new("subway/t.py"), &roots[1..]), None);
    }

    #[test]
    fn a_plugin_is_mentioned_as_a_whole_name_outside_comments() {
        assert_eq!(mention("pytest-aiohttp==1.1\n", "pytest-aiohttp"), Some(0));
        assert_eq!(
            mention("x\n  \"pytest-aiohttp>=1\",", "pytest-aiohttp"),
            Some(5)
        );
        assert_eq!(mention("# pytest-aiohttp\n", "pytest-aiohttp"), None);
        assert_eq!(mention("pytest-aiohttp-extra\n", "pytest-aiohttp"), None);
        assert_eq!(mention("my_aresponses\n", "aresponses"), None);
    }
}
