//! `gnss-interop merge DIR/shard-* --out DIR`: join the partial results of a sharded run into
//! the output of a single-process run (the scenario is embedded in the partial results).

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use gnss_interop::scenario::run::merge;

use crate::cmd_run::{Bars, RunFlags};

/// Arguments of `gnss-interop merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard directories (or their partial.json.gz files), one per shard 1..=N.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Output directory of the merged result.
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub run: RunFlags,
}

/// Run the command.
pub fn run(args: MergeArgs) -> Result<(), Box<dyn std::error::Error>> {
    let t0 = Instant::now();
    let bars = Bars::new();
    let opts = args.run.options(&args.out, &bars, None);
    let summary = merge(None, &args.shards, &opts)?;
    println!(
        "merged {} shards: {} ({} files in {}, {:.1} s)",
        args.shards.len(),
        summary.report.display(),
        summary.files.len(),
        summary.out_dir.display(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
