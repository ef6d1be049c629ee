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
    LOOP_FACTORY_CONFIG_OVERRIDE, LOOP_FACTORY_OVERRIDE, async_reaching, conftest_fixture_outcomes,
    fixture_names, parameters,
};
pub use references::import_point_in;

pub const ID: &str = "pytest-asyncio";

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
