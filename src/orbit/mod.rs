//! How records become states: BeiDou Keplerian propagation (MEO/IGSO and the GEO branch),
//! GLONASS numerical integration, SP3 interpolation, nominal constellations and long-span
//! propagation, behind the [`Propagator`] and [`OrbitSource`] traits; [`validate`] compares two
//! sources (broadcast minus precise) per satellite and per orbit group.

use hifitime::Epoch;
use nalgebra::Vector3;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ephemeris::EphemerisError;

pub mod bds;
pub mod broadcast;
pub mod filter;
pub mod glonass;
pub mod longspan;
pub mod lunisolar;
pub mod nominal;
pub mod open;
pub mod plausible;
pub mod sp3;
pub mod validate;
use crate::frames::Frame;
use crate::id::SatId;

/// A satellite's state at an epoch, in the frame of its source.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SatState {
    /// Satellite.
    pub sat: SatId,
    /// Epoch of the state (as asked for; any time scale).
    pub epoch: Epoch,
    /// Frame of position and velocity (ECEF).
    pub frame: Frame,
    /// Position of the centre of mass (broadcast: antenna phase centre as broadcast), m.
    pub position_m: Vector3<f64>,
    /// Velocity in the rotating ECEF frame, m/s.
    pub velocity_m_s: Vector3<f64>,
    /// Satellite clock offset against its own system time, s, when the source gives one.
    pub clock_offset_s: Option<f64>,
}

/// Errors of propagation and record selection.
#[derive(Debug, Error)]
pub enum OrbitError {
    /// The epoch is outside the validity of the record or table.
    #[error("{sat}: epoch {epoch} is outside the validity window {start} – {end}")]
    OutsideValidity {
        /// Satellite.
        sat: SatId,
        /// Epoch asked for.
        epoch: Epoch,
        /// Start of validity.
        start: Epoch,
        /// End of validity.
        end: Epoch,
    },
    /// The satellite is not provided by this source.
    #[error("satellite {sat} is not provided by this orbit source")]
    UnknownSatellite {
        /// Satellite asked for.
        sat: SatId,
    },
    /// The record or satellite is flagged unhealthy.
    #[error("{sat} is unhealthy at {epoch} (health flag {health})")]
    Unhealthy {
        /// Satellite.
        sat: SatId,
        /// Epoch asked for.
        epoch: Epoch,
        /// Health flag as broadcast.
        health: u32,
    },
    /// The record's parameters do not describe a usable orbit.
    #[error("{sat}: invalid orbit parameters: {reason}")]
    InvalidElements {
        /// Satellite.
        sat: SatId,
        /// What is wrong, with the offending value.
        reason: String,
    },
    /// Not enough valid samples around the epoch to interpolate.
    #[error("{sat}: cannot interpolate at {epoch}: {reason}")]
    Interpolation {
        /// Satellite.
        sat: SatId,
        /// Epoch asked for.
        epoch: Epoch,
        /// Why (gap, edge of table, …).
        reason: String,
    },
    /// A derived state outside physics (orbit band, speed for the radius, clock range): the
    /// input held a corrupted combination of values ([`plausible::check_state`]).
    #[error("{sat} at {epoch}: implausible state: {reason}")]
    Implausible {
        /// Satellite.
        sat: SatId,
        /// Epoch of the state.
        epoch: Epoch,
        /// What is outside physics, with the values.
        reason: String,
    },
    /// A request selected no satellite at all (no constellation, empty list).
    #[error("no satellites selected: {reason}")]
    EmptySelection {
        /// What was asked for.
        reason: String,
    },
    /// Record selection failed in the ephemeris layer.
    #[error(transparent)]
    Ephemeris(#[from] EphemerisError),
}

/// The window `reference ± half_window_s`.
impl OrbitError {
    /// The one error policy of the studies: `true` when the error means "this satellite has
    /// no usable state at this epoch" (outside every validity window, unhealthy, no record or
    /// no interpolation window there) — the study counts the satellite absent and goes on;
    /// `false` for everything else (corrupted or implausible data, unknown satellites, I/O),
    /// which stops the study with the error.
    pub fn is_absence(&self) -> bool {
        use crate::ephemeris::EphemerisError as E;
        matches!(
            self,
            OrbitError::OutsideValidity { .. }
                | OrbitError::Unhealthy { .. }
                | OrbitError::Interpolation { .. }
                | OrbitError::Ephemeris(E::NoValidRecord { .. })
        )
    }
}

pub(crate) fn window(reference: Epoch, half_window_s: f64) -> (Epoch, Epoch) {
    let w = hifitime::Duration::from_seconds(half_window_s);
    (reference - w, reference + w)
}

/// Seconds from `reference` to `epoch` (an absolute difference: any time scale) when within
/// `± half_window_s`, else [`OrbitError::OutsideValidity`].
pub(crate) fn offset_within(
    sat: SatId,
    epoch: Epoch,
    reference: Epoch,
    half_window_s: f64,
) -> Result<f64, OrbitError> {
    let dt = (epoch - reference).to_seconds();
    if !dt.is_finite() || dt.abs() > half_window_s {
        let (start, end) = window(reference, half_window_s);
        return Err(OrbitError::OutsideValidity {
            sat,
            epoch,
            start,
            end,
        });
    }
    Ok(dt)
}

/// One record (or one satellite's table) turned into states: immutable and thread-safe.
pub trait Propagator: Send + Sync {
    /// The satellite propagated.
    fn sat(&self) -> SatId;
    /// First and last epoch at which states are valid.
    fn validity(&self) -> (Epoch, Epoch);
    /// State at an epoch (any time scale; converted internally).
    fn state_at(&self, epoch: Epoch) -> Result<SatState, OrbitError>;
}

/// Many satellites: picks the right record for each request. Immutable and thread-safe.
pub trait OrbitSource: Send + Sync {
    /// Satellites this source can give states for, sorted.
    fn satellites(&self) -> &[SatId];
    /// State of a satellite at an epoch (any time scale).
    fn state_at(&self, sat: SatId, epoch: Epoch) -> Result<SatState, OrbitError>;
    /// A short human-readable description (e.g. file name or "nominal BDS-3").
    fn describe(&self) -> String;
}
