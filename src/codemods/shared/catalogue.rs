//! A codemod's texts kept as data: `codemods/<id>/messages.toml`, one table per finding code
//! (tests/codes.rs checks each is a catalogued code of the codemod), included at compile time
//! and parsed once, at first use.

use std::sync::OnceLock;
use toml_edit::{DocumentMut, Item, Table};

/// `static MESSAGES`: the codemod `$id`'s `codemods/<id>/messages.toml` (`, pub(super)`: seen by
/// the other files of a folder module).
macro_rules! messages {
    ($id:literal) => {
        $crate::codemods::shared::catalogue::messages!(@ [] $id);
    };
    ($id:literal, pub(super)) => {
        $crate::codemods::shared::catalogue::messages!(@ [pub(super)] $id);
    };
    (@ [$($vis:tt)*] $id:literal) => {
        $($vis)* static MESSAGES: $crate::codemods::shared::catalogue::Messages =
            $crate::codemods::shared::catalogue::Messages::new(
                concat!("codemods/", $id, "/messages.toml"),
                include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/codemods/",
                    $id,
                    "/messages.toml"
                )),
            );
    };
}
pub(crate) use messages;

/// One codemod's `messages.toml`.
pub struct Messages {
    /// The file, for the panic on a text that is not there.
    file: &'static str,
    source: &'static str,
    doc: OnceLock<DocumentMut>,
}

impl Messages {
    pub const fn new(file: &'static str, source: &'static str) -> Self {
        Self {
            file,
            source,
            doc: OnceLock::new(),
        }
    }

    fn doc(&'static self) -> &'static DocumentMut {
        self.doc.get_or_init(|| {
            self.source
                .parse()
                .unwrap_or_else(|e| panic!("{}: {e}", self.file))
        })
    }

    /// The codes of the file, in its order, with their tables.
    pub fn codes(&'static self) -> impl Iterator<Item = (&'static str, &'static Table)> {
        self.doc()
            .iter()
            .filter_map(|(code, item)| Some((code, item.as_table()?)))
    }

    fn item(&'static self, code: &str, key: &str) -> Option<&'static Item> {
        self.doc().get(code).and_then(|t| t.get(key))
    }

    /// The table `key` of `code`'s table.
    pub fn table(&'static self, code: &str, key: &str) -> &'static Table {
        self.item(code, key)
            .and_then(Item::as_table)
            .unwrap_or_else(|| panic!("{}: no table [{code}.{key}]", self.file))
    }

    /// The text `key` of `code`'s table.
    pub fn text(&'static self, code: &str, key: &str) -> &'static str {
        self.item(code, key)
            .and_then(Item::as_str)
            .unwrap_or_else(|| panic!("{}: no text `{key}` in [{code}]", self.file))
    }

    /// The text `entry` of the table `key` of `code`'s table, if there is one.
    pub fn entry(&'static self, code: &str, key: &str, entry: &str) -> Option<&'static str> {
        self.table(code, key).get(entry).and_then(Item::as_str)
    }
}

/// `table`'s texts, in the file's order.
pub fn texts(table: &'static Table) -> impl Iterator<Item = (&'static str, &'static str)> {
    table
        .iter()
        .filter_map(|(key, item)| Some((key, item.as_str()?)))
}
