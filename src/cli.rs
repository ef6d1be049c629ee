//! Command-line definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The backends the `anyio_backend` fixture may select.
pub const BACKENDS: [&str; 2] = ["asyncio", "trio"];

/// Migrate asyncio code and pytest-asyncio test suites to anyio.
///
/// By default nothing is written: a unified diff goes to stdout (pipe it to `git apply`) and a
/// report of rewrites to review and code to migrate by hand goes to stderr.
///
/// `[tool.anyio-migrate]` in the nearest pyproject.toml at or above the working directory may
/// set `select`, `ignore`, `exclude` and `backends`; flags given here win.
#[derive(Debug, Parser)]
#[command(
    name = "anyio-migrate",
    version,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the codemods: id, verdicts, summary.
    List,
    /// Print a codemod's documentation, or what a code means.
    Explain {
        /// A codemod id, as printed by `list`, or a code (`asyncio-loop/get-running-loop`).
        id: String,
    },
}

#[derive(Debug, Clone, Args)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "each bool is an independent CLI flag"
)]
pub struct RunArgs {
    /// Files or directories to migrate; `-` reads stdin and writes the result to stdout.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Apply the changes in place (`--fix` is the same, as in ruff).
    #[arg(long, visible_alias = "fix")]
    pub write: bool,
    /// Write nothing; exit 1 if any file would change or any MANUAL finding remains.
    #[arg(long, conflicts_with = "write")]
    pub check: bool,
    /// The dry run, said explicitly (as ruff's `--diff`): print the diff, write nothing, and
    /// exit 1 if any file would change.
    #[arg(long, conflicts_with_all = ["write", "check"])]
    pub diff: bool,
    /// Review each rewrite: its hunk, code, verdict and note, then `y` apply, `n` skip, `a`
    /// apply the rest of the file, `d` skip the rest of the file, `q` quit; what was accepted
    /// is written. Needs a terminal on stdin.
    #[arg(long, short = 'i', conflicts_with_all = ["check", "diff"])]
    pub interactive: bool,
    /// Write nothing but an `# anyio-migrate: ignore[CODE]` comment at the end of the line of
    /// every MANUAL finding (as ruff's `--add-noqa`), so `--check` passes today and the list
    /// can be burnt down.
    #[arg(long, conflicts_with_all = ["write", "check", "diff", "interactive"])]
    pub add_ignore: bool,
    /// Exit 0 even when `--check` or `--diff` finds work (failures still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Run only these codemods (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub select: Vec<String>,
    /// Do not run these codemods (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub ignore: Vec<String>,
    /// Apply SAFE rewrites only; UNSAFE ones are listed but not applied.
    #[arg(long)]
    pub safe_only: bool,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report (`--format`'s output; with `text`, the per-spot report and summary)
    /// to this file instead of the terminal.
    #[arg(long, value_name = "PATH")]
    pub output_file: Option<PathBuf>,
    /// Count the rewrites and findings per code and verdict, most frequent first, instead of
    /// listing each spot (`text` and `json` formats).
    #[arg(long)]
    pub statistics: bool,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Skip paths matching this gitignore-style glob (repeatable; adds to the default
    /// excludes and to the settings file's, so `--extend-exclude` is the same).
    #[arg(long, visible_alias = "extend-exclude", value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Apply the excludes to files named on the command line too (pre-commit passes every
    /// staged file by name).
    #[arg(long)]
    pub force_exclude: bool,
    /// Read `[tool.anyio-migrate]` from this file (a `pyproject.toml`, or a TOML file with the
    /// same keys at its top level) instead of searching for it.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Do not honour .gitignore, .ignore or hidden-file rules.
    #[arg(long)]
    pub no_ignore: bool,
    /// Colour the diff.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Print only the diff (or JSON) and errors, no per-finding report or summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Backends the `anyio_backend` fixture added to the root conftest.py selects
    /// (`asyncio`, `trio`); more than one gives the parametrised fixture [default: asyncio].
    #[arg(long, value_delimiter = ',', value_name = "NAME,...", value_parser = BACKENDS)]
    pub backends: Vec<String>,
    /// The oldest anyio release the output must run on (e.g. `4.5`); by default the lower bound
    /// of the project's own anyio requirement, or the newest release the tool knows where anyio
    /// is not a dependency yet.
    #[arg(long, value_name = "X.Y", value_parser = parse_version)]
    pub target_anyio: Option<String>,
    /// The oldest Python the output must run on (e.g. `3.9`); by default the project's
    /// `requires-python`.
    #[arg(long, value_name = "3.N", value_parser = parse_version)]
    pub target_python: Option<String>,
    /// The file name to use in messages when reading stdin.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
}

/// A release number as given (`4.5`, `3.7.1`), checked.
fn parse_version(text: &str) -> Result<String, String> {
    crate::target::Version::parse(text)
        .filter(|_| {
            text.split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        })
        .map(|_| text.to_owned())
        .ok_or_else(|| format!("`{text}` is not a release number such as 4.5 or 3.7.1"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The diff on stdout, the report on stderr.
    Text,
    /// One JSON document (described by `docs/report.schema.json`).
    Json,
    /// One JSON object per rewrite, finding or failed file, then a summary line.
    JsonLines,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}
