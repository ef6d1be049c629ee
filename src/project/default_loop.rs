//! asyncio-run sees one file at a time: `asyncio.get_event_loop().run_until_complete(main())`
//! becomes `anyio.run(main)` when no other use of the thread's default loop stays in that file.
//! But `anyio.run()` leaves the thread without a current event loop when it ends
//! (`asyncio.Runner.close()` calls `set_event_loop(None)`), so an `asyncio.get_event_loop()`
//! outside a coroutine that stays in another file of the run (library code the tests call)
//! raises `RuntimeError` after it: greenletio's tests rewrote such runs and its library's
//! `GreenletBridge.start()` then failed in 15 later tests. This pass finds such uses in the
//! migrated files; the files of the same project (by the metadata file its targets come from)
//! where a default-loop run became `anyio.run` are migrated again with
//! `Targets::default_loop_kept`, and those runs stay (MANUAL shared-loop).

use super::Texts;
use super::keep::migrate_again;
use crate::codemods::Ctx;
use crate::codemods::asyncio_run::{DEFAULT_LOOP_NOTE, default_loop_uses};
use crate::engine::Options;
use crate::outcome::FileOutcome;
use crate::project::targets::Finder;

pub fn keep_default_loop_runs(outcomes: &mut [FileOutcome], opts: &Options, targets: &Finder) {
    let rewrote_a_default_run = |o: &FileOutcome| {
        o.migration.applied.iter().any(|r| {
            // A single run (`run-until-complete`) or consecutive ones (`runs-in-order`): the
            // note says the loop was the thread's default one.
            r.fix.codemod == "asyncio-run"
                && r.fix
                    .note
                    .as_deref()
                    .is_some_and(|n| n.contains(DEFAULT_LOOP_NOTE))
        })
    };
    if !outcomes
        .iter()
        .any(|o| !o.config && rewrote_a_default_run(o))
    {
        return;
    }
    for o in outcomes.iter().filter(|o| !o.config && !o.created) {
        if keeps_default_loop(o) {
            targets.keep_default_loop(&o.path);
        }
    }
    for o in outcomes.iter_mut() {
        if !o.config
            && rewrote_a_default_run(o)
            && targets.for_file(&o.path).targets.default_loop_kept
        {
            migrate_again(o, opts, targets);
        }
    }
}

/// The file, as migrated, calls `asyncio.get_event_loop()` outside a coroutine.
fn keeps_default_loop(o: &FileOutcome) -> bool {
    let Some(text) = Texts::of(o).map(|t| t.current) else {
        return false;
    };
    text.contains("get_event_loop")
        && Ctx::with_stars(&text, &o.stars, |ctx| !default_loop_uses(ctx).is_empty())
            .unwrap_or(false)
}
