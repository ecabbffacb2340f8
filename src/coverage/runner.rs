//! Who computes a coverage grid: [`Local`] runs [`run_with`](super::run_with) in this
//! process; other runners (the scenario runner's shards and merge step) compute only a part
//! of the grid or take the points from partial results computed elsewhere. Every study that
//! runs coverage takes a runner, so that sharding is written once.

use super::{CoverageConfig, CoverageError, CoverageResult, Grid, Progress, SatelliteFilter};
use crate::orbit::OrbitSource;

/// One coverage computation: the arguments of [`run_with`](super::run_with) as one value, so
/// that every runner receives the same thing.
#[derive(Clone, Copy)]
pub struct GridJob<'a> {
    /// Orbit sources (the satellites of [`super::satellite_list`]).
    pub sources: &'a [&'a dyn OrbitSource],
    /// The grid (or a runner's block of it).
    pub grid: &'a Grid,
    /// The configuration.
    pub cfg: &'a CoverageConfig,
    /// Optional per-(satellite, epoch) filter/σ.
    pub filter: Option<&'a dyn SatelliteFilter>,
    /// Optional progress hook.
    pub progress: Option<&'a dyn Progress>,
}

impl GridJob<'_> {
    /// Compute the job in this process, on the current rayon pool.
    pub fn run_here(&self) -> Result<CoverageResult, CoverageError> {
        super::run_with(
            self.sources,
            self.grid,
            self.cfg,
            self.filter,
            self.progress,
        )
    }
}

/// Computes (or supplies) the coverage of a grid.
pub trait GridRunner: Sync {
    /// The coverage of `job.grid` under `job.cfg`, as [`GridJob::run_here`] computes it.
    fn run(&self, job: GridJob<'_>) -> Result<CoverageResult, CoverageError>;
}

/// Computes the whole grid in this process (the current rayon pool).
#[derive(Debug, Clone, Copy, Default)]
pub struct Local;

impl GridRunner for Local {
    fn run(&self, job: GridJob<'_>) -> Result<CoverageResult, CoverageError> {
        job.run_here()
    }
}
