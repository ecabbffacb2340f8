//! Evaluation grids: global or regional latitude/longitude grids and explicit point lists.

use serde::{Deserialize, Serialize};

use crate::frames::{Geodetic, Region};

use super::CoverageError;

/// Where the points of a latitude/longitude grid sit. Written `centres` (or `cell-centres`)
/// and `nodes` at every door (`--layout`, scenario `[grid] layout`); the default, at every
/// door, is [`GridLayout::CellCentres`]: equal-area-weighted cells with no point on a pole.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GridLayout {
    /// Centres of step × step cells: a global 1° grid has latitudes −89.5…89.5 and longitudes
    /// −179.5…179.5 (180 × 360 points); no point on a pole.
    #[default]
    #[serde(rename = "centres", alias = "cell-centres")]
    CellCentres,
    /// Nodes: a global 1° grid has latitudes −90…90 and longitudes −180…179 (181 × 360 points,
    /// longitude 180 = −180 not repeated); a regional grid includes both edges where the span is a
    /// whole number of steps.
    Nodes,
}

/// A regular latitude/longitude grid as a study describes it (scenario `[grid]`, the
/// `coverage` and `compare-layouts` flags): built into a [`Grid`] by [`GridSpec::build`], the
/// one lattice builder of every door.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GridSpec {
    /// Spacing, degrees (0 < s ≤ 30 in scenario files).
    pub step_deg: f64,
    /// Extent ([`Region::GLOBAL`] for the whole globe).
    pub region: Region,
    /// Ellipsoidal height of every point, metres.
    pub height_m: f64,
    /// Where the points sit.
    pub layout: GridLayout,
}

impl GridSpec {
    /// The whole globe at `step_deg`, points at height 0 in the default layout.
    pub fn global(step_deg: f64) -> Self {
        GridSpec {
            step_deg,
            region: Region::GLOBAL,
            height_m: 0.0,
            layout: GridLayout::default(),
        }
    }

    /// Number of grid points.
    pub fn point_count(&self) -> usize {
        self.layout.points_in(&self.region, self.step_deg)
    }

    /// The grid ([`Grid::regional`] over the region, east from `lon_min`).
    pub fn build(&self) -> Result<Grid, CoverageError> {
        let r = self.region;
        Grid::regional(
            r.lat_min_deg,
            r.lat_max_deg,
            r.lon_min_deg,
            r.lon_east_deg(),
            self.step_deg,
            self.layout,
            self.height_m,
        )
    }
}

/// A set of evaluation points, organised in rows (one row = one latitude for lat/lon grids;
/// consecutive chunks for point lists), each with an area weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    points: Vec<Geodetic>,
    weights: Vec<f64>,
    /// Start index of each row; rows are the unit of parallel work.
    row_starts: Vec<usize>,
}

/// Rows of explicit point lists hold this many points.
const LIST_ROW: usize = 64;

fn check_step(step_deg: f64) -> Result<(), CoverageError> {
    if !(step_deg.is_finite() && step_deg > 0.0 && step_deg <= 90.0) {
        return Err(CoverageError::InvalidStep { step_deg });
    }
    Ok(())
}

fn check_lat(lat_deg: f64) -> Result<(), CoverageError> {
    if !(lat_deg.is_finite() && (-90.0..=90.0).contains(&lat_deg)) {
        return Err(CoverageError::LatitudeOutOfRange { lat_deg });
    }
    Ok(())
}

fn check_height(height_m: f64) -> Result<(), CoverageError> {
    if !height_m.is_finite() {
        return Err(CoverageError::InvalidHeight { height_m });
    }
    Ok(())
}

/// Number of whole steps in [lo, hi] (tolerant to rounding of e.g. 0.1° steps): the number of
/// cell centres along one axis.
fn whole_steps(lo: f64, hi: f64, step: f64) -> usize {
    ((hi - lo) / step + 1e-9).floor() as usize
}

/// Coordinates along one axis: cell centres or nodes of `step` over [lo, hi]; `wrap` drops a
/// last node that coincides with the first after a full turn.
fn axis(lo: f64, hi: f64, step: f64, layout: GridLayout, full_turn: bool) -> Vec<f64> {
    match layout {
        GridLayout::CellCentres => (0..whole_steps(lo, hi, step))
            .map(|i| lo + (i as f64 + 0.5) * step)
            .collect(),
        GridLayout::Nodes => crate::frames::lattice_axis(lo, hi, step, full_turn),
    }
}

impl GridLayout {
    /// The name written at the doors: `centres` or `nodes`.
    pub fn name(self) -> &'static str {
        match self {
            GridLayout::CellCentres => "centres",
            GridLayout::Nodes => "nodes",
        }
    }

    /// Number of points of a grid of `step_deg` over `region` in this layout (what
    /// [`Grid::regional`] would build), without building it.
    pub fn points_in(self, region: &crate::frames::Region, step_deg: f64) -> usize {
        match self {
            GridLayout::Nodes => region.lattice_len(step_deg),
            GridLayout::CellCentres => {
                whole_steps(region.lat_min_deg, region.lat_max_deg, step_deg).saturating_mul(
                    whole_steps(region.lon_min_deg, region.lon_east_deg(), step_deg),
                )
            }
        }
    }
}

impl std::fmt::Display for GridLayout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for GridLayout {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "centres" | "cell-centres" | "centers" => Ok(GridLayout::CellCentres),
            "nodes" => Ok(GridLayout::Nodes),
            other => Err(format!(
                "unknown grid layout \"{other}\": expected \"centres\" or \"nodes\""
            )),
        }
    }
}

impl Grid {
    /// A global grid with a step in degrees (0 < step ≤ 90), points at `height_m` above the ellipsoid.
    pub fn global(step_deg: f64, layout: GridLayout, height_m: f64) -> Result<Self, CoverageError> {
        Grid::regional(-90.0, 90.0, -180.0, 180.0, step_deg, layout, height_m)
    }

    /// A regional grid over [lat_min, lat_max] × [lon_min, lon_max] (degrees; the longitude span may
    /// cross 180°, e.g. 150…210, and must be > 0 and ≤ 360).
    ///
    /// Each point's area weight is the area of the step × step cell around it on the sphere,
    /// clipped at the poles: ∝ sin(min(φ + h, 90°)) − sin(max(φ − h, −90°)), h = step/2 (for cell
    /// centres this is 2 sin h cos φ, i.e. cos φ weighting).
    pub fn regional(
        lat_min_deg: f64,
        lat_max_deg: f64,
        lon_min_deg: f64,
        lon_max_deg: f64,
        step_deg: f64,
        layout: GridLayout,
        height_m: f64,
    ) -> Result<Self, CoverageError> {
        check_step(step_deg)?;
        check_lat(lat_min_deg)?;
        check_lat(lat_max_deg)?;
        check_height(height_m)?;
        let lon_span = lon_max_deg - lon_min_deg;
        if !(lon_min_deg.is_finite() && lon_max_deg.is_finite() && lon_span <= 360.0)
            || lat_max_deg < lat_min_deg
            || lon_span < 0.0
        {
            return Err(CoverageError::EmptyRegion {
                lat_min_deg,
                lat_max_deg,
                lon_min_deg,
                lon_max_deg,
            });
        }
        let lats = axis(lat_min_deg, lat_max_deg, step_deg, layout, false);
        let full = (lon_span - 360.0).abs() < 1e-9;
        let lons = axis(lon_min_deg, lon_max_deg, step_deg, layout, full);
        if lats.is_empty() || lons.is_empty() {
            return Err(CoverageError::EmptyRegion {
                lat_min_deg,
                lat_max_deg,
                lon_min_deg,
                lon_max_deg,
            });
        }
        let h = (step_deg / 2.0).to_radians();
        let half_pi = std::f64::consts::FRAC_PI_2;
        let mut points = Vec::with_capacity(lats.len() * lons.len());
        let mut weights = Vec::with_capacity(points.capacity());
        let mut row_starts = Vec::with_capacity(lats.len());
        for &lat in &lats {
            row_starts.push(points.len());
            let phi = lat.to_radians();
            let w = (phi + h).min(half_pi).sin() - (phi - h).max(-half_pi).sin();
            for &lon in &lons {
                // Longitudes normalised to (−180, 180].
                let mut l = lon;
                if l > 180.0 {
                    l -= 360.0;
                }
                points.push(Geodetic::new(lat, l, height_m));
                weights.push(w);
            }
        }
        Ok(Grid {
            points,
            weights,
            row_starts,
        })
    }

    /// An explicit list of points, equal weights. Errors on an empty list, a latitude outside
    /// ±90° or a non-finite coordinate.
    pub fn points(points: Vec<Geodetic>) -> Result<Self, CoverageError> {
        if points.is_empty() {
            return Err(CoverageError::EmptyPointList);
        }
        for p in &points {
            check_lat(p.lat_deg)?;
            check_height(p.height_m)?;
            if !p.lon_deg.is_finite() {
                return Err(CoverageError::InvalidLongitude { lon_deg: p.lon_deg });
            }
        }
        let weights = vec![1.0; points.len()];
        let row_starts = (0..points.len()).step_by(LIST_ROW).collect();
        Ok(Grid {
            points,
            weights,
            row_starts,
        })
    }

    /// The points.
    pub fn geodetic(&self) -> &[Geodetic] {
        &self.points
    }

    /// Area weight of each point (relative; see [`Grid::regional`]).
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether the grid has no points (never true for a constructed grid).
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Index ranges of the rows.
    pub fn rows(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        self.row_starts.iter().enumerate().map(move |(i, &s)| {
            let e = self
                .row_starts
                .get(i + 1)
                .copied()
                .unwrap_or(self.points.len());
            s..e
        })
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.row_starts.len()
    }

    /// The points of rows `rows` (row indices, as in [`Grid::rows`]) as a grid of their own,
    /// with the same coordinates, weights and row structure: a shard of a sharded run. Every
    /// point's statistics computed on the part equal those computed on the whole grid.
    pub fn select_rows(&self, rows: std::ops::Range<usize>) -> Grid {
        let rows = rows.start.min(self.n_rows())..rows.end.min(self.n_rows());
        let bounds: Vec<std::ops::Range<usize>> =
            self.rows().skip(rows.start).take(rows.len()).collect();
        let (first, last) = match (bounds.first(), bounds.last()) {
            (Some(f), Some(l)) => (f.start, l.end),
            _ => (0, 0),
        };
        Grid {
            points: self.points[first..last].to_vec(),
            weights: self.weights[first..last].to_vec(),
            row_starts: bounds.iter().map(|r| r.start - first).collect(),
        }
    }

    /// Number of points of each row (the work of a row is proportional to it).
    pub fn row_lengths(&self) -> Vec<usize> {
        self.rows().map(|r| r.len()).collect()
    }
}
