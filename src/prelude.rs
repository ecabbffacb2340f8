//! The names most programs need, in one import: `use gnss_interop::prelude::*;`.
//!
//! Identifiers and time ([`SatId`], [`Constellation`], hifitime's [`Epoch`], [`TimeScale`],
//! [`Duration`] and this crate's [`Scale`]), frames ([`Frame`], [`Geodetic`], [`Ellipsoid`],
//! [`Topocentric`]), orbits ([`SatState`], the [`Propagator`] and [`OrbitSource`] traits,
//! [`NominalConstellation`], [`BroadcastSource`], [`Sp3Source`], [`open_orbit_source`]),
//! geometry ([`ElevationMask`], [`ClockModel`], [`LineOfSight`], [`dop()`]), coverage
//! ([`Grid`], [`CoverageConfig`], [`run_coverage`]) and monitoring networks ([`Network`],
//! [`Station`], [`NetworkAnalysis`], [`OrbitSamples`], [`TimeSpan`]), plus the crate's
//! [`Error`] and [`Result`].
//!
//! Two functions are renamed so that a glob import does not bring in bare, generic names:
//! [`crate::orbit::open::open`] is [`open_orbit_source`] and [`crate::coverage::run`] is
//! [`run_coverage`].
//!
//! ```
//! use gnss_interop::prelude::*;
//!
//! // PDOP of the nominal BDS-3 + GLONASS constellations over Beijing, one clock per system.
//! let orbits = NominalConstellation::both();
//! let t = Epoch::from_gregorian_utc_hms(2023, 1, 1, 0, 0, 0);
//! let site = Topocentric::new(Geodetic::new(39.9, 116.4, 50.0), &Ellipsoid::WGS84);
//! let mask = ElevationMask::constant(10.0)?;
//! let mut los = Vec::new();
//! for &sat in orbits.satellites() {
//!     let s = orbits.state_at(sat, t)?;
//!     if let Some(l) = LineOfSight::from_ecef(&site, &s.position_m, sat.constellation()) {
//!         if mask.is_visible(l.azimuth_deg, l.elevation_deg) {
//!             los.push(l);
//!         }
//!     }
//! }
//! let d = dop(&los, &ClockModel::PerConstellation, None).expect("enough satellites");
//! assert!(d.used >= 8 && d.pdop > 0.5 && d.pdop < 3.0);
//! # Ok::<(), gnss_interop::Error>(())
//! ```

pub use hifitime::{Duration, Epoch, TimeScale};

pub use crate::coverage::{run as run_coverage, CoverageConfig, Grid, GridLayout};
pub use crate::error::{Error, Result};
pub use crate::frames::{Ellipsoid, Frame, Geodetic, Topocentric};
pub use crate::geometry::{dop, ClockModel, Dop, ElevationMask, LineOfSight};
pub use crate::id::{Constellation, SatId};
pub use crate::network::{Network, NetworkAnalysis, OrbitSamples, Station, TimeSpan};
pub use crate::orbit::broadcast::{BroadcastOptions, BroadcastSource};
pub use crate::orbit::nominal::NominalConstellation;
pub use crate::orbit::open::{open as open_orbit_source, OrbitSpec};
pub use crate::orbit::sp3::Sp3Source;
pub use crate::orbit::{OrbitSource, Propagator, SatState};
pub use crate::time::Scale;
