//! Reports: CSV, JSON and GeoJSON writers ([`write`](mod@write)) and PNG figures ([`plot`]): world maps
//! of gridded values, ground tracks, sky plots, paired bar charts and time series.
//!
//! Everything needed to draw is embedded in the library: the DejaVu Sans font
//! (`data/fonts/`, Bitstream Vera licence) and the Natural Earth 1:110m land outlines
//! (`data/coastlines/`, public domain), so figures render identically on any machine.
//!
//! Every function takes the output path and returns a [`ReportError`] carrying that path.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub mod coastlines;
pub mod plot;
pub mod write;

/// Errors of the report writers and plots; each carries the output path.
#[derive(Debug, Error)]
pub enum ReportError {
    /// The file could not be created or written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// Output path.
        path: PathBuf,
        /// Underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// CSV serialisation failed.
    #[error("cannot write CSV {path}: {source}")]
    Csv {
        /// Output path.
        path: PathBuf,
        /// Underlying CSV error.
        #[source]
        source: csv::Error,
    },
    /// JSON serialisation failed.
    #[error("cannot write JSON {path}: {source}")]
    Json {
        /// Output path.
        path: PathBuf,
        /// Underlying JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// The plotting backend failed (includes failures to encode or save the PNG).
    #[error("cannot draw {path}: {message}")]
    Draw {
        /// Output path.
        path: PathBuf,
        /// The backend's message.
        message: String,
    },
    /// The data given cannot be drawn or written as asked.
    #[error("invalid input for {path}: {message}")]
    InvalidInput {
        /// Output path.
        path: PathBuf,
        /// What is wrong, with the offending values.
        message: String,
    },
}

impl ReportError {
    pub(crate) fn invalid(path: &Path, message: impl Into<String>) -> Self {
        ReportError::InvalidInput {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

/// Values on a regular latitude × longitude grid of cell centres.
///
/// `values` is row-major: the value of cell (`lats_deg[i]`, `lons_deg[j]`) is
/// `values[i * lons_deg.len() + j]`; `None` is "no data". Cells are `step_deg` wide in both
/// directions and centred on the given coordinates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridField {
    /// Latitudes of the cell centres, degrees.
    pub lats_deg: Vec<f64>,
    /// Longitudes of the cell centres, degrees (−180…180 or 0…360).
    pub lons_deg: Vec<f64>,
    /// Row-major values (latitude-major), `lats_deg.len() * lons_deg.len()` of them.
    pub values: Vec<Option<f64>>,
    /// Cell size, degrees.
    pub step_deg: f64,
}

impl GridField {
    /// The value of cell (`i_lat`, `i_lon`), `None` when absent or not finite.
    pub fn value(&self, i_lat: usize, i_lon: usize) -> Option<f64> {
        self.values
            .get(i_lat * self.lons_deg.len() + i_lon)
            .copied()
            .flatten()
            .filter(|v| v.is_finite())
    }

    /// South and north edges of the cells centred on latitude `lat_deg` (half a step either
    /// side), clamped to the poles, degrees.
    pub fn lat_edges_deg(&self, lat_deg: f64) -> (f64, f64) {
        let half = self.step_deg / 2.0;
        ((lat_deg - half).max(-90.0), (lat_deg + half).min(90.0))
    }

    /// Check the shape and the step; `Err` says what is wrong.
    pub(crate) fn check(&self, path: &Path) -> Result<(), ReportError> {
        self.check_axes(path)?;
        let n = self.lats_deg.len() * self.lons_deg.len();
        if self.values.len() != n {
            return Err(ReportError::invalid(
                path,
                format!(
                    "grid has {} values but {} latitudes × {} longitudes = {n} cells",
                    self.values.len(),
                    self.lats_deg.len(),
                    self.lons_deg.len()
                ),
            ));
        }
        Ok(())
    }

    /// Check the axes and the step, not the values (for maps whose values are read through a
    /// function, see [`plot::world_map_rows`]).
    pub(crate) fn check_axes(&self, path: &Path) -> Result<(), ReportError> {
        if self.lats_deg.is_empty() || self.lons_deg.is_empty() {
            return Err(ReportError::invalid(path, "grid has no cells"));
        }
        if !(self.step_deg.is_finite() && self.step_deg > 0.0 && self.step_deg <= 180.0) {
            return Err(ReportError::invalid(
                path,
                format!("grid step {} deg is not in (0, 180]", self.step_deg),
            ));
        }
        let bad = self
            .lats_deg
            .iter()
            .chain(&self.lons_deg)
            .find(|v| !v.is_finite());
        if let Some(v) = bad {
            return Err(ReportError::invalid(
                path,
                format!("grid coordinate {v} is not finite"),
            ));
        }
        Ok(())
    }
}
