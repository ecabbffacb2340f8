//! `gnss-interop merge DIR/shard-* --out DIR`: join the partial results of a sharded run into
//! the output of a single-process run (the scenario is embedded in the partial results).

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use gnss_interop::scenario::run::{merge, RunOptions};

use crate::cmd_run::Bars;

/// Arguments of `gnss-interop merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard directories (or their partial.json.gz files), one per shard 1..=N.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Output directory of the merged result.
    #[arg(long)]
    pub out: PathBuf,
    /// Overwrite a directory that holds another scenario's output.
    #[arg(long)]
    pub force: bool,
    /// No progress bars.
    #[arg(long, short)]
    pub quiet: bool,
    /// Run and write even when the result would be empty (no satellite state in the span).
    #[arg(long)]
    pub allow_empty: bool,
}

/// Run the command.
pub fn run(args: MergeArgs) -> Result<(), Box<dyn std::error::Error>> {
    let t0 = Instant::now();
    let bars = Bars::new();
    let opts = RunOptions {
        out_dir: &args.out,
        force: args.force,
        progress: if args.quiet { None } else { Some(&bars) },
        scenario_file: None,
        allow_empty: args.allow_empty,
    };
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
