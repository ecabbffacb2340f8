//! `gnss-interop optimize`: which k candidate sites, added to a base network, best improve
//! tracking (greedy and/or exhaustive search).

use std::path::{Path, PathBuf};

use clap::Args;
use gnss_interop::network::{
    draw_layout, lattice_candidates, LayoutOutcome, LayoutProblem, Network, NetworkRef, Objective,
    SatLayoutStats, SearchMethod, Station, TimeSpan,
};
use gnss_interop::report::write::{write_csv, write_json};
use serde::Serialize;

use crate::cmd_network::{parse_systems, sample, spinner, SpanArgs};
use crate::outputs::{check_source, WriteFlags};
use crate::source_args::SourceArgs;
use gnss_interop::limits;

/// Arguments of `gnss-interop optimize`.
#[derive(Debug, Args)]
pub struct OptimizeArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub span: SpanArgs,
    /// Base network the sites are added to (built-in name or TOML/CSV file); none: sites alone.
    #[arg(long)]
    pub base: Option<String>,
    /// Candidate sites: a TOML or CSV network file (or a built-in catalogue name).
    #[arg(long, conflicts_with = "lattice")]
    pub candidates: Option<String>,
    /// Candidate lattice `LAT0,LAT1,LON0,LON1,STEP` in degrees.
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    pub lattice: Option<Vec<f64>>,
    /// Systems tracked by lattice candidates (e.g. C, R or C+R).
    #[arg(long, default_value = "C+R")]
    pub candidate_systems: String,
    /// Number of sites to add.
    #[arg(long)]
    pub k: usize,
    /// What a layout is judged by: mean-tracked, min-tracked (fractions, maximised),
    /// longest-gap, mean-longest-gap (minimised) — the names of scenario files.
    #[arg(long, default_value_t = Objective::MeanTrackedFraction)]
    pub objective: Objective,
    /// Search method: greedy, exhaustive or both.
    #[arg(long, default_value_t = SearchMethod::Both)]
    pub method: SearchMethod,
    /// Layouts kept in the exhaustive ranking.
    #[arg(long, default_value_t = 10)]
    pub keep: usize,
    /// Output directory (ranking.csv, ranking.json, sites.png; written complete or not at all).
    #[arg(long, default_value = "optimize-out")]
    pub out: PathBuf,
    #[command(flatten)]
    pub write: WriteFlags,
}

/// `ranking.json`: the search's outcome with what it was run on.
#[derive(Serialize)]
struct RankingFile<'a> {
    source: String,
    span: TimeSpan,
    min_stations: u16,
    k: usize,
    base: Option<String>,
    candidate_sites: &'a [Station],
    #[serde(flatten)]
    outcome: &'a LayoutOutcome,
    best_per_satellite: Option<Vec<SatLayoutStats>>,
}

/// Run the command.
pub fn run(args: OptimizeArgs) -> Result<(), Box<dyn std::error::Error>> {
    let cand_systems = parse_systems(&args.candidate_systems)?;
    let mut candidates: Vec<Station> = match (&args.candidates, &args.lattice) {
        (Some(spec), _) => NetworkRef::parse(spec, Path::new(""))
            .load(&cand_systems)?
            .stations()
            .to_vec(),
        (None, Some(l)) => match l[..] {
            [lat0, lat1, lon0, lon1, step] => {
                limits::grid_points("--lattice step", lat1 - lat0, lon1 - lon0, step)?;
                lattice_candidates((lat0, lat1), (lon0, lon1), step, &cand_systems)?
            }
            _ => {
                return Err(format!(
                    "--lattice needs 5 numbers LAT0,LAT1,LON0,LON1,STEP, got {}",
                    l.len()
                )
                .into())
            }
        },
        (None, None) => {
            return Err("give --candidates FILE or --lattice LAT0,LAT1,LON0,LON1,STEP".into())
        }
    };
    if let Some(m) = args.span.station_mask_deg {
        candidates = candidates
            .into_iter()
            .map(|s| s.with_mask_deg(m))
            .collect::<Result<_, _>>()?;
    }
    if args.k > candidates.len() {
        return Err(format!(
            "cannot choose {} sites from {} candidates",
            args.k,
            candidates.len()
        )
        .into());
    }
    let base: Option<Network> = args
        .base
        .as_deref()
        .map(|b| args.span.network(b))
        .transpose()?;
    if args.method.exhaustive() {
        limits::combinations("--k", candidates.len(), args.k)?;
    }
    let objective = args.objective;
    let span = args.span.span()?;
    let (source, _label) = args.source.open()?;
    check_source(source.as_ref(), &args.write)?;
    let staging = args.write.stage(&args.out, "optimize")?;
    let samples = sample(source.as_ref(), span, args.source.allow_no_data)?;
    let pb = spinner(&format!(
        "visibility of {} candidates{}",
        candidates.len(),
        base.as_ref()
            .map_or(String::new(), |b| format!(" and {} base stations", b.len()))
    ));
    let problem = LayoutProblem::new(&samples, base.as_ref(), &candidates, args.span.min_stations);
    pb.finish_and_clear();
    let problem = problem?;
    let base_value = problem.evaluate(&[], objective)?;
    let greedy = if args.method.greedy() {
        let pb = spinner(&format!("greedy search, k = {}", args.k));
        let g = problem.greedy(args.k, objective);
        pb.finish_and_clear();
        Some(g?)
    } else {
        None
    };
    let exhaustive = if args.method.exhaustive() {
        let pb = spinner(&format!(
            "exhaustive search, {} of {}",
            args.k,
            candidates.len()
        ));
        let e = problem.exhaustive(args.k, objective, args.keep);
        pb.finish_and_clear();
        Some(e?)
    } else {
        None
    };
    let outcome = LayoutOutcome {
        objective,
        base_objective: base_value,
        candidates: candidates.len(),
        greedy,
        exhaustive,
    };
    let rows = outcome.rows();
    write_csv(staging.file("ranking.csv")?, &rows)?;
    let detail = outcome
        .best()
        .map(|b| problem.evaluate_detail(&b.sites))
        .transpose()?;
    let report = RankingFile {
        source: samples.describe().to_string(),
        span,
        min_stations: args.span.min_stations,
        k: args.k,
        base: base.as_ref().map(|b| b.name().to_string()),
        candidate_sites: &candidates,
        outcome: &outcome,
        best_per_satellite: detail,
    };
    write_json(staging.file("ranking.json")?, &report)?;
    draw_layout(
        &staging.file("sites.png")?,
        base.as_ref(),
        &candidates,
        &outcome,
    )?;
    staging.commit(None)?;

    println!(
        "{} satellites, {} epochs every {} s, tracked = seen by >= {}; objective {}",
        problem.satellites().len(),
        span.n_epochs,
        span.step_s(),
        args.span.min_stations,
        objective
    );
    println!("base network alone: {}", objective.show(base_value));
    println!("{:<10} {:>4} {:>14}  sites", "method", "rank", "objective");
    for r in &rows {
        println!(
            "{:<10} {:>4} {:>14}  {}",
            r.method,
            r.rank,
            objective.show(r.objective),
            r.ids
        );
    }
    println!("files in {}", args.out.display());
    Ok(())
}
