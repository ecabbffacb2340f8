//! The default of each study parameter, defined once and used by every door: the library's
//! configurations ([`crate::coverage::CoverageConfig::new`], [`crate::network::StudySettings`],
//! stations), scenario files (`[user]`, `[networks]`) and the command line (`--mask`,
//! `--step`, `--pdop-max`, …). A test (`tests/cli_doors.rs`) checks that both doors agree.

/// User elevation mask, degrees: 5°, the mask of the GLONASS operator's availability
/// definition (glonass-iac.ru, "PDOP ≤ 6 above 5°").
pub const USER_MASK_DEG: f64 = 5.0;

/// Elevation mask of a monitoring station that does not give its own, degrees: 5°.
pub const STATION_MASK_DEG: f64 = 5.0;

/// A user point counts as available when PDOP ≤ this (glonass-iac.ru: PDOP ≤ 6).
pub const AVAILABILITY_PDOP_MAX: f64 = 6.0;

/// Ground tracks drawn by a monitoring study: those of the this-many least-tracked satellites
/// (`monitor --tracks`, a scenario's `[monitor]`).
pub const GROUND_TRACKS: usize = 8;

/// Time step of a study when none is given, seconds: 300 s (the sampling of the IGS/MGEX
/// precise orbits, so every epoch is a node of an SP3 file).
pub const STEP_S: f64 = 300.0;

// The grid layout default — points at the centres of step × step cells — is
// `GridLayout::default()` in `crate::coverage` (a type above this module), used by the
// `--layout` flags and scenario `[grid] layout` alike.
