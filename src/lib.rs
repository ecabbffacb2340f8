#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

//! # Module catalogue
//!
//! | module | what it does |
//! |---|---|
//! | [`consts`] | physical constants of CGCS2000, PZ-90.11 and WGS84, each with its source |
//! | [`id`] | [`id::SatId`], [`id::Constellation`] and the BeiDou orbit class |
//! | [`error`] | the crate-level [`Error`] wrapping each module's typed error |
//! | [`time`] | time scales (TAI, UTC, GPST, BDT, GLONASST), weeks, and broadcast inter-system offsets |
//! | [`frames`] | ellipsoids, geodetic ⇄ ECEF, ENU and az/el, Helmert transformations |
//! | [`ephemeris`] | typed BeiDou/GLONASS broadcast records and SP3 tables, and their readers |
//! | [`orbit`] | propagators and orbit sources: BDS Kepler, GLONASS integration, SP3, nominal |
//! | [`realised`] | BDT − GLONASST as realised: precise minus broadcast satellite clocks per group, robust means, channel slope, comparison with the broadcast paths |
//! | [`report`] | CSV / JSON / GeoJSON writers and PNG figures (maps, ground tracks, sky plots, charts) |
//! | [`scenario`] | TOML scenario files: the typed, fully validated description of a study |
//! | [`network`] | monitoring stations and networks: tracking, station DOP, age-of-data range error, comparisons, layout search |
//! | [`geometry`] | elevation masks, lines of sight, DOP under a clock model with optional weights |
//! | [`coverage`] | grid × time DOP and visibility statistics in parallel, area-weighted summaries |
//! | [`prelude`] | one glob import of the names most programs use (`use gnss_interop::prelude::*;`) |

pub mod consts;
pub mod coverage;
pub mod defaults;
pub mod ephemeris;
pub mod error;
pub mod frames;
pub mod geometry;
pub mod id;
pub mod limits;
pub mod network;
pub mod orbit;
pub mod outdir;
pub mod prelude;
pub mod realised;
pub mod report;
pub mod scenario;
mod text;
pub mod time;

pub use error::{Error, Result};
