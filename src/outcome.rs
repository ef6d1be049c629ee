//! What a run did to one file: the outcome every later stage (project pass, report, write)
//! reads, and the one-file migration that makes it.

use crate::apply::{self, Migration, Options};
use crate::source::{self, Encoding, SourceText};
use std::path::PathBuf;

/// What happened to one file.
#[derive(Debug)]
pub enum Status {
    Changed { before: String, after: String },
    Unchanged,
    Skipped(String),
    Failed(String),
}

#[derive(Debug)]
pub struct FileOutcome {
    pub path: PathBuf,
    /// `Changed` from an empty `before` when `created`.
    pub status: Status,
    pub migration: Migration,
    /// A file the run creates (the root `conftest.py`): it did not exist.
    pub created: bool,
    /// A configuration or dependency file: every edit is reported, SAFE ones too.
    pub config: bool,
    /// The encoding of the file's bytes (a Python file's PEP 263 declaration): the texts of
    /// `Status::Changed` are written, and diffed, in it.
    pub encoding: Encoding,
    /// Skipped (not by the user's choice) although its bytes name asyncio: `--check` counts it
    /// as work left, the report says to migrate it by hand.
    pub left_asyncio: bool,
}

impl FileOutcome {
    pub(crate) fn new(path: PathBuf, status: Status) -> Self {
        Self {
            path,
            status,
            migration: Migration::default(),
            created: false,
            config: false,
            encoding: Encoding::Utf8,
            left_asyncio: false,
        }
    }

    /// Migrate one Python file's bytes: a change holds the BOM on both sides (see `with_bom`)
    /// and the outcome the file's encoding.
    pub(crate) fn migrated(path: PathBuf, bytes: &[u8], opts: &Options) -> Self {
        let (status, migration, encoding) = migrate_decoded(bytes, opts);
        let left_asyncio = matches!(&status, Status::Skipped(why) if why != SKIP_FILE)
            && bytes.windows(7).any(|w| w == b"asyncio");
        Self {
            migration,
            encoding,
            left_asyncio,
            ..Self::new(path, with_bom(status, bytes))
        }
    }

    /// The outcome of a configuration or dependency file.
    pub fn config(path: PathBuf, status: Status, migration: Migration) -> Self {
        Self {
            path,
            status,
            migration,
            created: false,
            config: true,
            encoding: Encoding::Utf8,
            left_asyncio: false,
        }
    }

    /// The text of the file as it is now, in its encoding (the BOM kept, as in a change):
    /// `None` when it cannot be read or no longer decodes.
    pub(crate) fn read_text(&self) -> Option<String> {
        self.encoding.decode(&std::fs::read(&self.path).ok()?)
    }
}

/// A change the file's encoding cannot represent fails: no write, no diff, never mojibake.
pub(crate) fn refuse_unencodable(outcomes: &mut [FileOutcome]) {
    for o in outcomes {
        let Status::Changed { after, .. } = &o.status else {
            continue;
        };
        if let Err(e) = o.encoding.encode(after).map(drop) {
            o.status = Status::Failed(format!("{e}; file left unchanged"));
        }
    }
}

/// Migrate one file's bytes (decoded in the encoding it declares; a change holds the texts,
/// without the BOM).
pub fn migrate_bytes(bytes: &[u8], opts: &Options) -> (Status, Migration) {
    let (status, migration, _) = migrate_decoded(bytes, opts);
    (status, migration)
}

/// `migrate_bytes`, with the encoding the file's bytes were read in.
fn migrate_decoded(bytes: &[u8], opts: &Options) -> (Status, Migration, Encoding) {
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

fn migrate_source(text: String, crlf: bool, opts: &Options) -> (Status, Migration) {
    if crate::suppress::skips_file(&text) {
        return (Status::Skipped(SKIP_FILE.to_owned()), Migration::default());
    }
    let wanted = apply::triggered(&text, opts.codemods);
    if !wanted && apply::prefilter_enabled() {
        return (Status::Unchanged, Migration::default());
    }
    let mut parser = match source::new_parser() {
        Ok(p) => p,
        Err(e) => return (Status::Failed(format!("{e:#}")), Migration::default()),
    };
    match apply::migrate(&text, crlf, opts, &mut parser) {
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
        Err(apply::MigrateError::Syntax { .. }) if !wanted => {
            (Status::Unchanged, Migration::default())
        }
        // tree-sitter-python does not parse every construct CPython does: such a file is
        // skipped, not failed (the grammar's limit, not the input's).
        Err(apply::MigrateError::Syntax { line, column }) if cpython_parses(&text) => (
            Status::Skipped(format!(
                "parser limitation: tree-sitter-python cannot parse {line}:{column}, which CPython parses; the file was left unchanged"
            )),
            Migration::default(),
        ),
        Err(e) => (Status::Failed(e.to_string()), Migration::default()),
    }
}

/// The reason of a file the user skipped.
const SKIP_FILE: &str = "`# anyio-migrate: skip-file` in its leading comments";

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

/// `migrate_bytes` works on the text after the BOM; put it back on both sides so the diff
/// matches the file's bytes (`git apply` compares the first line with it) and so `after` is
/// exactly what to write.
fn with_bom(status: Status, bytes: &[u8]) -> Status {
    match status {
        Status::Changed { before, after } if bytes.starts_with(BOM.as_bytes()) => Status::Changed {
            before: format!("{BOM}{before}"),
            after: format!("{BOM}{after}"),
        },
        other => other,
    }
}

const BOM: &str = "\u{feff}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_the_encoding_cannot_represent_fails() {
        let changed = |after: &str| Status::Changed {
            before: "x = '\u{e9}'\n".to_owned(),
            after: after.to_owned(),
        };
        let mut outcomes = [
            FileOutcome {
                encoding: Encoding::Latin1,
                ..FileOutcome::new("euro.py".into(), changed("x = '\u{20ac}'\n"))
            },
            FileOutcome {
                encoding: Encoding::Latin1,
                ..FileOutcome::new("ok.py".into(), changed("x = '\u{e9}'\ny = 1\n"))
            },
            FileOutcome::new("utf8.py".into(), changed("x = '\u{20ac}'\n")),
        ];
        refuse_unencodable(&mut outcomes);
        let Status::Failed(why) = &outcomes[0].status else {
            panic!("{:?}", outcomes[0].status);
        };
        assert_eq!(
            why,
            "line 1 would hold '€' (U+20AC), which the file's encoding latin-1 cannot represent; file left unchanged"
        );
        assert!(matches!(outcomes[1].status, Status::Changed { .. }));
        assert!(matches!(outcomes[2].status, Status::Changed { .. }));
    }
}
