//! Who computes a coverage grid: [`Local`] runs [`run_with`](super::run_with) in this
//! process; other runners (the scenario runner's shards and merge step) compute only a part
//! of the grid or take the points from partial results computed elsewhere. Every study that
//! runs coverage takes a runner, so that sharding is written once.

use super::{CoverageConfig, CoverageError, CoverageResult, Grid, Progress, SatelliteFilter};
use crate::orbit::OrbitSource;

/// Computes (or supplies) the coverage of a grid.
pub trait GridRunner: Sync {
    /// The coverage of `grid` under `cfg`, as [`run_with`](super::run_with) computes it.
    fn run(
        &self,
        sources: &[&dyn OrbitSource],
        grid: &Grid,
        cfg: &CoverageConfig,
        filter: Option<&dyn SatelliteFilter>,
        progress: Option<&dyn Progress>,
    ) -> Result<CoverageResult, CoverageError>;
}

/// Computes the whole grid in this process (the current rayon pool).
#[derive(Debug, Clone, Copy, Default)]
pub struct Local;

impl GridRunner for Local {
    fn run(
        &self,
        sources: &[&dyn OrbitSource],
        grid: &Grid,
        cfg: &CoverageConfig,
        filter: Option<&dyn SatelliteFilter>,
        progress: Option<&dyn Progress>,
    ) -> Result<CoverageResult, CoverageError> {
        super::run_with(sources, grid, cfg, filter, progress)
    }
}
