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

/// Coverage counting only the satellites monitored at each epoch, computed by `runner`
/// ([`Local`](crate::coverage::Local) in this process, or one shard of a sharded run).
pub fn monitored_only(
    runner: &dyn GridRunner,
    sources: &[&dyn OrbitSource],
    grid: &Grid,
    cfg: &CoverageConfig,
    table: &MonitoringTable,
    progress: Option<&dyn Progress>,
) -> Result<CoverageResult, NetworkError> {
    let job = TableJob::new(runner, sources, grid, cfg, table, progress);
    job.run(|row, i| table.tracked(row, i).then_some(1.0))
}

/// Coverage with every satellite weighted by its range-error σ(age since last tracked),
/// computed by `runner` (as for [`monitored_only`]).
pub fn error_weighted(
    runner: &dyn GridRunner,
    sources: &[&dyn OrbitSource],
    grid: &Grid,
    cfg: &CoverageConfig,
    table: &MonitoringTable,
    sigmas: &SigmaTable,
    progress: Option<&dyn Progress>,
) -> Result<CoverageResult, NetworkError> {
    let job = TableJob::new(runner, sources, grid, cfg, table, progress);
    job.run(|row, i| sigmas.sigma_m(row, i))
}

/// A coverage run whose satellites are filtered through the rows of a monitoring table.
struct TableJob<'a> {
    runner: &'a dyn GridRunner,
    sources: &'a [&'a dyn OrbitSource],
    grid: &'a Grid,
    cfg: &'a CoverageConfig,
    table: &'a MonitoringTable,
    progress: Option<&'a dyn Progress>,
}

impl<'a> TableJob<'a> {
    fn new(
        runner: &'a dyn GridRunner,
        sources: &'a [&'a dyn OrbitSource],
        grid: &'a Grid,
        cfg: &'a CoverageConfig,
        table: &'a MonitoringTable,
        progress: Option<&'a dyn Progress>,
    ) -> Self {
        TableJob {
            runner,
            sources,
            grid,
            cfg,
            table,
            progress,
        }
    }

    /// Run with `weight(table row, epoch index)` as the filter of each satellite.
    fn run(
        &self,
        weight: impl Fn(usize, usize) -> Option<f64> + Sync,
    ) -> Result<CoverageResult, NetworkError> {
        let index = align(self.sources, self.cfg, self.table)?;
        let filter = |s: usize, i: usize| weight(index[s], i);
        let job = GridJob {
            sources: self.sources,
            grid: self.grid,
            cfg: self.cfg,
            filter: Some(&filter),
            progress: self.progress,
        };
        self.runner.run(job).map_err(NetworkError::from)
    }
}
