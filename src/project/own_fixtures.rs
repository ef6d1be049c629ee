//! A test that requests a fixture named like one of pytest-aiohttp's (`aiohttp_server`,
//! `aiohttp_client`) is kept on pytest-asyncio by the codemod (`aiohttp-fixture`): that plugin
//! runs on pytest-asyncio. But a project may define a fixture of that name itself, in a
//! `conftest.py` above the test or in the test's own module (found on a GraphQL client whose
//! conftest starts its own aiohttp servers as `@pytest_asyncio.fixture async def
//! aiohttp_server()`): pytest then gives the test the project's fixture, which the run migrates
//! like any other, so the request blocks nothing and its finding goes.

use super::{ID, original_text};
use crate::codemods::Ctx;
use crate::codemods::pytest_asyncio::fixture_decorator;
use crate::outcome::FileOutcome;
use crate::resolve::named_children;
use crate::source::offset_of;
use std::path::{Path, PathBuf};

/// Drop the `aiohttp-fixture` blockers whose fixture the project defines itself.
pub fn drop_own_fixture_blockers(outcomes: &mut [FileOutcome]) {
    let blocked = |o: &FileOutcome| {
        o.migration
            .findings
            .iter()
            .any(|f| f.finding.codemod == ID && f.finding.kind == "aiohttp-fixture")
    };
    if !outcomes.iter().any(blocked) {
        return;
    }
    // (folder of a conftest.py, the fixtures it defines)
    let conftests: Vec<(PathBuf, Vec<String>)> = outcomes
        .iter()
        .filter(|o| !o.config && o.path.file_name().is_some_and(|n| n == "conftest.py"))
        .filter_map(|o| {
            let text = original_text(o)?;
            let names = Ctx::with_stars(&text, &o.stars, module_fixtures)?;
            Some((o.path.parent().map(Path::to_path_buf)?, names))
        })
        .collect();
    for o in outcomes.iter_mut().filter(|o| !o.config && blocked(o)) {
        let Some(text) = original_text(o) else {
            continue;
        };
        let own = Ctx::with_stars(&text, &o.stars, module_fixtures).unwrap_or_default();
        let path = o.path.clone();
        let defined = |name: &str| {
            own.iter().any(|n| n == name)
                || conftests
                    .iter()
                    .any(|(dir, names)| path.starts_with(dir) && names.iter().any(|n| n == name))
        };
        o.migration.findings.retain(|f| {
            if f.finding.codemod != ID || f.finding.kind != "aiohttp-fixture" {
                return true;
            }
            let at = offset_of(&text, f.line, f.column);
            let name: String = text[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            !defined(&name)
        });
    }
}

/// The names of the module-level fixtures a module defines (`@pytest.fixture`,
/// `@pytest_asyncio.fixture`, with or without arguments; not one renamed with `name=`).
fn module_fixtures(ctx: &Ctx) -> Vec<String> {
    named_children(ctx.tree.root_node())
        .filter(|d| d.kind() == "decorated_definition")
        .filter(|d| {
            fixture_decorator(ctx, *d).is_some_and(|f| {
                ctx.parent(f).is_none_or(|call| {
                    call.kind() != "call" || !ctx.text_of(call).contains("name=")
                })
            })
        })
        .filter_map(|d| d.child_by_field_name("definition"))
        .filter_map(|f| f.child_by_field_name("name"))
        .map(|n| ctx.text_of(n).to_owned())
        .collect()
}
