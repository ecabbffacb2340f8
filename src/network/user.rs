//! What a monitoring network changes for users: coverage when only monitored satellites
//! count, and coverage weighted by each satellite's range error σ(age since last tracked).
//!
//! Geometric DOP does not depend on ground stations; what a network changes is *which*
//! satellites are monitored and *how accurate* their signals are. Both runs reuse the coverage
//! engine through its per-(satellite, epoch) filter:
//! - monitored-only: a satellite counts at an epoch only when it is tracked by at least
//!   `min_stations` stations of its own system's network (σ = 1 m for all counted ones, so the
//!   DOPs are the plain geometric ones over that subset);
//! - error-weighted: every satellite counts, weighted by σ(age) of the range-error model, so
//!   `DopKind::PositionErrorM` is the predicted 1-σ 3-D position error in metres.

use crate::coverage::{self, CoverageConfig, CoverageResult, Grid, GridJob, GridRunner, Progress};
use crate::orbit::OrbitSource;

use super::range_error::{MonitoringTable, SigmaTable};
use super::{NetworkError, TimeSpan};

/// A coverage configuration whose epochs are exactly those of a network time span
/// (`span.start + i·step`, `i = 0..n_epochs`), other settings at their defaults.
pub fn coverage_config_for(
    span: &TimeSpan,
    systems: Vec<crate::id::Constellation>,
) -> CoverageConfig {
    let last = span.epoch(span.n_epochs.saturating_sub(1));
    CoverageConfig::new(systems, span.start, last, span.step)
}

/// Index of each coverage satellite in the monitoring table, checking that the epochs agree.
fn align(
    sources: &[&dyn OrbitSource],
    cfg: &CoverageConfig,
    table: &MonitoringTable,
) -> Result<Vec<usize>, NetworkError> {
    let epochs = cfg.epochs().map_err(|e| NetworkError::Mismatch {
        reason: e.to_string(),
    })?;
    let span = table.span();
    if epochs.len() != span.n_epochs
        || epochs.first() != Some(&span.start)
        || (cfg.step.to_seconds() - span.step_s()).abs() > 1e-9
    {
        return Err(NetworkError::Mismatch {
            reason: format!(
                "coverage epochs ({} from {} every {} s) differ from the monitoring table's \
                 ({} from {} every {} s); build the configuration with coverage_config_for",
                epochs.len(),
                cfg.start,
                cfg.step.to_seconds(),
                span.n_epochs,
                span.start,
                span.step_s()
            ),
        });
    }
    coverage::satellite_list(sources, &cfg.systems)
        .into_iter()
        .map(|sat| {
            table
                .satellites()
                .iter()
                .position(|s| *s == sat)
                .ok_or_else(|| NetworkError::Mismatch {
                    reason: format!(
                        "satellite {sat} of the orbit source is not in the monitoring table"
                    ),
                })
        })
        .collect()
}

/// How a monitoring table weighs the satellites of a user-coverage run.
#[derive(Debug, Clone, Copy)]
pub enum Weighting<'a> {
    /// Monitored-only: a satellite counts (σ = 1 m) only at the epochs when it is tracked by
    /// at least the table's `min_stations` stations, so DOPs are the geometric ones over
    /// that subset.
    MonitoredOnly,
    /// Error-weighted: every satellite counts, weighted by its range-error σ(age since last
    /// tracked), so `DopKind::PositionErrorM` is the predicted 1-σ 3-D position error, m.
    ErrorWeighted(&'a SigmaTable),
}

/// One user-coverage run: a coverage grid job ([`GridJob`]) whose per-(satellite, epoch)
/// filter comes from a monitoring table.
pub struct UserJob<'a> {
    /// Orbit sources, as for [`GridJob::sources`].
    pub sources: &'a [&'a dyn OrbitSource],
    /// User sites.
    pub grid: &'a Grid,
    /// Coverage settings; its epochs must be the table's ([`coverage_config_for`]).
    pub cfg: &'a CoverageConfig,
    /// Which satellites are monitored at each epoch.
    pub table: &'a MonitoringTable,
    /// What the table does to each satellite.
    pub weighting: Weighting<'a>,
    /// Progress callback.
    pub progress: Option<&'a dyn Progress>,
}

/// The coverage users see through a monitoring network ([`UserJob`]), computed by `runner`
/// ([`Local`](crate::coverage::Local) in this process, or one shard of a sharded run).
///
/// Errors: coverage epochs that differ from the table's, a satellite of the sources missing
/// from the table, or any error of the coverage run.
pub fn user_coverage(
    runner: &dyn GridRunner,
    job: UserJob<'_>,
) -> Result<CoverageResult, NetworkError> {
    let index = align(job.sources, job.cfg, job.table)?;
    let table = job.table;
    let weight = |row: usize, i: usize| match job.weighting {
        Weighting::MonitoredOnly => table.tracked(row, i).then_some(1.0),
        Weighting::ErrorWeighted(sigmas) => sigmas.sigma_m(row, i),
    };
    let filter = |s: usize, i: usize| weight(index[s], i);
    let grid_job = GridJob {
        sources: job.sources,
        grid: job.grid,
        cfg: job.cfg,
        filter: Some(&filter),
        progress: job.progress,
    };
    runner.run(grid_job).map_err(NetworkError::from)
}
