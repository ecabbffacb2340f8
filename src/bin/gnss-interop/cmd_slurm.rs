//! `gnss-interop slurm SCENARIO --tasks N --out DIR [--submit]`: write (and submit) a Slurm
//! job array running the scenario's N shards and a merge job depending on it.

use std::path::{Path, PathBuf};

use clap::Args;
use gnss_interop::scenario::slurm::SlurmJob;
use gnss_interop::scenario::Scenario;

/// Arguments of `gnss-interop slurm`.
#[derive(Debug, Args)]
pub struct SlurmArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Number of shards (array tasks).
    #[arg(long)]
    pub tasks: usize,
    /// Output directory: shards in DIR/shard-K, the merged result in DIR, scripts and logs in
    /// DIR/slurm.
    #[arg(long)]
    pub out: PathBuf,
    /// Slurm partition.
    #[arg(long)]
    pub partition: Option<String>,
    /// Time limit per task (Slurm format, e.g. 02:00:00).
    #[arg(long)]
    pub time: Option<String>,
    /// CPUs (threads) per task.
    #[arg(long)]
    pub cpus_per_task: Option<u32>,
    /// Run only these shards (e.g. 3,5: resubmit failed tasks); the merge job joins all.
    #[arg(long, value_delimiter = ',')]
    pub shards: Vec<usize>,
    /// Recompute shards whose partial result already exists.
    #[arg(long)]
    pub force: bool,
    /// Submit both jobs through sbatch and print their ids.
    #[arg(long)]
    pub submit: bool,
}

fn absolute(p: &Path) -> std::io::Result<PathBuf> {
    std::path::absolute(p)
}

/// Run the command.
pub fn run(args: SlurmArgs) -> Result<(), Box<dyn std::error::Error>> {
    // Validate the scenario before anything is written or submitted.
    let scenario = Scenario::from_file(&args.scenario)?;
    let job = SlurmJob {
        program: std::env::current_exe()?,
        scenario: absolute(&args.scenario)?,
        name: scenario.name.clone(),
        out_dir: absolute(&args.out)?,
        tasks: args.tasks,
        only: args.shards.clone(),
        partition: args.partition.clone(),
        time: args.time.clone(),
        cpus_per_task: args.cpus_per_task,
        force: args.force,
    };
    if args.submit {
        let (array, merge) = job.submit()?;
        println!(
            "array job {array} (shards {}), merge job {merge}",
            job.array_spec()
        );
    } else {
        let (a, m) = job.write()?;
        println!("wrote {} and {}", a.display(), m.display());
        println!(
            "submit: merge after the array with\n  A=$(sbatch --parsable {}) && sbatch \
             --dependency=afterok:$A --kill-on-invalid-dep=yes {}",
            a.display(),
            m.display()
        );
    }
    Ok(())
}
