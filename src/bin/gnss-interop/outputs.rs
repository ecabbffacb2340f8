//! What every file-writing command shares: `--force`, `--allow-empty`, the staged output
//! directory of [`gnss_interop::outdir`], and the guards of [`gnss_interop::limits`].

use std::path::Path;

use clap::Args;
use gnss_interop::outdir::{Preserve, Staging};

type CliResult<T> = Result<T, Box<dyn std::error::Error>>;

/// `--force` and `--allow-empty`.
#[derive(Debug, Clone, Args)]
pub struct WriteFlags {
    /// Replace an output that another command or scenario wrote (only the files its
    /// manifest lists are replaced; files no manifest lists are never deleted).
    #[arg(long)]
    pub force: bool,
    /// Write the result and exit 0 even when it is empty (otherwise an empty result is an
    /// error saying why, and nothing is written).
    #[arg(long)]
    pub allow_empty: bool,
}

impl WriteFlags {
    /// Claim the output directory `out` for `gnss-interop COMMAND`: files are written into a
    /// staging directory beside it and moved into place by [`Staging::commit`].
    pub fn stage(&self, out: &Path, command: &str) -> CliResult<Staging> {
        Ok(Staging::claim(
            out,
            &format!("gnss-interop {command}"),
            self.force,
            Preserve::Nothing,
        )?)
    }

    /// An empty result: an error naming `why`, unless `--allow-empty` (then a warning).
    pub fn empty(&self, why: &str) -> CliResult<()> {
        if self.allow_empty {
            eprintln!("warning: empty result: {why} (written because of --allow-empty)");
            Ok(())
        } else {
            Err(format!(
                "empty result: {why}; nothing written (pass --allow-empty to write it anyway)"
            )
            .into())
        }
    }
}

/// An orbit source without any satellite of the requested systems: an empty result.
pub fn check_source(
    source: &dyn gnss_interop::orbit::OrbitSource,
    flags: &WriteFlags,
) -> CliResult<()> {
    if source.satellites().is_empty() {
        flags.empty(&format!(
            "the orbit source has no satellite of the requested systems/satellites ({})",
            source.describe()
        ))?;
    }
    Ok(())
}
