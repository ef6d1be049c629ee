//! What a run did to one file: the outcome every later stage (project pass, report, write)
//! reads, and the one-file migration that makes it.

use crate::apply::{self, Migration, Options};
use crate::source::{self, SourceText};
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
}

impl FileOutcome {
    pub(crate) fn new(path: PathBuf, status: Status) -> Self {
        Self {
            path,
            status,
            migration: Migration::default(),
            created: false,
            config: false,
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
        }
    }
}

/// Migrate one file's bytes.
pub fn migrate_bytes(bytes: &[u8], opts: &Options) -> (Status, Migration) {
    let src = match SourceText::decode(bytes) {
        Ok(s) => s,
        Err(reason) => return (Status::Skipped(reason.to_string()), Migration::default()),
    };
    let wanted = apply::triggered(&src.text, opts.codemods);
    if !wanted && apply::prefilter_enabled() {
        return (Status::Unchanged, Migration::default());
    }
    let mut parser = match source::new_parser() {
        Ok(p) => p,
        Err(e) => return (Status::Failed(format!("{e:#}")), Migration::default()),
    };
    match apply::migrate(&src.text, src.crlf, opts, &mut parser) {
        // The outcome keeps no copy of an unchanged text, and one of each side of a change:
        // a run over many files holds every outcome until the report.
        Ok(mut m) if m.output == src.text => {
            m.output = String::new();
            (Status::Unchanged, m)
        }
        Ok(mut m) => (
            Status::Changed {
                before: src.text,
                after: std::mem::take(&mut m.output),
            },
            m,
        ),
        // Without the pre-filter (a test hook) a file it drops still never fails for its
        // syntax: the pre-filter's decision, not a codemod's output.
        Err(apply::MigrateError::Syntax { .. }) if !wanted => {
            (Status::Unchanged, Migration::default())
        }
        Err(e) => (Status::Failed(e.to_string()), Migration::default()),
    }
}

/// `migrate_bytes` works on the text after the BOM; put it back on both sides so the diff
/// matches the file's bytes (`git apply` compares the first line with it) and so `after` is
/// exactly what to write.
pub(crate) fn with_bom(status: Status, bytes: &[u8]) -> Status {
    match status {
        Status::Changed { before, after } if bytes.starts_with(BOM.as_bytes()) => Status::Changed {
            before: format!("{BOM}{before}"),
            after: format!("{BOM}{after}"),
        },
        other => other,
    }
}

const BOM: &str = "\u{feff}";
