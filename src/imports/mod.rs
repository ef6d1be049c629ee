//! The import pass (spec D5, §14): add each module the rewrites need once, after the leading
//! import block; drop asyncio (and `time`) imports whose names the rewrites left with no
//! reference.

pub mod sections;

use crate::analysis::syntax::import_parts;
use crate::edit::{Edit, Import};
use crate::resolve::{Resolver, named_children};
use crate::source::line_start;
use std::collections::BTreeSet;
use tree_sitter::{Node, Tree};

/// A question about a name (is this module first-party, is this name read elsewhere).
pub type NamePredicate<'a> = &'a dyn Fn(&str) -> bool;

/// Edits (against `after`) that add needed imports and remove asyncio imports that `before`
/// used and `after` no longer does, except those another file reads through this module
/// (`read_elsewhere`: `cli.asyncio` in a test). Each text comes with its resolver (`after`
/// with its tree).
pub fn import_edits(
    (before, old_resolver): (&str, &Resolver),
    (after, tree, resolver): (&str, &Tree, &Resolver),
    needs: &BTreeSet<Import>,
    (first_party, read_elsewhere): (NamePredicate, NamePredicate),
) -> Vec<Edit> {
    let module = tree.root_node();
    let mut edits = removals(
        (tree, after, resolver),
        (before, old_resolver),
        read_elsewhere,
    );
    let mut missing: Vec<&str> = needs
        .iter()
        .map(|i| i.module())
        .filter(|m| !imports_module(module, after, m))
        .collect();
    missing.sort_unstable();
    if missing.is_empty() {
        return edits;
    }
    let removed: Vec<std::ops::Range<usize>> = edits.iter().map(|e| e.range.clone()).collect();
    // Each import where isort puts it; imports meant for one place are written together.
    let mut placed: Vec<(usize, sections::Section, String)> = Vec::new();
    let mut unplaced = Vec::new();
    for m in missing {
        let section = sections::Section::of(m, first_party);
        match sections::place(module, after, m, &removed, first_party) {
            Some((at, text)) => match placed
                .iter_mut()
                .find(|(a, s, t)| *a == at && *s == section && same_shape(t, &text))
            {
                Some((_, _, t)) => *t = merged(t, &text),
                None => placed.push((at, section, text)),
            },
            None => unplaced.push(m),
        }
    }
    // New blocks of two sections at one point: one edit, in section order.
    placed.sort_by_key(|(at, section, _)| (*at, *section));
    let mut joined: Vec<(usize, String)> = Vec::new();
    for (at, _, text) in placed {
        match joined.last_mut() {
            Some((a, t)) if *a == at => t.push_str(&text),
            _ => joined.push((at, text)),
        }
    }
    for (at, text) in joined {
        edits.push(Edit::insert(at, text));
    }
    if !unplaced.is_empty() {
        // No import region: a block per section after the docstring (stdlib first).
        let at = insertion_point(module, after);
        let mut groups: Vec<(sections::Section, String)> = Vec::new();
        for m in unplaced {
            let section = sections::Section::of(m, first_party);
            match groups.iter_mut().find(|(s, _)| *s == section) {
                Some((_, lines)) => {
                    lines.push_str("import ");
                    lines.push_str(m);
                    lines.push('\n');
                }
                None => groups.push((section, format!("import {m}\n"))),
            }
        }
        groups.sort();
        let lines = groups
            .into_iter()
            .map(|(_, l)| l)
            .collect::<Vec<_>>()
            .join("\n");
        let text = if at == after.len() && !after.is_empty() && !after.ends_with('\n') {
            format!("\n{}", lines.trim_end_matches('\n'))
        } else {
            lines
        };
        edits.push(Edit::insert(at, text));
    }
    edits
}

/// Two placed texts of the same kind: lines into a block, or a new block before or after one.
fn same_shape(a: &str, b: &str) -> bool {
    a.starts_with('\n') == b.starts_with('\n') && a.ends_with("\n\n") == b.ends_with("\n\n")
}

/// One text for two imports placed at the same point (`import a\n` + `import b\n`, or the
/// lines of one new block).
fn merged(a: &str, b: &str) -> String {
    let lead = if a.starts_with('\n') { "\n" } else { "" };
    let trail = if a.ends_with("\n\n") { "\n" } else { "" };
    let body = |t: &str| t.trim_matches('\n').to_owned();
    format!("{lead}{}\n{}\n{trail}", body(a), body(b))
}

/// An edit that adds a module-level helper (e.g. the spec's `_gather`) right after the
/// imports, once: every fix that needs it carries this same edit, and identical edits are
/// applied once. `None` when the module already defines `name`.
pub fn helper_edit(module: Node, src: &str, name: &str, def: &str) -> Option<Edit> {
    let defined = named_children(module).any(|s| {
        let def_node = if s.kind() == "decorated_definition" {
            s.child_by_field_name("definition")
        } else {
            Some(s)
        };
        def_node.is_some_and(|d| {
            matches!(d.kind(), "function_definition" | "class_definition")
                && d.child_by_field_name("name")
                    .is_some_and(|n| &src[n.byte_range()] == name)
        })
    });
    if defined {
        return None;
    }
    let at = insertion_point(module, src);
    let body = def.trim_matches('\n');
    let text = if at == src.len() && !src.is_empty() && !src.ends_with('\n') {
        format!("\n\n\n{body}\n")
    } else {
        // Two blank lines after the helper, counting those already there.
        let blank = src[at..]
            .lines()
            .take_while(|l| l.trim().is_empty())
            .count()
            .min(2);
        // After the imports: two blank lines before a definition, one before a statement (the
        // `if sys.version_info` guard), as ruff's isort (`lines-after-imports`) wants.
        let is_definition = ["def ", "async def ", "class ", "@"]
            .iter()
            .any(|k| body.starts_with(k));
        let lead = if is_definition { "\n\n" } else { "\n" };
        format!("{lead}{body}\n{}", "\n".repeat(2 - blank))
    };
    Some(Edit::shared_insert(at, text))
}

/// A module-level `import M` (plain, not aliased) is present.
fn imports_module(module: Node, src: &str, name: &str) -> bool {
    named_children(module)
        .filter(|s| s.kind() == "import_statement")
        .any(|s| {
            named_children(s).any(|n| n.kind() == "dotted_name" && &src[n.byte_range()] == name)
        })
}

/// After the docstring, `from __future__` imports and the leading import block; comments above
/// the first statement stay above.
pub(crate) fn insertion_point(module: Node, src: &str) -> usize {
    let mut after: Option<Node> = None;
    let doc = docstring(module).map(|d| d.id());
    for stmt in named_children(module) {
        let is_docstring = doc == Some(stmt.id());
        match stmt.kind() {
            "comment" => {}
            "import_statement" | "import_from_statement" | "future_import_statement" => {
                after = Some(stmt);
            }
            _ if is_docstring => after = Some(stmt),
            // `__all__ = [...]` before the imports: pycodestyle's E402 allows dunder
            // assignments there, so the imports after them are still the leading block.
            _ if is_dunder_assignment(stmt, src) => {}
            _ => {
                if after.is_none() {
                    return line_start(src, stmt.start_byte());
                }
                break;
            }
        }
    }
    match after {
        Some(stmt) => next_line(src, stmt.end_byte()),
        None => src.len(),
    }
}

/// `__name__ = ...` (with an annotation or not) as a statement of its own.
pub(crate) fn is_dunder_assignment(stmt: Node, src: &str) -> bool {
    stmt.kind() == "expression_statement"
        && stmt
            .named_child(0)
            .filter(|a| a.kind() == "assignment")
            .and_then(|a| a.child_by_field_name("left"))
            .is_some_and(|l| {
                let name = &src[l.byte_range()];
                l.kind() == "identifier"
                    && name.len() > 4
                    && name.starts_with("__")
                    && name.ends_with("__")
            })
}

/// The module's docstring: its first statement (comments, a shebang or a coding line may come
/// before it) when that is a string. Nothing may be inserted above it: it would stop being the
/// docstring, and `from __future__` imports after it would no longer be first (a `SyntaxError`).
pub fn docstring(module: Node) -> Option<Node> {
    named_children(module)
        .find(|s| s.kind() != "comment")
        .filter(|s| s.kind() == "expression_statement")
        .filter(|s| {
            s.named_child_count() == 1
                && s.named_child(0)
                    .is_some_and(|c| matches!(c.kind(), "string" | "concatenated_string"))
        })
}

/// The start of the line after `pos` (or the end of the text).
fn next_line(src: &str, pos: usize) -> usize {
    src[pos..].find('\n').map_or(src.len(), |i| pos + i + 1)
}

/// Count uses of `name` outside import statements: identifiers (not attribute names) and, to
/// stay safe, any string that mentions it (string annotations, `__all__`, doctests, eval).
/// Names a function binds locally (a parameter called `sleep`) do not count.
fn references(resolver: &Resolver, src: &str, name: &str) -> usize {
    let in_import = |node: Node| in_import(resolver, node);
    let names = resolver
        .names_and_keywords(name)
        .into_iter()
        .flatten()
        .filter(|n| resolver.refers_to_module_scope(name, **n) && !in_import(**n))
        .count();
    let strings = resolver
        .strings()
        .iter()
        .filter(|s| {
            mentions(&src[s.byte_range()], name)
                && !is_prose_docstring(resolver, **s, src)
                && !in_import(**s)
        })
        .count();
    names + strings
}

/// The import statements of the module's own scope: its top-level statements (each is looked
/// at) and the imports nested in its `if` / `try` / `with` blocks, not in a function or class.
fn module_level_imports(module: Node) -> Vec<Node> {
    let mut out: Vec<Node> = named_children(module).collect();
    let mut stack: Vec<Node> = out
        .iter()
        .filter(|n| opens_module_block(**n))
        .copied()
        .collect();
    while let Some(node) = stack.pop() {
        for child in named_children(node) {
            if matches!(child.kind(), "import_statement" | "import_from_statement") {
                out.push(child);
            } else if opens_module_block(child) || child.kind() == "block" {
                stack.push(child);
            }
        }
    }
    out
}

/// A statement whose blocks are still the module's scope (`if`, `try`, `with`, `for`, ...,
/// and their `else` / `except` / `finally` parts), not a function or a class.
fn opens_module_block(node: Node) -> bool {
    matches!(
        node.kind(),
        "if_statement"
            | "elif_clause"
            | "else_clause"
            | "try_statement"
            | "except_clause"
            | "except_group_clause"
            | "finally_clause"
            | "with_statement"
            | "for_statement"
            | "while_statement"
            | "match_statement"
            | "case_clause"
    )
}

/// `stmt` is the only statement of its block (comments aside).
fn alone_in_block(resolver: &Resolver, stmt: Node) -> bool {
    resolver
        .parent(stmt)
        .is_some_and(|b| named_children(b).filter(|c| c.kind() != "comment").count() == 1)
}

/// Is `node` part of an import statement?
fn in_import(resolver: &Resolver, node: Node) -> bool {
    std::iter::successors(Some(node), |n| resolver.parent(*n))
        .any(|n| matches!(n.kind(), "import_statement" | "import_from_statement"))
}

/// A bare string statement without a doctest: prose, not code.
fn is_prose_docstring(resolver: &Resolver, string: Node, src: &str) -> bool {
    crate::analysis::syntax::own_statement(resolver, string).is_some()
        && !src[string.byte_range()].contains(">>>")
}

/// `word` as a whole identifier in `haystack`.
pub fn mentions(haystack: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    haystack.match_indices(word).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// A module-level name bound to asyncio (or one of its names) by an import.
struct Bound<'t> {
    /// The name the import binds.
    name: String,
    /// The `dotted_name` or `aliased_import` node that binds it.
    node: Node<'t>,
}

/// The modules whose imports the pass drops once the rewrites removed their last reference:
/// asyncio, `time` (blocking-sleep rewrites `time.sleep`), `subprocess` and `pathlib`
/// (blocking-io's `anyio.run_process`, `anyio.Path`), `math` (`asyncio.sleep(math.inf)` becomes
/// `anyio.sleep_forever()`), `functools` (a partial a rewrite no longer needs), and `typing` /
/// `collections.abc` (the annotation of code a rewrite deleted: pytest-asyncio's `event_loop`
/// fixture, `-> Iterator[asyncio.AbstractEventLoop]`). Importing any of them has no side effect a
/// program could rely on.
pub(crate) const DROPPABLE: &[&str] = &[
    "asyncio",
    "collections.abc",
    "functools",
    "math",
    "pathlib",
    "subprocess",
    "time",
    "typing",
];

/// Modules whose names rewrites import for what they write (queue's stream types, for
/// annotations): a name of one the output does not use, and the original did not import, goes.
const ADDED: &[&str] = &["anyio.streams.memory"];

fn added_bindings<'t>(stmt: Node<'t>, src: &str) -> Vec<Bound<'t>> {
    if stmt.kind() != "import_from_statement" {
        return Vec::new();
    }
    ADDED
        .iter()
        .flat_map(|m| module_bindings(stmt, src, m))
        .map(|(name, node)| Bound { name, node })
        .collect()
}

fn droppable_bindings<'t>(stmt: Node<'t>, src: &str) -> Vec<Bound<'t>> {
    DROPPABLE
        .iter()
        .flat_map(|m| module_bindings(stmt, src, m))
        .map(|(name, node)| Bound { name, node })
        .collect()
}

/// The names an import statement binds to `module` (or something in it), each with the
/// `dotted_name` / `aliased_import` node that binds it.
pub(crate) fn module_bindings<'t>(
    stmt: Node<'t>,
    src: &str,
    module: &str,
) -> Vec<(String, Node<'t>)> {
    let text = |n: Node| src[n.byte_range()].to_owned();
    let under = |m: &str| m == module || m.strip_prefix(module).is_some_and(|r| r.starts_with('.'));
    let mut out = Vec::new();
    match stmt.kind() {
        "import_statement" => {
            for n in named_children(stmt) {
                let (path, alias) = match n.kind() {
                    "dotted_name" => (n, None),
                    "aliased_import" => (
                        n.child_by_field_name("name").unwrap_or(n),
                        n.child_by_field_name("alias"),
                    ),
                    _ => continue,
                };
                let path = text(path);
                if under(&path) {
                    out.push((alias.map_or_else(|| module.to_owned(), text), n));
                }
            }
        }
        "import_from_statement"
            if stmt
                .child_by_field_name("module_name")
                .is_some_and(|m| under(&text(m))) =>
        {
            let mut cursor = stmt.walk();
            for n in stmt.children_by_field_name("name", &mut cursor) {
                if let Some((_, bound)) = import_parts(n) {
                    out.push((text(bound), n));
                }
            }
        }
        _ => {}
    }
    out
}

/// Remove module-level asyncio (and `time`) import names that were referenced before and are
/// not now, and that no other file reads through this module.
fn removals(
    (tree, src, resolver): (&tree_sitter::Tree, &str, &Resolver),
    (old_src, old_resolver): (&str, &Resolver),
    read_elsewhere: NamePredicate,
) -> Vec<Edit> {
    let module = tree.root_node();
    let mut edits = Vec::new();
    let old_root = old_resolver.root();
    for stmt in module_level_imports(module) {
        let nested = resolver.parent(stmt).is_some_and(|p| p.id() != module.id());
        let bound = droppable_bindings(stmt, src);
        // A rewrite adds its imports at the top level only.
        let added = if nested {
            Vec::new()
        } else {
            added_bindings(stmt, src)
        };
        if (bound.is_empty() && added.is_empty())
            || (nested && crate::analysis::syntax::probes_import(resolver, stmt, src))
        {
            continue;
        }
        let left: Vec<bool> = bound
            .iter()
            .map(|b| {
                references(resolver, src, &b.name) == 0
                    && references(old_resolver, old_src, &b.name) > 0
            })
            .collect();
        // Kept for another file that reads it through this module: said so to linters, which
        // would drop it as unused (ruff's F401) and break that file again.
        if bound
            .iter()
            .zip(&left)
            .any(|(b, l)| *l && read_elsewhere(&b.name))
            && let Some(edit) = noqa_unused_import(stmt, src)
        {
            edits.push(edit);
        }
        let mut unused: Vec<bool> = bound
            .iter()
            .zip(&left)
            .map(|(b, l)| *l && !read_elsewhere(&b.name))
            .collect();
        // A name a rewrite imported that no rewrite ended up using (the original did not
        // import it).
        unused.extend(added.iter().map(|b| {
            references(resolver, src, &b.name) == 0
                && old_resolver.resolve_name(&b.name, old_root).is_none()
        }));
        let bound: Vec<Bound> = bound.into_iter().chain(added).collect();
        if !unused.contains(&true) {
            continue;
        }
        let removed = unused.iter().filter(|u| **u).count();
        if removed == name_nodes(stmt).len() {
            // An import alone in an `if` / `try` block stays: the block needs a statement.
            if !nested {
                edits.push(delete_statement(stmt, src));
            } else if !alone_in_block(resolver, stmt) {
                edits.push(delete_block_statement(stmt, src));
            }
        } else if !crate::resolve::has_comment(stmt) {
            edits.extend(remove_names(stmt, src, &bound, &unused));
        }
    }
    edits.extend(local_removals(
        (tree, src, resolver),
        (old_resolver.root(), old_src, old_resolver),
    ));
    without_emptied_block_gap(src, &mut edits);
    edits
}

/// `  # noqa: F401` after an import statement that ends its line without a comment.
fn noqa_unused_import(stmt: Node, src: &str) -> Option<Edit> {
    let end = stmt.end_byte();
    let rest = src[end..].split(['\n', '\r']).next().unwrap_or("");
    rest.trim()
        .is_empty()
        .then(|| Edit::insert(end, "  # noqa: F401".to_owned()))
}

/// Function-level asyncio (and `time`) imports that were referenced before and are not now,
/// removed as module-level ones are. A local import is matched with the same statement of the
/// original text by its text and the names of the functions and classes around it (rewrites
/// never add or remove one). One that is alone in its block stays (the block needs it).
fn local_removals(
    (tree, src, resolver): (&tree_sitter::Tree, &str, &Resolver),
    (old_root, old_src, old_resolver): (Node, &str, &Resolver),
) -> Vec<Edit> {
    let now = local_imports(tree.root_node(), src);
    if now.is_empty() {
        return Vec::new();
    }
    let before = local_imports(old_root, old_src);
    let mut edits = Vec::new();
    let mut seen: std::collections::HashMap<(String, String), usize> =
        std::collections::HashMap::new();
    for (stmt, path) in now {
        let key = (src[stmt.byte_range()].to_owned(), path);
        let nth = seen.entry(key.clone()).or_default();
        let Some((old_stmt, _)) = before
            .iter()
            .filter(|(s, p)| old_src[s.byte_range()] == key.0 && *p == key.1)
            .nth(*nth)
        else {
            continue;
        };
        *nth += 1;
        if crate::analysis::syntax::probes_import(resolver, stmt, src) {
            continue;
        }
        let bound = droppable_bindings(stmt, src);
        let unused: Vec<bool> = bound
            .iter()
            .map(|b| {
                local_references(resolver, src, stmt, &b.name) == 0
                    && local_references(old_resolver, old_src, *old_stmt, &b.name) > 0
            })
            .collect();
        if !unused.contains(&true) {
            continue;
        }
        let removed = unused.iter().filter(|u| **u).count();
        if removed == name_nodes(stmt).len() {
            if !alone_in_block(resolver, stmt) {
                edits.push(delete_block_statement(stmt, src));
            }
        } else if !crate::resolve::has_comment(stmt) {
            edits.extend(remove_names(stmt, src, &bound, &unused));
        }
    }
    edits
}

/// The import statements inside a function that bind a droppable module, each with the names
/// of the functions and classes around it (`Outer.method`), in document order.
fn local_imports<'t>(root: Node<'t>, src: &str) -> Vec<(Node<'t>, String)> {
    let mut out = Vec::new();
    let mut stack = vec![(root, String::new(), false)];
    while let Some((node, path, in_function)) = stack.pop() {
        let kind = node.kind();
        if matches!(kind, "import_statement" | "import_from_statement") {
            if in_function && !droppable_bindings(node, src).is_empty() {
                out.push((node, path));
            }
            continue;
        }
        let (path, in_function) = match kind {
            "function_definition" | "class_definition" => {
                let name = node
                    .child_by_field_name("name")
                    .map_or("", |n| &src[n.byte_range()]);
                (
                    format!("{path}.{name}"),
                    in_function || kind == "function_definition",
                )
            }
            _ => (path, in_function),
        };
        let children: Vec<Node> = named_children(node).collect();
        for child in children.into_iter().rev() {
            stack.push((child, path.clone(), in_function));
        }
    }
    out
}

/// Uses of the name a local import binds: the variables named so that resolve to the import's
/// scope (outside imports), and the strings of the enclosing function that mention it.
fn local_references(resolver: &Resolver, src: &str, stmt: Node, name: &str) -> usize {
    let Some(scope) = resolver.defining_scope(name, stmt) else {
        return 1;
    };
    let in_import = |n: Node| in_import(resolver, n);
    let [variables, keywords] = resolver.names_and_keywords(name);
    let names = variables
        .iter()
        .chain(keywords)
        .filter(|n| !in_import(**n) && resolver.defining_scope(name, **n) == Some(scope))
        .count();
    let function = std::iter::successors(Some(stmt), |x| resolver.parent(*x))
        .find(|x| x.kind() == "function_definition")
        .map_or(0..src.len(), |f| f.byte_range());
    let strings = resolver
        .strings()
        .iter()
        .filter(|s| {
            function.contains(&s.start_byte())
                && mentions(&src[s.byte_range()], name)
                && !is_prose_docstring(resolver, **s, src)
        })
        .count();
    names + strings
}

/// An import block the pass deletes whole (no import right above it, a blank line and another
/// import below): the blank line below goes too, so the file does not start with one, nor do
/// two blank lines end up between two import blocks.
fn without_emptied_block_gap(src: &str, edits: &mut [Edit]) {
    let mut order: Vec<usize> = (0..edits.len())
        .filter(|&i| edits[i].text.is_empty())
        .collect();
    order.sort_by_key(|&i| edits[i].range.start);
    let mut k = 0;
    while k < order.len() {
        // A run of whole-line deletions that touch each other.
        let first = order[k];
        let mut last = first;
        while k + 1 < order.len() && edits[order[k + 1]].range.start == edits[last].range.end {
            k += 1;
            last = order[k];
        }
        k += 1;
        let (a, b) = (edits[first].range.start, edits[last].range.end);
        if a != line_start(src, a) || (b < src.len() && b != line_start(src, b)) {
            continue;
        }
        let prev = src[..a.saturating_sub(1)]
            .rsplit('\n')
            .next()
            .unwrap_or("")
            .trim();
        let above_free = a == 0 || !(prev.starts_with("import ") || prev.starts_with("from "));
        let below = &src[b..next_line(src, b)];
        let then = &src[next_line(src, b)..];
        if above_free
            && !below.is_empty()
            && below.trim().is_empty()
            && (then.starts_with("import ") || then.starts_with("from "))
        {
            edits[last].range.end = next_line(src, b);
        }
    }
}

/// Delete a whole statement with its line when it is alone on it.
fn delete_statement(stmt: Node, src: &str) -> Edit {
    let start = line_start(src, stmt.start_byte());
    let alone = src[start..stmt.start_byte()].trim().is_empty()
        && src[stmt.end_byte()..next_line(src, stmt.end_byte())]
            .trim()
            .is_empty();
    if alone {
        let end = next_line(src, stmt.end_byte());
        Edit::delete(start..end)
    } else {
        Edit::replace(stmt.byte_range(), "pass")
    }
}

/// `delete_statement` for a statement inside a block (a function's, an `if`'s): when it opens
/// the block and a blank line follows, that line goes too, so the block does not start with one.
fn delete_block_statement(stmt: Node, src: &str) -> Edit {
    let edit = delete_statement(stmt, src);
    let first = stmt.prev_named_sibling().is_none();
    let end = edit.range.end;
    let blank = next_line(src, end);
    if edit.text.is_empty() && first && end < src.len() && src[end..blank].trim().is_empty() {
        Edit::delete(edit.range.start..blank)
    } else {
        edit
    }
}

/// The imported names of an import statement (not the `from` module).
pub(crate) fn name_nodes(stmt: Node) -> Vec<Node> {
    if stmt.kind() == "import_from_statement" {
        let mut cursor = stmt.walk();
        stmt.children_by_field_name("name", &mut cursor).collect()
    } else {
        named_children(stmt)
            .filter(|n| matches!(n.kind(), "dotted_name" | "aliased_import"))
            .collect()
    }
}

/// Remove some names from a multi-name import: one edit over the span of the names, so
/// adjacent removals never overlap.
fn remove_names(stmt: Node, src: &str, bound: &[Bound], unused: &[bool]) -> Vec<Edit> {
    let names = name_nodes(stmt);
    let (Some(first), Some(last)) = (names.first(), names.last()) else {
        return Vec::new();
    };
    let removed = |n: &Node| {
        bound
            .iter()
            .zip(unused)
            .any(|(b, u)| *u && b.node.id() == n.id())
    };
    let kept: Vec<&str> = names
        .iter()
        .filter(|n| !removed(n))
        .map(|n| &src[n.byte_range()])
        .collect();
    vec![Edit::replace(
        first.start_byte()..last.end_byte(),
        kept.join(", "),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{normalize, splice};
    use crate::source;

    fn run(before: &str, after: &str, needs: &[Import]) -> String {
        run_with(before, after, needs, &|_: &str| false)
    }

    fn run_with(
        before: &str,
        after: &str,
        needs: &[Import],
        first_party: &dyn Fn(&str) -> bool,
    ) -> String {
        let mut parser = source::new_parser().unwrap();
        let needs = needs.iter().copied().collect();
        let old_tree = source::parse(&mut parser, before).unwrap();
        let tree = source::parse(&mut parser, after).unwrap();
        let edits = import_edits(
            (before, &Resolver::new(&old_tree, before)),
            (after, &tree, &Resolver::new(&tree, after)),
            &needs,
            (first_party, &|_| false),
        );
        splice(after, &normalize(edits), false)
    }

    #[test]
    fn a_docstring_after_a_shebang_or_comments_stays_first() {
        let shebang = "#!/usr/bin/env python3\n\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n\nx = 1\n";
        assert_eq!(
            run(shebang, shebang, &[Import::Anyio]),
            "#!/usr/bin/env python3\n\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nimport anyio\n\nx = 1\n"
        );
        let comments = "# -*- coding: utf-8 -*-\n# Licence.\n\n\"\"\"Doc.\"\"\"\n\nx = 1\n";
        assert_eq!(
            run(comments, comments, &[Import::Anyio]),
            "# -*- coding: utf-8 -*-\n# Licence.\n\n\"\"\"Doc.\"\"\"\nimport anyio\n\nx = 1\n"
        );
        // A string that is not the first statement is no docstring.
        let late = "x = 1\n\"\"\"Not a docstring.\"\"\"\n";
        assert_eq!(
            run(late, late, &[Import::Anyio]),
            "import anyio\nx = 1\n\"\"\"Not a docstring.\"\"\"\n"
        );
    }

    /// pycodestyle's E402 allows dunder assignments before the imports: the imports after
    /// `__all__` are still the leading block, and a helper goes after them.
    #[test]
    fn dunder_assignments_before_the_imports_keep_them_the_leading_block() {
        let src =
            "\"\"\"Doc.\"\"\"\n__all__ = [\"run\"]\n\nimport asyncio\n\n\ndef run():\n    pass\n";
        assert_eq!(
            run(src, src, &[Import::Anyio]),
            "\"\"\"Doc.\"\"\"\n__all__ = [\"run\"]\n\nimport asyncio\n\nimport anyio\n\n\ndef run():\n    pass\n"
        );
        let mut parser = source::new_parser().unwrap();
        let tree = source::parse(&mut parser, src).unwrap();
        let at = insertion_point(tree.root_node(), src);
        assert_eq!(
            &src[..at],
            "\"\"\"Doc.\"\"\"\n__all__ = [\"run\"]\n\nimport asyncio\n"
        );
        // Without imports after them: after the dunder assignments, before the code.
        let late = "__version__ = \"1\"\nx = 1\n";
        let tree = source::parse(&mut parser, late).unwrap();
        assert_eq!(&late[insertion_point(tree.root_node(), late)..], "x = 1\n");
    }

    #[test]
    fn adds_after_docstring_future_and_import_block() {
        let src = "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nimport os\n\nx = 1\n";
        assert_eq!(
            run(src, src, &[Import::Anyio, Import::Math]),
            "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nimport math\nimport os\n\nimport anyio\n\nx = 1\n"
        );
    }

    #[test]
    fn keeps_leading_comments_first_and_does_not_duplicate() {
        assert_eq!(
            run(
                "#!/usr/bin/env python\nx = 1\n",
                "#!/usr/bin/env python\nx = 1\n",
                &[Import::Anyio]
            ),
            "#!/usr/bin/env python\nimport anyio\nx = 1\n"
        );
        let src = "import anyio\nx = 1\n";
        assert_eq!(run(src, src, &[Import::Anyio]), src);
    }

    #[test]
    fn imports_in_module_blocks_and_functions_go_with_their_last_use() {
        // An import in a module-level `if` binds the module's name: it goes once no code uses
        // it, with the blank line that followed it at the block's start.
        let before = "import asyncio\n\nif __name__ == \"__main__\":\n    import asyncio\n\n    asyncio.run(main())\n";
        let after = "import asyncio\n\nif __name__ == \"__main__\":\n    import asyncio\n\n    anyio.run(main)\n";
        assert_eq!(
            run(before, after, &[]),
            "\nif __name__ == \"__main__\":\n    anyio.run(main)\n"
        );
        // Alone in its block it stays (the block needs a statement).
        let before =
            "try:\n    import asyncio\nexcept ImportError:\n    pass\nasyncio.run(main())\n";
        let after = "try:\n    import asyncio\nexcept ImportError:\n    pass\nanyio.run(main)\n";
        assert_eq!(run(before, after, &[]), after);
        // The same for a function's import.
        let before = "def main():\n    import asyncio\n\n    asyncio.run(go())\n";
        let after = "def main():\n    import asyncio\n\n    anyio.run(go)\n";
        assert_eq!(run(before, after, &[]), "def main():\n    anyio.run(go)\n");
    }

    /// An import in a `try` whose handler catches its failure probes for the module: it stays
    /// however unused, at module level and in a function.
    #[test]
    fn an_import_whose_failure_is_handled_stays() {
        for handler in [
            "except ImportError:",
            "except (OSError, Exception):",
            "except:",
        ] {
            let before = format!(
                "try:\n    import asyncio\n    HAVE = True\n{handler}\n    HAVE = False\nasyncio.run(main())\n"
            );
            let after = before.replace("asyncio.run(main())", "anyio.run(main)");
            assert_eq!(run(&before, &after, &[]), after, "{handler}");
            let local = format!(
                "def f():\n    try:\n        from time import sleep\n        ok = 1\n    {handler}\n        ok = 0\n    sleep(1)\n    return ok\n"
            );
            let after = local.replace("    sleep(1)\n", "");
            assert_eq!(run(&local, &after, &[]), after, "{handler}");
        }
        // A handler for other errors does not: the import goes.
        let before = "try:\n    import asyncio\n    HAVE = True\nexcept KeyError:\n    HAVE = False\nasyncio.run(main())\n";
        let after = before.replace("asyncio.run(main())", "anyio.run(main)");
        assert_eq!(
            run(before, &after, &[]),
            "try:\n    HAVE = True\nexcept KeyError:\n    HAVE = False\nanyio.run(main)\n"
        );
    }

    #[test]
    fn typing_names_only_deleted_code_used_go_too() {
        let before = "import asyncio\nfrom typing import Any, Iterator\n\ndef event_loop() -> Iterator[asyncio.AbstractEventLoop]:\n    yield\n\nx: Any = 1\n";
        let after = "import asyncio\nfrom typing import Any, Iterator\n\nx: Any = 1\n";
        assert_eq!(
            run(before, after, &[]),
            "from typing import Any\n\nx: Any = 1\n"
        );
    }

    #[test]
    fn drops_time_imports_a_rewrite_left_unreferenced_and_keeps_used_ones() {
        let before =
            "import time\nfrom time import sleep\nimport timeit\ntime.sleep(1)\nsleep(1)\n";
        let after =
            "import time\nfrom time import sleep\nimport timeit\nanyio.sleep(1)\nanyio.sleep(1)\n";
        assert_eq!(
            run(before, after, &[Import::Anyio]),
            "import timeit\n\nimport anyio\nanyio.sleep(1)\nanyio.sleep(1)\n"
        );
        let before = "import time\ntime.sleep(1)\nt = time.monotonic()\n";
        let after = "import time\nanyio.sleep(1)\nt = time.monotonic()\n";
        assert_eq!(
            run(before, after, &[Import::Anyio]),
            "import time\n\nimport anyio\nanyio.sleep(1)\nt = time.monotonic()\n"
        );
    }

    #[test]
    fn added_imports_go_where_isort_puts_them() {
        let run_fp = |before: &str, after: &str, needs: &[Import]| {
            run_with(before, after, needs, &|m: &str| m == "mypkg")
        };
        // Into the third-party block, alphabetically, plain imports before from-imports.
        let src = "import os\n\nimport attrs\nimport httpx\nfrom zed import z\n\nfrom mypkg import h\nx = 1\n";
        assert_eq!(
            run_fp(src, src, &[Import::Anyio, Import::Sys]),
            "import os\nimport sys\n\nimport anyio\nimport attrs\nimport httpx\nfrom zed import z\n\nfrom mypkg import h\nx = 1\n"
        );
        // No third-party block: a new one between the standard library and the first party.
        let src = "import os\n\nfrom mypkg import h\nfrom . import local\nx = 1\n";
        assert_eq!(
            run_fp(src, src, &[Import::Anyio]),
            "import os\n\nimport anyio\n\nfrom mypkg import h\nfrom . import local\nx = 1\n"
        );
        // Only first-party imports: a new block before them.
        let src = "from mypkg import h\nx = 1\n";
        assert_eq!(
            run_fp(src, src, &[Import::Anyio, Import::Functools]),
            "import functools\n\nimport anyio\n\nfrom mypkg import h\nx = 1\n"
        );
    }

    #[test]
    fn drops_function_level_imports_left_unreferenced_only() {
        let before = "def f():\n    import asyncio\n    x = 1\n    return asyncio.run(g())\n\n\ndef h():\n    import asyncio\n    x = 2\n\n\ndef k():\n    from asyncio import run\n\n    def inner():\n        return run\n    return asyncio.run(g())\n";
        let after = "def f():\n    import asyncio\n    x = 1\n    return anyio.run(g)\n\n\ndef h():\n    import asyncio\n    x = 2\n\n\ndef k():\n    from asyncio import run\n\n    def inner():\n        return run\n    return anyio.run(g)\n";
        // f's import lost its last use: it goes. h's was unused before: the user's, kept. k's
        // is still used by the nested function: kept.
        let out = run(before, after, &[]);
        assert_eq!(
            out,
            after.replacen("    import asyncio\n    x = 1\n", "    x = 1\n", 1),
            "{out}"
        );
        // An import alone in its block stays: the block needs a statement.
        let before = "def f(x):\n    if x:\n        import asyncio\n    return asyncio.run(g())\n";
        let after = "def f(x):\n    if x:\n        import asyncio\n    return anyio.run(g)\n";
        assert_eq!(run(before, after, &[]), after);
    }

    #[test]
    fn drops_stream_types_a_rewrite_imported_but_does_not_use() {
        let import =
            "from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream\n";
        let before = "import asyncio\n\ndef f(q: asyncio.Queue): ...\n";
        let after = format!("import asyncio\n{import}\ndef f(q: MemoryObjectReceiveStream): ...\n");
        assert_eq!(
            run(before, &after, &[]),
            // (asyncio too: the rewrite took its last use)
            "from anyio.streams.memory import MemoryObjectReceiveStream\n\ndef f(q: MemoryObjectReceiveStream): ...\n"
        );
        // Imported by the original (for its own use, or unused): the user's, kept.
        let before = format!("{import}\ndef f(q): ...\n");
        assert_eq!(run(&before, &before, &[]), before);
    }

    #[test]
    fn drops_math_and_functools_imports_a_rewrite_left_unreferenced() {
        let before = "import asyncio\nimport functools\nimport math\n\nasync def f():\n    await asyncio.sleep(math.inf)\n";
        let after = "import asyncio\nimport functools\nimport math\n\nasync def f():\n    await anyio.sleep_forever()\n";
        // functools was unused before: the user's, kept.
        assert_eq!(
            run(before, after, &[Import::Anyio]),
            "import functools\n\nimport anyio\n\nasync def f():\n    await anyio.sleep_forever()\n"
        );
    }

    #[test]
    fn drops_asyncio_imports_left_unreferenced() {
        let before = "import asyncio\nimport os\nasyncio.sleep(1)\n";
        let after = "import asyncio\nimport os\nanyio.sleep(1)\n";
        assert_eq!(
            run(before, after, &[Import::Anyio]),
            "import os\n\nimport anyio\nanyio.sleep(1)\n"
        );
    }

    #[test]
    fn keeps_asyncio_when_a_string_or_attribute_chain_still_uses_it() {
        let before = "import asyncio\nasyncio.sleep(1)\nx: 'asyncio.Queue'\n";
        let after = "import asyncio\nanyio.sleep(1)\nx: 'asyncio.Queue'\n";
        assert_eq!(run(before, after, &[]), after);
    }

    #[test]
    fn prose_docstrings_do_not_count_but_doctests_do() {
        let before = "\"\"\"Uses asyncio.\"\"\"\nimport asyncio\nasyncio.sleep(1)\n";
        let after = "\"\"\"Uses asyncio.\"\"\"\nimport asyncio\nanyio.sleep(1)\n";
        assert_eq!(
            run(before, after, &[]),
            "\"\"\"Uses asyncio.\"\"\"\nanyio.sleep(1)\n"
        );
        let before = "\"\"\">>> asyncio.run(f())\"\"\"\nimport asyncio\nasyncio.sleep(1)\n";
        let after = "\"\"\">>> asyncio.run(f())\"\"\"\nimport asyncio\nanyio.sleep(1)\n";
        assert_eq!(run(before, after, &[]), after);
    }

    #[test]
    fn from_import_drops_only_unused_names() {
        let before = "from asyncio import sleep, Queue, Lock\nsleep(1)\nQueue()\nLock()\n";
        let after =
            "from asyncio import sleep, Queue, Lock\nanyio.sleep(1)\nQueue()\nanyio.Lock()\n";
        assert_eq!(
            run(before, after, &[]),
            "from asyncio import Queue\nanyio.sleep(1)\nQueue()\nanyio.Lock()\n"
        );
    }

    #[test]
    fn helpers_go_after_the_imports_once() {
        let src = "import asyncio\n\nx = 1\n";
        let mut parser = source::new_parser().unwrap();
        let tree = source::parse(&mut parser, src).unwrap();
        let edit = helper_edit(tree.root_node(), src, "_h", "def _h():\n    pass\n").unwrap();
        let out = splice(src, &[edit], false);
        assert_eq!(out, "import asyncio\n\n\ndef _h():\n    pass\n\n\nx = 1\n");
        let tree = source::parse(&mut parser, &out).unwrap();
        assert!(helper_edit(tree.root_node(), &out, "_h", "def _h(): pass").is_none());
    }

    #[test]
    fn never_removes_an_import_that_was_unused_before() {
        let src = "import asyncio\nimport time\n";
        assert_eq!(run(src, src, &[]), src);
    }
}
