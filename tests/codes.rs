//! The catalogue of codes (`## Codes` in each codemod's README, `## Codes of the project passes`
//! in `codemods/README.md`) against the source: every line parses, every code is unique and
//! starts with its README's id, every kind the source gives is catalogued, and every catalogued
//! code is given somewhere. (Debug builds also check each code as it is made: `edit.rs`.)
//!
//! The source scan finds the kinds where they are written, as string literals:
//! - the second argument of `Fix::new(...)` and `Finding::manual(...)`;
//! - the argument of a helper at the place of its `kind: &'static str` parameter (helpers are
//!   found by that parameter; a call is matched to the helper of the same name in its own file,
//!   else in its codemod's folder, else in `codemods/shared/`);
//! - `let kind: &'static str = ...;` (the literals the value can be: the whole value, a match
//!   arm's, a block's) and `kind: "..."` (a field).
//!
//! - the data next to a codemod (`codemods/<id>/messages.toml`, its texts keyed by finding
//!   code): every table is named by a code of the codemod's catalogue, and a table with `apis`
//!   (API → what it is, what to use instead; the source passes its code on as `x.kind`) gives
//!   its code.
//!
//! `#[cfg(test)]` modules are left out (their codemod ids are the tests' own). A kind argument
//! that is neither a literal nor `kind` (a variable or parameter) nor `x.kind` (a field) is an
//! error: the scan would not see it.

use anyio_migrate::registry::{
    self, CODEMODS, CODES_HEADING, CodeSource, PROJECT_CODES_HEADING, PROJECT_PASSES,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod common;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Str(String),
    Punct(char),
}

/// Rust source as identifiers, string literals and punctuation; comments and char literals are
/// dropped, a lifetime becomes the identifier `'a`.
fn lex(src: &str) -> Vec<Tok> {
    let b: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // A string literal starting at `i` (`"`, `b"`, `r"`, `r#"`, `br#"`): the index of its
    // opening quote and, for a raw string, its number of hashes.
    let string_at = |i: usize| -> Option<(usize, Option<usize>)> {
        let mut j = i + usize::from(b[i] == 'b');
        if b.get(j) == Some(&'"') {
            return Some((j, None));
        }
        if b.get(j) != Some(&'r') {
            return None;
        }
        j += 1;
        let mut hashes = 0;
        while b.get(j) == Some(&'#') {
            hashes += 1;
            j += 1;
        }
        (b.get(j) == Some(&'"')).then_some((j, Some(hashes)))
    };
    while i < b.len() {
        let c = b[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && b.get(i + 1) == Some(&'/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && b.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if let Some((quote, hashes)) = string_at(i) {
            let mut j = quote + 1;
            let mut text = String::new();
            if let Some(hashes) = hashes {
                while j < b.len() {
                    if b[j] == '"' && (1..=hashes).all(|k| b.get(j + k) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    text.push(b[j]);
                    j += 1;
                }
            } else {
                while j < b.len() && b[j] != '"' {
                    if b[j] == '\\' {
                        text.push(b[j]);
                        j += 1;
                    }
                    if let Some(&ch) = b.get(j) {
                        text.push(ch);
                    }
                    j += 1;
                }
                j += 1;
            }
            out.push(Tok::Str(text));
            i = j;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\'') or a lifetime ('a).
            if b.get(i + 1) == Some(&'\\') {
                i += 2;
                while i < b.len() && b[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                let start = i;
                i += 1;
                while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                    i += 1;
                }
                out.push(Tok::Ident(b[start..i].iter().collect()));
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(b[start..i].iter().collect()));
        } else {
            out.push(Tok::Punct(c));
            i += 1;
        }
    }
    out
}

/// `toks` without the `#[cfg(test)] mod NAME { ... }` modules: their fixes are the unit tests'
/// own (codemod ids such as "breaker", which the catalogue does not know).
fn without_test_modules(toks: &[Tok]) -> Vec<Tok> {
    let cfg_test: Vec<Tok> = lex("#[cfg(test)] mod");
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if toks[i..].starts_with(&cfg_test)
            && let Some(open) = (i..toks.len()).find(|&j| is_punct(toks.get(j), '{'))
        {
            let (_, end) = split_list(toks, open, false);
            i = end;
            continue;
        }
        out.push(toks[i].clone());
        i += 1;
    }
    out
}

fn is_ident(t: Option<&Tok>, s: &str) -> bool {
    matches!(t, Some(Tok::Ident(i)) if i == s)
}

fn is_punct(t: Option<&Tok>, c: char) -> bool {
    t == Some(&Tok::Punct(c))
}

/// The top-level items between the bracket at `open` and its match, split at commas; with
/// `angles`, `<...>` nests too (parameter lists). Returns the items and the index after the
/// closing bracket.
fn split_list(toks: &[Tok], open: usize, angles: bool) -> (Vec<&[Tok]>, usize) {
    let mut depth = 0i32;
    let mut items = Vec::new();
    let mut start = open + 1;
    let mut i = open;
    while i < toks.len() {
        match &toks[i] {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct('<') if angles => depth += 1,
            Tok::Punct('>') if angles && !is_punct(toks.get(i.wrapping_sub(1)), '-') => depth -= 1,
            Tok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    if start < i {
                        items.push(&toks[start..i]);
                    }
                    return (items, i + 1);
                }
            }
            Tok::Punct(',') if depth == 1 => {
                items.push(&toks[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    (items, i)
}

fn kebab(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A function with a `kind: &'static str` parameter: its name, file and the parameter's place
/// among the arguments a call passes (`self` not counted).
#[derive(Debug)]
struct Helper {
    name: String,
    file: PathBuf,
    index: usize,
}

/// `kind: &'static str` parameters of `fn`s.
fn helpers_of(file: &Path, toks: &[Tok]) -> Vec<Helper> {
    let mut out = Vec::new();
    for i in 0..toks.len() {
        let (true, Some(Tok::Ident(name))) = (is_ident(toks.get(i), "fn"), toks.get(i + 1)) else {
            continue;
        };
        let mut open = i + 2;
        if is_punct(toks.get(open), '<') {
            let mut depth = 0;
            while open < toks.len() {
                match toks[open] {
                    Tok::Punct('<') => depth += 1,
                    Tok::Punct('>') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                open += 1;
            }
            open += 1;
        }
        if !is_punct(toks.get(open), '(') {
            continue;
        }
        let (params, _) = split_list(toks, open, true);
        let params: Vec<&[Tok]> = params
            .into_iter()
            .filter(|p| !p.iter().any(|t| is_ident(Some(t), "self")))
            .collect();
        let kind_param = [
            Tok::Ident("kind".into()),
            Tok::Punct(':'),
            Tok::Punct('&'),
            Tok::Ident("'static".into()),
            Tok::Ident("str".into()),
        ];
        if let Some(index) = params.iter().position(|p| *p == kind_param) {
            out.push(Helper {
                name: name.clone(),
                file: file.to_path_buf(),
                index,
            });
        }
    }
    out
}

/// Where a kind literal was found.
#[derive(Debug, Clone)]
struct Found {
    kind: String,
    file: PathBuf,
}

/// The kinds given in `toks` (the file `file`), and the errors of the scan.
fn kinds_in(
    file: &Path,
    toks: &[Tok],
    helpers: &[Helper],
    found: &mut Vec<Found>,
    errors: &mut Vec<String>,
) {
    let mut hits: Vec<(String, &str)> = Vec::new();
    let mut push = |kind: &str, what: &'static str| hits.push((kind.to_owned(), what));
    let helper_for = |name: &str| -> Option<&Helper> {
        let named: Vec<&Helper> = helpers.iter().filter(|h| h.name == name).collect();
        named
            .iter()
            .find(|h| h.file == file)
            // A codemod's own folder (`codemods/asyncio_loop/`), not `codemods/` itself.
            .or_else(|| {
                named.iter().find(|h| {
                    h.file.parent() == file.parent()
                        && file.parent().is_some_and(|p| p.components().count() >= 2)
                })
            })
            // What the codemods share (`codemods/shared/`), for every codemod.
            .or_else(|| {
                named
                    .iter()
                    .find(|h| h.file.components().any(|c| c.as_os_str() == "shared"))
            })
            .copied()
    };
    for i in 0..toks.len() {
        // `Fix::new(` / `Finding::manual(`: the kind is the second argument.
        let root = matches!(
            (&toks[i], toks.get(i + 3)),
            (Tok::Ident(t), Some(Tok::Ident(f)))
                if (t == "Fix" && f == "new") || (t == "Finding" && f == "manual")
        ) && is_punct(toks.get(i + 1), ':')
            && is_punct(toks.get(i + 2), ':')
            && is_punct(toks.get(i + 4), '(');
        let call = if root {
            Some((i + 4, 1, "Fix::new or Finding::manual"))
        } else if let (Some(Tok::Ident(name)), true) = (toks.get(i), is_punct(toks.get(i + 1), '('))
            && !is_ident(toks.get(i.wrapping_sub(1)), "fn")
            && !(is_punct(toks.get(i.wrapping_sub(1)), ':')
                && matches!(toks.get(i.wrapping_sub(3)), Some(Tok::Ident(t)) if t == "Fix" || t == "Finding"))
            && let Some(h) = helper_for(name)
        {
            Some((i + 1, h.index, "a helper taking a kind"))
        } else {
            None
        };
        if let Some((open, index, what)) = call {
            let (args, _) = split_list(toks, open, false);
            match args.get(index) {
                Some([Tok::Str(kind)]) => push(kind, what),
                // Passed on: a `kind` parameter or variable, or a field `kind` (`x.kind`).
                Some([Tok::Ident(k)] | [Tok::Ident(_), Tok::Punct('.'), Tok::Ident(k)])
                    if k == "kind" => {}
                other => errors.push(format!(
                    "{}: {what}: the kind argument is {other:?}, neither a string literal nor `kind`",
                    file.display()
                )),
            }
        }
        // `let kind: &'static str = VALUE;`: the literals VALUE can be (`"a"`, `if c { "a" } else
        // { "b" }`, `match x { .. => "a", .. }`), not those it compares with.
        if is_ident(toks.get(i), "let")
            && is_ident(toks.get(i + 1), "kind")
            && is_punct(toks.get(i + 2), ':')
            && is_ident(toks.get(i + 4), "'static")
            && is_ident(toks.get(i + 5), "str")
            && is_punct(toks.get(i + 6), '=')
        {
            let value = i + 7;
            let mut depth = 0;
            for j in value..toks.len() {
                match &toks[j] {
                    Tok::Punct('(' | '[' | '{') => depth += 1,
                    Tok::Punct(')' | ']' | '}') => depth -= 1,
                    Tok::Punct(';') if depth == 0 => break,
                    Tok::Str(s) => {
                        let before = |k: usize| toks.get(j.wrapping_sub(k));
                        let arm = is_punct(before(1), '>') && is_punct(before(2), '=');
                        let block = is_punct(before(1), '{') && is_punct(toks.get(j + 1), '}');
                        if j == value || arm || block {
                            push(s, "let kind");
                        }
                    }
                    _ => {}
                }
            }
        }
        // `kind: "..."` (a field).
        if is_ident(toks.get(i), "kind")
            && is_punct(toks.get(i + 1), ':')
            && let Some(Tok::Str(s)) = toks.get(i + 2)
        {
            push(s, "field kind");
        }
    }
    for (kind, what) in hits {
        if kebab(&kind) {
            found.push(Found {
                kind,
                file: file.to_path_buf(),
            });
        } else {
            errors.push(format!(
                "{}: {what}: kind {kind:?} is not kebab-case",
                file.display()
            ));
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The ids whose kinds a file of `src/` (relative path) may give: a codemod's own module gives
/// its codes, the project passes give theirs and those of the codemods they run for, and the
/// shared code (`codemods/shared`, `codemods/mod.rs`, `engine`) gives codes of any codemod.
fn ids_of(rel: &Path) -> Option<Vec<&'static str>> {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let all = || CODEMODS.iter().map(|c| c.id).collect::<Vec<_>>();
    match parts
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["codemods", "shared", ..] | ["codemods", "mod.rs"] | ["engine", ..] => Some(all()),
        ["codemods", module, ..] => {
            let id = module.trim_end_matches(".rs").replace('_', "-");
            Some(vec![registry::find(&id).expect("a codemod's module").id])
        }
        ["project", ..] => {
            let mut ids = PROJECT_PASSES.to_vec();
            // The project passes of codemods (their registry rows' hooks): pytest-asyncio's,
            // asyncio-loop's re-exports, asyncio-sync-primitives' members used in other files.
            ids.extend(
                CODEMODS
                    .iter()
                    .filter(|c| !c.hooks.project.is_empty())
                    .map(|c| c.id),
            );
            Some(ids)
        }
        _ => None,
    }
}

struct Scan {
    found: Vec<Found>,
    errors: Vec<String>,
}

fn scan() -> Scan {
    let src = common::root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let lexed: Vec<(PathBuf, Vec<Tok>)> = files
        .iter()
        .map(|f| {
            let rel = f.strip_prefix(&src).unwrap().to_path_buf();
            let toks = lex(&std::fs::read_to_string(f).unwrap());
            (rel, without_test_modules(&toks))
        })
        .collect();
    let helpers: Vec<Helper> = lexed
        .iter()
        // `edit.rs` defines `Fix::new` and `Finding::manual`, matched by their paths.
        .filter(|(rel, _)| rel != Path::new("edit.rs"))
        .flat_map(|(rel, toks)| helpers_of(rel, toks))
        .collect();
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for (rel, toks) in &lexed {
        if rel == Path::new("edit.rs") {
            continue;
        }
        kinds_in(rel, toks, &helpers, &mut found, &mut errors);
    }
    Scan { found, errors }
}

/// The codes of the tables of each codemod's `messages.toml` (id, code, whether the table has
/// `apis`, i.e. gives its code from the data).
fn message_codes() -> Vec<(&'static str, String, bool)> {
    let mut out = Vec::new();
    for c in CODEMODS {
        let file = common::root()
            .join("codemods")
            .join(c.id)
            .join("messages.toml");
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let doc: toml_edit::DocumentMut = text
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for (code, item) in doc.iter() {
            let table = item
                .as_table()
                .unwrap_or_else(|| panic!("{}: `{code}` is not a table", file.display()));
            out.push((c.id, code.to_owned(), table.contains_key("apis")));
        }
    }
    out
}

/// Texts kept as data are keyed by codes the codemod's README documents.
#[test]
fn messages_are_keyed_by_catalogued_codes() {
    let codes = message_codes();
    assert!(!codes.is_empty(), "no codemods/<id>/messages.toml found");
    let unknown: Vec<String> = codes
        .iter()
        .map(|(id, code, _)| format!("{id}/{code}"))
        .filter(|code| !registry::known_code(code))
        .collect();
    assert!(
        unknown.is_empty(),
        "messages.toml tables that are no catalogued code: {unknown:?}"
    );
}

/// The placeholders `{name}` of a text (`name`: lowercase letters, digits, `_`).
fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|after| after.split_once('}'))
        .map(|(name, _)| name)
        .filter(|name| {
            name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
        .collect()
}

/// Every text the source reads from a codemod's `messages.toml` (`MESSAGES.text("code",
/// "key")`, `MESSAGES.table("code", "key")`, `MESSAGES.fill("code", "key", &[("name", value),
/// ..])`) is there: a missing one would panic when said. A text read by `text` has no
/// placeholder `{name}`, and `fill` gives exactly the placeholders of its text.
#[test]
fn every_text_read_is_in_messages_toml() {
    let src = common::root().join("src");
    let mut files = Vec::new();
    rust_files(&src.join("codemods"), &mut files);
    let mut read = 0;
    let mut missing = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap();
        let Some(module) = rel.components().nth(1) else {
            continue;
        };
        let id = module
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .replace('_', "-");
        let file = common::root()
            .join("codemods")
            .join(&id)
            .join("messages.toml");
        let doc: Option<toml_edit::DocumentMut> = std::fs::read_to_string(&file)
            .ok()
            .and_then(|t| t.parse().ok());
        let toks = lex(&std::fs::read_to_string(&f).unwrap());
        for (i, w) in toks.windows(8).enumerate() {
            let [
                Tok::Ident(m),
                Tok::Punct('.'),
                Tok::Ident(method),
                Tok::Punct('('),
                Tok::Str(code),
                Tok::Punct(','),
                Tok::Str(key),
                end,
            ] = w
            else {
                continue;
            };
            let is_fill = method == "fill" && *end == Tok::Punct(',');
            if m != "MESSAGES"
                || !(is_fill
                    || ((method == "text" || method == "table") && *end == Tok::Punct(')')))
            {
                continue;
            }
            read += 1;
            let item = doc
                .as_ref()
                .and_then(|d| d.get(code))
                .and_then(|t| t.get(key));
            let ok = match method.as_str() {
                "table" => item.is_some_and(toml_edit::Item::is_table),
                _ => item.is_some_and(|i| i.as_str().is_some()),
            };
            let at = format!("{}: {method} [{code}] {key}", rel.display());
            if !ok {
                missing.push(at);
                continue;
            }
            let Some(text) = item.and_then(toml_edit::Item::as_str) else {
                continue;
            };
            // The names `fill` gives: `&[("name", value), ..]`.
            let mut given = BTreeSet::new();
            if is_fill {
                let open = i + 9;
                if !is_punct(toks.get(i + 8), '&') || !is_punct(toks.get(open), '[') {
                    missing.push(format!(
                        "{at}: the values are not `&[(\"name\", value), ..]`"
                    ));
                    continue;
                }
                for value in split_list(&toks, open, false).0 {
                    match value {
                        [Tok::Punct('('), Tok::Str(name), Tok::Punct(','), ..] => {
                            given.insert(name.as_str());
                        }
                        _ => missing.push(format!("{at}: a value is not `(\"name\", value)`")),
                    }
                }
            }
            if placeholders(text) != given {
                missing.push(format!(
                    "{at}: the text's placeholders are {:?}, the source gives {given:?}",
                    placeholders(text)
                ));
            }
        }
    }
    assert!(read > 0, "no MESSAGES.text(...) found");
    assert!(missing.is_empty(), "not in messages.toml: {missing:?}");
}

#[test]
fn the_scanner_sees_kinds_where_they_are_written() {
    let src = r#"
        fn manual(call: Node, kind: &'static str, why: &str) -> Outcome { todo!() }
        fn f() {
            // Fix::new(ID, "in-a-comment", 0)
            let a = Fix::new(ID, "plain", at, Verdict::Safe, vec![]);
            let b = Finding::manual(
                ID,
                "multi-line",
                x.f(1, 2),
                format!("{}", r"raw, string"),
            );
            let c = manual(call, "helper", "why, with a comma");
            let kind: &'static str = if x == "no" { "from-let" } else { "other-let" };
            let kind: &'static str = match x.f() { "no_kind" => "arm", _ => "other-arm" };
            let d = ConfigEdit { kind: "field", at: 0 };
            let e = manual(call, kind, "passed on");
            let ch = ',';
        }
    "#;
    let toks = lex(src);
    let file = Path::new("x.rs");
    let helpers = helpers_of(file, &toks);
    assert_eq!(helpers.len(), 1);
    assert_eq!(helpers[0].index, 1);
    let (mut found, mut errors) = (Vec::new(), Vec::new());
    kinds_in(file, &toks, &helpers, &mut found, &mut errors);
    let kinds: Vec<&str> = found.iter().map(|f| f.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "plain",
            "multi-line",
            "helper",
            "from-let",
            "other-let",
            "arm",
            "other-arm",
            "field"
        ]
    );
    assert!(errors.is_empty(), "{errors:?}");
    let bad = lex("fn g() { Fix::new(ID, kind_of(x), at, v, e); }");
    kinds_in(file, &bad, &[], &mut found, &mut errors);
    assert_eq!(errors.len(), 1, "{errors:?}");
}

/// Every line of every codes section parses; codes are unique and start with their README's id.
#[test]
fn the_catalogue_parses() {
    let mut seen = BTreeSet::new();
    let mut sections = CODEMODS
        .iter()
        .map(|c| (c.id, c.readme, CODES_HEADING, vec![c.id]))
        .collect::<Vec<_>>();
    sections.push((
        "codemods/README.md",
        registry::INDEX,
        PROJECT_CODES_HEADING,
        PROJECT_PASSES.to_vec(),
    ));
    for (name, readme, heading, ids) in sections {
        assert!(
            readme.lines().any(|l| l.trim_end() == heading),
            "{name}: no `{heading}` section"
        );
        let lines = registry::section_lines(readme, heading);
        assert!(!lines.is_empty(), "{name}: `{heading}` lists no code");
        for line in lines {
            let parsed = registry::parse_code_line(line);
            let Some((code, ..)) = parsed else {
                panic!(
                    "{name}: not a code line (want `` - `<id>/<kind>` (VERDICTS): description.``): {line}"
                );
            };
            let id = code.split_once('/').map(|(id, _)| id).unwrap();
            assert!(ids.contains(&id), "{name}: `{code}` does not belong here");
            assert!(seen.insert(code), "{name}: `{code}` is listed twice");
            assert!(
                registry::known_code(code),
                "{code}: not found by code_entry"
            );
        }
    }
    // A codemod's codes are the last section of its README.
    for c in CODEMODS {
        let after = c.readme.split(&format!("\n{CODES_HEADING}\n")).nth(1);
        assert!(
            after.is_some_and(|rest| !rest.lines().any(|l| l.starts_with("## "))),
            "{}: `{CODES_HEADING}` is not the last section",
            c.id
        );
    }
    assert_eq!(registry::code_entries().len(), seen.len());
}

/// The catalogue knows the registry's codemods and the project passes by the ids they use.
#[test]
fn the_catalogue_knows_every_codemod_and_project_pass() {
    let readmes: Vec<&str> = anyio_migrate::edit::codes::READMES
        .iter()
        .map(|(id, _)| *id)
        .collect();
    let codemods: Vec<&str> = CODEMODS.iter().map(|c| c.id).collect();
    assert_eq!(readmes, codemods);
    assert_eq!(PROJECT_PASSES, [anyio_migrate::project::runtime::ID]);
}

/// The verdicts of a codemod's codes are the verdicts `list` shows for it.
#[test]
fn the_codes_have_the_codemods_verdicts() {
    for c in CODEMODS {
        let mut verdicts: Vec<&str> = registry::code_entries()
            .iter()
            .filter(|e| matches!(e.source, CodeSource::Codemod(m) if m.id == c.id))
            .filter(|e| e.id() == c.id)
            .flat_map(|e| e.verdict_list())
            .collect();
        let order = ["SAFE", "SAFE (edge)", "UNSAFE", "MANUAL"];
        verdicts.sort_by_key(|v| order.iter().position(|o| o == v));
        verdicts.dedup();
        assert_eq!(verdicts.join(", "), c.verdicts, "{}: verdicts", c.id);
    }
}

/// Every kind the source gives is catalogued for an id its file may give, and every catalogued
/// code is given by the source.
#[test]
fn the_catalogue_and_the_source_agree() {
    let Scan { found, errors } = scan();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let mut problems = Vec::new();
    let mut given: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for f in &found {
        let Some(ids) = ids_of(&f.file) else {
            problems.push(format!(
                "{}: gives kind `{}`, but no codemod's codes belong to this file (tests/codes.rs: ids_of)",
                f.file.display(),
                f.kind
            ));
            continue;
        };
        for id in &ids {
            given.entry(id).or_default().insert(&f.kind);
        }
        if !ids
            .iter()
            .any(|id| registry::known_code(&format!("{id}/{}", f.kind)))
        {
            problems.push(format!(
                "{}: kind `{}` is catalogued for none of {}",
                f.file.display(),
                f.kind,
                ids.join(", ")
            ));
        }
    }
    let data = message_codes();
    for (id, code, _) in data.iter().filter(|(_, _, apis)| *apis) {
        given.entry(id).or_default().insert(code);
    }
    for e in registry::code_entries() {
        if !given.get(e.id()).is_some_and(|k| k.contains(e.kind())) {
            problems.push(format!("`{}` is catalogued but never given", e.code));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
