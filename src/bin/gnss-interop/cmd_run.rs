//! `gnss-interop run SCENARIO.toml [--out DIR] [--force] [--shard K/N]`: run a scenario file
//! and write its report, tables, figures and `results.json` (or, with `--shard`, one shard's
//! partial result for `gnss-interop merge`); progress bars on stderr for the long stages.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use clap::Args;
use gnss_interop::scenario::run::{run as run_scenario, run_shard, RunOptions, StageProgress};
use gnss_interop::scenario::shard::ShardSpec;
use gnss_interop::scenario::Scenario;
use indicatif::{ProgressBar, ProgressStyle};

/// Arguments of `gnss-interop run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (TOML), e.g. data/scenarios/agreement_2022.toml.
    pub scenario: PathBuf,
    /// Output directory (default: out/<scenario name>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunFlags,
    /// Compute only shard K of N (1-based) and write its partial result
    /// (`partial.json.gz`) into --out; join the shards with `gnss-interop merge`.
    /// A finished shard is skipped unless --force.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<ShardSpec>,
}

/// `--force`, `--quiet`, `--allow-empty`: the flags of the commands that write a scenario's
/// output (`run`, `merge`).
#[derive(Debug, Clone, Args)]
pub struct RunFlags {
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

impl RunFlags {
    /// The library's run options for output directory `out` (bars unless `--quiet`).
    pub fn options<'a>(
        &self,
        out: &'a std::path::Path,
        bars: &'a Bars,
        scenario_file: Option<&'a std::path::Path>,
    ) -> RunOptions<'a> {
        RunOptions {
            out_dir: out,
            force: self.force,
            progress: if self.quiet { None } else { Some(bars) },
            scenario_file,
            allow_empty: self.allow_empty,
        }
    }
}

/// Draws one indicatif bar per stage.
pub(crate) struct Bars {
    current: Mutex<Option<(ProgressBar, Instant)>>,
}

impl Bars {
    /// No bar yet.
    pub(crate) fn new() -> Bars {
        Bars {
            current: Mutex::new(None),
        }
    }
}

impl StageProgress for Bars {
    fn start(&self, stage: &str, total: u64) {
        let bar = if total > 0 {
            let b = ProgressBar::new(total);
            if let Ok(style) = ProgressStyle::with_template(
                "{msg:<45} [{bar:30}] {pos}/{len} rows, {elapsed} (eta {eta})",
            ) {
                b.set_style(style.progress_chars("=> "));
            }
            b
        } else {
            let b = ProgressBar::new_spinner();
            b.enable_steady_tick(Duration::from_millis(120));
            b
        };
        bar.set_message(stage.to_string());
        if let Ok(mut c) = self.current.lock() {
            *c = Some((bar, Instant::now()));
        }
    }

    fn advance(&self, done: u64, _total: u64) {
        if let Ok(c) = self.current.lock() {
            if let Some((b, _)) = c.as_ref() {
                b.set_position(done);
            }
        }
    }

    fn finish(&self, stage: &str) {
        if let Ok(mut c) = self.current.lock() {
            if let Some((b, t0)) = c.take() {
                b.finish_and_clear();
                eprintln!("  {stage:<45} {:>6.1} s", t0.elapsed().as_secs_f64());
            }
        }
    }
}

/// Run the command.
pub fn run(args: RunArgs) -> Result<(), Box<dyn std::error::Error>> {
    let scenario = Scenario::from_file(&args.scenario)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(&scenario.name));
    let bars = Bars::new();
    let t0 = Instant::now();
    if !args.run.quiet {
        eprintln!(
            "running scenario '{}' into {}",
            scenario.name,
            out.display()
        );
    }
    let opts = args.run.options(&out, &bars, Some(&args.scenario));
    if let Some(spec) = args.shard {
        let r = run_shard(&scenario, &opts, spec)?;
        if r.skipped {
            println!(
                "shard {spec}: {} already done (pass --force to recompute)",
                r.partial.display()
            );
        } else {
            println!(
                "shard {spec}: {} ({} tasks, {:.1} s)",
                r.partial.display(),
                r.tasks,
                r.seconds
            );
        }
        return Ok(());
    }
    let summary = run_scenario(&scenario, &opts)?;
    if !args.run.quiet {
        for a in &summary.answer {
            println!("- {a}");
        }
    }
    println!(
        "report: {} ({} files in {}, {:.1} s)",
        summary.report.display(),
        summary.files.len(),
        summary.out_dir.display(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
