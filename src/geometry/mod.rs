//! Pure geometry: elevation masks, lines of sight and dilution of precision under a
//! receiver-clock model, with optional per-satellite weights. No I/O, no threads.
//!
//! The single-site [`dop()`] and the coverage kernel share one piece of maths, the
//! [`NormalAccumulator`] and its Schur-complement solve (see [`dop`](mod@dop) for the equations).
//!
//! # Example
//!
//! The textbook geometry: one satellite at the zenith and three on the horizon, 120° apart in
//! azimuth, one receiver clock. With design rows (cos e sin a, cos e cos a, sin e, 1) the
//! normal matrix is diag(3/2, 3/2) for east and north, and [[1, 1], [1, 4]] for up and clock,
//! whose inverse is (1/3)·[[4, −1], [−1, 1]]: HDOP² = 2/3 + 2/3 = 4/3, VDOP² = 4/3,
//! TDOP² = 1/3 (worked by hand from the definition Q = (AᵀA)⁻¹).
//!
//! ```
//! use gnss_interop::geometry::{dop, ClockModel, ElevationMask, LineOfSight};
//! use gnss_interop::id::Constellation;
//!
//! let los: Vec<LineOfSight> = [(0.0, 90.0), (0.0, 0.0), (120.0, 0.0), (240.0, 0.0)]
//!     .iter()
//!     .map(|&(az, el)| LineOfSight::from_az_el(az, el, Constellation::BeiDou))
//!     .collect();
//! let d = dop(&los, &ClockModel::Common, None).expect("four satellites, one clock");
//! assert_eq!(d.used, 4);
//! assert!((d.hdop - (4.0f64 / 3.0).sqrt()).abs() < 1e-9);
//! assert!((d.vdop - (4.0f64 / 3.0).sqrt()).abs() < 1e-9);
//! assert!((d.tdop - (1.0f64 / 3.0).sqrt()).abs() < 1e-9);
//! // Three satellites cannot give a solution with one clock.
//! assert!(dop(&los[..3], &ClockModel::Common, None).is_none());
//! // A 10° mask removes the three on the horizon.
//! let mask = ElevationMask::constant(10.0)?;
//! assert_eq!(los.iter().filter(|l| mask.is_visible(l.azimuth_deg, l.elevation_deg)).count(), 1);
//! # Ok::<(), gnss_interop::Error>(())
//! ```

use thiserror::Error;

mod clock;
pub mod dop;
mod mask;

pub use clock::{ClockChoice, IsbSigma, UnknownClockChoice};
pub use dop::{
    dop, system_slot, ClockModel, Dop, DopFigures, LineOfSight, NormalAccumulator, NormalSolution,
    MAX_SYSTEMS,
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
