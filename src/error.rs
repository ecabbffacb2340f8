//! The crate-level error, wrapping each module's typed error.

use thiserror::Error;

/// Any error of this crate.
#[derive(Debug, Error)]
pub enum Error {
    /// Time scales and broadcast time offsets.
    #[error(transparent)]
    Time(#[from] crate::time::TimeError),
    /// Identifier parsing.
    #[error(transparent)]
    Id(#[from] crate::id::IdError),
    /// Reading ephemerides.
    #[error(transparent)]
    Ephemeris(#[from] crate::ephemeris::EphemerisError),
    /// Propagation.
    #[error(transparent)]
    Orbit(#[from] crate::orbit::OrbitError),
    /// Writing reports and figures.
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
    /// Scenario files.
    #[error(transparent)]
    Scenario(#[from] crate::scenario::ScenarioError),
    /// Nominal-constellation parameter files.
    #[error(transparent)]
    Nominal(#[from] crate::orbit::nominal::NominalError),
    /// Monitoring networks.
    #[error(transparent)]
    Network(#[from] crate::network::NetworkError),
    /// Elevation masks.
    #[error(transparent)]
    Geometry(#[from] crate::geometry::GeometryError),
    /// Running a scenario (output directory, unsupported combinations).
    #[error(transparent)]
    Run(#[from] crate::scenario::run::RunError),
    /// Output directories and files (containment, ownership, atomic commit).
    #[error(transparent)]
    Output(#[from] crate::outdir::OutputError),
    /// Time scales as realised by precise clocks.
    #[error(transparent)]
    Realised(#[from] crate::realised::RealisedError),
    /// Coverage runs and grids.
    #[error(transparent)]
    Coverage(#[from] crate::coverage::CoverageError),
    /// Sharded runs and merges.
    #[error(transparent)]
    Shard(#[from] crate::scenario::shard::ShardError),
    /// Writing coverage artefacts.
    #[error(transparent)]
    CoverageOutput(#[from] crate::coverage::output::OutputError),
    /// A value or count outside the documented limits.
    #[error(transparent)]
    Limit(#[from] crate::limits::LimitError),
}

/// Result with the crate's [`Error`](enum@Error).
pub type Result<T, E = Error> = std::result::Result<T, E>;
