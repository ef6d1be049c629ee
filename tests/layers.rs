//! The crate's layers: every `crate::…`, `super::…` and `self::…` path in `src/**/*.rs` (test
//! modules excepted) may only name a unit of a lower layer, or its own unit. Each codemod is a
//! unit of its own, all in one layer: no codemod names another; what they share lives in
//! `codemods` itself (`mod.rs`, `shared/`) or below, in `analysis`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Lowest first. A unit is a top-level module (`lib` is the crate root: `lib.rs`, `main.rs` and
/// the items they define); `codemods::*` stands for each codemod module.
const LAYERS: &[&[&str]] = &[
    &["source", "edit", "target"],
    &["resolve", "suppress"],
    &["analysis"],
    &["imports"],
    &["codemods"],
    &["codemods::*"],
    &["prefilter", "verify", "review"],
    &["registry"],
    &["query"],
    &["apply"],
    // The per-file engine: its stages use the apply stage's splicing and re-parsing.
    &["engine"],
    &["outcome"],
    &["cli", "discover"],
    &["project"],
    // `write` (the files a run writes) reads the outcomes only: beside the report.
    &["report", "settings", "write"],
    &["lib"],
];

/// The modules under `codemods/` that are not codemods.
const CODEMOD_HELPERS: &[&str] = &["shared"];

#[test]
fn no_reference_goes_up_a_layer_and_no_codemod_names_another() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = rust_files(&src);
    let codemods = codemod_modules(&src);
    assert!(
        codemods.len() > 10,
        "no codemods found under src/codemods: {codemods:?}"
    );
    let mut problems = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let text = std::fs::read_to_string(file).unwrap();
        // A module's `tests.rs` (`#[cfg(test)] mod tests;`) is a test module: it may use the
        // whole crate, as an inline `mod tests` may.
        if rel.file_name().is_some_and(|n| n == "tests.rs") {
            let parent = file.with_file_name("mod.rs");
            let declared = std::fs::read_to_string(&parent)
                .is_ok_and(|t| t.contains("#[cfg(test)]\nmod tests;"));
            assert!(
                declared,
                "{}: a tests.rs not declared as `#[cfg(test)] mod tests;`",
                rel.display()
            );
            continue;
        }
        problems.extend(check_file(rel, &text, &codemods));
    }
    assert!(
        problems.is_empty(),
        "layering violations:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let codemods = codemod_modules(&src);
    for file in rust_files(&src) {
        let module = module_path(file.strip_prefix(&src).unwrap());
        let unit = unit_of(&module, &codemods);
        assert!(
            layer_of(&unit).is_some(),
            "{} (unit `{unit}`) is in no layer of LAYERS",
            file.display()
        );
    }
}

/// The checker finds what it is for (so a passing run means something).
#[test]
fn the_checker_sees_violations() {
    let codemods: BTreeSet<String> = ["asyncio_gather", "asyncio_queue", "asyncio_loop"]
        .map(String::from)
        .into();
    let bad: &[(&str, &str)] = &[
        // A codemod naming another, in each spelling.
        (
            "codemods/asyncio_gather.rs",
            "use super::asyncio_queue::helper;",
        ),
        (
            "codemods/asyncio_gather.rs",
            "fn f() { super::asyncio_loop::ID; }",
        ),
        (
            "codemods/asyncio_gather.rs",
            "use crate::codemods::{Ctx, asyncio_queue::X};",
        ),
        (
            "codemods/asyncio_queue/plan.rs",
            "use super::super::asyncio_gather::x;",
        ),
        // Upward references.
        ("analysis/bindings.rs", "use crate::codemods::Ctx;"),
        (
            "codemods/shared/block.rs",
            "use crate::codemods::asyncio_loop::ID;",
        ),
        ("codemods/mod.rs", "use self::asyncio_loop::ID;"),
        ("edit.rs", "fn f() -> crate::engine::Migration { todo!() }"),
        ("project/keep.rs", "use crate::{FileOutcome, Status};"),
        ("discover.rs", "use crate::project::ConfigKind;"),
        ("prefilter.rs", "use crate::registry::Codemod;"),
        ("cli.rs", "#[arg(value_parser = crate::settings::BACKENDS)]"),
        // Sideways, within one layer.
        ("cli.rs", "use crate::discover::Walk;"),
    ];
    for (file, text) in bad {
        assert!(
            !check_file(Path::new(file), text, &codemods).is_empty(),
            "not caught: {file}: {text}"
        );
    }
    let good: &[(&str, &str)] = &[
        ("codemods/asyncio_gather.rs", "use super::{Ctx, call_args};"),
        (
            "codemods/asyncio_gather.rs",
            "use super::shared::block::{self, wrap};",
        ),
        (
            "codemods/asyncio_queue/plan.rs",
            "use super::escape::Escapes;",
        ),
        ("codemods/asyncio_queue/plan.rs", "use super::super::Ctx;"),
        (
            "codemods/asyncio_queue/mod.rs",
            "mod plan; use self::plan::x;",
        ),
        ("apply.rs", "use crate::codemods::asyncio_loop::ID;"),
        (
            "project/mod.rs",
            "use self::ini; use crate::outcome::FileOutcome;",
        ),
        ("project/ini.rs", "use super::apply_edits;"),
        // Comments, strings and test modules say anything.
        (
            "edit.rs",
            "// crate::apply::x\nconst S: &str = \"crate::apply::x\";",
        ),
        (
            "edit.rs",
            "#[cfg(test)]\nmod tests {\n    use crate::apply::x;\n}\n",
        ),
    ];
    for (file, text) in good {
        let found = check_file(Path::new(file), text, &codemods);
        assert!(found.is_empty(), "false alarm: {file}: {text}: {found:?}");
    }
}

// ------------------------------------------------------------------------------ the checker

fn check_file(rel: &Path, text: &str, codemods: &BTreeSet<String>) -> Vec<String> {
    let here = module_path(rel);
    let from = unit_of(&here, codemods);
    let Some(from_layer) = layer_of(&from) else {
        return vec![format!("{}: unit `{from}` has no layer", rel.display())];
    };
    let code = without_tests(&strip(text));
    let mut out = Vec::new();
    for path in paths(&code, &here) {
        let to = unit_of(&path, codemods);
        if to == from {
            continue;
        }
        let Some(to_layer) = layer_of(&to) else {
            out.push(format!(
                "{}: `{}` names unit `{to}`, which has no layer",
                rel.display(),
                path.join("::")
            ));
            continue;
        };
        if from.starts_with("codemods::") && to.starts_with("codemods::") {
            out.push(format!(
                "{}: codemod `{from}` names codemod `{to}` (`crate::{}`): move the shared item to `codemods::shared` or `analysis`",
                rel.display(),
                path.join("::")
            ));
        } else if to_layer >= from_layer {
            out.push(format!(
                "{}: `{from}` (layer {from_layer}) names `crate::{}` of `{to}` (layer {to_layer}): not a lower layer",
                rel.display(),
                path.join("::")
            ));
        }
    }
    out
}

fn layer_of(unit: &str) -> Option<usize> {
    let key = if unit.starts_with("codemods::") {
        "codemods::*"
    } else {
        unit
    };
    LAYERS.iter().position(|layer| layer.contains(&key))
}

/// The unit an absolute module path (`["codemods", "asyncio_queue", "plan"]`) belongs to.
fn unit_of(path: &[String], codemods: &BTreeSet<String>) -> String {
    match path {
        [first, second, ..] if first == "codemods" && codemods.contains(second) => {
            format!("codemods::{second}")
        }
        [first, ..] if is_module(first) => first.clone(),
        // The crate root, an item of it (`crate::FileOutcome`), or `main`.
        _ => "lib".to_owned(),
    }
}

/// A top-level module of the crate (lower-case, not `lib` / `main`): everything else directly
/// under `crate::` is an item of the root.
fn is_module(name: &str) -> bool {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    name != "lib"
        && name != "main"
        && (src.join(format!("{name}.rs")).is_file() || src.join(name).join("mod.rs").is_file())
}

/// `codemods/asyncio_queue/plan.rs` → `["codemods", "asyncio_queue", "plan"]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The codemod modules: every module directly under `src/codemods/` but the helpers.
fn codemod_modules(src: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(src.join("codemods")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let module = if path.is_dir() {
            path.join("mod.rs").is_file()
        } else {
            path.extension().is_some_and(|e| e == "rs") && name != "mod"
        };
        if module && !CODEMOD_HELPERS.contains(&name.as_str()) {
            out.insert(name);
        }
    }
    out
}

/// The text with comments, string and character literals blanked (newlines kept).
fn strip(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |s: &[u8], out: &mut String| {
        for &c in s {
            out.push(if c == b'\n' { '\n' } else { ' ' });
        }
    };
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            let end = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
            blank(&rest[..end], &mut out);
            i += end;
        } else if rest.starts_with(b"/*") {
            let end = text[i + 2..].find("*/").map_or(rest.len(), |e| e + 4);
            blank(&rest[..end], &mut out);
            i += end;
        } else if let Some(len) = raw_string(rest) {
            blank(&rest[..len], &mut out);
            i += len;
        } else if rest[0] == b'"' || rest.starts_with(b"b\"") {
            let open = usize::from(rest[0] == b'b') + 1;
            let mut j = open;
            while j < rest.len() && rest[j] != b'"' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            let len = (j + 1).min(rest.len());
            blank(&rest[..len], &mut out);
            i += len;
        } else if rest[0] == b'\'' {
            // A char literal ('a', '\n', '\u{..}'), not a lifetime ('a).
            let len = if rest.get(1) == Some(&b'\\') {
                rest[2..].iter().position(|&c| c == b'\'').map(|p| p + 3)
            } else {
                let ch = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                (rest.get(1 + ch) == Some(&b'\'')).then_some(ch + 2)
            };
            let len = len.unwrap_or(1);
            blank(&rest[..len], &mut out);
            i += len;
        } else {
            let ch = text[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// The length of a raw string literal (`r"…"`, `r#"…"#`, `br"…"`) at the start of `s`.
fn raw_string(s: &[u8]) -> Option<usize> {
    let start = if s.starts_with(b"br") {
        2
    } else if s.starts_with(b"r") {
        1
    } else {
        return None;
    };
    let hashes = s[start..].iter().take_while(|&&c| c == b'#').count();
    if s.get(start + hashes) != Some(&b'"') {
        return None;
    }
    let mut close = vec![b'"'];
    close.extend(std::iter::repeat_n(b'#', hashes));
    let body = start + hashes + 1;
    let end = s[body..].windows(close.len()).position(|w| w == close)?;
    Some(body + end + close.len())
}

/// The text without the items marked `#[cfg(test)]` (a test may use the whole crate).
fn without_tests(code: &str) -> String {
    let mut out = code.to_owned();
    while let Some(at) = out.find("#[cfg(test)]") {
        let after = at + "#[cfg(test)]".len();
        let rest = &out[after..];
        let end = match (rest.find('{'), rest.find(';')) {
            (Some(open), semi) if semi.is_none_or(|s| open < s) => {
                let mut depth = 0;
                let mut end = rest.len();
                for (k, c) in rest.char_indices().skip(open) {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (_, Some(semi)) => semi + 1,
            _ => rest.len(),
        };
        out.replace_range(at..after + end, "");
    }
    out
}

/// Every module path the code names through `crate::`, `super::` or `self::`, made absolute,
/// `use` groups expanded (`use super::{a, b::{c, self}}`).
fn paths(code: &str, here: &[String]) -> Vec<Vec<String>> {
    let tokens = tokenize(code);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        let root = matches!(t, "crate" | "super" | "self")
            && tokens.get(i + 1).is_some_and(|n| n == "::")
            && (i == 0 || tokens[i - 1] != "::");
        if !root {
            i += 1;
            continue;
        }
        let mut prefix: Vec<String> = Vec::new();
        let mut base = here.to_vec();
        let mut j = i;
        // Leading `crate` / `self` / `super` segments.
        while j < tokens.len() && matches!(tokens[j].as_str(), "crate" | "super" | "self") {
            match tokens[j].as_str() {
                "crate" => base.clear(),
                "super" => {
                    base.pop();
                }
                _ => {}
            }
            if tokens.get(j + 1).is_some_and(|n| n == "::") {
                j += 2;
            } else {
                j += 1;
                break;
            }
        }
        prefix.extend(base);
        j = use_tree(&tokens, j, &prefix, &mut out);
        i = j.max(i + 1);
    }
    out
}

/// Parse a path or use tree at `tokens[i]` under `prefix`; push each full path; return where
/// the tree ends.
fn use_tree(
    tokens: &[String],
    mut i: usize,
    prefix: &[String],
    out: &mut Vec<Vec<String>>,
) -> usize {
    let mut path = prefix.to_vec();
    loop {
        let Some(t) = tokens.get(i) else {
            out.push(path);
            return i;
        };
        if t == "{" {
            i += 1;
            loop {
                match tokens.get(i).map(String::as_str) {
                    None => return i,
                    Some("}") => return i + 1,
                    Some(",") => i += 1,
                    Some("self") => {
                        out.push(path.clone());
                        i += 1;
                    }
                    Some(_) => i = use_tree(tokens, i, &path, out),
                }
            }
        }
        if is_ident(t) {
            path.push(t.clone());
            i += 1;
            if tokens.get(i).is_some_and(|n| n == "::") {
                i += 1;
                continue;
            }
        }
        out.push(path);
        return i;
    }
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && t.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// Identifiers, `::`, and every other character as its own token (whitespace dropped).
fn tokenize(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = code.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !(d.is_alphanumeric() || d == '_') {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            out.push(code[i..end].to_owned());
        } else if c == ':' && chars.peek().is_some_and(|&(_, d)| d == ':') {
            chars.next();
            out.push("::".to_owned());
        } else {
            out.push(c.to_string());
        }
    }
    out
}
