//! asyncio APIs re-exported by a module of the project under its own name (a compatibility
//! module's `get_running_loop = asyncio.get_running_loop`, or `from asyncio import
//! open_connection`) and called from other modules through that name. asyncio-loop sees one
//! file at a time: it reports the re-export, but a call such as `get_running_loop()` after
//! `from .compat import get_running_loop` names no asyncio API in its own file. This pass
//! follows `from M import name` (absolute or relative) and `from P import M` / `import P.M as m`
//! (`m.name(...)`) to the modules of this run, and reports each such call where it is.

use super::{add_findings, original_text};
use crate::codemods::Ctx;
use crate::codemods::asyncio_loop;
use crate::edit::Finding;
use crate::engine::top_imports::{TopImport, top_imports};
use crate::outcome::FileOutcome;
use crate::resolve::named_children;
use std::collections::HashMap;
use std::path::Path;

/// A name a module binds to an asyncio API: (asyncio path, where: `path:line`).
type Exports = HashMap<String, (String, String)>;

/// Report every call, in the files of this run, of an asyncio API through a re-export made by
/// another file of this run.
///
/// Each file is parsed at most once for its module-level imports, kept as data (`Imports`):
/// the rounds that follow re-exports from module to module work on that data, and only a
/// file that imports from a re-exporting module is parsed again (with its resolver) to find
/// its calls. The parsing runs on the pool's threads; the rounds, serial, decide exactly as a
/// serial walk over the files that parsed each one when it got to it.
pub fn report_calls(outcomes: &mut [FileOutcome]) {
    use rayon::prelude::*;
    if outcomes.iter().all(|o| o.migration.reexports.is_empty()) {
        return;
    }
    // Each Python file's module name (it looks for `__init__.py` up the folders): once.
    let module_names: Vec<Option<(String, bool)>> = outcomes
        .par_iter()
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
    // A file is looked at once its text holds one of the names (which only grow). What each
    // file holds: not yet looked at (with the number of names its text was tested against),
    // or its imports (None when it does not parse).
    let contains = |text: &str, names: &[String]| names.iter().any(|n| text.contains(n.as_str()));
    let mut state: Vec<Seen> = outcomes
        .par_iter()
        .zip(&module_names)
        .map(|(o, module)| {
            let Some(module) = module else {
                return Seen::NoModule;
            };
            match original_text(o) {
                Some(text) if contains(&text, &names) => {
                    Seen::Looked(Imports::of(o, &text, module))
                }
                Some(_) => Seen::Tested(names.len()),
                None => Seen::NoText,
            }
        })
        .collect();
    // Names imported at module level from such a module are re-exports too (a package's
    // `__init__.py` doing `from .compat import get_running_loop`): to a fixpoint.
    for _ in 0..4 {
        let mut added = false;
        for ((o, module), seen) in outcomes.iter().zip(&module_names).zip(&mut state) {
            let Some(module) = module else {
                continue;
            };
            look(o, module, seen, &names, contains);
            let Seen::Looked(Some(imports)) = seen else {
                continue;
            };
            let (functions, _) = imports.resolve(&modules);
            let exports = modules.entry(module.0.clone()).or_default();
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
    for ((o, module), seen) in outcomes.iter().zip(&module_names).zip(&mut state) {
        if let Some(module) = module {
            look(o, module, seen, &names, contains);
        }
    }
    outcomes.par_iter_mut().zip(&state).for_each(|(o, seen)| {
        let Seen::Looked(Some(imports)) = seen else {
            return;
        };
        let (functions, namespaces) = imports.resolve(&modules);
        if functions.is_empty() && namespaces.is_empty() {
            return;
        }
        let Some(text) = original_text(o) else {
            return;
        };
        let Some(findings) = Ctx::with_stars(&text, &o.stars, |ctx| {
            calls_through(ctx, &modules, (&functions, &namespaces))
        }) else {
            return;
        };
        add_findings(o, &text, findings);
    });
}

/// What `report_calls` knows of one file.
enum Seen {
    /// Not a module of the run.
    NoModule,
    /// Its text cannot be had.
    NoText,
    /// Its text holds none of the first N names.
    Tested(usize),
    /// Its text holds one of the names: its imports (None when it does not parse).
    Looked(Option<Imports>),
}

/// Test a file not looked at yet against the names it was not tested against, and parse it
/// for its imports when its text holds one.
fn look(
    o: &FileOutcome,
    module: &(String, bool),
    seen: &mut Seen,
    names: &[String],
    contains: impl Fn(&str, &[String]) -> bool,
) {
    let Seen::Tested(tested) = *seen else {
        return;
    };
    if tested == names.len() {
        return;
    }
    *seen = match original_text(o) {
        Some(text) if contains(&text, &names[tested..]) => {
            Seen::Looked(Imports::of(o, &text, module))
        }
        Some(_) => Seen::Tested(names.len()),
        None => Seen::NoText,
    };
}

/// One module-level import statement of a file, as data.
enum Import {
    /// `from M import a, b as c`: the absolute module, and (imported name, bound name) pairs.
    From(String, Vec<(String, String)>),
    /// `import P.M as m`: (dotted path, alias) pairs.
    Plain(Vec<(String, String)>),
}

/// A file's module-level imports, in order.
struct Imports(Vec<Import>);

impl Imports {
    /// The imports of a file seen as `module`: those the engine kept when it parsed the file,
    /// else those of its text parsed here (None when it does not parse).
    fn of(o: &FileOutcome, text: &str, module: &(String, bool)) -> Option<Self> {
        let parsed;
        let raw = if let Some(kept) = &o.migration.imports {
            kept
        } else {
            let mut parser = crate::source::new_parser().ok()?;
            let tree = crate::source::parse(&mut parser, text).ok()?;
            parsed = top_imports(&tree, text);
            &parsed
        };
        let imports = raw
            .iter()
            .filter_map(|import| match import {
                TopImport::From {
                    module: from,
                    relative,
                    names,
                } => Some(Import::From(
                    absolute(from, *relative, module)?,
                    names.clone(),
                )),
                TopImport::Plain(pairs) => Some(Import::Plain(pairs.clone())),
            })
            .collect();
        Some(Self(imports))
    }

    /// The imports from modules that re-export asyncio APIs: local name → (asyncio path,
    /// re-export) for `from M import name`; local name → module for `from P import M` and
    /// `import P.M as m`.
    fn resolve(&self, modules: &HashMap<String, Exports>) -> (Exports, HashMap<String, String>) {
        let mut functions = Exports::new();
        let mut namespaces: HashMap<String, String> = HashMap::new();
        for import in &self.0 {
            match import {
                Import::From(from, pairs) => {
                    for (imported, bound) in pairs {
                        let submodule = format!("{from}.{imported}");
                        if let Some(export) = modules.get(from).and_then(|e| e.get(imported)) {
                            functions.insert(bound.clone(), export.clone());
                        } else if modules.contains_key(&submodule) {
                            namespaces.insert(bound.clone(), submodule);
                        }
                    }
                }
                Import::Plain(pairs) => {
                    for (path, alias) in pairs {
                        if modules.contains_key(path) {
                            namespaces.insert(alias.clone(), path.clone());
                        }
                    }
                }
            }
        }
        (functions, namespaces)
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

/// The absolute module an import statement's `module_name` (its text, and whether it is a
/// relative import) names, seen from `module`.
fn absolute(text: &str, relative: bool, (module, is_init): &(String, bool)) -> Option<String> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if !relative {
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
    modules: &HashMap<String, Exports>,
    (functions, namespaces): (&Exports, &HashMap<String, String>),
) -> Vec<Finding> {
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
