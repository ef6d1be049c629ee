//! asyncio APIs re-exported by a module of the project under its own name (a compatibility
//! module's `get_running_loop = asyncio.get_running_loop`, or `from asyncio import
//! open_connection`) and called from other modules through that name. asyncio-loop sees one
//! file at a time: it reports the re-export, but a call such as `get_running_loop()` after
//! `from .compat import get_running_loop` names no asyncio API in its own file. This pass
//! follows `from M import name` (absolute or relative) and `from P import M` / `import P.M as m`
//! (`m.name(...)`) to the modules of this run, and reports each such call where it is.

use super::{add_findings, original_text, with_ctx};
use crate::codemods::Ctx;
use crate::codemods::asyncio_loop;
use crate::edit::Finding;
use crate::outcome::FileOutcome;
use crate::resolve::named_children;
use std::collections::HashMap;
use std::path::Path;
use tree_sitter::Node;

/// A name a module binds to an asyncio API: (asyncio path, where: `path:line`).
type Exports = HashMap<String, (String, String)>;

/// Report every call, in the files of this run, of an asyncio API through a re-export made by
/// another file of this run.
pub fn report_calls(outcomes: &mut [FileOutcome]) {
    if outcomes.iter().all(|o| o.migration.reexports.is_empty()) {
        return;
    }
    // Each Python file's module name (it looks for `__init__.py` up the folders): once.
    let module_names: Vec<Option<(String, bool)>> = outcomes
        .iter()
        .map(|o| {
            (!o.config && !o.created)
                .then(|| module_name(&o.path))
                .flatten()
        })
        .collect();
    let mut modules: HashMap<String, Exports> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    for (o, module) in outcomes.iter().zip(&module_names) {
        if o.migration.reexports.is_empty() {
            continue;
        }
        let Some(module) = module.clone() else {
            continue;
        };
        let exports: Exports = o
            .migration
            .reexports
            .iter()
            .map(|r| {
                let origin = format!("{}:{}", o.path.display(), r.line);
                (r.name.clone(), (r.path.clone(), origin))
            })
            .collect();
        names.extend(exports.keys().cloned());
        modules.insert(module.0, exports);
    }
    if modules.is_empty() {
        return;
    }
    // Names imported at module level from such a module are re-exports too (a package's
    // `__init__.py` doing `from .compat import get_running_loop`): to a fixpoint.
    for _ in 0..4 {
        let mut added = false;
        for (o, module) in outcomes.iter().zip(&module_names) {
            let Some(module) = module.clone() else {
                continue;
            };
            let Some(text) =
                original_text(o).filter(|t| names.iter().any(|n| t.contains(n.as_str())))
            else {
                continue;
            };
            let Some((functions, _)) = with_ctx(&text, |ctx| imports_of(ctx, &module, &modules))
            else {
                continue;
            };
            let exports = modules.entry(module.0).or_default();
            for (name, export) in functions {
                if let std::collections::hash_map::Entry::Vacant(slot) = exports.entry(name) {
                    names.push(slot.key().clone());
                    slot.insert(export);
                    added = true;
                }
            }
        }
        if !added {
            break;
        }
    }
    for (o, module) in outcomes.iter_mut().zip(&module_names) {
        let Some(module) = module else {
            continue;
        };
        let Some(text) = original_text(o).filter(|t| names.iter().any(|n| t.contains(n.as_str())))
        else {
            continue;
        };
        let Some(findings) = with_ctx(&text, |ctx| calls_through(ctx, module, &modules)) else {
            continue;
        };
        add_findings(o, &text, findings);
    }
}

/// The dotted module name of a Python file, from the `__init__.py` files of the folders above
/// it, and whether it is a package's `__init__.py`.
fn module_name(path: &Path) -> Option<(String, bool)> {
    let stem = path.file_stem()?.to_str()?;
    let is_init = stem == "__init__";
    let mut parts: Vec<String> = Vec::new();
    if !is_init {
        parts.push(stem.to_owned());
    }
    let mut dir = path.parent();
    while let Some(d) = dir {
        if !d.join("__init__.py").is_file() {
            break;
        }
        parts.push(d.file_name()?.to_str()?.to_owned());
        dir = d.parent();
    }
    if parts.is_empty() {
        return None;
    }
    parts.reverse();
    Some((parts.join("."), is_init))
}

/// The absolute module an import statement's `module_name` names, seen from `module`.
fn absolute(ctx: &Ctx, module_name: Node, (module, is_init): &(String, bool)) -> Option<String> {
    let text: String = ctx
        .text_of(module_name)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if module_name.kind() != "relative_import" {
        return Some(text);
    }
    let dots = text.chars().take_while(|&c| c == '.').count();
    let rest = &text[dots..];
    let mut package: Vec<&str> = module.split('.').collect();
    if !is_init {
        package.pop();
    }
    for _ in 1..dots {
        package.pop()?;
    }
    if !rest.is_empty() {
        package.push(rest);
    }
    (!package.is_empty()).then(|| package.join("."))
}

/// The calls in this file made through a name imported from a re-exporting module.
fn calls_through(
    ctx: &Ctx,
    module: &(String, bool),
    modules: &HashMap<String, Exports>,
) -> Vec<Finding> {
    let (functions, namespaces) = imports_of(ctx, module, modules);
    if functions.is_empty() && namespaces.is_empty() {
        return Vec::new();
    }
    let mut findings = Vec::new();
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(node) = stack.pop() {
        stack.extend(named_children(node));
        if node.kind() != "call" {
            continue;
        }
        let Some(callee) = node.child_by_field_name("function") else {
            continue;
        };
        let (local, export) = match callee.kind() {
            "identifier" => {
                let name = ctx.text_of(callee);
                match functions.get(name) {
                    Some(export) => (name.to_owned(), export),
                    None => continue,
                }
            }
            "attribute" => {
                let (Some(object), Some(attr)) = (
                    callee.child_by_field_name("object"),
                    callee.child_by_field_name("attribute"),
                ) else {
                    continue;
                };
                let Some(export) = (object.kind() == "identifier")
                    .then(|| namespaces.get(ctx.text_of(object)))
                    .flatten()
                    .and_then(|m| modules.get(m))
                    .and_then(|e| e.get(ctx.text_of(attr)))
                else {
                    continue;
                };
                (ctx.text_of(object).to_owned(), export)
            }
            _ => continue,
        };
        if !ctx.resolver.refers_to_module_scope(&local, callee) {
            continue;
        }
        let (path, origin) = export;
        let Some((problem, advice)) = asyncio_loop::reexported_api(path) else {
            continue;
        };
        findings.push(Finding::manual(
            asyncio_loop::ID,
            "reexported-api",
            node.start_byte(),
            format!(
                "`{}()` is `{path}` (re-exported at {origin}): it {problem}",
                ctx.text_of(callee)
            ),
            advice,
        ));
    }
    findings.sort_by_key(|f| f.at);
    findings
}

/// The module-level imports of this file from modules that re-export asyncio APIs: local name
/// → (asyncio path, re-export) for `from M import name`; local name → module for `from P
/// import M` and `import P.M as m`.
fn imports_of(
    ctx: &Ctx,
    module: &(String, bool),
    modules: &HashMap<String, Exports>,
) -> (Exports, HashMap<String, String>) {
    let mut functions = Exports::new();
    let mut namespaces: HashMap<String, String> = HashMap::new();
    for stmt in named_children(ctx.tree.root_node()) {
        match stmt.kind() {
            "import_from_statement" => {
                let Some(from) = stmt
                    .child_by_field_name("module_name")
                    .and_then(|m| absolute(ctx, m, module))
                else {
                    continue;
                };
                let mut cursor = stmt.walk();
                for name in stmt.children_by_field_name("name", &mut cursor) {
                    let (imported, bound) = match name.kind() {
                        "aliased_import" => match (
                            name.child_by_field_name("name"),
                            name.child_by_field_name("alias"),
                        ) {
                            (Some(n), Some(a)) => (n, a),
                            _ => continue,
                        },
                        _ => (name, name),
                    };
                    let imported = ctx.text_of(imported);
                    let bound = ctx.text_of(bound).to_owned();
                    let submodule = format!("{from}.{imported}");
                    if let Some(export) = modules.get(&from).and_then(|e| e.get(imported)) {
                        functions.insert(bound, export.clone());
                    } else if modules.contains_key(&submodule) {
                        namespaces.insert(bound, submodule);
                    }
                }
            }
            "import_statement" => {
                for name in named_children(stmt).filter(|n| n.kind() == "aliased_import") {
                    if let (Some(path), Some(alias)) = (
                        name.child_by_field_name("name"),
                        name.child_by_field_name("alias"),
                    ) && modules.contains_key(ctx.text_of(path))
                    {
                        namespaces
                            .insert(ctx.text_of(alias).to_owned(), ctx.text_of(path).to_owned());
                    }
                }
            }
            _ => {}
        }
    }
    (functions, namespaces)
}
