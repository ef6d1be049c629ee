//! anyio-migrate: migrate asyncio code to anyio. A run, top to bottom (`run`): discover the
//! files → the per-file engine on each (`engine`: decode → prefilter → parse → match → plan →
//! apply, to a fixpoint → imports → verify) → the project passes (`project`) → report → write
//! (`write`) → the exit code.

pub mod analysis;
pub mod apply;
pub mod cli;
pub mod codemods;
pub mod discover;
pub mod edit;
pub mod engine;
pub mod imports;
pub mod outcome;
pub mod prefilter;
pub mod project;
pub mod query;
pub mod registry;
pub mod report;
pub mod resolve;
pub mod review;
pub mod settings;
pub mod source;
pub mod suppress;
pub mod target;
pub mod verify;
pub mod write;

pub use engine::{Status, migrate_bytes};
pub use outcome::FileOutcome;

use analysis::callers::{self, Callers, Catching, Summary};
use analysis::member_uses::MemberUse;
use analysis::patches::{Patch, Patches};
use anyhow::{Context, Result, bail};
use cli::{Cli, Command, RunArgs};
use engine::Options;
use rayon::prelude::*;
use registry::{CODEMODS, Codemod, ProjectPass};
use source::SourceText;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Exit codes, in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Nothing to do, or done.
    Success = 0,
    /// `--check` found work.
    WorkFound = 1,
    /// Bad arguments, unreadable paths, a file that failed.
    Error = 2,
}

/// The codemods `--select` / `--ignore` leave enabled, and the filter of codes they name
/// (`asyncio-loop/get-running-loop`), or an error naming the closest id.
pub fn selection(
    select: &[String],
    ignore: &[String],
) -> Result<(Vec<&'static Codemod>, suppress::Filter)> {
    let id_of = |s: &str| s.split_once('/').map_or(s, |(id, _)| id).to_owned();
    for item in select.iter().chain(ignore) {
        let id = id_of(item);
        if registry::find(&id).is_none() {
            let hint = registry::closest(&id)
                .map_or_else(String::new, |c| format!("; did you mean `{c}`?"));
            bail!("unknown codemod id `{id}`{hint} (run `anyio-migrate list` to see them all)");
        }
        if item.contains('/') && !registry::known_code(item) {
            let codes = registry::code_entries().iter().map(|e| e.code);
            let hint = registry::closest_of(item, codes)
                .map_or_else(String::new, |c| format!("; did you mean `{c}`?"));
            bail!(
                "unknown code `{item}`{hint} (run `anyio-migrate explain {id}` to see its codes)"
            );
        }
    }
    let codemods = CODEMODS
        .iter()
        .filter(|c| select.is_empty() || select.iter().any(|s| id_of(s) == c.id))
        .filter(|c| !ignore.iter().any(|s| s == c.id))
        .collect();
    let codes = |list: &[String]| -> Vec<String> {
        list.iter().filter(|s| s.contains('/')).cloned().collect()
    };
    let filter = suppress::Filter {
        // Only where a code narrows a codemod: its id alone keeps all of its outcomes.
        select: if codes(select).is_empty() {
            Vec::new()
        } else {
            select.to_vec()
        },
        ignore: codes(ignore),
        suppress: Vec::new(),
    };
    Ok((codemods, filter))
}

fn process(
    path: &Path,
    opts: &Options,
    targets: &project::targets::Finder,
    per_file: &settings::PerFileIgnores,
) -> FileOutcome {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return FileOutcome::new(path.to_owned(), Status::Failed(format!("cannot read: {e}")));
        }
    };
    let suppressed = per_file.ignores(path);
    let filter = suppress::Filter {
        suppress: suppressed,
        ..opts.filter.clone()
    };
    let opts = Options {
        path: Some(path),
        targets: targets.for_file(path).targets,
        filter: &filter,
        ..*opts
    };
    // A bug that panics on one file fails that file, which stays as it is; the run goes on.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        FileOutcome::migrated(path.to_owned(), &bytes, &opts)
    }))
    .unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("no message");
        FileOutcome::new(
            path.to_owned(),
            Status::Failed(format!(
                "internal error ({why}); the file was left unchanged. This is a bug in anyio-migrate: please report it with this file"
            )),
        )
    })
}

/// Run the CLI; every printed byte goes through `out` and `err`.
pub fn run(cli: Cli, stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let result = match cli.command {
        Some(Command::List) => report::list(out).map(|()| Exit::Success),
        Some(Command::Explain { id }) => explain(&id, out),
        None => run_migration(&cli.run, stdin, out, err),
    };
    result.unwrap_or_else(|e| {
        // A reader that closed the pipe (`| head`) wanted no more output: not an error.
        let broken_pipe = e.chain().any(|cause| {
            let kind = cause
                .downcast_ref::<std::io::Error>()
                .map(std::io::Error::kind)
                .or_else(|| {
                    cause
                        .downcast_ref::<serde_json::Error>()
                        .and_then(serde_json::Error::io_error_kind)
                });
            kind == Some(std::io::ErrorKind::BrokenPipe)
        });
        if broken_pipe {
            return Exit::Success;
        }
        let _ = writeln!(err, "error: {e:#}");
        Exit::Error
    })
}

fn explain(id: &str, out: &mut dyn Write) -> Result<Exit> {
    selection(&[id.to_owned()], &[])?;
    if let Some(entry) = registry::code_entry(id) {
        let codemod = registry::find(entry.id()).context("unknown codemod")?;
        writeln!(
            out,
            "{} ({})\n\n{}\n\nGiven by the codemod `{}`: {}.\nRun `anyio-migrate explain {}` for its documentation; silence it on a line with `# anyio-migrate: ignore[{}]`.",
            entry.code,
            entry.verdicts,
            entry.description,
            codemod.id,
            codemod.summary,
            codemod.id,
            entry.code
        )?;
        return Ok(Exit::Success);
    }
    let codemod = registry::find(id).context("unknown codemod")?;
    out.write_all(codemod.readme.as_bytes())?;
    Ok(Exit::Success)
}

fn run_migration(
    args: &RunArgs,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Exit> {
    let given = args;
    let (args, per_file) = &with_settings(args)?;
    let targets = project::targets::Finder::new(overrides(given, args));
    let (codemods, filter) = selection(&args.select, &args.ignore)?;
    let mut report_file = report_file(args)?;
    let style = report::Style::new(
        args,
        (
            out_is_terminal(),
            report_file.is_none() && err_is_terminal(),
        ),
    );
    // `--output-file` takes the report: the document of a machine format (stdout otherwise),
    // the per-spot report and summary of `text` (stderr otherwise; the diff stays on stdout).
    let (out, err): (&mut dyn Write, &mut dyn Write) = match report_file.as_mut() {
        Some(file) if args.format == cli::Format::Text => (out, file),
        Some(file) => (file, err),
        None => (out, err),
    };
    if args.paths.len() == 1 && args.paths[0] == Path::new("-") {
        return run_stdin(
            args,
            &overrides(given, args),
            (&codemods, &filter, per_file),
            &style,
            stdin,
            out,
            err,
        );
    }
    check_paths(&args.paths)?;
    let walk = discover::Walk {
        excludes: &args.exclude,
        no_ignore: args.no_ignore,
        force_exclude: args.force_exclude,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.map_or(0, usize::from))
        .build()
        .context("starting worker threads")?;
    let found = pool.install(|| discover::discover(&args.paths, &walk))?;
    warn_if_empty(&found, &args.paths, err)?;
    // Before any file is planned: the asyncio functions the project's code replaces at run time,
    // the uses of primitives on attributes that anyio's refuse, and what each file calls (for
    // the callers a codemod asks about).
    // The project's files the run does not take still run with its code: their patches and
    // attribute uses count too.
    let context = pool.install(|| discover::context_files(&args.paths, &found.files, &walk));
    let (scanned, sizes, catching) = read_files(&pool, &found.files, &context, &codemods);
    let reviewer = reviewer(args, style.report_color)?;
    let opts = Options {
        codemods: &codemods,
        safe_only: args.safe_only,
        patches: &scanned.patches,
        member_uses: &scanned.member_uses,
        module_reads: &scanned.module_reads,
        star_names: &scanned.star_names,
        callers: Callers::Run(&catching),
        path: None,
        targets: crate::target::Targets::default(),
        filter: &filter,
        review: reviewer.as_ref(),
    };
    let mut outcomes = migrate_files(
        &pool,
        (&found.files, &sizes),
        (&opts, &targets, per_file),
        args,
    );
    // On the pool: the project passes that spread their work over the files use `--jobs`.
    let kept = pool.install(|| {
        project_passes(
            &mut outcomes,
            &found.configs,
            args,
            (&walk, &opts, &targets),
        )
    });
    outcome::refuse_unencodable(&mut outcomes);
    if args.add_ignore {
        return add_ignores(&outcomes, err);
    }
    if let Some(reviewer) = &reviewer {
        review_project_edits(&mut outcomes, reviewer);
        let (yes, no) = reviewer.counts();
        writeln!(err, "\nreview: {yes} rewrite(s) applied, {no} skipped")?;
    }
    if args.write || reviewer.is_some() {
        write::write_outcomes(&mut outcomes);
    }
    outcomes.extend(
        found
            .skipped
            .into_iter()
            .map(|(p, why)| FileOutcome::new(p, Status::Skipped(why))),
    );
    outcomes.extend(
        found
            .errors
            .into_iter()
            .map(|(p, why)| FileOutcome::new(p, Status::Failed(why))),
    );
    // One order for every report, whatever the discovery stage a path came from.
    outcomes.sort_by(|a, b| a.path.cmp(&b.path));
    report::emit(&outcomes, &kept, &targets.used(), &style, out, err)?;
    Ok(exit_for(&outcomes, args))
}

/// The files read before any is planned: the patches and member uses, each file's size
/// (`scan_files`) and the callers that catch a failure a rewrite would change
/// (`analysis::callers`). A run of a few files uses each codemod's own query
/// (`query::run_separately`); a larger one compiles the joined query meanwhile.
fn read_files(
    pool: &rayon::ThreadPool,
    files: &[PathBuf],
    context: &[PathBuf],
    codemods: &[&Codemod],
) -> (Scanned, Vec<usize>, Catching) {
    let separate = files.len() < SEPARATE_QUERIES_BELOW;
    query::run_separately(separate);
    let (read, ()) = pool.install(|| {
        rayon::join(
            || scan_files(pool, files, context, codemods),
            || {
                if !separate {
                    query::warm_up();
                }
            },
        )
    });
    let (scanned, sizes, summaries) = read;
    let decoded = |p: &Path| {
        let bytes = std::fs::read(p).ok()?;
        SourceText::decode_python(&bytes).ok().map(|s| s.text)
    };
    let catching = Catching::new(files.to_vec(), summaries, Box::new(decoded));
    (scanned, sizes, catching)
}

/// What the run's files show before any is planned: the asyncio functions they patch
/// (`analysis::patches`), and the uses of primitives on attributes that anyio's refuse
/// (`analysis::member_uses`).
struct Scanned {
    patches: Patches,
    member_uses: analysis::member_uses::MemberUses,
    /// Modules' imported modules read through them from other files
    /// (`analysis::module_reads`).
    module_reads: analysis::module_reads::ModuleReads,
    /// The names the files' star imports of the project's modules bind
    /// (`analysis::star_names`).
    star_names: analysis::star_names::StarNames,
}

/// Below this many files a run matches each codemod's own query: compiling the joined one
/// costs about as much as matching a dozen files with the separate queries.
const SEPARATE_QUERIES_BELOW: usize = 16;

/// Every file of the run migrated on its own: on the pool's threads, the largest first
/// (`largest_first`); under review one by one, in order (the questions come in the report's
/// order). The outcomes in the order of `files`.
fn migrate_files(
    pool: &rayon::ThreadPool,
    (files, sizes): (&[PathBuf], &[usize]),
    (opts, targets, per_file): (
        &Options,
        &project::targets::Finder,
        &settings::PerFileIgnores,
    ),
    args: &RunArgs,
) -> Vec<FileOutcome> {
    if opts.review.is_some() {
        return files
            .iter()
            .map(|p| process(p, opts, targets, per_file))
            .collect();
    }
    let progress = progress_bar(args, files.len());
    let each = |i: usize| {
        let o = process(&files[i], opts, targets, per_file);
        progress.inc(1);
        o
    };
    let outcomes = largest_first(pool, sizes, each);
    progress.finish_and_clear();
    outcomes
}

/// `--add-ignore`: an ignore comment naming the codes of the MANUAL findings on each line,
/// written into the original text (no rewrite applied). A line whose end lies inside a string
/// cannot hold a comment: it is named, not edited.
fn add_ignores(outcomes: &[FileOutcome], err: &mut dyn Write) -> Result<Exit> {
    let (mut files, mut comments) = (0, 0);
    let mut failed = false;
    for o in outcomes {
        if o.config || o.created || o.migration.findings.is_empty() || !discover::is_python(&o.path)
        {
            continue;
        }
        let text = match &o.status {
            Status::Changed { before, .. } => before.clone(),
            _ => o.read_text().context("re-reading a file")?,
        };
        let spots: Vec<(usize, String)> = o
            .migration
            .findings
            .iter()
            .map(|f| (f.line, f.finding.code()))
            .collect();
        let (new, lines) = match suppress::with_ignores(&text, &spots)? {
            Ok(done) => done,
            Err(missing) => {
                writeln!(
                    err,
                    "{}: error: cannot add an ignore comment on line(s) {missing:?} (the line ends inside a string); nothing written to this file: add `# anyio-migrate: ignore` on the statement's first line by hand",
                    o.path.display()
                )?;
                failed = true;
                continue;
            }
        };
        write::write_atomic(&o.path, &o.encoding.encode(&new)?)?;
        files += 1;
        comments += lines;
    }
    writeln!(err, "added {comments} ignore comment(s) to {files} file(s)")?;
    Ok(if failed { Exit::Error } else { Exit::Success })
}

/// The passes over the whole project, after every file's own migration; returns the test
/// suites kept on pytest-asyncio.
fn project_passes(
    outcomes: &mut Vec<FileOutcome>,
    configs: &[PathBuf],
    args: &RunArgs,
    (walk, opts, targets): (&discover::Walk, &Options, &project::targets::Finder),
) -> Vec<project::keep::KeptSuite> {
    let enabled = |pass: ProjectPass| opts.codemods.iter().any(|c| c.runs(pass));
    // Runs on the thread's default loop made anyio.run while another file keeps using that loop
    // outside a coroutine: migrated again, those runs stay (before the passes that migrate a
    // file again, which then see the same targets).
    if enabled(ProjectPass::DefaultLoop) {
        project::default_loop::keep_default_loop_runs(outcomes, opts, targets);
    }
    // The project pass (pytest-asyncio): config and dependency files, the suites that must stay
    // on pytest-asyncio, the root conftest.py.
    let mut kept = Vec::new();
    if enabled(ProjectPass::PytestAsyncio) {
        let (found, mut facts) = project::migrate_configs(configs, targets);
        outcomes.extend(found);
        project::unmarked_async_tests(outcomes, &mut facts, &args.paths);
        project::marks::mark_auto_suites(outcomes, &facts);
        project::sync_tests_of_conftest_fixtures(outcomes, &facts);
        project::event_loop::migrate_aliases(outcomes, &args.backends, (opts, targets));
        project::own_fixtures::drop_own_fixture_blockers(outcomes);
        let outside = project::leftovers(outcomes, walk, &facts);
        outcomes.extend(outside);
        let outside = project::outside_config(&args.paths, outcomes, targets);
        outcomes.extend(outside);
        kept = project::keep::keep_blocked_suites(outcomes, &mut facts, (opts, targets));
        project::loop_wide_cancel::report(outcomes, &facts);
        project::node_ids::report(outcomes, &facts, &args.backends);
        project::runners::report(outcomes, &args.paths);
        project::conftest::add_anyio_backend(outcomes, &facts, &args.backends, targets);
    }
    // The runtime dependency on anyio of the packages whose migrated code now imports it.
    project::runtime::add_runtime_anyio(outcomes, targets);
    // asyncio APIs called through another module's re-export of them (after the project pass,
    // which may migrate a file again).
    if enabled(ProjectPass::Reexports) {
        project::reexports::report_calls(outcomes);
    }
    // Members anyio's primitives lack, used in another file on an attribute a rewrite changed.
    if enabled(ProjectPass::ForeignMembers) {
        project::primitive_attrs::report_foreign_members(outcomes);
    }
    kept
}

/// The `--output-file`, created (after the report options are checked).
fn report_file(args: &RunArgs) -> Result<Option<std::fs::File>> {
    if args.statistics && !matches!(args.format, cli::Format::Text | cli::Format::Json) {
        bail!("--statistics works with --format text or json");
    }
    args.output_file
        .as_ref()
        .map(|path| {
            std::fs::File::create(path)
                .with_context(|| format!("creating the output file {}", path.display()))
        })
        .transpose()
}

/// Files between one progress bar and none: below this a run takes well under a second.
const PROGRESS_FROM_FILES: usize = 500;

/// A progress bar on stderr for a long run, when stderr is a terminal and the report is text
/// that is not quiet; hidden otherwise.
fn progress_bar(args: &RunArgs, files: usize) -> indicatif::ProgressBar {
    let wanted = files >= PROGRESS_FROM_FILES
        && !args.quiet
        && args.format == cli::Format::Text
        && args.output_file.is_none()
        && err_is_terminal();
    if !wanted {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files ({elapsed})")
    {
        bar.set_style(style);
    }
    bar.tick();
    bar
}

/// The asyncio functions the project's code replaces at run time (`analysis::patches`) and the
/// uses of primitives on attributes that anyio's refuse (`analysis::member_uses`), the size of
/// each file (0 when it cannot be read), for `largest_first`, and the names each file calls
/// (`analysis::callers`).
///
/// The project's files outside the run (`context`) are scanned for patches and member uses
/// only: a patch there is marked `outside` (the run cannot write its twin).
fn scan_files(
    pool: &rayon::ThreadPool,
    files: &[PathBuf],
    context: &[PathBuf],
    codemods: &[&Codemod],
) -> (Scanned, Vec<usize>, Vec<Summary>) {
    type Each = (
        Vec<Patch>,
        Vec<MemberUse>,
        Vec<(String, String)>,
        usize,
        Summary,
        Vec<(String, crate::resolve::Provided)>,
    );
    let each: Vec<Each> = pool.install(|| {
        files
            .par_iter()
            .map(|p| (p, false))
            .chain(context.par_iter().map(|p| (p, true)))
            .map(|(p, outside)| {
                let Ok(bytes) = std::fs::read(p) else {
                    return Each::default();
                };
                let Ok(source) = SourceText::decode_python(&bytes) else {
                    let size = bytes.len();
                    return (
                        Vec::new(),
                        Vec::new(),
                        Vec::new(),
                        size,
                        Summary::default(),
                        Vec::new(),
                    );
                };
                let mut found = analysis::patches::in_file(p, &source.text);
                let uses = analysis::member_uses::in_file(p, &source.text);
                let reads = analysis::module_reads::in_file(&source.text, imports::DROPPABLE);
                if outside {
                    for f in &mut found {
                        f.outside = true;
                    }
                    return (found, uses, reads, 0, Summary::default(), Vec::new());
                }
                let summary = callers::summarize(&source.text);
                // Only a file some codemod looks at is resolved: reading a star-imported
                // module costs a parse.
                let stars =
                    if !engine::prefilter_enabled() || engine::triggered(&source.text, codemods) {
                        analysis::star_names::in_file(p, &source.text)
                    } else {
                        Vec::new()
                    };
                (found, uses, reads, bytes.len(), summary, stars)
            })
            .collect()
    });
    let mut found = Vec::new();
    let mut member_uses = Vec::new();
    let mut module_reads = Vec::new();
    let mut sizes = Vec::new();
    let mut summaries = Vec::new();
    let mut star_names = Vec::new();
    for (i, (patches, uses, reads, size, summary, stars)) in each.into_iter().enumerate() {
        found.extend(patches);
        member_uses.extend(uses);
        module_reads.extend(reads);
        if i < files.len() {
            sizes.push(size);
            summaries.push(summary);
            star_names.push((files[i].clone(), stars));
        }
    }
    let scanned = Scanned {
        patches: Patches::new(found),
        member_uses: analysis::member_uses::MemberUses::new(member_uses),
        module_reads: analysis::module_reads::ModuleReads::new(module_reads),
        star_names: analysis::star_names::StarNames::new(star_names),
    };
    (scanned, sizes, summaries)
}

/// `f` of every index below `sizes.len()` on the pool's threads, the largest sizes taken
/// first from one shared queue (the longest files do not end up last on one thread while the
/// others idle); the results in index order.
fn largest_first<T: Send>(
    pool: &rayon::ThreadPool,
    sizes: &[usize],
    f: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: Vec<Vec<(usize, T)>> = pool.broadcast(|_| {
        let mut mine = Vec::new();
        loop {
            let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(&i) = order.get(k) else {
                break;
            };
            mine.push((i, f(i)));
        }
        mine
    });
    let mut all: Vec<(usize, T)> = done.into_iter().flatten().collect();
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, t)| t).collect()
}

fn reviewer(args: &RunArgs, color: bool) -> Result<Option<review::Reviewer>> {
    use std::io::IsTerminal;
    if !args.interactive {
        return Ok(None);
    }
    if args.format != cli::Format::Text {
        bail!("--interactive works with --format text");
    }
    if !std::io::stdin().is_terminal() {
        bail!(
            "--interactive reads its answers from a terminal, and stdin is not one (use --write to apply everything, or the dry run to see the diff)"
        );
    }
    Ok(Some(review::Reviewer::new(
        Box::new(std::io::BufReader::new(std::io::stdin())),
        Box::new(std::io::stderr()),
        color,
    )))
}

/// Under review, a configuration file the project pass edits, or a file it creates, is one
/// question: its whole diff.
fn review_project_edits(outcomes: &mut [FileOutcome], reviewer: &review::Reviewer) {
    for o in outcomes.iter_mut().filter(|o| o.config || o.created) {
        let Some(diff) = report::diff_of(o) else {
            continue;
        };
        if !reviewer.accept_file(&o.path, &diff) {
            o.status = Status::Unchanged;
            o.migration.applied.clear();
        }
    }
}

/// Paths that cannot be right: stdin among others, a mistyped subcommand.
fn check_paths(paths: &[PathBuf]) -> Result<()> {
    if paths.iter().any(|p| p == Path::new("-")) {
        bail!("`-` (stdin) cannot be combined with other paths");
    }
    // A mistyped subcommand reads as a path that does not exist.
    if let Some(only) = paths.first()
        && !only.exists()
        && let Some(name) = only.to_str().filter(|n| !n.contains(['/', '.']))
        && let Some(command) = registry::closest_of(name, ["list", "explain"].into_iter())
        && name.len() > 1
    {
        bail!(
            "`{name}` is neither a file nor a subcommand; did you mean `anyio-migrate {command}`?"
        );
    }
    Ok(())
}

/// Nothing to look at is said, not silently a success.
fn warn_if_empty(
    found: &discover::Discovered,
    paths: &[PathBuf],
    err: &mut dyn Write,
) -> Result<()> {
    if found.files.is_empty()
        && found.configs.is_empty()
        && found.errors.is_empty()
        && found.skipped.is_empty()
    {
        writeln!(
            err,
            "warning: no Python files found under {} (after excludes and .gitignore; --no-ignore to include ignored files)",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    Ok(())
}

/// The arguments with `[tool.anyio-migrate]` filling in what the command line left unset,
/// and its `per-file-ignores`.
fn with_settings(args: &RunArgs) -> Result<(RunArgs, settings::PerFileIgnores)> {
    let cwd = std::env::current_dir().context("reading the working directory")?;
    let (file, settings) =
        settings::for_run(args.config.as_deref(), &args.paths, &cwd)?.unwrap_or_default();
    let per_file =
        settings::PerFileIgnores::new(file.parent().unwrap_or(&cwd), &settings.per_file_ignores)?;
    for (_, ids) in &settings.per_file_ignores {
        selection(ids, &[])?;
    }
    Ok((settings::merge(args, settings), per_file))
}

/// The targets the user set: on the command line (`given`) or in `[tool.anyio-migrate]`
/// (only in the merged arguments), each with where it came from.
fn overrides(given: &RunArgs, merged: &RunArgs) -> project::targets::Overrides {
    let pick = |flag: &Option<String>, merged: &Option<String>, name: &str| {
        let (text, origin) = match (flag, merged) {
            (Some(v), _) => (v, format!("--{name} {v}")),
            (None, Some(v)) => (v, format!("[tool.anyio-migrate] {name} = \"{v}\"")),
            (None, None) => return None,
        };
        target::Version::parse(text).map(|v| (v, origin))
    };
    project::targets::Overrides {
        anyio: pick(&given.target_anyio, &merged.target_anyio, "target-anyio"),
        python: pick(&given.target_python, &merged.target_python, "target-python"),
    }
}

fn run_stdin(
    args: &RunArgs,
    targets: &project::targets::Overrides,
    (codemods, filter, per_file): (
        &[&'static Codemod],
        &suppress::Filter,
        &settings::PerFileIgnores,
    ),
    style: &report::Style,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Exit> {
    let mut bytes = Vec::new();
    stdin.read_to_end(&mut bytes).context("reading stdin")?;
    let path = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("<stdin>"));
    let patches = Patches::new(
        SourceText::decode_python(&bytes)
            .map(|s| analysis::patches::in_file(&path, &s.text))
            .unwrap_or_default(),
    );
    let finder = project::targets::Finder::new(targets.clone());
    let derived = finder.for_file(&std::env::current_dir()?.join(&path));
    let opts = &Options {
        codemods,
        safe_only: args.safe_only,
        patches: &patches,
        member_uses: &analysis::member_uses::NONE,
        module_reads: &analysis::module_reads::NONE,
        star_names: &analysis::star_names::NONE,
        callers: Callers::ThisFile,
        path: None,
        targets: derived.targets,
        filter: &suppress::Filter {
            suppress: per_file.ignores(&path),
            ..filter.clone()
        },
        review: None,
    };
    let used = finder.used();
    let mut outcomes = [FileOutcome::migrated(path, &bytes, opts)];
    outcome::refuse_unencodable(&mut outcomes);
    // The migrated text (or the input, untouched) always goes to stdout for editors, in the
    // input's encoding.
    let o = &outcomes[0];
    match &o.status {
        Status::Changed { after, .. } if !args.check => {
            out.write_all(&o.encoding.encode(after)?)?;
        }
        _ if !args.check => out.write_all(&bytes)?,
        _ => {}
    }
    // stdout carries the code, so the report (text or JSON) goes to stderr.
    let style = report::Style {
        diff: false,
        ..style.clone()
    };
    if args.format == cli::Format::Text {
        report::emit(&outcomes, &[], &used, &style, &mut std::io::sink(), err)?;
    } else {
        report::emit(&outcomes, &[], &used, &style, err, &mut std::io::sink())?;
    }
    Ok(exit_for(&outcomes, args))
}

/// 2 when a file failed; under `--check`, 1 when a file would change or a finding remains;
/// under `--diff`, 1 when a file would change; `--exit-zero` turns the 1 into 0.
fn exit_for(outcomes: &[FileOutcome], args: &RunArgs) -> Exit {
    if outcomes
        .iter()
        .any(|o| matches!(o.status, Status::Failed(_)))
    {
        return Exit::Error;
    }
    let changes = outcomes
        .iter()
        .any(|o| matches!(o.status, Status::Changed { .. }));
    let work = changes
        || outcomes.iter().any(|o| {
            o.left_asyncio || !o.migration.findings.is_empty() || !o.migration.withheld.is_empty()
        });
    if !args.exit_zero && ((args.check && work) || (args.diff && changes)) {
        Exit::WorkFound
    } else {
        Exit::Success
    }
}

fn out_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal()
}

fn err_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
}
