//! The codemods, one file each, and the context and helpers their planners share.

pub use crate::analysis::syntax::{
    awaited_by, call_args, enclosing_function, enclosing_statement, is_async_def, keyword_arg,
    positional_args,
};
use crate::edit::Outcome;
pub use crate::resolve::has_comment;
use crate::resolve::{Resolver, named_children};
use tree_sitter::{Node, Query, Tree};

pub mod asyncio_cancelled_error;
pub mod asyncio_create_task;
pub mod asyncio_gather;
pub mod asyncio_loop;
pub mod asyncio_queue;
pub mod asyncio_run;
pub mod asyncio_shield;
pub mod asyncio_sleep;
pub mod asyncio_star_import;
pub mod asyncio_sync_primitives;
pub mod asyncio_task_group;
pub mod asyncio_timeout;
pub mod asyncio_timeout_error;
pub mod asyncio_to_thread;
pub mod asyncio_wait;
pub mod blocking_io;
pub mod blocking_sleep;
pub mod pytest_asyncio;
pub mod shared;

/// `node` is the bare name of the builtin `name`, which the file does not bind.
pub fn is_builtin(ctx: &Ctx, node: Node, name: &str) -> bool {
    node.kind() == "identifier" && ctx.text_of(node) == name && !ctx.resolver.is_bound(name, node)
}

/// A planner: one query match in, rewrites and findings out.
pub type PlanFn = fn(&Ctx, &Captures) -> Vec<Outcome>;

/// Everything a planner may look at for one file in one pass.
pub struct Ctx<'a> {
    pub text: &'a str,
    pub tree: &'a Tree,
    pub resolver: &'a Resolver<'a>,
    /// The file's indentation unit (a tab, or N spaces) for new blocks.
    pub indent_unit: &'a str,
    /// The oldest anyio and Python the output must run on: a rewrite emits only what they have.
    pub targets: crate::target::Targets,
    /// Whether a top-level module name is the project's own (a package or module beside the
    /// file's project root): a third-party package the codemods rewrite calls of
    /// (`async_timeout`) is not rewritten out of its own project.
    pub first_party: &'a dyn Fn(&str) -> bool,
    /// The functions whose failure a caller in the run's files catches
    /// (`analysis::callers`).
    pub catching: &'a crate::analysis::callers::Catching,
    /// The file, as the run found it (`None` for a text of no file).
    pub path: Option<&'a std::path::Path>,
    /// The project's patches of the functions the codemods take out of the code
    /// (`analysis::patches`): a patch whose twin the run writes (`Patches::twinned`).
    pub patches: &'a crate::analysis::patches::Patches,
}

impl Ctx<'_> {
    /// Run `f` with the planner context of a Python text (its own indentation unit, the default
    /// targets, no first-party modules); `None` when it does not parse.
    pub fn with<T>(text: &str, f: impl FnOnce(&Ctx) -> T) -> Option<T> {
        Self::with_stars(text, &[], f)
    }

    /// `with`, for a file whose star imports of the project's modules in `stars` bind the
    /// names given (`analysis::star_names`), as the engine resolved them.
    pub fn with_stars<T>(
        text: &str,
        stars: &[(String, crate::resolve::Provided)],
        f: impl FnOnce(&Ctx) -> T,
    ) -> Option<T> {
        let mut parser = crate::source::new_parser().ok()?;
        let tree = crate::source::parse(&mut parser, text).ok()?;
        let resolver = Resolver::with_stars(&tree, text, stars);
        let unit = crate::source::indent_unit_of(&tree, text);
        let catching = crate::analysis::callers::Catching::of_text(text, None);
        let ctx = Ctx {
            text,
            tree: &tree,
            resolver: &resolver,
            indent_unit: &unit,
            targets: crate::target::Targets::default(),
            first_party: &|_| false,
            catching: &catching,
            path: None,
            patches: &crate::analysis::patches::NONE,
        };
        Some(f(&ctx))
    }
}

impl<'a> Ctx<'a> {
    pub fn text_of(&self, node: Node) -> &str {
        &self.text[node.byte_range()]
    }

    /// The code, for the shared analysis (`crate::analysis`).
    pub fn code(&self) -> crate::analysis::awaitable::Code<'a> {
        crate::analysis::awaitable::Code {
            text: self.text,
            tree: self.tree,
            resolver: self.resolver,
        }
    }

    /// `node`'s parent, looked up (`Resolver::parent`: the one way to climb the tree).
    pub fn parent(&self, node: Node<'a>) -> Option<Node<'a>> {
        self.resolver.parent(node)
    }

    /// `node`'s ancestors, innermost first (`Resolver::ancestors`).
    pub fn ancestors(&self, node: Node<'a>) -> impl Iterator<Item = Node<'a>> + '_ {
        self.resolver.ancestors(node)
    }

    /// `node` provably refers to the dotted path (`"asyncio.sleep"`).
    pub fn is(&self, node: Node, path: &str) -> bool {
        self.resolver.is(node, path)
    }

    /// The dotted path `node` provably refers to.
    pub fn qualified(&self, node: Node) -> Option<String> {
        self.resolver.qualified(node)
    }
}

/// The captures of one query match, by name.
pub struct Captures<'t> {
    pub(crate) names: &'t [&'t str],
    pub(crate) nodes: Vec<(u32, Node<'t>)>,
}

impl<'t> Captures<'t> {
    pub fn new(query: &'t Query, nodes: Vec<(u32, Node<'t>)>) -> Self {
        Self {
            names: query.capture_names(),
            nodes,
        }
    }

    /// The first node captured as `name`.
    pub fn get(&self, name: &str) -> Option<Node<'t>> {
        self.all(name).next()
    }

    /// Every node captured as `name`, in document order.
    pub fn all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = Node<'t>> + 's {
        self.nodes
            .iter()
            .filter(move |(i, _)| self.names.get(*i as usize).is_some_and(|n| *n == name))
            .map(|(_, n)| *n)
    }
}

/// The names a `from m import a, b as c` statement binds (`a`, `c`).
pub fn from_import_bound_names(import: Node) -> Vec<Node> {
    let mut cursor = import.walk();
    import
        .children_by_field_name("name", &mut cursor)
        .filter_map(|n| match n.kind() {
            "aliased_import" => n.child_by_field_name("alias"),
            _ => Some(n),
        })
        .collect()
}

/// A name bound by several imports (`if sys.version_info >= (3, 11): from asyncio import X` /
/// `else: from backport import X`, or `try` / `except ImportError`), one of them an API the
/// codemod `id` migrates (`wanted`): which one runs is decided when the program runs, so the
/// import (`at` is the import statement) or the use (`at` is `name`) is reported, not rewritten.
pub fn conditional_import(
    ctx: &Ctx,
    id: &'static str,
    name: Node,
    at: Node,
    wanted: fn(&str) -> bool,
    suggestion: &str,
) -> Option<Outcome> {
    // An import's bound name is a one-part dotted name.
    if !matches!(name.kind(), "identifier" | "dotted_name") || ctx.text_of(name).contains('.') {
        return None;
    }
    let candidates = ctx.resolver.import_candidates(ctx.text_of(name), name);
    if !candidates.iter().any(|c| wanted(c)) {
        return None;
    }
    let what = if at.id() == name.id() {
        "its uses are"
    } else {
        "this import and its uses are"
    };
    let alternatives = candidates
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(" or ");
    Some(
        crate::edit::Finding::manual(
            id,
            "conditional-import",
            at.start_byte(),
            format!(
                "`{}` is imported conditionally, as {alternatives}: which one runs is decided when the program runs, so {what} not rewritten",
                ctx.text_of(name)
            ),
            suggestion,
        )
        .into(),
    )
}

/// A finding of code left unchanged, reported at `node` (the code that stays, e.g. the call that
/// creates a task or a task group) when it was found at a later use outside `here` (the part of
/// the code that counts as `node`'s own): the message then quotes that use's line.
pub fn at_quoting_use(ctx: &Ctx, node: Node, here: Node, outcome: Outcome) -> Outcome {
    let Outcome::Finding(mut f) = outcome else {
        return outcome;
    };
    if here.byte_range().contains(&f.at) {
        return Outcome::Finding(f);
    }
    let line_start = ctx.text[..f.at].rfind('\n').map_or(0, |n| n + 1);
    let line_end = ctx.text[f.at..]
        .find('\n')
        .map_or(ctx.text.len(), |n| f.at + n);
    let used = shortened(ctx.text[line_start..line_end].trim());
    f.message = format!("{} (the use: `{used}`)", f.message);
    f.at = node.start_byte();
    Outcome::Finding(f)
}

/// Code of any length quoted in a message, on one line: its whitespace runs made one space
/// (a call spread over lines reads as written on one), then [`shortened`].
pub fn quoted(code: &str) -> String {
    shortened(&code.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A line of code quoted in a message: cut to 57 characters and `...` past 60.
pub fn shortened(line: &str) -> String {
    if line.chars().count() > 60 {
        line.chars().take(57).collect::<String>() + "..."
    } else {
        line.to_owned()
    }
}

/// Is `s` a plain non-negative number literal (`0`, `1.5`, `1e3`, `0x10`, `1_000`)?
pub fn non_negative_literal(s: &str) -> bool {
    let s = s.replace('_', "");
    !s.starts_with('-')
        && (s.parse::<f64>().is_ok_and(|v| v >= 0.0)
            || s.strip_prefix("0x")
                .or_else(|| s.strip_prefix("0X"))
                .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit())))
}

pub use crate::source::on_own_line;

/// A helper's source, written with four-space indentation, in the file's own unit.
pub fn with_indent_unit(source: &str, unit: &str) -> String {
    let mut out = String::new();
    for line in source.lines() {
        let body = line.trim_start_matches(' ');
        out.push_str(&unit.repeat((line.len() - body.len()) / 4));
        out.push_str(body);
        out.push('\n');
    }
    out
}

/// The name of a module helper is bound to something else where the code would use it.
pub struct HelperNameTaken;

/// The edit that defines the module helper `name` (`source`, written with four-space
/// indentation) once, after the imports, for code at `at` that will call it: `Ok(None)` when
/// the module already defines it (an earlier pass, or an earlier rewrite of this one: the
/// definition is the helper's own text), `Err` when `name`, or another name `source` defines,
/// means something else at `at` (the module's own `_Future`, say).
pub fn module_helper(
    ctx: &Ctx,
    at: Node,
    name: &str,
    source: &str,
) -> Result<Option<crate::edit::Edit>, HelperNameTaken> {
    let root = ctx.tree.root_node();
    let source = with_indent_unit(source, ctx.indent_unit);
    let edit = crate::imports::helper_edit(root, ctx.text, name, &source);
    let ours = match edit {
        Some(_) => helper_names(&source).all(|n| !ctx.resolver.is_bound(n, at)),
        None => {
            ctx.resolver.defining_scope(name, at) == Some(root.id())
                && helper_names(&source).all(|n| defined_as_in(ctx, n, &source))
        }
    };
    if ours { Ok(edit) } else { Err(HelperNameTaken) }
}

/// `x: asyncio.Future[None] = asyncio.Future()`, the call now the module helper `name`: the
/// edits that make the annotation of that assignment name the helper too (`x: _Future = ...`).
/// Each reference in it that `is_class` accepts becomes `name`, with its subscript: the helper
/// is not generic. String annotations are left as they are.
pub fn helper_annotation_edits<'t>(
    ctx: &Ctx<'t>,
    call: Node<'t>,
    name: &str,
    is_class: impl Fn(Node) -> bool,
) -> Vec<crate::edit::Edit> {
    let Some(ty) = ctx
        .parent(call)
        .filter(|p| p.kind() == "assignment")
        .and_then(|p| p.child_by_field_name("type"))
    else {
        return Vec::new();
    };
    let mut edits = Vec::new();
    let mut stack = vec![ty];
    while let Some(n) = stack.pop() {
        if matches!(n.kind(), "identifier" | "attribute") && is_class(n) {
            let whole = ctx
                .parent(n)
                .filter(|p| {
                    matches!(p.kind(), "subscript" | "generic_type")
                        && p.named_child(0).is_some_and(|c| c.id() == n.id())
                })
                .unwrap_or(n);
            edits.push(crate::edit::Edit::replace(whole.byte_range(), name));
            continue;
        }
        if n.kind() != "string" {
            stack.extend(crate::resolve::named_children(n));
        }
    }
    edits
}

/// The names a helper's source defines at its top level (`class X`, `def X`, `async def X`).
fn helper_names(source: &str) -> impl Iterator<Item = &str> {
    source.lines().filter_map(|line| {
        let rest = ["class ", "def ", "async def "]
            .iter()
            .find_map(|k| line.strip_prefix(k))?;
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        Some(&rest[..end])
    })
}

/// The module's top-level definition of `name` is the one in `source` (the helper written by
/// an earlier pass), not one of its own.
fn defined_as_in(ctx: &Ctx, name: &str, source: &str) -> bool {
    crate::resolve::named_children(ctx.tree.root_node()).any(|stmt| {
        let def = if stmt.kind() == "decorated_definition" {
            stmt.child_by_field_name("definition")
        } else {
            Some(stmt)
        };
        def.filter(|d| matches!(d.kind(), "function_definition" | "class_definition"))
            .filter(|d| {
                d.child_by_field_name("name")
                    .is_some_and(|n| ctx.text_of(n) == name)
            })
            .is_some_and(|_| source.contains(&ctx.text_of(stmt).replace('\r', "")))
    })
}

/// An edit that puts `line` on its own line just before `stmt`, at the statement's indentation.
pub fn insert_line_before(text: &str, stmt: Node, line: &str) -> crate::edit::Edit {
    let indent = crate::source::line_indent(text, stmt.start_byte());
    crate::edit::Edit::insert(stmt.start_byte(), format!("{line}\n{indent}"))
}

/// A name based on `base` that appears nowhere in the file as a word, so it shadows nothing.
pub fn fresh_name(text: &str, base: &str) -> String {
    first_free(base, |name| crate::imports::mentions(text, name))
}

/// `base`, `base2`, `base3`, ...: the first name that is not `taken`.
pub fn first_free(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut n = 1;
    loop {
        let name = if n == 1 {
            base.to_owned()
        } else {
            format!("{base}{n}")
        };
        if !taken(&name) {
            return name;
        }
        n += 1;
    }
}

/// A plain name or a literal: evaluating it later, or twice, changes nothing.
pub fn is_simple(node: Node) -> bool {
    matches!(
        node.kind(),
        "identifier" | "integer" | "float" | "string" | "true" | "false" | "none"
    ) && !(node.kind() == "string" && named_children(node).any(|c| c.kind() == "interpolation"))
}

/// A class named as an argument, alone or in a tuple of classes (`f(x, (A, B))`): the callee,
/// the argument (`node` or its tuple) and every argument of the call (comments left out).
pub fn class_argument<'t>(
    ctx: &Ctx<'t>,
    node: Node<'t>,
) -> Option<(Node<'t>, Node<'t>, Vec<Node<'t>>)> {
    let arg = ctx
        .parent(node)
        .filter(|p| p.kind() == "tuple")
        .unwrap_or(node);
    let args = ctx.parent(arg).filter(|p| p.kind() == "argument_list")?;
    let callee = ctx.parent(args)?.child_by_field_name("function")?;
    let all = named_children(args)
        .filter(|n| n.kind() != "comment")
        .collect();
    Some((callee, arg, all))
}

/// The keyword of `anyio.to_thread.run_sync` that lets a cancelled caller return at once:
/// `abandon_on_cancel` from anyio 4.1 on, `cancellable` before (same meaning; `target::api`).
pub fn abandon_keyword(ctx: &Ctx) -> &'static str {
    if ctx.targets.has(crate::target::api::Api::AbandonOnCancel) {
        "abandon_on_cancel"
    } else {
        "cancellable"
    }
}

/// The file checks for the class `qualified` (`asyncio.Queue`) anywhere with `isinstance` /
/// `issubclass`: a helper class that keeps its interface would fail that check.
pub fn file_checks_class(ctx: &Ctx, qualified: &str) -> bool {
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        if matches!(n.kind(), "identifier" | "attribute")
            && ctx.is(n, qualified)
            && is_class_check_argument(ctx, n)
        {
            return true;
        }
        stack.extend(crate::resolve::named_children(n));
    }
    false
}

/// `node` (or the tuple it is in) is the class argument of the builtin `isinstance` or
/// `issubclass`: `isinstance(x, asyncio.Lock)`, `issubclass(C, (A, asyncio.Lock))`.
pub fn is_class_check_argument(ctx: &Ctx, node: Node) -> bool {
    let Some((callee, arg, positional)) = class_argument(ctx, node) else {
        return false;
    };
    let name = ctx.text_of(callee);
    let builtin = callee.kind() == "identifier"
        && matches!(name, "isinstance" | "issubclass")
        && !ctx.resolver.is_bound(name, callee)
        && positional.len() == 2;
    // unittest's `self.assertIsInstance(obj, cls[, msg])`.
    let unittest = callee.kind() == "attribute"
        && callee
            .child_by_field_name("attribute")
            .is_some_and(|a| matches!(ctx.text_of(a), "assertIsInstance" | "assertNotIsInstance"))
        && matches!(positional.len(), 2 | 3);
    (builtin || unittest) && positional[1].id() == arg.id()
}

/// The object a class check (`is_class_check_argument`) of `node` checks: `isinstance`'s (or
/// `assertIsInstance`'s) first argument; `None` for `issubclass`.
pub fn class_checked_object<'t>(ctx: &Ctx<'t>, node: Node<'t>) -> Option<Node<'t>> {
    let (callee, _, positional) = class_argument(ctx, node)?;
    (is_class_check_argument(ctx, node) && ctx.text_of(callee) != "issubclass")
        .then(|| positional.first().copied())
        .flatten()
}
