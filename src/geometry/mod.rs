//! Pure geometry: elevation masks, lines of sight and dilution of precision under a
//! receiver-clock model, with optional per-satellite weights. No I/O, no threads.
//!
//! The single-site [`dop()`] and the coverage kernel share one piece of maths, the
//! [`NormalAccumulator`] and its Schur-complement solve (see [`dop`](mod@dop) for the equations).

use thiserror::Error;

pub mod dop;
mod mask;

pub use dop::{
    dop, system_slot, ClockModel, Dop, LineOfSight, NormalAccumulator, NormalSolution, MAX_SYSTEMS,
};
pub use mask::{AzimuthMask, ElevationMask};

/// Errors of mask construction.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum GeometryError {
    /// An elevation outside −90…90° or not finite.
    #[error("elevation {elevation_deg}° is outside −90…90°")]
    InvalidElevation {
        /// The offending elevation, degrees.
        elevation_deg: f64,
    },
    /// An azimuth outside [0, 360) or not finite.
    #[error("azimuth {azimuth_deg}° is outside [0, 360)")]
    InvalidAzimuth {
        /// The offending azimuth, degrees.
        azimuth_deg: f64,
    },
    /// An azimuth-dependent mask without entries.
    #[error("azimuth-dependent elevation mask has no entries")]
    EmptyMask,
    /// The same azimuth twice in a mask table.
    #[error("azimuth {azimuth_deg}° appears twice in the elevation mask")]
    RepeatedAzimuth {
        /// The repeated azimuth, degrees.
        azimuth_deg: f64,
    },
}
