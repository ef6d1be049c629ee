//! A codemod's texts kept as data: `codemods/<id>/messages.toml`, one table per finding code
//! (tests/codes.rs checks each is a catalogued code of the codemod), included at compile time
//! and parsed once, at first use. A text with values computed where it is said names them
//! `{name}` ([`Messages::fill`]; tests/codes.rs checks each caller fills exactly its text's names).

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

    /// The text `key` of `code`'s table with each placeholder `{name}` of `values` replaced by
    /// its value, in one pass (a value is not searched for placeholders; other braces are kept).
    pub fn fill(&'static self, code: &str, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.text(code, key), values)
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

/// `text` with each `{name}` of `values` replaced by its value ([`Messages::fill`]).
fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        if let Some((value, close)) = value {
            out.push_str(value);
            rest = &after[close + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn fill_replaces_the_named_placeholders_once() {
        assert_eq!(
            fill(
                "`{recv}` has no `{name}()`; {recv} {other} {\"debug\": True}",
                &[("recv", "fut"), ("name", "{recv}")]
            ),
            "`fut` has no `{recv}()`; fut {other} {\"debug\": True}"
        );
        assert_eq!(fill("no placeholder {", &[("a", "b")]), "no placeholder {");
    }
}
