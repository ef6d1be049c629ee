//! pytest-asyncio: pytest-asyncio's markers, fixtures and event-loop plumbing → anyio's pytest
//! plugin (spec §13). Configuration and dependency files are edited by `crate::project`.

use super::{Captures, Ctx};
use crate::codemods::shared::catalogue::messages;
use crate::edit::{Finding, Outcome};
use crate::resolve::named_children;
use tree_sitter::Node;

mod event_loop_request;
mod fixtures;
mod functions;
mod imports;
mod loop_scope_hook;
mod references;

use fixtures::plan_decorated;
use functions::plan_function;
use imports::plan_import;
use references::plan_reference;

pub use event_loop_request::parameter_range;
pub use fixtures::fixture_decorator;
pub use functions::{
    LOOP_FACTORY_CONFIG_OVERRIDE, LOOP_FACTORY_OVERRIDE, LOOP_POLICY_OVERRIDE, async_reaching,
    autouse_fixture_names, conftest_fixture_outcomes, fixture_names, own_fixture_outcomes,
    parameters,
};
pub use references::{asyncio_import, import_point_in, pytest_name};

pub const ID: &str = "pytest-asyncio";

/// A plugin name that loads pytest-asyncio (`-p NAME`, `pytest_plugins`): its entry point
/// `asyncio`, or its modules.
pub fn loads_pytest_asyncio(name: &str) -> bool {
    matches!(name, "asyncio" | "pytest_asyncio" | "pytest_asyncio.plugin")
}

messages!("pytest-asyncio", pub(super));

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let Some(node) = caps.get("ref") {
        return plan_reference(ctx, node);
    }
    if let Some(stmt) = caps.get("import") {
        return plan_import(ctx, stmt).into_iter().collect();
    }
    if let Some(def) = caps.get("decorated") {
        return plan_decorated(ctx, def);
    }
    if let Some(func) = caps.get("func") {
        return plan_function(ctx, func);
    }
    if let Some(class) = caps.get("class") {
        return plan_class(ctx, class);
    }
    if let Some(assignment) = caps.get("plugins") {
        return plan_plugins(ctx, assignment).into_iter().collect();
    }
    Vec::new()
}

// ---------------------------------------------------------------------------------------------
// `class T(unittest.IsolatedAsyncioTestCase)`

fn plan_class(ctx: &Ctx, class: Node) -> Vec<Outcome> {
    let Some(bases) = class.child_by_field_name("superclasses") else {
        return Vec::new();
    };
    let Some(base) = named_children(bases).find(|b| ctx.is(*b, "unittest.IsolatedAsyncioTestCase"))
    else {
        return Vec::new();
    };
    let name = class
        .child_by_field_name("name")
        .map_or("TestX", |n| ctx.text_of(n));
    vec![
        Finding::manual(
            ID,
            "isolated-asyncio-test-case",
            base.start_byte(),
            MESSAGES.text("isolated-asyncio-test-case", "problem"),
            MESSAGES.fill("isolated-asyncio-test-case", "advice", &[("name", name)]),
        )
        .into(),
    ]
}

// ---------------------------------------------------------------------------------------------
// `pytest_plugins = ["pytest_asyncio", ...]`

/// pytest-asyncio loaded by name from a module's `pytest_plugins` (a string, or an element of
/// a list or tuple of strings): pytest stops at start-up once the migration uninstalls it, so
/// the name goes (the whole statement when it was the only one).
fn plan_plugins(ctx: &Ctx, assignment: Node) -> Option<Outcome> {
    let value = assignment.child_by_field_name("right")?;
    let statement = ctx.parent(assignment)?;
    // A plain string's value is its text between the quotes (a prefixed one, `b"..."`, keeps
    // its prefix and names nothing).
    let names = |n: Node| loads_pytest_asyncio(ctx.text_of(n).trim_matches(['"', '\'']));
    let plain = |n: Node| functions::is_plain_string(n);
    let edit = if value.kind() == "string" {
        if !plain(value) || !names(value) {
            return None;
        }
        imports::delete_statement(ctx, statement)
    } else {
        let elements: Vec<Node> = named_children(value)
            .filter(|n| n.kind() != "comment")
            .collect();
        let at = elements.iter().position(|e| plain(*e) && names(*e))?;
        if elements.len() == 1 {
            imports::delete_statement(ctx, statement)
        } else {
            let e = elements[at];
            // The element and the comma after it (or, for the last, the one before it).
            match elements.get(at + 1) {
                Some(next) => crate::edit::Edit::delete(e.start_byte()..next.start_byte()),
                None => crate::edit::Edit::delete(elements[at - 1].end_byte()..e.end_byte()),
            }
        }
    };
    Some(references::fix(
        assignment,
        "plugin-loaded-by-name",
        crate::edit::Verdict::Safe,
        vec![edit],
        None,
    ))
}
