//! Elevation masks: constant or azimuth-dependent.

use serde::{Deserialize, Serialize};

use super::GeometryError;

/// An elevation mask: the minimum elevation at which a satellite counts as visible.
///
/// **Boundary:** a satellite is visible when its elevation is **greater than or equal to**
/// the mask (`elevation_deg >= min_elevation_deg(azimuth_deg)`), so a satellite exactly on
/// the mask counts. The fast coverage path compares `sin(el) ≥ sin(mask)` in squared form;
/// satellites within rounding (≈1e-12°) of the mask may fall either way there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ElevationMask {
    /// The same minimum elevation in every direction.
    Constant {
        /// Minimum elevation, degrees (−90…90).
        min_elevation_deg: f64,
    },
    /// A minimum elevation that depends on azimuth (terrain, buildings).
    Azimuthal(AzimuthMask),
}

impl ElevationMask {
    /// A constant mask, checked (finite, within −90…90°).
    pub fn constant(min_elevation_deg: f64) -> Result<Self, GeometryError> {
        check_elevation(min_elevation_deg)?;
        Ok(ElevationMask::Constant { min_elevation_deg })
    }

    /// Minimum elevation (degrees) in the direction `azimuth_deg` (degrees from north, any value;
    /// taken modulo 360).
    pub fn min_elevation_deg(&self, azimuth_deg: f64) -> f64 {
        match self {
            ElevationMask::Constant { min_elevation_deg } => *min_elevation_deg,
            ElevationMask::Azimuthal(t) => t.min_elevation_deg(azimuth_deg),
        }
    }

    /// The lowest elevation of the mask over all azimuths, degrees.
    pub fn lowest_deg(&self) -> f64 {
        match self {
            ElevationMask::Constant { min_elevation_deg } => *min_elevation_deg,
            ElevationMask::Azimuthal(t) => t.lowest_deg(),
        }
    }

    /// Whether a direction is visible: `elevation_deg >= min_elevation_deg(azimuth_deg)`.
    pub fn is_visible(&self, azimuth_deg: f64, elevation_deg: f64) -> bool {
        elevation_deg >= self.min_elevation_deg(azimuth_deg)
    }

    /// Check the mask (a `Constant` built by hand may hold any number).
    pub fn validate(&self) -> Result<(), GeometryError> {
        match self {
            ElevationMask::Constant { min_elevation_deg } => check_elevation(*min_elevation_deg),
            ElevationMask::Azimuthal(t) => {
                for &(az, el) in &t.table {
                    check_azimuth(az)?;
                    check_elevation(el)?;
                }
                Ok(())
            }
        }
    }
}

fn check_elevation(el: f64) -> Result<(), GeometryError> {
    if el.is_finite() && (-90.0..=90.0).contains(&el) {
        Ok(())
    } else {
        Err(GeometryError::InvalidElevation { elevation_deg: el })
    }
}

fn check_azimuth(az: f64) -> Result<(), GeometryError> {
    if az.is_finite() && (0.0..360.0).contains(&az) {
        Ok(())
    } else {
        Err(GeometryError::InvalidAzimuth { azimuth_deg: az })
    }
}

/// A table of (azimuth, minimum elevation) pairs, linearly interpolated in azimuth and
/// wrapping around north (between the last entry and the first entry + 360°).
///
/// A single entry is a constant mask.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AzimuthMask {
    /// (azimuth_deg in [0, 360), min_elevation_deg), strictly increasing in azimuth.
    table: Vec<(f64, f64)>,
}

impl AzimuthMask {
    /// A mask from (azimuth_deg, min_elevation_deg) pairs, in any order. Errors on an empty
    /// table, azimuths outside [0, 360), elevations outside −90…90, non-finite values or a
    /// repeated azimuth.
    pub fn new(mut table: Vec<(f64, f64)>) -> Result<Self, GeometryError> {
        if table.is_empty() {
            return Err(GeometryError::EmptyMask);
        }
        for &(az, el) in &table {
            check_azimuth(az)?;
            check_elevation(el)?;
        }
        table.sort_by(|a, b| a.0.total_cmp(&b.0));
        for w in table.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(GeometryError::RepeatedAzimuth {
                    azimuth_deg: w[0].0,
                });
            }
        }
        Ok(AzimuthMask { table })
    }

    /// The table, sorted by azimuth.
    pub fn table(&self) -> &[(f64, f64)] {
        &self.table
    }

    /// Lowest elevation in the table, degrees (the interpolation never goes below it).
    pub fn lowest_deg(&self) -> f64 {
        self.table
            .iter()
            .map(|&(_, e)| e)
            .fold(f64::INFINITY, f64::min)
    }

    /// Minimum elevation at an azimuth (degrees, taken modulo 360), linear between entries.
    pub fn min_elevation_deg(&self, azimuth_deg: f64) -> f64 {
        let t = &self.table;
        if t.len() == 1 {
            return t[0].1;
        }
        let az = azimuth_deg.rem_euclid(360.0);
        // First entry with azimuth > az.
        let i = t.partition_point(|&(a, _)| a <= az);
        let (a0, e0, a1, e1) = if i == 0 {
            // Before the first entry: between the last (− 360°) and the first.
            let (al, el) = t[t.len() - 1];
            (al - 360.0, el, t[0].0, t[0].1)
        } else if i == t.len() {
            // After the last entry: between the last and the first (+ 360°).
            let (al, el) = t[t.len() - 1];
            (al, el, t[0].0 + 360.0, t[0].1)
        } else {
            (t[i - 1].0, t[i - 1].1, t[i].0, t[i].1)
        };
        // e(az) = e0 + (e1 − e0)(az − a0)/(a1 − a0)
        e0 + (e1 - e0) * (az - a0) / (a1 - a0)
    }
}
