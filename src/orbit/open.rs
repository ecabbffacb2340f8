//! Opening an orbit source from a short description (what the CLI flags and scenario files
//! name): the embedded nominal constellations, a broadcast navigation file, or an SP3 file.

use std::path::PathBuf;

use crate::ephemeris::Sp3Product;
use crate::id::Constellation;

use super::broadcast::{BroadcastOptions, BroadcastSource};
use super::filter::Restricted;
use super::nominal::NominalConstellation;
use super::sp3::{Sp3Source, DEFAULT_ORDER};
use super::{OrbitError, OrbitSource};

/// Where satellite states come from.
#[derive(Debug, Clone, PartialEq)]
pub enum OrbitSpec {
    /// The embedded nominal BDS-3 and GLONASS constellations (no data needed).
    Nominal,
    /// Broadcast ephemerides from a RINEX 2/3/4 navigation file (optionally gzip).
    Nav(PathBuf),
    /// Precise orbits from an SP3-c/d file.
    Sp3(PathBuf),
}

/// Open the source described by `spec`, limited to `systems` (an empty list is an error).
pub fn open(spec: &OrbitSpec, systems: &[Constellation]) -> crate::Result<Box<dyn OrbitSource>> {
    if systems.is_empty() {
        return Err(OrbitError::EmptySelection {
            reason: "no constellation given".to_string(),
        }
        .into());
    }
    Ok(match spec {
        OrbitSpec::Nominal => Box::new(Restricted::to_systems(
            NominalConstellation::both(),
            systems,
        )),
        OrbitSpec::Nav(path) => Box::new(BroadcastSource::from_file(
            path,
            systems,
            BroadcastOptions::default(),
        )?),
        OrbitSpec::Sp3(path) => Box::new(Restricted::to_systems(
            Sp3Source::new(Sp3Product::from_file(path)?, DEFAULT_ORDER)?,
            systems,
        )),
    })
}
