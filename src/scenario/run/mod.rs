//! Running a scenario: each section present in the file becomes a stage (timescales,
//! validation, satellites, coverage, networks, monitor, layout search); each stage writes its CSV tables, PNG
//! figures and a part of `results.json`, and adds a section to `report.md`.
//!
//! The library prints nothing: long stages report through [`StageProgress`], which the CLI
//! draws as progress bars.
//!
//! The output directory follows [`crate::outdir`]: outputs are staged beside it and moved into
//! place at the end with a `manifest.json`; running the same scenario again replaces its
//! output, another scenario's output is replaced only with [`RunOptions::force`], and files
//! no manifest lists are never deleted. A marker, `scenario.json`, names the scenario.
//!
//! ```no_run
//! use gnss_interop::scenario::Scenario;
//! use gnss_interop::scenario::run::{run, RunOptions};
//! let s = Scenario::from_file("data/scenarios/agreement_2022.toml").unwrap();
//! let out = std::path::Path::new("out/agreement_2022");
//! let summary = run(&s, &RunOptions::new(out)).unwrap();
//! println!("{}", summary.report.display());
//! ```

use std::path::{Path, PathBuf};
use std::time::Instant;

use hifitime::Duration;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::report_md::{ReportMd, Section, Table};
use super::Scenario;
use crate::outdir::{check_rel, Preserve, Staging};
use crate::report::write::write_json;

mod common;
mod coverage;
mod layout;
mod monitor;
mod networks;
mod results;
mod satellites;
mod sharded;
mod timescales;
mod validation;
mod work;

use work::Work;

pub use results::{
    CoverageResults, GridCoverage, LayoutResults, MonitorResults, NetworkStations, NetworkStudy,
    NetworksResults, RegionStudy, Results, ScenarioInfo, SiteCoverage, StudySide,
    TimescalesResults, ValidationResults, ValidationRow,
};
pub use sharded::{merge, run_shard, scenario_sha256, ShardRun};

/// Name of the marker file written in every output directory.
pub const MARKER_FILE: &str = "scenario.json";

/// Errors of a run that are not errors of a computing module.
#[derive(Debug, Error)]
pub enum RunError {
    /// The output directory holds the results of another scenario (or other files).
    #[error("{} already holds {what}; choose another --out directory or pass --force to overwrite", dir.display())]
    OutputInUse {
        /// The output directory.
        dir: PathBuf,
        /// What it holds (e.g. "the output of scenario 'timescales'").
        what: String,
    },
    /// Creating or writing in the output directory failed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A stage would produce an empty result (and [`RunOptions::allow_empty`] is not set).
    #[error("scenario '{scenario}': empty result: {why}; nothing written (pass --allow-empty to run anyway)")]
    Empty {
        /// Scenario name.
        scenario: String,
        /// Why the result would be empty.
        why: String,
    },
    /// A `results.json` that does not read back into [`Results`].
    #[error("{}: not a results.json of this version: {message}", path.display())]
    Results {
        /// The file.
        path: PathBuf,
        /// What is wrong (with line and column).
        message: String,
    },
    /// The scenario cannot be run as written (a combination the engines do not support).
    #[error("scenario '{scenario}': {message}")]
    Unsupported {
        /// Scenario name.
        scenario: String,
        /// What is not supported, and what to do instead.
        message: String,
    },
}

/// Progress of the long stages (for progress bars). Called from worker threads.
pub trait StageProgress: Sync {
    /// A stage (or a long step of one) starts, with `total` work units (0 when unknown).
    fn start(&self, stage: &str, total: u64);
    /// `done` of `total` work units of the current stage are finished.
    fn advance(&self, done: u64, total: u64);
    /// The current stage is finished.
    fn finish(&self, stage: &str);
}

/// How to run.
#[derive(Clone, Copy)]
pub struct RunOptions<'a> {
    /// Output directory (created if needed).
    pub out_dir: &'a Path,
    /// Overwrite a directory that holds another scenario's output.
    pub force: bool,
    /// Progress reporting.
    pub progress: Option<&'a dyn StageProgress>,
    /// The scenario file, copied into the output and quoted in `report.md` so that the run
    /// can be reproduced (optional: a scenario built from text has no file).
    pub scenario_file: Option<&'a Path>,
    /// Run and write even when the orbit source has no satellite state in the span (an empty
    /// result); otherwise that is a [`RunError::Empty`].
    pub allow_empty: bool,
}

impl<'a> RunOptions<'a> {
    /// Options writing to `out_dir`, no force, no progress, no scenario file.
    pub fn new(out_dir: &'a Path) -> Self {
        RunOptions {
            out_dir,
            force: false,
            progress: None,
            scenario_file: None,
            allow_empty: false,
        }
    }
}

/// Wall-clock time of one stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageTime {
    /// Stage name.
    pub stage: String,
    /// Seconds.
    pub seconds: f64,
}

/// What a run produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    /// Scenario name.
    pub scenario: String,
    /// Output directory.
    pub out_dir: PathBuf,
    /// The report.
    pub report: PathBuf,
    /// Every file written, in order (including the report, the marker and results.json).
    pub files: Vec<PathBuf>,
    /// Time of each stage.
    pub stages: Vec<StageTime>,
    /// The plain-language answer lines at the top of the report.
    pub answer: Vec<String>,
    /// Everything computed (the content of `results.json`).
    pub results: Results,
}

/// The software version written into reports and markers.
pub fn software_version() -> String {
    format!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
}

impl Scenario {
    /// A reduced copy for quick checks: at most 3 h of span (step at least 600 s, or the
    /// span's own step if coarser), a grid of at least 15°, validation on the same 3 h. The
    /// sections present and every other setting are kept.
    pub fn reduced(&self) -> Scenario {
        let mut s = self.clone();
        if let Some(t) = s.time.as_mut() {
            let max_end = t.start + Duration::from_seconds(3.0 * 3600.0);
            if t.end > max_end {
                t.end = max_end;
            }
            if t.step_s < 600.0 {
                t.step_s = 600.0;
            }
        }
        if let Some(g) = s.grid.as_mut() {
            if g.step_deg < 15.0 {
                g.step_deg = 15.0;
            }
        }
        if let Some(ts) = s.timescales.as_mut() {
            ts.epochs.truncate(4);
        }
        s
    }
}

/// Everything a stage needs and fills.
pub(crate) struct Ctx<'a> {
    pub scenario: &'a Scenario,
    pub out: &'a Path,
    pub progress: Option<&'a dyn StageProgress>,
    pub files: Vec<PathBuf>,
    pub answer: Vec<String>,
    pub sections: Vec<Section>,
    pub results: Results,
    /// How much of the scenario this process computes (all, a shard, a merge).
    pub work: &'a Work,
    /// σ of the known inter-system bias (`scenario.user.isb_sigma_ns`) and where it came from.
    pub isb: Option<crate::geometry::IsbSigma>,
}

impl Ctx<'_> {
    /// Path of an output file (subdirectories created), recorded as written.
    /// The path is checked to stay inside the output directory, and to be new in this run.
    pub fn file(&mut self, rel: &str) -> Result<PathBuf, crate::outdir::OutputError> {
        let p = self.out.join(check_rel(self.out, rel)?);
        if self.files.contains(&p) {
            return Err(crate::outdir::OutputError::Duplicate {
                rel: rel.to_string(),
            });
        }
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|source| crate::outdir::OutputError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        self.files.push(p.clone());
        Ok(p)
    }

    pub fn start(&self, stage: &str, total: u64) {
        if let Some(p) = self.progress {
            p.start(stage, total);
        }
    }

    pub fn finish(&self, stage: &str) {
        if let Some(p) = self.progress {
            p.finish(stage);
        }
    }

    /// Whether figures, reports and non-grid results are produced (not in a shard, whose
    /// only output is its partial result).
    pub fn reporting(&self) -> bool {
        !self.work.is_shard()
    }
}

/// Claim the output directory of a scenario run (see [`crate::outdir`]): the staging
/// directory the stages write into until the commit.
pub(crate) fn claim_output(
    s: &Scenario,
    dir: &Path,
    force: bool,
) -> Result<Staging, crate::outdir::OutputError> {
    Staging::claim(dir, &producer(s), force, Preserve::ClusterEntries)
}

/// The producer named in a scenario output's manifest.
fn producer(s: &Scenario) -> String {
    format!("scenario '{}'", s.name)
}

/// Commit a finished run's staging directory; the summary's paths become the final ones.
pub(crate) fn commit_output(
    scenario: &Scenario,
    staging: Staging,
    mut summary: RunSummary,
) -> crate::Result<RunSummary> {
    summary.report = staging.final_path(&summary.report);
    summary.files = summary
        .files
        .iter()
        .map(|f| staging.final_path(f))
        .collect();
    summary.out_dir = staging.out_dir().to_path_buf();
    staging.commit(Some(scenario_sha256(scenario)))?;
    Ok(summary)
}

/// An orbit source without any satellite state in the scenario's span (e.g. a navigation file
/// of another day) would give all-zero coverage and empty tables: refused. Up to 9 epochs
/// spread over the span are tried.
fn check_states_in_span(
    scenario: &Scenario,
    src: &dyn crate::orbit::OrbitSource,
) -> Result<(), RunError> {
    let Some(t) = &scenario.time else {
        return Ok(());
    };
    let span_s = (t.end - t.start).to_seconds();
    let epochs: Vec<_> = (0..9)
        .map(|k| t.start + Duration::from_seconds(span_s * k as f64 / 8.0))
        .collect();
    let any = src
        .satellites()
        .iter()
        .any(|&sat| epochs.iter().any(|&e| src.state_at(sat, e).is_ok()));
    if any {
        return Ok(());
    }
    Err(RunError::Empty {
        scenario: scenario.name.clone(),
        why: format!(
            "the orbit source ({}) has no satellite state between {} and {} (a file of another \
             day, or none of the requested systems)",
            src.describe(),
            t.start,
            t.end
        ),
    })
}

/// The ephemeris availability of a file-based orbit source over the scenario's span: a
/// timeline figure (`figures/ephemeris_availability.png`), a CSV
/// (`ephemeris_availability.csv`) and a table of the satellites without usable data over part
/// of the span ([`crate::orbit::data_availability`]). Nothing for the nominal constellations.
fn ephemeris_availability(
    ctx: &mut Ctx<'_>,
    src: &dyn crate::orbit::OrbitSource,
) -> crate::Result<()> {
    let Some(t) = &ctx.scenario.time else {
        return Ok(());
    };
    let (start, end) = (t.start, t.end);
    let table = crate::orbit::data_availability(src, start, end);
    let (Some(csv), Some(md)) = (
        crate::orbit::availability_csv(&table),
        crate::orbit::availability_markdown(&table),
    ) else {
        return Ok(());
    };
    let mut sec = Section::new("Ephemeris availability");
    sec.text(format!(
        "Per satellite, the parts of the span served by usable data of {} (blue), covered \
         only by unhealthy records (orange: the satellite is absent there) and without data \
         (blank). Satellites with gaps:",
        src.describe()
    ));
    sec.text(md);
    let rel = "figures/ephemeris_availability.png";
    let png = ctx.file(rel)?;
    crate::orbit::write_availability_figure(&png, &table, start, end, "Ephemeris availability")?;
    sec.figure(rel, "Ephemeris availability per satellite over the span");
    let p = ctx.file("ephemeris_availability.csv")?;
    std::fs::write(&p, csv).map_err(|source| RunError::Io {
        path: p.clone(),
        source,
    })?;
    ctx.sections.push(sec);
    Ok(())
}

fn timed(
    times: &mut Vec<StageTime>,
    name: &str,
    ctx: &mut Ctx<'_>,
    f: &dyn Fn(&mut Ctx<'_>) -> crate::Result<()>,
) -> crate::Result<()> {
    let t0 = Instant::now();
    f(ctx)?;
    times.push(StageTime {
        stage: name.to_string(),
        seconds: t0.elapsed().as_secs_f64(),
    });
    Ok(())
}

/// Run every stage of the scenario and write the outputs to `opts.out_dir`.
///
/// The outputs are staged beside `opts.out_dir` and moved into place only when every stage
/// succeeded, with `manifest.json` last (see [`crate::outdir`]): an error or an interruption
/// leaves `opts.out_dir` as it was.
pub fn run(scenario: &Scenario, opts: &RunOptions<'_>) -> crate::Result<RunSummary> {
    let staging = claim_output(scenario, opts.out_dir, opts.force)?;
    let text = opts
        .scenario_file
        .and_then(|p| std::fs::read_to_string(p).ok());
    let summary = run_in(
        scenario,
        staging.staging_dir(),
        opts,
        &Work::Local,
        text.as_deref(),
    )?;
    commit_output(scenario, staging, summary)
}

/// The stages, computing what `work` says; outputs in `dir` (a staging or scratch directory).
fn run_in(
    scenario: &Scenario,
    dir: &Path,
    opts: &RunOptions<'_>,
    work: &Work,
    scenario_text: Option<&str>,
) -> crate::Result<RunSummary> {
    // σ of a known inter-system bias, chosen once for every stage by the one rule.
    let isb = common::isb_sigma(scenario)?;
    let resolved;
    let scenario = match &isb {
        Some(sigma) => {
            let mut s = scenario.clone();
            s.user.isb_sigma_ns = Some(sigma.ns);
            resolved = s;
            &resolved
        }
        None => scenario,
    };
    let mut ctx = Ctx {
        scenario,
        isb,
        out: dir,
        progress: opts.progress,
        files: Vec::new(),
        answer: Vec::new(),
        sections: Vec::new(),
        results: Results::default(),
        work,
    };
    let marker = ctx.file(MARKER_FILE)?;
    write_json(
        &marker,
        &serde_json::json!({ "scenario": scenario.name, "software": software_version() }),
    )?;

    let mut times: Vec<StageTime> = Vec::new();
    // Stages that do not scale with the grid run once, in the merge step, not per shard.
    if scenario.timescales.is_some() && ctx.reporting() {
        timed(&mut times, "timescales", &mut ctx, &timescales::run)?;
    }
    if scenario.validation.is_some() && ctx.reporting() {
        timed(&mut times, "validation", &mut ctx, &validation::run)?;
    }
    // One orbit source for coverage, networks and layout search.
    let needs_orbits = scenario.runs_coverage()
        || scenario.networks.is_some()
        || scenario.layout_search.is_some()
        || scenario.satellites.is_some()
        || scenario.monitor.is_some();
    if needs_orbits {
        let t0 = Instant::now();
        let source = common::open_source(scenario)?;
        times.push(StageTime {
            stage: "orbits".into(),
            seconds: t0.elapsed().as_secs_f64(),
        });
        let src: &dyn crate::orbit::OrbitSource = source.as_ref();
        if !opts.allow_empty {
            check_states_in_span(scenario, src)?;
        }
        if ctx.reporting() {
            ephemeris_availability(&mut ctx, src)?;
        }
        if scenario.satellites.is_some() && ctx.reporting() {
            timed(&mut times, "satellites", &mut ctx, &|c| {
                satellites::run(c, src)
            })?;
        }
        if scenario.runs_coverage() {
            timed(&mut times, "coverage", &mut ctx, &|c| coverage::run(c, src))?;
        }
        // A [networks] section without anything to compare is only the base of a layout search.
        if scenario
            .networks
            .as_ref()
            .is_some_and(|n| n.has_comparison())
        {
            timed(&mut times, "networks", &mut ctx, &|c| networks::run(c, src))?;
        }
        if scenario.monitor.is_some() && ctx.reporting() {
            timed(&mut times, "monitor", &mut ctx, &|c| monitor::run(c, src))?;
        }
        if scenario.layout_search.is_some() {
            timed(&mut times, "layout search", &mut ctx, &|c| {
                layout::run(c, src)
            })?;
        }
    }

    // Inputs and version, for reproduction.
    let mut inputs = Section::new("Inputs and software");
    let mut t = Table::new(["item", "value"]);
    t.row(["software".to_string(), software_version()]);
    t.row(["scenario".to_string(), scenario.name.clone()]);
    for (k, v) in common::input_lines(scenario, ctx.isb.as_ref()) {
        t.row([k, v]);
    }
    inputs.table(t);
    if let Some(text) = scenario_text {
        let copy = ctx.file("scenario.toml")?;
        std::fs::write(&copy, text).map_err(|source| RunError::Io {
            path: copy.clone(),
            source,
        })?;
        inputs.text(
            "The scenario file as run (also copied to `scenario.toml`); \
             running the original file with `gnss-interop run` reproduces this report:",
        );
        inputs.code("toml", text.to_string());
    }
    let mut st = Table::new(["stage", "seconds"]);
    for s in &times {
        st.row([s.stage.clone(), format!("{:.2}", s.seconds)]);
    }
    inputs.text("Run time of each stage:");
    inputs.table(st);
    ctx.sections.push(inputs);

    ctx.results.scenario = ScenarioInfo {
        name: scenario.name.clone(),
        description: scenario.description.clone(),
        software: software_version(),
        inputs: common::input_lines(scenario, ctx.isb.as_ref())
            .into_iter()
            .collect(),
    };
    ctx.results.stage_seconds = times.clone();
    ctx.results.answer = ctx.answer.clone();
    let results = ctx.results.clone();
    if scenario.outputs.json {
        let p = ctx.file("results.json")?;
        write_json(&p, &results)?;
    }
    let md = ReportMd {
        title: format!("Scenario `{}`", scenario.name),
        description: scenario.description.clone(),
        answer: ctx.answer.clone(),
        sections: std::mem::take(&mut ctx.sections),
    };
    let report = ctx.file("report.md")?;
    std::fs::write(&report, md.render()).map_err(|source| RunError::Io {
        path: report.clone(),
        source,
    })?;
    Ok(RunSummary {
        scenario: scenario.name.clone(),
        out_dir: dir.to_path_buf(),
        report,
        files: ctx.files,
        stages: times,
        answer: ctx.answer,
        results,
    })
}
