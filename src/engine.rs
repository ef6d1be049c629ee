//! The per-file engine: one file's bytes to its migrated text, its rewrites and findings, and
//! its status. Read top to bottom, each stage a function:
//!
//! 1. decode (`migrate_decoded`): the bytes in the encoding the file declares;
//! 2. prefilter (`migrate_source`): a skipped file, or one no enabled codemod could match, stops;
//! 3. parse (`parse`): the tree, or a refusal at the first syntax error;
//! 4. match (`match_pass`): the codemods' queries on the tree, each match planned;
//! 5. plan (`plan_pass`): the fixes and findings the run wants, the fixes the file would defeat
//!    turned into findings (`guards`);
//! 6. apply (`accept`, `apply_pass`): the non-overlapping fixes spliced in and re-parsed
//!    (`apply`); stages 4 to 6 repeat on the new text until a pass has nothing to apply;
//! 7. imports (`import_pass`): imports the rewrites need added, asyncio imports left unused
//!    dropped;
//! 8. verify (`compiles`): the output must not break a compile-time rule its input kept.
//!
//! Then every fix and finding is located in the original text (`locate`). `lib.rs` runs the
//! engine over the files of a run; the project passes (`project`) work on its results.

mod first_party;
mod guards;
mod locate;
pub mod top_imports;

use crate::analysis::callers::{Callers, Catching};
use crate::analysis::patches::Patches;
use crate::apply;
use crate::codemods::Ctx;
use crate::edit::{Edit, Finding, Fix, Import, Outcome, normalize, splice};
use crate::imports;
use crate::prefilter::Needles;
use crate::query;
use crate::registry::Codemod;
use crate::resolve::Resolver;
use crate::source::{self, Encoding, SourceText, line_col};
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
    /// Uses in the run's files of a primitive kept on an attribute that anyio's refuses: the
    /// constructor of an attribute of that name stays (`analysis::member_uses`).
    pub member_uses: &'a crate::analysis::member_uses::MemberUses,
    /// Modules' imported modules read through them from other files (`cli.asyncio`): the
    /// import pass keeps such an import (`analysis::module_reads`).
    pub module_reads: &'a crate::analysis::module_reads::ModuleReads,
    /// The names the run's files' star imports of the project's own modules bind
    /// (`analysis::star_names`), found by the file's path.
    pub star_names: &'a crate::analysis::star_names::StarNames,
    /// The functions whose failure a caller in the run's files catches
    /// (`analysis::callers`).
    pub callers: crate::analysis::callers::Callers<'a>,
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

impl<'a> Options<'a> {
    /// `codemods` on their own: every rewrite, no patches, no file, no filter, no reviewer,
    /// for `targets` (unit tests, examples, the project passes' own re-runs).
    pub fn alone(codemods: &'a [&'static Codemod], targets: crate::target::Targets) -> Self {
        Self {
            codemods,
            safe_only: false,
            patches: &crate::analysis::patches::NONE,
            member_uses: &crate::analysis::member_uses::NONE,
            module_reads: &crate::analysis::module_reads::NONE,
            star_names: &crate::analysis::star_names::NONE,
            callers: crate::analysis::callers::Callers::ThisFile,
            path: None,
            targets,
            filter: &crate::suppress::NO_FILTER,
            review: None,
        }
    }
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
    /// The original text's module-level imports, read off its tree when asyncio-loop runs
    /// (its project pass follows re-exports through them); None when the file was not parsed.
    pub imports: Option<Vec<top_imports::TopImport>>,
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

/// What happened to one file.
#[derive(Debug)]
pub enum Status {
    Changed { before: String, after: String },
    Unchanged,
    Skipped(String),
    Failed(String),
}

// ----------------------------------------------------------------------------------- 1. decode

/// The engine: migrate one file's bytes (decoded in the encoding it declares; a change holds
/// the texts, without the BOM).
pub fn migrate_bytes(bytes: &[u8], opts: &Options) -> (Status, Migration) {
    let (status, migration, _) = migrate_decoded(bytes, opts);
    (status, migration)
}

/// Stage 1, decode: the file's bytes in the encoding it declares (a file that cannot be
/// source we may rewrite is skipped); `migrate_bytes`, with that encoding.
pub(crate) fn migrate_decoded(bytes: &[u8], opts: &Options) -> (Status, Migration, Encoding) {
    let src = match SourceText::decode_python(bytes) {
        Ok(s) => s,
        Err(reason) => {
            return (
                Status::Skipped(reason.to_string()),
                Migration::default(),
                Encoding::Utf8,
            );
        }
    };
    let (status, migration) = migrate_source(src.text, src.crlf, opts);
    (status, migration, src.encoding)
}

// -------------------------------------------------------------------------------- 2. prefilter

/// Stage 2, prefilter: a file the user skipped (`# anyio-migrate: skip-file`), or whose text no
/// enabled codemod could match (`triggered`), goes no further; the others go through stages 3
/// to 8 (`migrate`), and a refusal of theirs becomes the file's status.
fn migrate_source(text: String, crlf: bool, opts: &Options) -> (Status, Migration) {
    if crate::suppress::skips_file(&text) {
        return (Status::Skipped(SKIP_FILE.to_owned()), Migration::default());
    }
    let wanted = triggered(&text, opts.codemods);
    if !wanted && prefilter_enabled() {
        return (Status::Unchanged, Migration::default());
    }
    let mut parser = match source::new_parser() {
        Ok(p) => p,
        Err(e) => return (Status::Failed(format!("{e:#}")), Migration::default()),
    };
    match migrate(&text, crlf, opts, &mut parser) {
        // The outcome keeps no copy of an unchanged text, and one of each side of a change:
        // a run over many files holds every outcome until the report.
        Ok(mut m) if m.output == text => {
            m.output = String::new();
            (Status::Unchanged, m)
        }
        Ok(mut m) => (
            Status::Changed {
                before: text,
                after: std::mem::take(&mut m.output),
            },
            m,
        ),
        // Without the pre-filter (a test hook) a file it drops still never fails for its
        // syntax: the pre-filter's decision, not a codemod's output.
        Err(MigrateError::Syntax { .. }) if !wanted => (Status::Unchanged, Migration::default()),
        // tree-sitter-python does not parse every construct CPython does: such a file is
        // skipped, not failed (the grammar's limit, not the input's).
        Err(MigrateError::Syntax { line, column }) if cpython_parses(&text) => (
            Status::Skipped(format!(
                "parser limitation: tree-sitter-python cannot parse {line}:{column}, which CPython parses; the file was left unchanged"
            )),
            Migration::default(),
        ),
        Err(e) => (Status::Failed(e.to_string()), Migration::default()),
    }
}

/// The reason of a file the user skipped.
pub(crate) const SKIP_FILE: &str = "`# anyio-migrate: skip-file` in its leading comments";

/// Does `CPython` parse this text (`ast.parse` in `ANYIO_MIGRATE_PYTHON`, else `python3`)? False
/// when no Python runs: then a syntax error stays an error.
fn cpython_parses(text: &str) -> bool {
    use std::io::Write;
    let python = std::env::var_os("ANYIO_MIGRATE_PYTHON").unwrap_or_else(|| "python3".into());
    let Ok(mut child) = std::process::Command::new(python)
        .args(["-c", "import ast, sys; ast.parse(sys.stdin.read())"])
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    else {
        return false;
    };
    let written = child
        .stdin
        .take()
        .is_some_and(|mut pipe| pipe.write_all(text.as_bytes()).is_ok());
    child.wait().is_ok_and(|s| s.success()) && written
}

/// Would any enabled codemod look at this text at all (the pre-filter, `prefilter.rs`)?
pub fn triggered(text: &str, codemods: &[&Codemod]) -> bool {
    let mut needles = Needles::new(text);
    codemods
        .iter()
        .any(|c| needles.admits(c.triggers, c.refine))
}

/// The environment variable that turns the pre-filter off (a hidden test hook): every codemod
/// then looks at every file in every pass. `scripts/stdlib-check` and
/// `tests/prefilter_soundness.rs` compare the output with and without it: the pre-filter must
/// never drop a file or a pass with output.
pub const NO_PREFILTER_ENV: &str = "ANYIO_MIGRATE_NO_PREFILTER";

/// Is the pre-filter on (`NO_PREFILTER_ENV` unset, empty or `0`)? Read once per process.
pub fn prefilter_enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os(NO_PREFILTER_ENV).is_none_or(|v| v.is_empty() || v == "0"))
}

// -------------------------------------------------------------------------- 3 to 8, the passes

/// Stages 3 to 8 on one file's text: parse it; then pass after pass, on the text and tree the
/// last one left, match, plan and apply fixes until a pass has none to apply (at most
/// `MAX_PASSES`); then the import pass and the compile check on the settled text; and each fix
/// and finding located in the original text (`locate`).
pub fn migrate(
    text: &str,
    crlf: bool,
    opts: &Options,
    parser: &mut Parser,
) -> Result<Migration, MigrateError> {
    let queries = query::for_codemods(opts.codemods).map_err(|e| internal(&e))?;
    let original = parse(parser, text)?;
    let unit = source::indent_unit_of(&original, text);
    // The first pass plans on `original` itself, and its resolver is kept for the import pass.
    let stars = opts.star_names.of(opts.path);
    let first = Resolver::with_stars(&original, text, stars);
    // After the first pass: the text and its tree (each text is parsed once).
    let mut current = String::new();
    let mut tree = original.clone();
    // The accepted edits of each pass, in that pass's coordinates: maps positions back.
    let mut history: Vec<Vec<Edit>> = Vec::new();
    let mut applied: Vec<(Fix, usize)> = Vec::new();
    let mut needs: BTreeSet<Import> = BTreeSet::new();
    let mut settled = None;
    let mut reexports = Vec::new();
    let mut imports = None;

    let own = first_party::own_modules(opts.path);
    let local;
    let catching = match opts.callers {
        Callers::Run(c) => c,
        Callers::ThisFile => {
            local = Catching::of_text(text, opts.path);
            &local
        }
    };
    for _ in 0..MAX_PASSES {
        let later;
        let (ctx_text, ctx_tree, resolver) = if history.is_empty() {
            (text, &original, &first)
        } else {
            later = Resolver::with_stars(&tree, &current, stars);
            (current.as_str(), &tree, &later)
        };
        let ctx = Ctx {
            text: ctx_text,
            tree: ctx_tree,
            resolver,
            indent_unit: &unit,
            targets: opts.targets,
            first_party: &own,
            catching,
            path: opts.path,
            patches: opts.patches,
        };
        if history.is_empty()
            && let Some(exports) = opts.codemods.iter().find_map(|c| c.hooks.exports)
        {
            reexports = exports(&ctx);
            imports = Some(top_imports::top_imports(&original, text));
        }
        let matched = match_pass(opts, &queries, &ctx).map_err(|e| internal(&e))?;
        let mut planned = plan_pass(opts, &ctx, matched);
        let accepted = accept(std::mem::take(&mut planned.fixes), opts, (ctx_text, crlf));
        if accepted.is_empty() {
            // The import pass, on the settled text (when something was rewritten), with the
            // resolvers of the original and of the settled text.
            let (output, out_tree) = if applied.is_empty() {
                (ctx_text.to_owned(), None)
            } else {
                import_pass(
                    parser,
                    (text, &first),
                    (ctx_text, ctx_tree, resolver),
                    &needs,
                    crlf,
                    &first_party::first_party(opts.path),
                    &|name| {
                        opts.path
                            .is_some_and(|p| opts.module_reads.is_read(p, name))
                    },
                )?
            };
            settled = Some((output, out_tree, planned));
            break;
        }
        let (edits, next, next_tree) = apply_pass(parser, (ctx_text, ctx_tree), &accepted, crlf)?;
        for fix in accepted {
            needs.extend(fix.imports.iter().copied());
            let depth = history.len();
            applied.push((fix, depth));
        }
        history.push(edits);
        current = next;
        tree = next_tree;
    }
    let Some((output, out_tree, planned)) = settled else {
        return Err(MigrateError::NoFixpoint);
    };
    compiles((text, &original), (&output, out_tree.as_ref()))?;
    let reported = locate::locate(
        (text, &original),
        &history,
        output,
        applied,
        planned.withheld,
        planned.findings,
    );
    Ok(Migration {
        reexports,
        imports,
        suppressed: planned.suppressed,
        ..reported
    })
}

/// An error of the machinery (a query that does not compile, a parser that fails).
fn internal(e: &anyhow::Error) -> MigrateError {
    MigrateError::Internal(format!("{e:#}"))
}

// ------------------------------------------------------------------------------------ 3. parse

/// Stage 3, parse: the tree of the input; a file with a syntax error is refused (nothing is
/// rewritten), at its first error.
fn parse(parser: &mut Parser, text: &str) -> Result<Tree, MigrateError> {
    let original = source::parse(parser, text).map_err(|e| internal(&e))?;
    if !source::is_clean(&original, text) {
        let at = first_error(original.root_node()).unwrap_or(0);
        let (line, column) = line_col(text, at);
        return Err(MigrateError::Syntax { line, column });
    }
    Ok(original)
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

// ------------------------------------------------------------------------------------ 4. match

/// Stage 4, match: the queries of the codemods the pre-filter lets through on this pass's text
/// (every enabled one without it) run on its tree, and each match is planned
/// (`query::run_selected`): the fixes and findings, before any is filtered.
fn match_pass(
    opts: &Options,
    queries: &[query::Compiled],
    ctx: &Ctx,
) -> anyhow::Result<Vec<Outcome>> {
    let prefilter = prefilter_enabled();
    let mut needles = Needles::new(ctx.text);
    let selected: Vec<usize> = (0..opts.codemods.len())
        .filter(|&i| {
            !prefilter || needles.admits(opts.codemods[i].triggers, opts.codemods[i].refine)
        })
        .collect();
    query::run_selected(opts.codemods, queries, &selected, ctx)
}

// ------------------------------------------------------------------------------------- 5. plan

/// What one pass planned.
struct Planned {
    fixes: Vec<Fix>,
    withheld: Vec<Fix>,
    findings: Vec<Finding>,
    suppressed: usize,
}

/// Stage 5, plan: one pass's planned outcomes (`match_pass`) filtered: the fixes to choose
/// from (none that changes nothing: it must not keep the loop going), the UNSAFE ones
/// `--safe-only` holds back, and the findings; what the run's filter drops or a suppression
/// silences is left out (and counted), a fix the file would defeat becomes a finding
/// (`guards`).
fn plan_pass(opts: &Options, ctx: &Ctx, matched: Vec<Outcome>) -> Planned {
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
    for outcome in matched {
        match outcome {
            Outcome::Fix(fix) if wanted(fix.codemod, &fix.code(), fix.at) => fixes.push(fix),
            Outcome::Finding(f) if wanted(f.codemod, &f.code(), f.at) => findings.push(f),
            _ => {}
        }
    }
    let kept = guards::without_bypassed_patches(ctx, opts, fixes, &mut findings);
    let kept = guards::without_shadowed_builtins(ctx, kept, &mut findings);
    let kept = guards::without_python_below_anyio(ctx, kept, &mut findings);
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
    Planned {
        fixes,
        withheld,
        findings,
        suppressed,
    }
}

// ------------------------------------------------------------------------------------ 6. apply

/// Stage 6, apply (the choice): the fixes a pass applies: non-overlapping ones (`apply::select`),
/// accepted by the reviewer under `--interactive`, none without the fix it requires.
fn accept(fixes: Vec<Fix>, opts: &Options, (text, crlf): (&str, bool)) -> Vec<Fix> {
    let mut accepted = apply::select(fixes);
    if let Some(reviewer) = opts.review {
        accepted.retain(|f| reviewer.accept(opts.path, text, crlf, f));
    }
    apply::without_orphans(&mut accepted);
    accepted
}

/// Stage 6, apply: the accepted fixes' edits spliced into the pass's text, which is re-parsed
/// (incrementally): its edits (normalized), the next text and its tree. Output that does not
/// parse cleanly is refused, blaming the first fix that breaks it alone (else the first fix).
fn apply_pass(
    parser: &mut Parser,
    (ctx_text, ctx_tree): (&str, &Tree),
    accepted: &[Fix],
    crlf: bool,
) -> Result<(Vec<Edit>, String, Tree), MigrateError> {
    let edits: Vec<Edit> = accepted
        .iter()
        .flat_map(|f| f.edits.iter().cloned())
        .collect();
    let edits = normalize(edits);
    // Fixes that clash wait for the next pass (`apply::select`), so edits that still overlap
    // come from one fix whose own edits do: a bug of that codemod, refused like broken output
    // rather than spliced.
    if edits.windows(2).any(|w| w[1].range.start < w[0].range.end) {
        let culprit = accepted
            .iter()
            .find(|f| {
                normalize(f.edits.clone())
                    .windows(2)
                    .any(|w| w[1].range.start < w[0].range.end)
            })
            .map_or_else(|| accepted[0].codemod, |f| f.codemod);
        return Err(MigrateError::BrokenOutput {
            codemod: culprit.to_owned(),
        });
    }
    let next = splice(ctx_text, &edits, crlf);
    let Some(next_tree) = apply::clean_reparse(parser, ctx_tree, ctx_text, &edits, &next, crlf)
    else {
        let culprit = accepted
            .iter()
            .find(|f| {
                !apply::parses_cleanly(parser, &splice(ctx_text, &normalize(f.edits.clone()), crlf))
            })
            .map_or_else(|| accepted[0].codemod, |f| f.codemod);
        return Err(MigrateError::BrokenOutput {
            codemod: culprit.to_owned(),
        });
    };
    Ok((edits, next, next_tree))
}

// ---------------------------------------------------------------------------------- 7. imports

/// Stage 7, imports: the import pass on the settled text (its tree and resolver given):
/// `import anyio` and the like added, asyncio imports left unreferenced dropped. Output that
/// no longer parses is refused. The output and its tree (re-parsed incrementally, as every
/// pass's text is).
fn import_pass(
    parser: &mut Parser,
    original: (&str, &Resolver),
    (output, tree, resolver): (&str, &Tree, &Resolver),
    needs: &BTreeSet<Import>,
    crlf: bool,
    first_party: imports::NamePredicate,
    read_elsewhere: imports::NamePredicate,
) -> Result<(String, Option<Tree>), MigrateError> {
    let edits = imports::import_edits(
        original,
        (output, tree, resolver),
        needs,
        (first_party, read_elsewhere),
    );
    if edits.is_empty() {
        return Ok((output.to_owned(), Some(tree.clone())));
    }
    let edits = normalize(edits);
    let next = splice(output, &edits, crlf);
    let Some(next_tree) = apply::clean_reparse(parser, tree, output, &edits, &next, crlf) else {
        return Err(MigrateError::BrokenOutput {
            codemod: "import pass".to_owned(),
        });
    };
    Ok((next, Some(next_tree)))
}

// ----------------------------------------------------------------------------------- 8. verify

/// Stage 8, verify: refuse an output that breaks a compile-time rule of `CPython` its input
/// kept (`verify`), on the output's tree from the import pass (the text of every pass, and
/// the import pass's output, are re-parsed incrementally and refused unless clean: the
/// output is not parsed a second time).
fn compiles(
    (text, tree): (&str, &Tree),
    (output, out_tree): (&str, Option<&Tree>),
) -> Result<(), MigrateError> {
    if output == text {
        return Ok(());
    }
    let Some(out_tree) = out_tree else {
        return Err(MigrateError::Internal(
            "a changed output without its tree".to_owned(),
        ));
    };
    match verify::Rules::of(out_tree, output).newly_broken(&verify::Rules::of(tree, text)) {
        Some(rule) => Err(MigrateError::WouldNotCompile { rule }),
        None => Ok(()),
    }
}

/// One codemod alone on `src` for these targets, in a planner's unit tests.
#[cfg(test)]
pub(crate) fn migrate_alone(id: &str, src: &str, targets: crate::target::Targets) -> Migration {
    let codemods = [crate::registry::find(id).expect("a codemod id")];
    let opts = Options::alone(&codemods, targets);
    migrate(
        src,
        false,
        &opts,
        &mut source::new_parser().expect("the parser"),
    )
    .expect("migrates")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codemods::Captures;
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

    /// One fix whose own edits overlap (a replacement and an insert inside it).
    fn overlaps(_: &Ctx, caps: &Captures) -> Vec<Outcome> {
        let node = caps.get("p").unwrap();
        vec![
            Fix::new(
                "overlapper",
                "overlap",
                node.start_byte(),
                Verdict::Safe,
                vec![
                    Edit::replace(node.byte_range(), "return"),
                    Edit::insert(node.start_byte() + 1, "x"),
                ],
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
            hooks: crate::registry::Hooks::NONE,
        }))
    }

    fn run_with(codemod: &'static Codemod, text: &str) -> Result<Migration, MigrateError> {
        let codemods = [codemod];
        let opts = Options::alone(&codemods, crate::target::Targets::default());
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
    fn a_fix_whose_own_edits_overlap_is_refused_not_spliced() {
        let err =
            run_with(test_codemod("overlapper", overlaps), "def f():\n    pass\n").unwrap_err();
        assert_eq!(
            err,
            MigrateError::BrokenOutput {
                codemod: "overlapper".into()
            }
        );
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
}
