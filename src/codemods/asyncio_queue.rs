//! asyncio-queue (to be written).

use super::{Captures, Ctx};
use crate::edit::Outcome;

pub fn plan(_ctx: &Ctx, _caps: &Captures) -> Vec<Outcome> {
    Vec::new()
}
