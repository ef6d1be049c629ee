//! Apply planned fixes: non-overlapping splices, re-parse, repeat to a fixpoint; refuse any
//! output with new syntax errors and name the codemod that produced it.

use crate::analysis::patches::{Patch, Patches};
use crate::codemods::Ctx;
use crate::edit::{Edit, Finding, Fix, Import, Outcome};
pub use crate::edit::{normalize, splice, splice_within};
use crate::imports;
use crate::prefilter::Needles;
use crate::query;
use crate::registry::Codemod;
use crate::resolve::Resolver;
use crate::source::{self, line_col};
use crate::verify;
use std::collections::BTreeSet;
use tree_sitter::{Parser, Tree};

/// Passes before we call a file non-converging (a codemod bug).
pub const MAX_PASSES: usize = 32;

#[derive(Clone, Copy)]
pub struct Options<'a> {
    pub codemods: &'a [&'static Codemod],
    pub safe_only: bool,
    /// asyncio functions the project replaces at run time: a rewrite that would take a call
    /// of one out of the patch's reach is refused (`analysis::patches`).
    pub patches: &'a Patches,
    /// The file being migrated, when there is one: names of its module that the project
    /// patches (`patch("pkg.mod.sleep")`) are looked up by it.
    pub path: Option<&'a std::path::Path>,
    /// The oldest anyio and Python the output must run on.
    pub targets: crate::target::Targets,
    /// The codes and ids the run leaves out or suppresses in this file.
    pub filter: &'a crate::suppress::Filter,
    /// `--interactive`: each rewrite is applied only when the reviewer accepts it.
    pub review: Option<&'a crate::review::Reviewer>,
}

/// A fix as reported: positions in the original text.
#[derive(Debug, Clone)]
pub struct Reported {
    pub fix: Fix,
    pub line: usize,
    pub column: usize,
    /// Line and column just past the rewritten region (the spot itself when it has none).
    pub end: (usize, usize),
}

impl Reported {
    /// A rewrite reported at one point (config edits, project-pass notes).
    pub fn at(fix: Fix, line: usize, column: usize) -> Self {
        Self {
            fix,
            line,
            column,
            end: (line, column),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReportedFinding {
    pub finding: Finding,
    pub line: usize,
    pub column: usize,
    /// Line and column just past the code the finding is about: the largest expression (or
    /// the simple statement) that starts at the spot, on the original text.
    pub end: (usize, usize),
}

impl ReportedFinding {
    /// A finding reported at one point.
    pub fn at(finding: Finding, line: usize, column: usize) -> Self {
        Self {
            finding,
            line,
            column,
            end: (line, column),
        }
    }
}

#[derive(Debug, Default)]
pub struct Migration {
    /// The migrated text (`migrate_bytes` moves it into the file's status).
    pub output: String,
    pub applied: Vec<Reported>,
    /// UNSAFE rewrites held back by `--safe-only`.
    pub withheld: Vec<Reported>,
    pub findings: Vec<ReportedFinding>,
    /// Rewrites and findings an `ignore` comment or `per-file-ignores` suppressed (in the
    /// settled text).
    pub suppressed: usize,
    /// Module-level names the original text binds to an asyncio API (asyncio-loop's project
    /// pass follows them into other modules), found with the first pass's tree.
    pub reexports: Vec<crate::codemods::asyncio_loop::Reexport>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrateError {
    /// The input does not parse: nothing is rewritten.
    Syntax {
        line: usize,
        column: usize,
    },
    /// A codemod produced output with new syntax errors (a bug in it); nothing is written.
    BrokenOutput {
        codemod: String,
    },
    /// The output parses but breaks a compile-time rule of `CPython` its input kept (`verify`).
    WouldNotCompile {
        rule: &'static str,
    },
    /// Fixes kept producing new fixes.
    NoFixpoint,
    Internal(String),
}

impl std::fmt::Display for MigrateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Syntax { line, column } => write!(
                f,
                "syntax error at {line}:{column}; the file was left unchanged (fix the syntax, then re-run)"
            ),
            Self::BrokenOutput { codemod } => write!(
                f,
                "codemod `{codemod}` produced code that does not parse; the file was left unchanged. This is a bug in anyio-migrate: please report it with this file (run with --ignore {codemod} to migrate the rest)"
            ),
            Self::WouldNotCompile { rule } => write!(
                f,
                "the migrated code would not compile with CPython ({rule}); the file was left unchanged. This is a bug in anyio-migrate: please report it with this file"
            ),
            Self::NoFixpoint => write!(
                f,
                "rewrites did not settle after {MAX_PASSES} passes; the file was left unchanged. This is a bug in anyio-migrate: please report it with this file"
            ),
            Self::Internal(e) => write!(f, "internal error: {e}"),
        }
    }
}

/// One codemod alone on `src` for these targets, in a planner's unit tests.
#[cfg(test)]
pub(crate) fn migrate_alone(id: &str, src: &str, targets: crate::target::Targets) -> Migration {
    let codemods = [crate::registry::find(id).expect("a codemod id")];
    let opts = Options {
        codemods: &codemods,
        safe_only: false,
        patches: &crate::analysis::patches::NONE,
        path: None,
        targets,
        filter: &crate::suppress::NO_FILTER,
        review: None,
    };
    migrate(
        src,
        false,
        &opts,
        &mut source::new_parser().expect("the parser"),
    )
    .expect("migrates")
}

/// Would any enabled codemod look at this text at all (the pre-filter, `prefilter.rs`)?
pub fn triggered(text: &str, codemods: &[&Codemod]) -> bool {
    let mut needles = Needles::new(text);
    codemods
        .iter()
        .any(|c| needles.admits(c.triggers, c.refine))
}

/// The environment variable that turns the pre-filter off (a hidden test hook): every codemod
/// then looks at every file in every pass. `scripts/stdlib-check` and `tests/cli.rs` compare
/// the output with and without it: the pre-filter must never drop a file or a pass with output.
pub const NO_PREFILTER_ENV: &str = "ANYIO_MIGRATE_NO_PREFILTER";

/// Is the pre-filter on (`NO_PREFILTER_ENV` unset, empty or `0`)? Read once per process.
pub fn prefilter_enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os(NO_PREFILTER_ENV).is_none_or(|v| v.is_empty() || v == "0"))
}

/// Migrate one file's text.
pub fn migrate(
    text: &str,
    crlf: bool,
    opts: &Options,
    parser: &mut Parser,
) -> Result<Migration, MigrateError> {
    let internal = |e: anyhow::Error| MigrateError::Internal(format!("{e:#}"));
    let queries = query::for_codemods(opts.codemods).map_err(internal)?;
    let original = source::parse(parser, text).map_err(internal)?;
    if !source::is_clean(&original, text) {
        let at = first_error(original.root_node()).unwrap_or(0);
        let (line, column) = line_col(text, at);
        return Err(MigrateError::Syntax { line, column });
    }
    let unit = source::indent_unit_of(&original, text);
    // The first pass plans on `original` itself, and its resolver is kept for the import pass.
    let first = Resolver::new(&original, text);
    // After the first pass: the text and its tree (each text is parsed once).
    let mut current = String::new();
    let mut tree = original.clone();
    // The accepted edits of each pass, in that pass's coordinates: maps positions back.
    let mut history: Vec<Vec<Edit>> = Vec::new();
    let mut applied: Vec<(Fix, usize)> = Vec::new();
    let mut needs: BTreeSet<Import> = BTreeSet::new();
    let mut settled = None;
    let mut reexports = Vec::new();

    let own = own_modules(opts.path);
    for _ in 0..MAX_PASSES {
        let later;
        let (ctx_text, ctx_tree, resolver) = if history.is_empty() {
            (text, &original, &first)
        } else {
            later = Resolver::new(&tree, &current);
            (current.as_str(), &tree, &later)
        };
        let ctx = Ctx {
            text: ctx_text,
            tree: ctx_tree,
            resolver,
            indent_unit: &unit,
            targets: opts.targets,
            first_party: &own,
        };
        let loop_codemod = |c: &&Codemod| c.id == crate::codemods::asyncio_loop::ID;
        if history.is_empty() && opts.codemods.iter().any(loop_codemod) {
            reexports = crate::codemods::asyncio_loop::exports_of(&ctx);
        }
        let mut planned = plan_pass(opts, &queries, &ctx).map_err(internal)?;
        let accepted = accept(std::mem::take(&mut planned.fixes), opts, (ctx_text, crlf));
        if accepted.is_empty() {
            // The import pass, on the settled text (when something was rewritten), with the
            // resolvers of the original and of the settled text.
            let output = if applied.is_empty() {
                ctx_text.to_owned()
            } else {
                import_pass(
                    parser,
                    (text, &first),
                    (ctx_text, ctx_tree, resolver),
                    &needs,
                    crlf,
                    &first_party(opts.path),
                )?
            };
            settled = Some((output, planned));
            break;
        }
        let edits: Vec<Edit> = accepted
            .iter()
            .flat_map(|f| f.edits.iter().cloned())
            .collect();
        let edits = normalize(edits);
        let next = splice(ctx_text, &edits, crlf);
        let Some(next_tree) = clean_reparse(parser, ctx_tree, ctx_text, &edits, &next, crlf) else {
            let culprit = accepted
                .iter()
                .find(|f| {
                    !parses_cleanly(parser, &splice(ctx_text, &normalize(f.edits.clone()), crlf))
                })
                .map_or_else(|| accepted[0].codemod, |f| f.codemod);
            return Err(MigrateError::BrokenOutput {
                codemod: culprit.to_owned(),
            });
        };
        for fix in accepted {
            needs.extend(fix.imports.iter().copied());
            let depth = history.len();
            applied.push((fix, depth));
        }
        history.push(edits);
        current = next;
        tree = next_tree;
    }
    let Some((output, planned)) = settled else {
        return Err(MigrateError::NoFixpoint);
    };
    compiles(parser, (text, &original), &output)?;
    let reported = locate(
        (text, &original),
        &history,
        output,
        applied,
        planned.withheld,
        planned.findings,
    );
    Ok(Migration {
        reexports,
        suppressed: planned.suppressed,
        ..reported
    })
}

/// Refuse an output that breaks a compile-time rule of `CPython` its input kept (`verify`).
fn compiles(
    parser: &mut Parser,
    (text, tree): (&str, &Tree),
    output: &str,
) -> Result<(), MigrateError> {
    if output == text {
        return Ok(());
    }
    let out_tree =
        source::parse(parser, output).map_err(|e| MigrateError::Internal(format!("{e:#}")))?;
    match verify::Rules::of(&out_tree, output).newly_broken(&verify::Rules::of(tree, text)) {
        Some(rule) => Err(MigrateError::WouldNotCompile { rule }),
        None => Ok(()),
    }
}

/// What one pass planned.
struct Planned {
    fixes: Vec<Fix>,
    withheld: Vec<Fix>,
    findings: Vec<Finding>,
    suppressed: usize,
}

/// One pass's plans over `ctx`, for the codemods the pre-filter lets through: the fixes to
/// choose from (none that changes nothing: it must not keep the loop going), the UNSAFE ones
/// `--safe-only` holds back, and the findings.
fn plan_pass(opts: &Options, queries: &[query::Compiled], ctx: &Ctx) -> anyhow::Result<Planned> {
    let prefilter = prefilter_enabled();
    let mut needles = Needles::new(ctx.text);
    let selected: Vec<usize> = (0..opts.codemods.len())
        .filter(|&i| {
            !prefilter || needles.admits(opts.codemods[i].triggers, opts.codemods[i].refine)
        })
        .collect();
    let mut fixes = Vec::new();
    let mut findings = Vec::new();
    let comments = crate::suppress::Comments::of(ctx.tree, ctx.text);
    let mut suppressed = 0;
    let mut wanted = |codemod: &str, code: &str, at: usize| {
        if opts.filter.drops(codemod, code) {
            return false;
        }
        let silenced = crate::suppress::names(&opts.filter.suppress, codemod, code)
            || comments.cover(ctx.tree, at, codemod, code);
        suppressed += usize::from(silenced);
        !silenced
    };
    for outcome in query::run_selected(opts.codemods, queries, &selected, ctx)? {
        match outcome {
            Outcome::Fix(fix) if wanted(fix.codemod, &fix.code(), fix.at) => fixes.push(fix),
            Outcome::Finding(f) if wanted(f.codemod, &f.code(), f.at) => findings.push(f),
            _ => {}
        }
    }
    let mut kept = Vec::with_capacity(fixes.len());
    for fix in fixes {
        let Some(patch) = bypassed_patch(ctx, &fix, opts) else {
            kept.push(fix);
            continue;
        };
        findings.push(Finding::manual(
            fix.codemod,
            "patched-api",
            fix.at,
            format!(
                "`{}` is replaced at run time in {}:{}: this rewrite would take the call out of that patch's reach (the code would run the unpatched function), so it is left as it is",
                patch.api,
                patch.path.display(),
                patch.line,
            ),
            "make the test patch a seam of the code under test (its own function or method) that the migrated code still calls, then run the migration again",
        ));
    }
    let kept = without_shadowed_builtins(ctx, kept, &mut findings);
    let (fixes, withheld): (Vec<Fix>, Vec<Fix>) = kept
        .into_iter()
        .partition(|f| !opts.safe_only || f.verdict.is_safe());
    let fixes = fixes
        .into_iter()
        .filter(|f| {
            f.edits
                .iter()
                .any(|e| ctx.text.get(e.range.clone()) != Some(e.text.as_str()))
        })
        .collect();
    Ok(Planned {
        fixes,
        withheld,
        findings,
        suppressed,
    })
}

/// A fix whose inserted text calls a builtin by its bare name where the file binds that name
/// itself (at the edit, or at module level for a helper inserted there) would call the
/// file's object: such a fix becomes a MANUAL finding (found on aioitertools, whose
/// `from .builtins import enumerate, list` took over the gather helpers' loops).
fn without_shadowed_builtins(ctx: &Ctx, fixes: Vec<Fix>, findings: &mut Vec<Finding>) -> Vec<Fix> {
    let root = ctx.tree.root_node();
    let mut kept = Vec::with_capacity(fixes.len());
    for fix in fixes {
        let shadowed = fix.edits.iter().find_map(|e| {
            let at = root
                .descendant_for_byte_range(e.range.start, e.range.start)
                .unwrap_or(root);
            crate::analysis::builtins::used_in(&e.text)
                .into_iter()
                .find(|name| {
                    // Written where the text already had it: the same name, no new call.
                    !ctx.text.get(e.range.clone()).is_some_and(|old| {
                        crate::analysis::builtins::used_in(old).contains(name)
                    }) && (ctx.resolver.is_bound(name, at) || ctx.resolver.is_bound(name, root))
                        // asyncio's own class imported by that name (`from asyncio import
                        // TimeoutError`): the codemod that rewrites it removes the import.
                        && !ctx
                            .resolver
                            .resolve_name(name, at)
                            .is_some_and(|path| path.starts_with("asyncio."))
                })
                .map(str::to_owned)
        });
        match shadowed {
            None => kept.push(fix),
            Some(name) => findings.push(Finding::manual(
                fix.codemod,
                "shadowed-builtin",
                fix.at,
                format!(
                    "this rewrite writes a call of the builtin `{name}`, and `{name}` means something else in this file (it binds the name: an import, a definition or an assignment), so the new code would call that instead"
                ),
                format!(
                    "rename what shadows `{name}` here (or import it under another name, `from ... import {name} as {name}_`), then run the migration again"
                ),
            )),
        }
    }
    kept
}

/// The patched asyncio function whose references `fix` takes out of the code: an attribute
/// spelling of it (`asyncio.sleep`, `aio.sleep`, what a patch of the module reaches) that the
/// fix's edits remove more often than they write it back.
fn bypassed_patch<'p>(ctx: &Ctx, fix: &Fix, opts: &Options<'p>) -> Option<&'p Patch> {
    if opts.patches.is_empty() {
        return None;
    }
    let own = fix
        .edits
        .iter()
        .filter(|e| !e.shared && !e.range.is_empty());
    let bypasses = |removed: &mut Vec<&str>| {
        removed.sort_unstable();
        removed.dedup();
        removed.iter().any(|spelled| {
            let gone = fix
                .edits
                .iter()
                .filter(|e| !e.shared)
                .map(|e| spellings(&ctx.text[e.range.clone()], spelled))
                .sum::<usize>();
            let written = fix
                .edits
                .iter()
                .map(|e| spellings(&e.text, spelled))
                .sum::<usize>();
            gone > written
        })
    };
    for (name, patch) in opts.patches.asyncio_names() {
        // A name bound by `from asyncio import sleep` keeps the original function: a patch of
        // the module's attribute never reached it.
        let mut removed: Vec<&str> = own
            .clone()
            .flat_map(|e| {
                ctx.resolver
                    .attribute_names_within(name, e.range.clone())
                    .iter()
                    .filter_map(|n| ctx.parent(*n))
                    .filter(|a| a.kind() == "attribute" && e.range.start <= a.start_byte())
            })
            .filter(|r| ctx.resolver.is(*r, &patch.api))
            .map(|r| ctx.text_of(r))
            .collect();
        if bypasses(&mut removed) {
            return Some(patch);
        }
    }
    // This module's own global that a test replaces (`patch("pkg.mod.sleep")`): every call
    // through the global reaches the patch.
    for (name, patch) in opts
        .path
        .map(|p| opts.patches.module_names(p))
        .unwrap_or_default()
    {
        let mut removed: Vec<&str> = own
            .clone()
            .flat_map(|e| {
                ctx.resolver
                    .identifiers_within(name, e.range.clone())
                    .iter()
            })
            .filter(|r| ctx.resolver.refers_to_module_scope(name, **r))
            .map(|r| ctx.text_of(*r))
            .collect();
        if bypasses(&mut removed) {
            return Some(patch);
        }
    }
    None
}

/// How often `spelled` (`asyncio.sleep`, `sleep`) stands in `text` as a whole reference: not
/// part of a longer name, nor the attribute of another object (`anyio.sleep`).
fn spellings(text: &str, spelled: &str) -> usize {
    let part = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(spelled)
        .filter(|(at, _)| {
            let before = text[..*at].chars().next_back();
            let after = text[at + spelled.len()..].chars().next();
            !before.is_some_and(|c| part(c) || c == '.') && !after.is_some_and(part)
        })
        .count()
}

/// The project's own top-level modules, as ruff's isort finds them by default: a package or
/// module at the project root or under its `src/`. The root, as ruff finds it: the nearest
/// folder above the file with a `ruff.toml`, `.ruff.toml` or a `pyproject.toml` that
/// configures ruff, else the working directory. Without a path, none.
fn first_party(path: Option<&std::path::Path>) -> impl Fn(&str) -> bool + use<> {
    let configures_ruff = |d: &std::path::Path| {
        d.join("ruff.toml").is_file()
            || d.join(".ruff.toml").is_file()
            || std::fs::read_to_string(d.join("pyproject.toml"))
                .is_ok_and(|t| t.contains("[tool.ruff"))
    };
    let root = path
        .and_then(|p| std::fs::canonicalize(p).ok())
        .and_then(|p| {
            p.ancestors()
                .skip(1)
                .find(|d| configures_ruff(d))
                .map(std::path::Path::to_path_buf)
                .or_else(|| std::env::current_dir().ok())
        });
    move |name: &str| root.as_ref().is_some_and(|r| has_module(r, name))
}

/// A package or module `name` at `root` or under its `src/`.
fn has_module(root: &std::path::Path, name: &str) -> bool {
    [root.to_path_buf(), root.join("src")]
        .iter()
        .any(|base| base.join(name).is_dir() || base.join(format!("{name}.py")).is_file())
}

/// The project's own top-level modules, for the codemods (`Ctx::first_party`): those of
/// [`first_party`], and a package or module beside the nearest `pyproject.toml`, `setup.cfg`
/// or `setup.py` above the file (or in its `src/`), wherever the run starts. Both roots are
/// looked up on the first question only: most files never ask, and the lookups read the disk.
fn own_modules(path: Option<&std::path::Path>) -> impl Fn(&str) -> bool {
    let path = path.map(std::path::Path::to_path_buf);
    let found = std::cell::OnceCell::new();
    move |name: &str| {
        let (ruff, root) = found.get_or_init(|| {
            let root = path
                .as_deref()
                .and_then(|p| std::fs::canonicalize(p).ok())
                .and_then(|p| {
                    p.ancestors()
                        .skip(1)
                        .find(|d| {
                            ["pyproject.toml", "setup.cfg", "setup.py"]
                                .iter()
                                .any(|f| d.join(f).is_file())
                        })
                        .map(std::path::Path::to_path_buf)
                });
            (first_party(path.as_deref()), root)
        });
        ruff(name) || root.as_ref().is_some_and(|r| has_module(r, name))
    }
}

/// The import pass on the settled text (its tree and resolver given): `import anyio` and the
/// like added, asyncio imports left unreferenced dropped. Output that no longer parses is
/// refused.
fn import_pass(
    parser: &mut Parser,
    original: (&str, &Resolver),
    (output, tree, resolver): (&str, &Tree, &Resolver),
    needs: &BTreeSet<Import>,
    crlf: bool,
    first_party: &dyn Fn(&str) -> bool,
) -> Result<String, MigrateError> {
    let edits = imports::import_edits(original, (output, tree, resolver), needs, first_party);
    if edits.is_empty() {
        return Ok(output.to_owned());
    }
    let edits = normalize(edits);
    let next = splice(output, &edits, crlf);
    if clean_reparse(parser, tree, output, &edits, &next, crlf).is_none() {
        return Err(MigrateError::BrokenOutput {
            codemod: "import pass".to_owned(),
        });
    }
    Ok(next)
}

/// Report every fix and finding at its position in the original text.
fn locate(
    (text, tree): (&str, &Tree),
    history: &[Vec<Edit>],
    output: String,
    applied: Vec<(Fix, usize)>,
    withheld: Vec<Fix>,
    findings: Vec<Finding>,
) -> Migration {
    let lines = LineIndex::new(text);
    let origin = |pos: usize, depth: usize| {
        history[..depth]
            .iter()
            .rev()
            .fold(pos, |p, edits| map_back(p, edits))
    };
    let report = |fix: Fix, depth: usize| {
        let start = origin(fix.at, depth);
        let end = origin(fix.span().end, depth).max(start);
        let (line, column) = lines.line_col(text, start);
        Reported {
            end: lines.line_col(text, end),
            fix,
            line,
            column,
        }
    };
    let depth = history.len();
    let mut findings: Vec<ReportedFinding> = findings
        .into_iter()
        .map(|finding| {
            let start = origin(finding.at, depth);
            let (line, column) = lines.line_col(text, start);
            ReportedFinding {
                end: lines.line_col(text, spot_end(tree, start)),
                finding,
                line,
                column,
            }
        })
        .collect();
    findings.sort_by(|a, b| {
        (a.line, a.column, a.finding.codemod).cmp(&(b.line, b.column, b.finding.codemod))
    });
    findings.dedup_by(|a, b| {
        a.line == b.line
            && a.column == b.column
            && a.finding.codemod == b.finding.codemod
            && a.finding.message == b.finding.message
    });
    let mut applied: Vec<Reported> = applied.into_iter().map(|(f, d)| report(f, d)).collect();
    applied.sort_by_key(|r| (r.line, r.column));
    let withheld = withheld.into_iter().map(|f| report(f, depth)).collect();
    Migration {
        output,
        applied,
        withheld,
        findings,
        suppressed: 0,
        reexports: Vec::new(),
    }
}

/// The end of the code a finding at `at` is about: the largest node starting there that is
/// an expression or a simple statement (not a block or a compound statement, whose end lies
/// far below); `at` itself when no node starts there.
fn spot_end(tree: &Tree, at: usize) -> usize {
    let Some(mut node) = tree.root_node().descendant_for_byte_range(at, at) else {
        return at;
    };
    if node.start_byte() != at {
        return at;
    }
    while let Some(parent) = node.parent() {
        let compound = parent.kind().ends_with("_definition")
            || matches!(
                parent.kind(),
                "module"
                    | "block"
                    | "if_statement"
                    | "for_statement"
                    | "while_statement"
                    | "with_statement"
                    | "try_statement"
                    | "match_statement"
                    | "decorated_definition"
                    | "except_clause"
                    | "finally_clause"
                    | "else_clause"
                    | "elif_clause"
            );
        if parent.start_byte() != at || compound {
            break;
        }
        node = parent;
    }
    node.end_byte()
}

/// `source::line_col` for many positions in one text: the line starts found once.
struct LineIndex {
    /// The byte offset of every line's start.
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts }
    }

    /// 1-based line and column (in characters) of byte `pos`, as `source::line_col`.
    fn line_col(&self, text: &str, pos: usize) -> (usize, usize) {
        let pos = pos.min(text.len());
        // The lines that start at or before `pos`; a line start is after a '\n' before it.
        let line = self.starts.partition_point(|s| *s <= pos);
        let start = self.starts[line - 1];
        (line, text[start..pos].chars().count() + 1)
    }
}

/// Where the first syntax error is: the first missing token or error node, looking inside an
/// error node for a narrower one (tree-sitter may wrap a whole module in one).
fn first_error(node: tree_sitter::Node) -> Option<usize> {
    if node.is_missing() {
        return Some(node.start_byte());
    }
    let mut cursor = node.walk();
    let inner = node
        .children(&mut cursor)
        .filter(|c| c.has_error() || c.is_missing())
        .find_map(first_error);
    if node.is_error() {
        return inner.or(Some(node.start_byte()));
    }
    inner
}

/// `text` parses with no syntax error and no indentation Python would reject.
fn parses_cleanly(parser: &mut Parser, text: &str) -> bool {
    source::parse(parser, text).is_ok_and(|t| source::is_clean(&t, text))
}

/// The tree of `next`, the text `splice(text, edits, crlf)` makes of `text` (whose tree is
/// `tree`), when it `parses_cleanly`; parsed incrementally: tree-sitter re-uses every subtree the edits leave alone
/// instead of parsing the whole file again. `edits` are normalized (sorted, disjoint).
fn clean_reparse(
    parser: &mut Parser,
    tree: &tree_sitter::Tree,
    text: &str,
    edits: &[Edit],
    next: &str,
    crlf: bool,
) -> Option<tree_sitter::Tree> {
    let mut old = tree.clone();
    // Positions of the edits' ends in `text`, in one walk.
    let mut bounds = Vec::with_capacity(edits.len());
    let mut walker = PointWalker::default();
    for e in edits {
        bounds.push((walker.at(text, e.range.start), walker.at(text, e.range.end)));
    }
    // Last edit first: the positions of the earlier ones stay those of `text`.
    for (e, &(start_position, old_end_position)) in edits.iter().zip(&bounds).rev() {
        let inserted = if crlf {
            std::borrow::Cow::Owned(e.text.replace("\r\n", "\n").replace('\n', "\r\n"))
        } else {
            std::borrow::Cow::Borrowed(e.text.as_str())
        };
        let new_end_position = match inserted.rfind('\n') {
            Some(last) => tree_sitter::Point::new(
                start_position.row + inserted.matches('\n').count(),
                inserted.len() - last - 1,
            ),
            None => {
                tree_sitter::Point::new(start_position.row, start_position.column + inserted.len())
            }
        };
        old.edit(&tree_sitter::InputEdit {
            start_byte: e.range.start,
            old_end_byte: e.range.end,
            new_end_byte: e.range.start + inserted.len(),
            start_position,
            old_end_position,
            new_end_position,
        });
    }
    parser
        .parse(next, Some(&old))
        .filter(|t| source::is_clean(t, next))
}

/// Row and byte column of increasing byte positions in one text, walking it once.
#[derive(Default)]
struct PointWalker {
    pos: usize,
    row: usize,
    line_start: usize,
}

impl PointWalker {
    fn at(&mut self, text: &str, pos: usize) -> tree_sitter::Point {
        debug_assert!(pos >= self.pos);
        for (i, b) in text.as_bytes()[self.pos..pos].iter().enumerate() {
            if *b == b'\n' {
                self.row += 1;
                self.line_start = self.pos + i + 1;
            }
        }
        self.pos = pos;
        tree_sitter::Point::new(self.row, pos - self.line_start)
    }
}

/// Keep fixes that do not overlap an earlier fix (its region, or one of its edits); the rest
/// wait for the next pass. Two inserts at one point from different fixes also wait (their order would be a
/// guess), unless they are the same edit (a helper both fixes need, written once).
/// Identical fixes (two query patterns matching one node) are kept once.
/// The fixes a pass applies: non-overlapping ones, accepted by the reviewer under
/// `--interactive`, none without the fix it requires.
fn accept(fixes: Vec<Fix>, opts: &Options, (text, crlf): (&str, bool)) -> Vec<Fix> {
    let mut accepted = select(fixes);
    if let Some(reviewer) = opts.review {
        accepted.retain(|f| reviewer.accept(opts.path, text, crlf, f));
    }
    without_orphans(&mut accepted);
    accepted
}

/// Drop the fixes whose required fix (`Fix::requires`) is not among `accepted` (suppressed, held
/// back by `--safe-only`, rejected in review, or waiting for a later pass), to a fixpoint.
fn without_orphans(accepted: &mut Vec<Fix>) {
    loop {
        let before = accepted.len();
        let present: Vec<(&'static str, usize)> =
            accepted.iter().map(|f| (f.codemod, f.at)).collect();
        accepted.retain(|f| {
            f.requires
                .is_none_or(|at| present.contains(&(f.codemod, at)))
        });
        if accepted.len() == before {
            return;
        }
    }
}

fn select(mut fixes: Vec<Fix>) -> Vec<Fix> {
    fixes.sort_by_key(|f| (f.span().start, std::cmp::Reverse(f.span().end)));
    let mut accepted: Vec<Fix> = Vec::new();
    for fix in fixes {
        if accepted.iter().any(|a| a.edits == fix.edits) {
            continue;
        }
        let clashes = |e: &Edit, f: &Edit| {
            let (a, b) = (&e.range, &f.range);
            !(e == f && e.shared)
                && (a.start < b.end && b.start < a.end
                    || (a.is_empty() || b.is_empty())
                        && (a.start == b.start || a.start == b.end && b.is_empty()))
        };
        // A fix owns the region its own edits span (a wrapped block): another fix's edit
        // inside it would miss the re-indentation, so it waits. Shared helper inserts do not
        // count towards a region.
        let span = fix.span();
        let overlaps = accepted.iter().any(|a| {
            let s = a.span();
            s.start < span.end && span.start < s.end
                || a.edits
                    .iter()
                    .any(|e| fix.edits.iter().any(|f| clashes(e, f)))
        });
        if !overlaps {
            accepted.push(fix);
        }
    }
    accepted
}

/// Where a position in the text after `edits` came from in the text before them.
/// A position inside replaced text maps to the start of what it replaced.
fn map_back(pos: usize, edits: &[Edit]) -> usize {
    let mut delta: isize = 0;
    for e in edits {
        let new_start = e.range.start.saturating_add_signed(delta);
        let new_end = new_start + e.text.len();
        if pos < new_start {
            break;
        }
        if pos < new_end {
            return e.range.start;
        }
        delta += e.text.len().cast_signed() - e.range.len().cast_signed();
    }
    pos.saturating_add_signed(-delta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_converts_newlines_for_crlf_files() {
        let edits = [Edit::replace(0..1, "a\nb")];
        assert_eq!(splice("x\r\ny", &edits, true), "a\r\nb\r\ny");
        assert_eq!(splice("x\ny", &edits, false), "a\nb\ny");
    }

    #[test]
    fn line_index_agrees_with_line_col() {
        for text in ["", "a", "\n", "ab\ncd\n\nxé\r\ny", "\n\nz"] {
            let index = LineIndex::new(text);
            for pos in 0..=text.len() + 2 {
                if text.is_char_boundary(pos.min(text.len())) {
                    assert_eq!(
                        index.line_col(text, pos),
                        line_col(text, pos),
                        "{text:?} {pos}"
                    );
                }
            }
        }
    }

    /// Every node of a tree: kind, byte range, start and end positions.
    fn shape(tree: &tree_sitter::Tree) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            out.push(format!(
                "{} {:?} {} {}",
                n.kind(),
                n.byte_range(),
                n.start_position(),
                n.end_position()
            ));
            let mut cursor = n.walk();
            stack.extend(n.children(&mut cursor));
        }
        out
    }

    #[test]
    fn incremental_reparse_gives_the_tree_of_a_fresh_parse() {
        let text = "import asyncio\n\n\nasync def main(x):\n    await asyncio.sleep(1)\n    if x:\n        return await asyncio.sleep(x)  # c\n";
        let cases: Vec<Vec<Edit>> = vec![
            // `asyncio.sleep` (1) renamed.
            vec![Edit::replace(46..59, "anyio.sleep")],
            // The import line, and an insert before the second sleep's argument.
            vec![
                Edit::replace(0..14, "import anyio"),
                Edit::insert(108, "max(0, "),
                Edit::insert(109, ")"),
            ],
            // Lines added before the def, and a block wrapped in a new one.
            vec![
                Edit::insert(17, "X = 1\n\n\n"),
                Edit::replace(63..72, "    if x and X:\n        pass\n    if x:"),
            ],
            // The if block deleted.
            vec![Edit::delete(63..116)],
        ];
        let mut parser = source::new_parser().unwrap();
        let lf = text;
        for crlf in [false, true] {
            let text = if crlf {
                lf.replace('\n', "\r\n")
            } else {
                text.to_owned()
            };
            let tree = source::parse(&mut parser, &text).unwrap();
            for edits in &cases {
                // The CRLF text is longer: shift the cases' offsets by the newlines before them.
                let at = |p: usize| {
                    if crlf {
                        p + lf[..p].matches('\n').count()
                    } else {
                        p
                    }
                };
                let edits: Vec<Edit> = edits
                    .iter()
                    .map(|e| Edit::replace(at(e.range.start)..at(e.range.end), e.text.clone()))
                    .collect();
                let next = splice(&text, &edits, crlf);
                let fresh = source::parse(&mut parser, &next).unwrap();
                let reparsed = clean_reparse(&mut parser, &tree, &text, &edits, &next, crlf)
                    .unwrap_or_else(|| panic!("{next:?} does not parse cleanly"));
                assert_eq!(shape(&reparsed), shape(&fresh), "{next:?}");
            }
        }
    }

    #[test]
    fn map_back_inverts_a_splice() {
        let edits = vec![Edit::replace(2..4, "wxyz"), Edit::insert(6, "!")];
        let after = splice("012345678", &edits, false);
        assert_eq!(after, "01wxyz45!678");
        assert_eq!(map_back(1, &edits), 1);
        assert_eq!(map_back(3, &edits), 2);
        assert_eq!(map_back(7, &edits), 5);
        assert_eq!(map_back(9, &edits), 6);
        assert_eq!(map_back(10, &edits), 7);
    }

    use crate::codemods::{Captures, Ctx};
    use crate::edit::Verdict;

    /// Replaces every `pass` statement with `$1`, or keeps adding a `pass` on top: a buggy
    /// and a never-settling codemod.
    fn breaks(_: &Ctx, caps: &Captures) -> Vec<Outcome> {
        let node = caps.get("p").unwrap();
        vec![
            Fix::new(
                "breaker",
                "dollar",
                node.start_byte(),
                Verdict::Safe,
                vec![Edit::replace(node.byte_range(), "$1")],
            )
            .into(),
        ]
    }

    fn churns(_: &Ctx, caps: &Captures) -> Vec<Outcome> {
        // Only the statement at the top of the file: one more line per pass, never settling.
        let node = caps.get("p").unwrap();
        if node.start_byte() != 0 {
            return Vec::new();
        }
        vec![
            Fix::new(
                "churner",
                "pass",
                0,
                Verdict::Safe,
                vec![Edit::insert(0, "pass\n")],
            )
            .into(),
        ]
    }

    fn test_codemod(id: &'static str, plan: crate::codemods::PlanFn) -> &'static Codemod {
        Box::leak(Box::new(Codemod {
            id,
            summary: "",
            verdicts: "",
            query: "(pass_statement) @p",
            readme: "",
            triggers: &[&["pass"]],
            refine: None,
            plan,
        }))
    }

    fn run_with(codemod: &'static Codemod, text: &str) -> Result<Migration, MigrateError> {
        let codemods = [codemod];
        let opts = Options {
            codemods: &codemods,
            safe_only: false,
            patches: &crate::analysis::patches::NONE,
            path: None,
            targets: crate::target::Targets::default(),
            filter: &crate::suppress::NO_FILTER,
            review: None,
        };
        migrate(text, false, &opts, &mut source::new_parser().unwrap())
    }

    #[test]
    fn output_that_does_not_parse_is_refused_and_blamed() {
        let err = run_with(test_codemod("breaker", breaks), "def f():\n    pass\n").unwrap_err();
        assert_eq!(
            err,
            MigrateError::BrokenOutput {
                codemod: "breaker".into()
            }
        );
        assert!(err.to_string().contains("left unchanged"));
    }

    #[test]
    fn a_codemod_that_never_settles_is_reported() {
        let err = run_with(test_codemod("churner", churns), "pass\n").unwrap_err();
        assert_eq!(err, MigrateError::NoFixpoint);
    }

    #[test]
    fn input_with_syntax_errors_is_not_touched() {
        let err = run_with(test_codemod("breaker", breaks), "def f(:\n    pass\n").unwrap_err();
        assert!(
            matches!(err, MigrateError::Syntax { line: 1, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let fix = |r: std::ops::Range<usize>| {
            Fix::new(
                "t",
                "x",
                r.start,
                crate::edit::Verdict::Safe,
                vec![Edit::replace(r, "x")],
            )
        };
        let kept = select(vec![fix(0..10), fix(2..4), fix(10..12), fix(0..10)]);
        let spans: Vec<_> = kept.iter().map(Fix::span).collect();
        assert_eq!(spans, vec![0..10, 10..12]);
        // A shared helper insertion does not make two far-apart fixes overlap.
        let helper = Edit::shared_insert(0, "def helper(): ...\n");
        let with_helper = |r: std::ops::Range<usize>| {
            Fix::new(
                "t",
                "x",
                r.start,
                crate::edit::Verdict::Safe,
                vec![helper.clone(), Edit::replace(r, "x")],
            )
        };
        assert_eq!(select(vec![with_helper(5..6), with_helper(8..9)]).len(), 2);
        // Two different inserts at one point: the second waits.
        let ins = |t: &str| {
            Fix::new(
                "t",
                "x",
                3,
                crate::edit::Verdict::Safe,
                vec![Edit::insert(3, t)],
            )
        };
        assert_eq!(select(vec![ins("a"), ins("b")]).len(), 1);
    }
}
