//! Shared helpers for the integration tests: run the whole engine on an example.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use anyio_migrate::apply::{Migration, Options};
use anyio_migrate::registry::CODEMODS;
use anyio_migrate::{Status, migrate_bytes};
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every example of a codemod, sorted.
pub fn examples(id: &str) -> Vec<PathBuf> {
    python_files(&root().join("codemods").join(id).join("examples"))
}

/// The composition examples: several codemods' idioms nested in each other.
pub fn compose_examples() -> Vec<PathBuf> {
    python_files(&root().join("tests").join("compose"))
}

/// The `.py` files of a folder, sorted.
pub fn python_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    files
}

/// Migrate bytes with every codemod enabled, as a user's default run does.
pub fn migrate_all(bytes: &[u8]) -> (Status, Migration) {
    let all: Vec<_> = CODEMODS.iter().collect();
    migrate_bytes(
        bytes,
        &Options {
            codemods: &all,
            safe_only: false,
            patches: &anyio_migrate::analysis::patches::NONE,
            path: None,
            targets: anyio_migrate::target::Targets::default(),
        },
    )
}

/// The migrated text of a file (the input when nothing changed).
pub fn migrated_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    match migrate_all(&bytes).0 {
        Status::Changed { after, .. } => after,
        Status::Unchanged => String::from_utf8(bytes).unwrap(),
        other => panic!("{}: {other:?}", path.display()),
    }
}
