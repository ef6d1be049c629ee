//! Writing files, the run's last stage (after the project passes and the report's checks):
//! each changed file replaced atomically in its encoding (a BOM is part of the changed text,
//! `outcome::with_bom`), keeping its permissions and symlinks, each created file created
//! without replacing anything, and a file edited on disk since it was read left alone.

use crate::engine::Status;
use crate::outcome::FileOutcome;
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::Path;

/// `--write`: every changed file replaced atomically, in its encoding, every created one
/// created (never over a file that appeared since the run looked).
pub(crate) fn write_outcomes(outcomes: &mut [FileOutcome]) {
    // Test hook: a pause between files, so a test can kill the process mid-write.
    let pause = std::env::var("ANYIO_MIGRATE_TEST_WRITE_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(std::time::Duration::from_millis);
    for o in outcomes {
        if !matches!(o.status, Status::Changed { .. }) {
            continue;
        }
        if let Some(pause) = pause {
            std::thread::sleep(pause);
        }
        if let Err(e) = write_outcome(o) {
            o.status = Status::Failed(format!("cannot write: {e:#}"));
        }
    }
}

/// Write one changed file.
fn write_outcome(o: &FileOutcome) -> Result<()> {
    let Status::Changed { before, after } = &o.status else {
        return Ok(());
    };
    let (before, after) = (o.encoding.encode(before)?, o.encoding.encode(after)?);
    if o.created {
        return create_new(&o.path, &after);
    }
    if std::fs::read(&o.path).is_ok_and(|now| now != *before) {
        // Someone edited the file while we worked: their bytes win.
        bail!("the file changed on disk since it was read; not overwritten (re-run to migrate it)");
    }
    write_atomic(&o.path, &after)
}

/// Create a file that must not exist yet: written beside it, then linked into place without
/// replacing anything.
pub fn create_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = synced_temp_file(dir, bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist_noclobber(path)
        .map_err(|e| e.error)
        .with_context(|| format!("{} appeared meanwhile: not overwritten", path.display()))?;
    Ok(())
}

/// Write through a temporary file beside the target and rename it over, keeping permissions.
/// Symlinks are resolved first so the link itself survives.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let target =
        std::fs::canonicalize(path).with_context(|| format!("resolving {}", path.display()))?;
    let dir = target.parent().context("file has no parent directory")?;
    let perms = std::fs::metadata(&target)?.permissions();
    let tmp = synced_temp_file(dir, bytes)?;
    std::fs::set_permissions(tmp.path(), perms)?;
    tmp.persist(&target)
        .with_context(|| format!("replacing {}", target.display()))?;
    Ok(())
}

/// A temporary file in `dir` (where it will be linked or renamed into place) holding `bytes`,
/// synced to the disk.
fn synced_temp_file(dir: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".anyio-migrate-")
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}
