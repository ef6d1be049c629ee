//! The project pass of the pytest-asyncio migration (spec §13): pytest configuration and
//! dependency files edited in place, and the `anyio_backend` fixture in the root `conftest.py`.
//! Runs after the Python files are migrated, because it looks at what they became.

pub mod conftest;
pub mod default_loop;
pub mod deps;
pub mod event_loop;
pub mod ini;
pub mod keep;
pub mod loop_wide_cancel;
pub mod marks;
pub mod node_ids;
pub mod options;
pub mod own_fixtures;
pub mod primitive_attrs;
pub mod pyproject;
pub mod reexports;
pub mod requirements;
pub mod runners;
pub mod runtime;
pub mod targets;
pub mod warnings;

use crate::codemods::Ctx;
use crate::codemods::pytest_asyncio::ID;
use crate::edit::{Edit, Finding, Fix, Verdict};
use crate::engine::{Migration, Reported, ReportedFinding, Status};
use crate::outcome::FileOutcome;
use crate::source::{self, SourceText, is_test_module, line_col, line_start};
use std::path::{Path, PathBuf};

pub use crate::discover::ConfigKind;

/// One edit of a config file, reported like a fix.
#[derive(Debug, Clone)]
pub struct ConfigEdit {
    /// The kind of the fix it is reported as (`Fix::kind`).
    pub kind: &'static str,
    /// The edit, as a fix's edits are.
    pub edit: Edit,
    /// Where the report points (byte offset in the original text).
    pub at: usize,
    pub note: String,
}

/// Something in a config file to finish by hand.
#[derive(Debug, Clone)]
pub struct ConfigFinding {
    /// The kind of the finding (`Finding::kind`).
    pub kind: &'static str,
    pub at: usize,
    pub message: String,
    pub suggestion: String,
}

/// The start of the line after the one `pos` is on (or the end of the text).
pub fn next_line(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1)
}

/// Apply edits in order with the splice Python edits use; an edit overlapping an earlier one
/// is dropped (never produced by the editors above, kept as a guard).
pub fn apply_edits(text: &str, edits: &[ConfigEdit]) -> String {
    let kept: Vec<Edit> = without_overlaps(edits.to_vec())
        .into_iter()
        .map(|e| e.edit)
        .collect();
    crate::edit::splice(text, &kept, false)
}

/// Edits that overlap an earlier one are left out of the report as well as the output, but
/// for two deletions (neighbouring options of one line, each taking the blank between them):
/// the first takes both ranges, the second stays in the report with an empty edit.
fn without_overlaps(mut edits: Vec<ConfigEdit>) -> Vec<ConfigEdit> {
    edits.sort_by_key(|e| (e.edit.range.start, e.edit.range.end));
    let mut out: Vec<ConfigEdit> = Vec::new();
    for mut e in edits {
        if let Some(l) = out.last_mut()
            && e.edit.range.start < l.edit.range.end
        {
            if l.edit.text.is_empty() && e.edit.text.is_empty() {
                let end = l.edit.range.end.max(e.edit.range.end);
                l.edit.range.end = end;
                e.edit = Edit::delete(end..end);
                out.push(e);
            }
            continue;
        }
        out.push(e);
    }
    out
}

/// A config file read for the project pass.
struct Config {
    path: PathBuf,
    kind: ConfigKind,
    src: Result<SourceText, Status>,
}

/// What the project pass learnt from the config files, for the conftest step.
#[derive(Debug, Default)]
pub struct ConfigFacts {
    /// Files that configure pytest (pytest.ini, `[tool.pytest...]`, `[tool:pytest]`, tox's
    /// `[pytest]`), as shown to the user.
    pub pytest_configs: Vec<PathBuf>,
    /// Test modules whose unmarked async tests only an auto mode set outside the run ran.
    pub unmarked: Vec<PathBuf>,
    /// Pytest configuration files whose auto mode becomes a marker on each async test
    /// (`deps::Uses::auto_as_markers`).
    pub marked: Vec<PathBuf>,
}

/// The folders of configuration files (a suite's root is its configuration's folder).
fn folders(configs: &[PathBuf]) -> Vec<PathBuf> {
    configs
        .iter()
        .map(|p| p.parent().map(Path::to_path_buf).unwrap_or_default())
        .collect()
}

/// Migrate the configuration and dependency files.
pub fn migrate_configs(
    paths: &[PathBuf],
    targets: &targets::Finder,
) -> (Vec<FileOutcome>, ConfigFacts) {
    migrate_configs_parts(paths, targets, true)
}

/// The release of anyio's pytest plugin the suite a configuration file belongs to runs on:
/// the first its project's oldest Python, the file's configuration and the project's anyio
/// requirement allow (`deps::plugin_for`; a suite that cannot have one is kept on
/// pytest-asyncio by `keep`, its dependency lists left as they are).
fn plugin_of(path: &Path, text: &str, targets: &targets::Finder) -> crate::target::Version {
    let derived = targets.for_file(path);
    let allows = |v| {
        derived
            .anyio_requirement
            .as_deref()
            .is_none_or(|r| targets::allows(targets::constraints_of_requirement(r), v))
    };
    match deps::plugin_for(derived.targets.python, plugin_uses(text), &allows) {
        Ok(v) | Err(v) => v,
    }
}

/// What a configuration file asks of anyio's plugin: auto mode, and whether as a command-line
/// option (`--asyncio-mode=auto`, which becomes `--anyio-mode=auto`).
pub(super) fn plugin_uses(text: &str) -> deps::Uses {
    let option = text.lines().any(|l| {
        let l = l.trim_start();
        !l.starts_with(['#', ';'])
            && (l.contains("--asyncio-mode=auto") || l.contains("--asyncio-mode auto"))
    });
    deps::Uses {
        auto_mode: sets_auto_mode(text),
        mode_option: option,
        custom_collection: text.lines().any(|l| {
            ["python_files", "python_classes", "python_functions"]
                .iter()
                .any(|key| {
                    l.trim_start()
                        .strip_prefix(key)
                        .is_some_and(|rest| rest.trim_start().starts_with(['=', ':']))
                })
        }),
    }
}

/// Migrate the configuration files; their dependency lists too with `edit_deps` (pytest-asyncio
/// replaced by the anyio the suite's plugin needs).
fn migrate_configs_parts(
    paths: &[PathBuf],
    targets: &targets::Finder,
    edit_deps: bool,
) -> (Vec<FileOutcome>, ConfigFacts) {
    let configs: Vec<Config> = paths
        .iter()
        .filter_map(|p| {
            let kind = ConfigKind::of(p)?;
            let src = match std::fs::read(p) {
                Ok(bytes) => SourceText::decode(&bytes).map_err(|r| Status::Skipped(r.to_string())),
                Err(e) => Err(Status::Failed(format!("cannot read: {e}"))),
            };
            Some(Config {
                path: p.clone(),
                kind,
                src,
            })
        })
        .collect();
    let runtime_ok = |plugin| {
        configs.iter().any(|c| {
            let Ok(src) = &c.src else { return false };
            match c.kind {
                ConfigKind::Pyproject => pyproject::runtime_anyio(&src.text, plugin),
                ConfigKind::Ini(f) => ini::runtime_anyio(&src.text, f, plugin),
                ConfigKind::Requirements => {
                    c.path.file_name().is_some_and(|n| n == "requirements.txt")
                        && requirements::runtime_anyio(&src.text, plugin)
                }
            }
        })
    };
    let needs: Vec<(Option<deps::Deps>, bool)> = configs
        .iter()
        .map(|c| {
            let text = c.src.as_ref().map_or("", |s| s.text.as_str());
            let plugin = plugin_of(&c.path, text, targets);
            let markers = plugin_uses(text).auto_as_markers(plugin);
            let deps = edit_deps.then(|| deps::Deps {
                plugin,
                runtime_ok: runtime_ok(plugin),
            });
            (deps, markers)
        })
        .collect();
    let mut facts = ConfigFacts::default();
    let mut outcomes = Vec::new();
    for (c, (needs, markers)) in configs.into_iter().zip(needs) {
        let src = match c.src {
            Ok(src) => src,
            Err(status) => {
                outcomes.push(FileOutcome::config(c.path, status, Migration::default()));
                continue;
            }
        };
        let configures = match c.kind {
            ConfigKind::Pyproject => pyproject::configures_pytest(&src.text),
            ConfigKind::Ini(f) => ini::configures_pytest(&src.text, f),
            ConfigKind::Requirements => false,
        };
        if configures {
            facts.pytest_configs.push(c.path.clone());
            if markers {
                facts.marked.push(c.path.clone());
            }
        }
        let (status, migration) = migrate_config(&src, c.kind, needs, markers);
        outcomes.push(FileOutcome::config(c.path, status, migration));
    }
    (outcomes, facts)
}

/// `deps`: what to replace the pytest-asyncio dependency with, `None` to leave every
/// dependency list as it is.
fn migrate_config(
    src: &SourceText,
    kind: ConfigKind,
    deps: Option<deps::Deps>,
    markers: bool,
) -> (Status, Migration) {
    let text = &src.text;
    let result = match (kind, deps) {
        (ConfigKind::Pyproject, _) => {
            pyproject::migrate_parts(text, deps, markers).map(|e| (e, Vec::new()))
        }
        (ConfigKind::Ini(f), _) => {
            ini::migrate_parts(text, f, deps, markers).map(|e| (e, Vec::new()))
        }
        (ConfigKind::Requirements, Some(needs)) => Ok(requirements::migrate(text, needs)),
        (ConfigKind::Requirements, None) => Ok((Vec::new(), Vec::new())),
    };
    let (edits, findings) = match result {
        Ok(r) => r,
        Err(why) => {
            return (
                Status::Skipped(format!("does not parse, left unchanged: {why}")),
                Migration::default(),
            );
        }
    };
    let edits = without_overlaps(edits);
    let output = apply_edits(text, &edits);
    let check = match kind {
        ConfigKind::Pyproject => pyproject::check(&output),
        ConfigKind::Ini(_) => ini::parse(&output).map(|_| ()),
        ConfigKind::Requirements => Ok(()),
    };
    if let Err(why) = check {
        return (
            Status::Failed(format!(
                "the edited file would not parse ({why}); it was left unchanged. This is a bug in anyio-migrate: please report it with this file"
            )),
            Migration::default(),
        );
    }
    let applied = edits
        .into_iter()
        .map(|e| {
            let (line, column) = line_col(text, e.at);
            let verdict = if e.kind == "shared-test-loop" {
                Verdict::Unsafe
            } else {
                Verdict::Safe
            };
            let fix = Fix::new(ID, e.kind, e.at, verdict, vec![e.edit])
                .needs_only(&[])
                .note(e.note);
            Reported::at(fix, line, column)
        })
        .collect();
    let findings = findings
        .into_iter()
        .map(|f| {
            let (line, column) = line_col(text, f.at);
            ReportedFinding::at(
                Finding::manual(ID, f.kind, f.at, f.message, f.suggestion),
                line,
                column,
            )
        })
        .collect();
    let migration = Migration {
        output: output.clone(),
        applied,
        withheld: Vec::new(),
        findings,
        suppressed: 0,
        reexports: Vec::new(),
        imports: None,
    };
    let status = if output == *text {
        Status::Unchanged
    } else {
        Status::Changed {
            before: with_bom(src, text),
            after: with_bom(src, &output),
        }
    };
    (status, migration)
}

fn with_bom(src: &SourceText, text: &str) -> String {
    if src.bom {
        format!("\u{feff}{text}")
    } else {
        text.to_owned()
    }
}

// ---------------------------------------------------------------------------------------------
// Async tests without a marker

/// A file the run moves to anyio's plugin: the codemod rewrote it, or its async tests ran in
/// an auto mode set outside the run.
fn migrates(o: &FileOutcome, facts: &ConfigFacts) -> bool {
    rewritten(o) || facts.unmarked.contains(&o.path)
}

/// The pytest-asyncio codemod (or a project pass in its name) rewrote the file: a config or
/// test file of a suite the run moves to anyio's plugin.
fn rewritten(o: &FileOutcome) -> bool {
    o.migration.applied.iter().any(|r| r.fix.codemod == ID)
}

/// Test modules whose async tests carry no marker at all, in a run where no configuration (of
/// the run, or the one pytest reads for the paths) sets pytest-asyncio's auto mode: pytest-asyncio
/// ran them only in auto mode set elsewhere (`-o asyncio_mode=auto` or `--asyncio-mode=auto` on
/// the command line, an environment's `PYTEST_ADDOPTS`), which anyio's plugin does not read.
/// Each module gets one MANUAL finding; the run then adds the `anyio_backend` fixture too.
pub fn unmarked_async_tests(
    outcomes: &mut [FileOutcome],
    facts: &mut ConfigFacts,
    paths: &[PathBuf],
) {
    let text_of = |o: &FileOutcome| match &o.status {
        Status::Changed { before, .. } => Some(before.clone()),
        Status::Unchanged => std::fs::read_to_string(&o.path).ok(),
        _ => None,
    };
    let auto_in_run = outcomes
        .iter()
        .filter(|o| o.config)
        .filter_map(text_of)
        .any(|t| sets_auto_mode(&t));
    let auto_outside = governing_config(paths)
        .and_then(|p| std::fs::read_to_string(p).ok())
        .is_some_and(|t| sets_auto_mode(&t));
    if auto_in_run || auto_outside {
        return;
    }
    for o in outcomes
        .iter_mut()
        .filter(|o| !o.config && is_test_module(&o.path))
    {
        let text = match &o.status {
            Status::Changed { after, .. } => after.clone(),
            Status::Unchanged => match o.read_text() {
                Some(t) => t,
                None => continue,
            },
            _ => continue,
        };
        if ["mark.anyio", "mark.asyncio", "pytestmark", "anyio_backend"]
            .iter()
            .any(|m| text.contains(m))
        {
            continue;
        }
        let starts: Vec<usize> = text
            .match_indices("async def test")
            .map(|(at, _)| at)
            .filter(|&at| pytest_collects(&text, at) && !other_plugin_marks(&text, at))
            .collect();
        let Some(&at) = starts.first() else {
            continue;
        };
        let finding = Finding::manual(
            ID,
            "unmarked-async-tests",
            at,
            format!(
                "{} async test(s) in this module carry no marker, and no configuration of this run sets asyncio_mode = auto: pytest-asyncio ran them only in auto mode set elsewhere (`-o asyncio_mode=auto` or `--asyncio-mode=auto` on the command line, PYTEST_ADDOPTS); anyio's plugin does not read those, so they fail (\"async def functions are not natively supported\")",
                starts.len()
            ),
            "switch that setting to anyio's (`-o anyio_mode=auto` / `--anyio-mode=auto`), or set `anyio_mode = auto` in the pytest configuration, or mark the tests (`pytestmark = pytest.mark.anyio`)",
        )
        .blocking();
        add_findings(o, &text, vec![finding]);
        facts.unmarked.push(o.path.clone());
    }
}

/// The markers of other async plugins (pytest-trio's `@pytest.mark.trio`, pytest-curio's
/// `@pytest.mark.curio`, pytest-tornasync's `@pytest.mark.gen_test`): that plugin runs a test
/// so marked, whichever pytest-asyncio mode is set.
const OTHER_PLUGIN_MARKS: &[&str] = &["mark.trio", "mark.curio", "mark.gen_test"];

/// A decorator's text names another async plugin's marker (`OTHER_PLUGIN_MARKS`).
fn marks_for_other_plugin(decorator: &str) -> bool {
    OTHER_PLUGIN_MARKS.iter().any(|m| decorator.contains(m))
}

/// The decorators of the `async def test...` at `at` mark it for another async plugin.
fn other_plugin_marks(text: &str, at: usize) -> bool {
    text[..line_start(text, at)]
        .lines()
        .rev()
        .map(str::trim)
        .take_while(|l| l.starts_with('@') || l.is_empty() || l.starts_with('#'))
        .any(marks_for_other_plugin)
}

/// An `async def test...` at `at` that pytest itself collects: a module-level function, or a
/// method of a module-level `class Test...:` without bases. Methods of unittest classes
/// (`IsolatedAsyncioTestCase`) and nested functions are not pytest-asyncio's.
fn pytest_collects(text: &str, at: usize) -> bool {
    let start = line_start(text, at);
    let indent = &text[start..at];
    if !indent.trim().is_empty() {
        return false;
    }
    if indent.is_empty() {
        return true;
    }
    let Some(owner) = text[..start].lines().rev().find(|l| {
        !l.trim().is_empty() && !l.starts_with(indent) && !l.trim_start().starts_with('#')
    }) else {
        return false;
    };
    owner.starts_with("class Test")
        && owner.split_once('(').is_none_or(|(_, bases)| {
            matches!(
                bases
                    .trim_end()
                    .trim_end_matches(':')
                    .trim_end_matches(')')
                    .trim(),
                "" | "object"
            )
        })
}

/// A pytest configuration text that turns auto mode on, pytest-asyncio's or (after a first
/// run) anyio's.
fn sets_auto_mode(text: &str) -> bool {
    text.lines().any(|line| {
        ["asyncio_mode", "asyncio-mode", "anyio_mode", "anyio-mode"]
            .iter()
            .any(|key| {
                line.split_once(key).is_some_and(|(_, rest)| {
                    rest.trim_start().strip_prefix('=').is_some_and(|v| {
                        v.trim_start()
                            .trim_start_matches(['"', '\''])
                            .starts_with("auto")
                    })
                })
            })
    })
}

use crate::discover::common_prefix;

// ---------------------------------------------------------------------------------------------
// Sync tests requesting async fixtures of a conftest.py

/// The text a Python outcome had before the run (BOM dropped).
fn original_text(o: &FileOutcome) -> Option<String> {
    let text = match &o.status {
        Status::Changed { before, .. } if !o.created => before.clone(),
        Status::Unchanged => o.read_text()?,
        _ => return None,
    };
    Some(
        text.strip_prefix('\u{feff}')
            .map_or(text.clone(), str::to_owned),
    )
}

/// A Python outcome's texts for a project-pass edit (BOM dropped): the original and the
/// migrated one, and whether the file has a BOM.
struct Texts {
    original: String,
    current: String,
    bom: bool,
}

impl Texts {
    fn of(o: &FileOutcome) -> Option<Self> {
        let original = original_text(o)?;
        let bom =
            matches!(&o.status, Status::Changed { before, .. } if before.starts_with('\u{feff}'));
        let current = match &o.status {
            Status::Changed { after, .. } => {
                after.strip_prefix('\u{feff}').unwrap_or(after).to_owned()
            }
            _ => original.clone(),
        };
        Some(Self {
            original,
            current,
            bom,
        })
    }

    /// Where byte `at` of the migrated text was in the file as it was: the same place of the
    /// same line where the migration left that line as it was, else the start of the last
    /// line before it that it left so (the start of the file when there is none).
    fn original_offset(&self, at: usize) -> usize {
        // 1-based, as `line_col` and `offset_of` count.
        let (line, column) = source::line_col(&self.current, at);
        let diff = similar::TextDiff::from_lines(&self.original, &self.current);
        let mut found = 0;
        for op in diff.ops() {
            let (old, new) = (op.old_range(), op.new_range());
            if new.start >= line {
                break;
            }
            if op.tag() == similar::DiffTag::Equal {
                let taken = (line - 1 - new.start).min(new.len().saturating_sub(1));
                if new.contains(&(line - 1)) {
                    return source::offset_of(&self.original, old.start + taken + 1, column);
                }
                found = source::offset_of(&self.original, old.start + taken + 1, 1);
            }
        }
        found
    }

    /// The migrated text with `edits` (in its coordinates) applied, when that parses cleanly.
    fn edited(&self, edits: Vec<Edit>) -> Option<String> {
        let crlf = self.current.contains("\r\n");
        let next = crate::edit::splice(&self.current, &crate::edit::normalize(edits), crlf);
        let parses = source::new_parser()
            .ok()
            .and_then(|mut p| source::parse(&mut p, &next).ok())
            .is_some_and(|t| source::is_clean(&t, &next));
        parses.then_some(next)
    }

    /// Make `next` the outcome's migrated text (the BOM put back on both sides).
    fn set_after(&self, o: &mut FileOutcome, next: &str) {
        let with = |t: &str| {
            if self.bom {
                format!("\u{feff}{t}")
            } else {
                t.to_owned()
            }
        };
        o.status = Status::Changed {
            before: with(&self.original),
            after: with(next),
        };
    }
}

/// Add a project pass's findings about `text` (the file's original text) to its outcome, in
/// the order of the report.
fn add_findings(o: &mut FileOutcome, text: &str, findings: Vec<Finding>) {
    if findings.is_empty() {
        return;
    }
    for finding in findings {
        let (line, column) = line_col(text, finding.at);
        o.migration
            .findings
            .push(ReportedFinding::at(finding, line, column));
    }
    o.migration.findings.sort_by_key(|f| (f.line, f.column));
}

/// The test function holding byte `at` of `ctx`'s text, as `Class.test` (or `test`).
fn test_at(ctx: &Ctx, at: usize) -> Option<String> {
    let node = ctx.tree.root_node().descendant_for_byte_range(at, at)?;
    let func = std::iter::once(node)
        .chain(ctx.ancestors(node))
        .find(|n| n.kind() == "function_definition")?;
    let name = ctx.text_of(func.child_by_field_name("name")?);
    let class = crate::analysis::syntax::enclosing_class(ctx.resolver, func)
        .and_then(|c| c.child_by_field_name("name"))
        .map(|n| ctx.text_of(n));
    Some(class.map_or_else(|| name.to_owned(), |c| format!("{c}.{name}")))
}

/// A `conftest.py`'s folder and path, its async fixtures (and those built on them), and its
/// autouse fixtures.
type ConftestFixtures = (PathBuf, PathBuf, Vec<String>, Vec<String>);

/// A sync test that requests an async fixture defined in a `conftest.py` above it errors
/// under anyio's plugin unless it uses `anyio_backend` (pytest-asyncio's auto mode ran such
/// fixtures): the test is marked `@pytest.mark.usefixtures("anyio_backend")` in the file's
/// migrated text (`pytest_asyncio::conftest_fixture_outcomes`), or reported where that cannot
/// be done. Fixtures of the test's own module are the codemod's business.
pub fn sync_tests_of_conftest_fixtures(outcomes: &mut [FileOutcome], facts: &ConfigFacts) {
    if !outcomes.iter().any(|o| migrates(o, facts)) {
        return;
    }
    let is_conftest = |o: &FileOutcome| o.path.file_name().is_some_and(|n| n == "conftest.py");
    // (folder, conftest.py, its async fixtures (and those built on them), its autouse ones)
    let conftests: Vec<ConftestFixtures> = outcomes
        .iter()
        .filter(|o| is_conftest(o) && !o.config)
        .filter_map(|o| {
            let text = original_text(o)?;
            let (names, autouse) = Ctx::with_stars(&text, &o.stars, |ctx| {
                use crate::codemods::pytest_asyncio as pa;
                let names = pa::async_reaching(ctx, pa::fixture_names(ctx, true));
                (names, pa::autouse_fixture_names(ctx))
            })?;
            let dir = o.path.parent().map(Path::to_path_buf).unwrap_or_default();
            (!names.is_empty()).then(|| (dir, o.path.clone(), names, autouse))
        })
        .collect();
    if conftests.is_empty() {
        return;
    }
    for o in outcomes.iter_mut() {
        if o.config || o.created || is_conftest(o) {
            continue;
        }
        for (dir, conftest, names, autouse) in &conftests {
            if o.path.starts_with(dir) {
                mark_sync_tests(o, (names, autouse), &conftest.display().to_string());
            }
        }
    }
}

/// Mark (or report) the sync tests of `o` that request one of `names`, async fixtures of the
/// `conftest.py` shown as `conftest`.
fn mark_sync_tests(o: &mut FileOutcome, (names, autouse): (&[String], &[String]), conftest: &str) {
    use crate::codemods::pytest_asyncio::conftest_fixture_outcomes;
    use crate::edit::Outcome;
    let Some(texts) = Texts::of(o) else {
        return;
    };
    let stars = o.stars.clone();
    // Where the report points (the original text) and what to edit (the migrated one): the
    // same tests in the same order, the migration adds and removes none.
    // Each outcome with the test it is about (`Class.test`), to pair the two texts' by test.
    let tagged = |text: &str| {
        Ctx::with_stars(text, &stars, |ctx| {
            conftest_fixture_outcomes(ctx, names, autouse, conftest)
                .into_iter()
                .map(|out| {
                    let at = match &out {
                        Outcome::Fix(f) => f.at,
                        Outcome::Finding(f) => f.at,
                    };
                    (test_at(ctx, at), out)
                })
                .collect::<Vec<_>>()
        })
    };
    let (Some(original), Some(current)) = (tagged(&texts.original), tagged(&texts.current)) else {
        return;
    };
    // A test the migrated text already marks (the codemod did, for an autouse fixture of its
    // own module) needs nothing more.
    let at_original: Vec<Outcome> = original
        .into_iter()
        .filter(|(test, _)| current.iter().any(|(t, _)| t == test))
        .map(|(_, out)| out)
        .collect();
    let at_current: Vec<Outcome> = current.into_iter().map(|(_, out)| out).collect();
    if at_original.is_empty() {
        return;
    }
    let edits: Vec<Edit> = at_current
        .iter()
        .filter_map(|c| match c {
            Outcome::Fix(f) => Some(f.edits.clone()),
            Outcome::Finding(_) => None,
        })
        .flatten()
        .collect();
    let kinds_match = at_original.len() == at_current.len()
        && at_original
            .iter()
            .zip(&at_current)
            .all(|(a, b)| matches!(a, Outcome::Fix(_)) == matches!(b, Outcome::Fix(_)));
    let next = texts.edited(edits).filter(|_| kinds_match);
    let mut findings = Vec::new();
    for outcome in at_original {
        match outcome {
            Outcome::Fix(fix) if next.is_some() => {
                let (line, column) = line_col(&texts.original, fix.at);
                o.migration.applied.push(Reported::at(fix, line, column));
            }
            Outcome::Fix(fix) => findings.push(
                Finding::manual(
                    ID,
                    "unmarked-sync-test",
                    fix.at,
                    fix.note.unwrap_or_default(),
                    "mark the test `@pytest.mark.usefixtures(\"anyio_backend\")`",
                )
                .blocking(),
            ),
            Outcome::Finding(f) => findings.push(f),
        }
    }
    if let Some(next) = next.filter(|n| *n != texts.current) {
        texts.set_after(o, &next);
        o.migration.applied.sort_by_key(|r| (r.line, r.column));
    }
    add_findings(o, &texts.original, findings);
}

// ---------------------------------------------------------------------------------------------
// Leftovers outside the paths given

/// Python files outside the paths given, or excluded from the run, under the folder of a config
/// file this run switches to anyio, that still use pytest-asyncio: once pytest-asyncio is gone
/// their tests fail (pytest collects them whatever the run excluded), so each is reported (a
/// MANUAL finding at its first pending rewrite).
///
/// In a suite whose auto mode becomes markers (`marks`), a test module with unmarked async
/// tests is reported the same way: they no longer run once the auto mode is deleted.
pub fn leftovers(
    outcomes: &[FileOutcome],
    walk: &crate::discover::Walk,
    facts: &ConfigFacts,
) -> Vec<FileOutcome> {
    let Some(codemod) = crate::registry::find(ID) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = outcomes
        .iter()
        .filter(|o| o.config && matches!(o.status, Status::Changed { .. }))
        .map(|o| match o.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    // The user's excludes do not hide a test module from pytest.
    let everything = crate::discover::Walk {
        excludes: &[],
        ..*walk
    };
    let mut candidates = if dirs.is_empty() {
        Vec::new()
    } else {
        crate::discover::discover(&dirs, &everything).map_or_else(|_| Vec::new(), |f| f.files)
    };
    let conftests = ancestor_conftests(outcomes);
    candidates.extend(conftests.iter().cloned());
    let mut seen: Vec<PathBuf> = outcomes
        .iter()
        .map(|o| std::fs::canonicalize(&o.path).unwrap_or_else(|_| o.path.clone()))
        .collect();
    let codemods = [codemod];
    let opts = crate::engine::Options::alone(&codemods, crate::target::Targets::default());
    let roots = folders(&facts.pytest_configs);
    let marked = folders(&facts.marked);
    let mut out = Vec::new();
    for path in candidates {
        let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if seen.contains(&real) {
            continue;
        }
        seen.push(real);
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let (_, m) = crate::engine::migrate_bytes(&bytes, &opts);
        // Only what breaks without pytest-asyncio: markers, its fixtures and imports.
        let first = m
            .applied
            .iter()
            .find(|r| r.fix.verdict != Verdict::SafeEdge);
        let unmarked = || {
            is_test_module(&path)
                && marks::in_marked_suite(&path, &roots, &marked)
                && std::str::from_utf8(&bytes).is_ok_and(marks::needs_markers)
        };
        let first = match first {
            Some(first) => first.clone(),
            None if unmarked() => Reported::at(
                Fix::new(ID, "auto-mode-markers", 0, Verdict::Safe, Vec::new()),
                1,
                1,
            ),
            None => continue,
        };
        let pending = m.applied.len().max(1);
        let excluded = crate::discover::excluded(&path, walk.excludes).unwrap_or(false);
        let (where_, how) = if excluded {
            (
                "excluded from this run",
                "without the --exclude (or the settings' exclude) that matches it",
            )
        } else {
            ("outside the paths given", "")
        };
        let why = if conftests.contains(&path) {
            format!(
                "{where_}, this conftest.py, which pytest loads for tests migrated here, still uses pytest-asyncio ({pending} rewrite(s) pending): those tests fail once pytest-asyncio is uninstalled"
            )
        } else {
            format!(
                "{where_}, this file still uses pytest-asyncio ({pending} rewrite(s) pending) while the configuration is switched to anyio's plugin: its tests fail once pytest-asyncio is uninstalled"
            )
        };
        let finding = Finding::manual(
            ID,
            "file-outside-paths",
            first.fix.at,
            why,
            format!(
                "migrate it in the same change: anyio-migrate {}{}{how}",
                path.display(),
                if how.is_empty() { "" } else { ", " },
            ),
        )
        .blocking();
        out.push(reported_outside(path, finding, &first));
    }
    out
}

/// A Python file of the run that pytest loads as test code: a test module or a conftest.py.
fn is_test_file(o: &FileOutcome) -> bool {
    !o.config && (is_test_module(&o.path) || o.path.file_name().is_some_and(|n| n == "conftest.py"))
}

/// The conftest.py files beside and above the run's test modules and conftest.py files, up to
/// the project's top folder (`discover::is_project_root`), the run's own among them: pytest
/// loads them for those tests, so one that still uses pytest-asyncio keeps their suite on it.
fn ancestor_conftests(outcomes: &[FileOutcome]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    let mut dirs: Vec<PathBuf> = outcomes
        .iter()
        .filter(|o| is_test_file(o))
        .filter_map(|o| {
            std::fs::canonicalize(&o.path)
                .ok()
                .and_then(|p| p.parent().map(Path::to_path_buf))
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        // Without a top folder, pytest's root is the tests' own folder: none above it count.
        let Some(top) = dir.ancestors().position(crate::discover::is_project_root) else {
            continue;
        };
        for folder in dir.ancestors().take(top + 1) {
            let conftest = crate::discover::clean(&folder.join("conftest.py"));
            if !out.contains(&conftest) && conftest.is_file() {
                out.push(conftest);
            }
        }
    }
    out
}

/// A file outside the run's paths, left unchanged, with one finding at the spot of `first`.
/// It is not one of the run's configs, so later passes never take it for one.
fn reported_outside(path: PathBuf, finding: Finding, first: &Reported) -> FileOutcome {
    reported_at(path, finding, first.line, first.column)
}

/// A file outside the run's own files, left unchanged, with one finding at `line`:`column`.
fn reported_at(path: PathBuf, finding: Finding, line: usize, column: usize) -> FileOutcome {
    let migration = Migration {
        findings: vec![ReportedFinding::at(finding, line, column)],
        ..Migration::default()
    };
    FileOutcome {
        migration,
        config: false,
        ..FileOutcome::config(path, Status::Unchanged, Migration::default())
    }
}

/// The pytest configuration that governs a test suite migrated in this run, when it lies
/// outside the paths given and still configures pytest-asyncio: once pytest-asyncio is
/// uninstalled pytest rejects its `asyncio_*` keys (an error under `filterwarnings = error`), so
/// it is reported with the command that migrates it too. It is found as pytest finds its
/// configuration: in the common folder of the paths or the nearest folder above it, the first of
/// pytest.ini, .pytest.ini, pyproject.toml, tox.ini, setup.cfg that configures pytest.
pub fn outside_config(
    paths: &[PathBuf],
    outcomes: &[FileOutcome],
    targets: &targets::Finder,
) -> Option<FileOutcome> {
    if !outcomes.iter().any(is_test_file) {
        return None;
    }
    let config = governing_config(paths)?;
    let real = std::fs::canonicalize(&config).ok()?;
    let seen = outcomes
        .iter()
        .any(|o| o.config && std::fs::canonicalize(&o.path).is_ok_and(|p| p == real));
    if seen {
        return None;
    }
    let shown = shown(&real);
    let (outcome, _) = migrate_configs(std::slice::from_ref(&shown), targets);
    let outcome = outcome.into_iter().next()?;
    let first = outcome.migration.applied.first()?;
    let pending = outcome.migration.applied.len();
    let finding = Finding::manual(
        ID,
        "config-outside-paths",
        first.fix.at,
        format!(
            "this pytest configuration governs the tests migrated here but is outside the paths given, and still configures pytest-asyncio ({pending} edit(s) pending): once pytest-asyncio is uninstalled pytest rejects its asyncio options"
        ),
        format!(
            "migrate it in the same change: anyio-migrate --write {}",
            shown.display()
        ),
    );
    Some(reported_outside(shown, finding, first))
}

/// The file pytest would read its configuration from for these paths.
/// An absolute path as the report shows it: relative to the working folder when under it.
fn shown(real: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| real.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| real.to_path_buf())
}

fn governing_config(paths: &[PathBuf]) -> Option<PathBuf> {
    crate::discover::real_common_folder(paths)?
        .ancestors()
        .find_map(|dir| pytest_config_in(dir).map(|(path, _)| path))
}

/// The first of pytest's configuration files in `dir` that configures pytest, with its text:
/// pytest.ini, .pytest.ini, pyproject.toml, tox.ini, setup.cfg, in pytest's order.
pub fn pytest_config_in(dir: &Path) -> Option<(PathBuf, String)> {
    [
        "pytest.ini",
        ".pytest.ini",
        "pyproject.toml",
        "tox.ini",
        "setup.cfg",
    ]
    .iter()
    .map(|name| dir.join(name))
    .find_map(|path| {
        let text = std::fs::read_to_string(&path).ok()?;
        let configures = match ConfigKind::of(&path) {
            Some(ConfigKind::Pyproject) => pyproject::configures_pytest(&text),
            Some(ConfigKind::Ini(f)) => ini::configures_pytest(&text, f),
            // `.pytest.ini`: always pytest's, but not a file the project pass edits.
            _ => path.file_name().is_some_and(|n| n == ".pytest.ini"),
        };
        configures.then_some((path, text))
    })
}

#[cfg(test)]
mod tests {
    use super::Texts;

    #[test]
    fn an_offset_of_the_migrated_text_maps_back_to_the_file_as_it_was() {
        let texts = Texts {
            original: "import asyncio\n\nasync def test_a():\n    await asyncio.sleep(0)\n\nasync def test_b():\n    pass\n".to_owned(),
            current: "import asyncio\n\nimport anyio\n\n@mark\nasync def test_a():\n    await anyio.sleep(0)\n\nasync def test_b():\n    pass\n".to_owned(),
            bom: false,
        };
        let at = |t: &str, s: &str| t.find(s).unwrap();
        // An unchanged line: the same place in it.
        let b = texts.original_offset(at(&texts.current, "def test_b"));
        assert_eq!(b, at(&texts.original, "def test_b"));
        let a = texts.original_offset(at(&texts.current, "async def test_a"));
        assert_eq!(a, at(&texts.original, "async def test_a"));
        // A changed line: the start of the last unchanged line before it.
        let sleep = texts.original_offset(at(&texts.current, "await anyio"));
        assert_eq!(sleep, at(&texts.original, "async def test_a"));
        // Before any unchanged line: the start of the file.
        let first = Texts {
            original: "x = 1\n".to_owned(),
            current: "y = 2\n".to_owned(),
            bom: false,
        };
        assert_eq!(first.original_offset(3), 0);
    }
}
