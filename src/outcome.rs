//! What a run did to one file: the outcome every later stage (project pass, report, write)
//! reads, made of the engine's result (`engine`) for a Python file.

use crate::engine::{Migration, Options, SKIP_FILE, Status, migrate_decoded};
use crate::source::Encoding;
use std::path::PathBuf;

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
    /// The file's star imports of the project's modules whose names are known
    /// (`analysis::star_names`): the project passes resolve its names as the engine did.
    pub stars: Vec<(String, crate::resolve::Provided)>,
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
            stars: Vec::new(),
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
            stars: opts.star_names.of(Some(&path)).to_vec(),
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
            stars: Vec::new(),
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
