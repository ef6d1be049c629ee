//! Settings from `[tool.anyio-migrate]` in `pyproject.toml`.
//!
//! The nearest `pyproject.toml` at or above the working directory that has a
//! `[tool.anyio-migrate]` table supplies defaults for `select`, `ignore`, `exclude` and
//! `backends`; a flag given on the command line wins over the file. Unknown keys and values of
//! the wrong type are errors, so a typo never silently changes what a run does.

use crate::cli::RunArgs;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, Item};

/// The table's name in `pyproject.toml`.
pub const TABLE: &str = "anyio-migrate";

pub use crate::cli::BACKENDS;

/// What a `[tool.anyio-migrate]` table says.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub exclude: Option<Vec<String>>,
    pub backends: Option<Vec<String>>,
    pub target_anyio: Option<String>,
    pub target_python: Option<String>,
    /// `per-file-ignores`: a gitignore-style glob (relative to the settings file's folder) →
    /// the codemod ids or codes not reported or rewritten in the files it matches.
    pub per_file_ignores: Vec<(String, Vec<String>)>,
}

/// `per-file-ignores`, compiled: each glob (gitignore-style, relative to the settings file's
/// folder) with the ids and codes it suppresses.
#[derive(Debug, Default)]
pub struct PerFileIgnores {
    base: PathBuf,
    rules: Vec<(ignore::gitignore::Gitignore, Vec<String>)>,
}

impl PerFileIgnores {
    pub fn new(base: &Path, rules: &[(String, Vec<String>)]) -> Result<Self> {
        let base = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_owned());
        let mut compiled = Vec::new();
        for (glob, ids) in rules {
            let mut builder = ignore::gitignore::GitignoreBuilder::new(&base);
            builder
                .add_line(None, glob)
                .with_context(|| format!("[tool.{TABLE}] per-file-ignores: bad glob `{glob}`"))?;
            compiled.push((builder.build()?, ids.clone()));
        }
        Ok(Self {
            base,
            rules: compiled,
        })
    }

    /// The ids and codes suppressed in `path`.
    pub fn ignores(&self, path: &Path) -> Vec<String> {
        if self.rules.is_empty() {
            return Vec::new();
        }
        let Ok(absolute) = std::fs::canonicalize(path) else {
            return Vec::new();
        };
        let Ok(relative) = absolute.strip_prefix(&self.base) else {
            return Vec::new();
        };
        self.rules
            .iter()
            .filter(|(m, _)| m.matched_path_or_any_parents(relative, false).is_ignore())
            .flat_map(|(_, ids)| ids.iter().cloned())
            .collect()
    }
}

/// The first `pyproject.toml` at or above `start` with a `[tool.anyio-migrate]` table.
pub fn find(start: &Path) -> Result<Option<(PathBuf, Settings)>> {
    for dir in start.ancestors() {
        let path = dir.join("pyproject.toml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // A broken pyproject.toml without our table is the project pass's to report.
        if !text.contains(TABLE) {
            continue;
        }
        let settings = parse(&text).with_context(|| format!("{}", path.display()))?;
        if let Some(settings) = settings {
            return Ok(Some((path, settings)));
        }
    }
    Ok(None)
}

/// The settings of a run: `--config`'s file when given; else the nearest table above the
/// paths being migrated (all of them must share it), else above the working directory.
pub fn for_run(
    config: Option<&Path>,
    paths: &[PathBuf],
    cwd: &Path,
) -> Result<Option<(PathBuf, Settings)>> {
    if let Some(path) = config {
        return read_config(path).map(|s| Some((path.to_owned(), s)));
    }
    let mut found: Option<(PathBuf, Settings)> = None;
    for path in paths.iter().filter(|p| p.as_os_str() != "-") {
        let absolute = std::fs::canonicalize(cwd.join(path)).unwrap_or_else(|_| cwd.join(path));
        let start = if absolute.is_dir() {
            absolute.as_path()
        } else {
            absolute.parent().unwrap_or(cwd)
        };
        let Some((file, settings)) = find(start)? else {
            continue;
        };
        match &found {
            Some((first, _)) if *first != file => bail!(
                "the paths given fall under different [tool.{TABLE}] settings ({} and {}): run once per project, or choose one with --config",
                first.display(),
                file.display()
            ),
            Some(_) => {}
            None => found = Some((file, settings)),
        }
    }
    match found {
        Some(found) => Ok(Some(found)),
        None => find(cwd),
    }
}

/// `--config PATH`: a `pyproject.toml` must have the table; any other TOML file holds the
/// keys at its top level.
fn read_config(path: &Path) -> Result<Settings> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the config file {}", path.display()))?;
    let context = || format!("{}", path.display());
    if path.file_name().is_some_and(|n| n == "pyproject.toml") {
        return parse(&text)
            .with_context(context)?
            .with_context(|| format!("{} has no [tool.{TABLE}] table", path.display()));
    }
    let doc: DocumentMut = text
        .parse()
        .context("not valid TOML")
        .with_context(context)?;
    parse_table(doc.as_table()).with_context(context)
}

/// The `[tool.anyio-migrate]` table of a `pyproject.toml` text, if it has one.
pub fn parse(text: &str) -> Result<Option<Settings>> {
    let doc: DocumentMut = text.parse().context("not valid TOML")?;
    let Some(table) = doc
        .get("tool")
        .and_then(|t| t.get(TABLE))
        .and_then(Item::as_table_like)
    else {
        return Ok(None);
    };
    parse_table(table).map(Some)
}

fn parse_table(table: &dyn toml_edit::TableLike) -> Result<Settings> {
    let mut settings = Settings::default();
    for (key, value) in table.iter() {
        if let Some(slot) = match key {
            "target-anyio" => Some(&mut settings.target_anyio),
            "target-python" => Some(&mut settings.target_python),
            _ => None,
        } {
            let text = value.as_str().with_context(|| {
                format!("[tool.{TABLE}] {key} must be a string such as \"4.5\"")
            })?;
            if crate::target::Version::parse(text).is_none() {
                bail!("[tool.{TABLE}] {key}: `{text}` is not a release number such as 4.5");
            }
            *slot = Some(text.to_owned());
            continue;
        }
        if key == "per-file-ignores" {
            let globs = value.as_table_like().with_context(|| {
                format!("[tool.{TABLE}] per-file-ignores must be a table of glob = [ids]")
            })?;
            for (glob, ids) in globs.iter() {
                settings
                    .per_file_ignores
                    .push((glob.to_owned(), strings(key, ids)?));
            }
            continue;
        }
        let slot = match key {
            "select" => &mut settings.select,
            "ignore" => &mut settings.ignore,
            "exclude" | "extend-exclude" => &mut settings.exclude,
            "backends" => &mut settings.backends,
            other => bail!(
                "unknown key `{other}` in [tool.{TABLE}] (expected select, ignore, exclude, extend-exclude, per-file-ignores, backends, target-anyio or target-python)"
            ),
        };
        let mut values = strings(key, value)?;
        match slot {
            // `exclude` and `extend-exclude` add up.
            Some(before) if key.ends_with("exclude") => before.append(&mut values),
            _ => *slot = Some(values),
        }
    }
    if let Some(backends) = &settings.backends {
        check_backends(backends)?;
    }
    Ok(settings)
}

fn strings(key: &str, value: &Item) -> Result<Vec<String>> {
    let array = value
        .as_array()
        .with_context(|| format!("[tool.{TABLE}] {key} must be an array of strings"))?;
    array
        .iter()
        .map(|v| {
            v.as_str().map(str::to_owned).with_context(|| {
                format!("[tool.{TABLE}] {key} must be an array of strings, found {v}")
            })
        })
        .collect()
}

fn check_backends(backends: &[String]) -> Result<()> {
    if backends.is_empty() {
        bail!("[tool.{TABLE}] backends must name at least one backend");
    }
    for b in backends {
        if !BACKENDS.contains(&b.as_str()) {
            bail!("[tool.{TABLE}] backends: unknown backend `{b}` (expected asyncio or trio)");
        }
    }
    Ok(())
}

/// The run's arguments with the settings filling in what the command line left unset.
pub fn merge(args: &RunArgs, settings: Settings) -> RunArgs {
    let mut merged = args.clone();
    fill(&mut merged.select, settings.select);
    fill(&mut merged.ignore, settings.ignore);
    // Excludes add up, as `--exclude` is repeatable: the file's and the command line's.
    if let Some(exclude) = settings.exclude {
        merged.exclude.splice(0..0, exclude);
    }
    fill(&mut merged.backends, settings.backends);
    if merged.target_anyio.is_none() {
        merged.target_anyio = settings.target_anyio;
    }
    if merged.target_python.is_none() {
        merged.target_python = settings.target_python;
    }
    if merged.backends.is_empty() {
        merged.backends = vec![BACKENDS[0].to_owned()];
    }
    merged
}

fn fill(flag: &mut Vec<String>, setting: Option<Vec<String>>) {
    if flag.is_empty()
        && let Some(value) = setting
    {
        *flag = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_table_and_ignores_files_without_it() {
        let s = parse("[tool.anyio-migrate]\nbackends = [\"asyncio\", \"trio\"]\nignore = ['asyncio-queue']\n")
            .unwrap()
            .unwrap();
        assert_eq!(s.backends.unwrap(), ["asyncio", "trio"]);
        assert_eq!(s.ignore.unwrap(), ["asyncio-queue"]);
        assert!(s.select.is_none());
        assert_eq!(parse("[tool.ruff]\nline-length = 3\n").unwrap(), None);
    }

    #[test]
    fn rejects_unknown_keys_backends_and_types() {
        let err = |t: &str| format!("{:#}", parse(t).unwrap_err());
        assert!(
            err("[tool.anyio-migrate]\nbackend = ['trio']\n").contains("unknown key `backend`")
        );
        assert!(
            err("[tool.anyio-migrate]\nbackends = ['curio']\n").contains("unknown backend `curio`")
        );
        assert!(err("[tool.anyio-migrate]\nbackends = []\n").contains("at least one"));
        assert!(err("[tool.anyio-migrate]\nselect = 'asyncio-run'\n").contains("array of strings"));
        assert!(err("[tool.anyio-migrate]\nselect = [1]\n").contains("array of strings"));
        assert!(err("[tool.anyio-migrate\n").contains("not valid TOML"));
    }
}
