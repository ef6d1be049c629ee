//! A module's imported module read through the module from another file: a test's
//! `monkeypatch.setattr(cli.asyncio, "sleep", fake)`, `patch("pkg.cli.asyncio.sleep")`,
//! `patch.object(cli, "asyncio")`. The import pass drops an `import asyncio` the rewrites left
//! unreferenced; the attribute `cli.asyncio` is then gone and those reads raise
//! `AttributeError`. The reads are found in every file before any is migrated, and the import
//! of a module that such a read names stays (`imports::import_edits`).
//!
//! The scan reads the text, not the tree: `<dotted>.<module>` followed by no identifier
//! character (in code or in a string: `"pkg.cli.asyncio.sleep"`), and `<dotted>, "<module>"`
//! (a module handed to `setattr` / `patch.object` with the attribute's name). The dotted
//! prefix names the module by its last parts (`cli`, `pkg.cli`), matched against the end of a
//! file's path. Text in comments counts too, which can only keep an import.

use std::path::Path;

/// Reads of `<module>.<name>`: the module's dotted prefix as written, and the name.
#[derive(Debug, Clone, Default)]
pub struct ModuleReads(Vec<(String, String)>);

/// No reads (a single text, a test).
pub static NONE: ModuleReads = ModuleReads(Vec::new());

impl ModuleReads {
    pub fn new(reads: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut reads: Vec<_> = reads.into_iter().collect();
        reads.sort_unstable();
        reads.dedup();
        Self(reads)
    }

    /// Some file reads `name` as an attribute of the module at `path` (`pkg/cli.py`,
    /// `pkg/cli/__init__.py`): a read's dotted prefix is the end of the path's parts.
    pub fn is_read(&self, path: &Path, name: &str) -> bool {
        if self.0.is_empty() {
            return false;
        }
        let parts = super::patches::module_parts(path);
        self.0
            .iter()
            .any(|(prefix, read)| read == name && super::patches::names_module(&parts, prefix))
    }
}

/// The reads in one file's text of the modules in `names` (`asyncio`, `time`, ...): one pass
/// over the bytes, looking at each `.` and quote only.
pub fn in_file(text: &str, names: &[&str]) -> Vec<(String, String)> {
    let bytes = text.as_bytes();
    let mut out = through_star_imports(text, names);
    for (at, &b) in bytes.iter().enumerate() {
        if !matches!(b, b'.' | b'"' | b'\'') {
            continue;
        }
        let rest = &bytes[at + 1..];
        let Some(name) = names.iter().find(|n| rest.starts_with(n.as_bytes())) else {
            continue;
        };
        let end = at + 1 + name.len();
        if b == b'.' {
            // `<dotted>.<name>` not followed by an identifier character.
            if bytes.get(end).is_some_and(|c| is_ident(*c)) {
                continue;
            }
            if let Some(prefix) = dotted_before(text, at) {
                out.push((prefix, (*name).to_owned()));
            }
        } else if bytes.get(end) == Some(&b) {
            // `<dotted>, "<name>"`: the attribute named in a string after the module.
            let before = text[..at].trim_end();
            let Some(before) = before.strip_suffix(',') else {
                continue;
            };
            if let Some(prefix) = dotted_before(text, before.trim_end().len()) {
                out.push((prefix, (*name).to_owned()));
            }
        }
    }
    out
}

/// `from pkg.helpers import *` (or `.helpers`) in a text that reads `asyncio.`: the star
/// import may be where `asyncio` comes from, so `pkg.helpers` keeps its `import asyncio`.
fn through_star_imports(text: &str, names: &[&str]) -> Vec<(String, String)> {
    if !text.contains('*') {
        return Vec::new();
    }
    let mut read: Option<Vec<&str>> = None;
    let mut out = Vec::new();
    for line in text.lines() {
        let Some((module, star)) = line
            .trim_start()
            .strip_prefix("from")
            .and_then(|rest| rest.split_once(" import"))
        else {
            continue;
        };
        let module: String = module.chars().filter(|c| !c.is_whitespace()).collect();
        let module = module.trim_start_matches('.');
        if module.is_empty() || !star.trim_start().starts_with('*') {
            continue;
        }
        let read = read.get_or_insert_with(|| {
            names
                .iter()
                .copied()
                .filter(|n| text.contains(&format!("{n}.")))
                .collect()
        });
        out.extend(read.iter().map(|n| (module.to_owned(), (*n).to_owned())));
    }
    out
}

/// The dotted name ending right before byte `end` (`pkg.cli` in `pkg.cli.asyncio`), when
/// there is one.
fn dotted_before(text: &str, end: usize) -> Option<String> {
    let bytes = text.as_bytes();
    let mut start = end;
    while start > 0 && (is_ident(bytes[start - 1]) || bytes[start - 1] == b'.') {
        start -= 1;
    }
    let prefix = text[start..end].trim_matches('.');
    let valid = !prefix.is_empty()
        && prefix
            .split('.')
            .all(|p| !p.is_empty() && !p.as_bytes()[0].is_ascii_digit());
    valid.then(|| prefix.to_owned())
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_through_a_module_name_its_imported_module() {
        let text = "from pkg import cli\n\
            monkeypatch.setattr(cli.asyncio, \"sleep\", fake)\n\
            patch(\"pkg.other.asyncio.sleep\", fake)\n\
            mocker.patch.object(third, 'time')\n\
            x = self.asyncio_loop\n\
            import asyncio.subprocess\n";
        let reads = ModuleReads::new(in_file(text, &["asyncio", "time"]));
        assert!(reads.is_read(Path::new("src/pkg/cli.py"), "asyncio"));
        assert!(reads.is_read(Path::new("pkg/other/__init__.py"), "asyncio"));
        assert!(reads.is_read(Path::new("pkg/third.py"), "time"));
        // Another module, another name, a longer identifier, a module's own submodule.
        assert!(!reads.is_read(Path::new("pkg/client.py"), "asyncio"));
        assert!(!reads.is_read(Path::new("pkg/cli.py"), "time"));
        assert!(!reads.is_read(Path::new("pkg/self.py"), "asyncio"));
        assert!(!reads.is_read(Path::new("src/asyncio.py"), "subprocess"));
        // `pkg.other` must end the path: `other.py` of another package does not match.
        assert!(!reads.is_read(Path::new("lib/other.py"), "asyncio"));
    }

    #[test]
    fn a_star_import_reads_the_modules_the_text_names() {
        let text = "from .fixtures import *
from pkg . helpers import *

asyncio.get_running_loop()
";
        let reads = ModuleReads::new(in_file(text, &["asyncio", "time"]));
        assert!(reads.is_read(Path::new("tests/fixtures.py"), "asyncio"));
        assert!(reads.is_read(Path::new("src/pkg/helpers/__init__.py"), "asyncio"));
        // A module the text does not read through it.
        assert!(!reads.is_read(Path::new("tests/fixtures.py"), "time"));
    }
}
