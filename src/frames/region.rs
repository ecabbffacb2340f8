//! Latitude/longitude boxes and the one lattice builder of the crate.
//!
//! **The antimeridian rule.** A box runs *east* from `lon_min_deg` to `lon_max_deg`. Its
//! east–west extent is `lon_max − lon_min`, plus 360° when that is negative, so a box across
//! 180° can be written either way: `170 … 190` and `170 … −170` are the same 20° box. An extent
//! of 360° (e.g. `−180 … 180`, `0 … 360`) is every longitude. Longitudes produced here (lattice
//! nodes) are brought into [−180°, 180°] by whole turns (±180 stay as they are).

use serde::{Deserialize, Serialize};

use super::Geodetic;

/// Tolerance on lattice arithmetic, degrees (keeps `180 / 1` at 181 nodes, not 180).
const EPS_DEG: f64 = 1e-9;

/// A latitude/longitude box, degrees, with the antimeridian rule of this module.
///
/// ```
/// use gnss_interop::frames::{Geodetic, Region};
/// // The same 20° box across 180°, written both ways.
/// let a = Region { lat_min_deg: -10.0, lat_max_deg: 10.0, lon_min_deg: 170.0, lon_max_deg: 190.0 };
/// let b = Region { lon_max_deg: -170.0, ..a };
/// assert_eq!(a.lon_extent_deg(), 20.0);
/// assert_eq!(a.lattice(10.0), b.lattice(10.0));
/// assert!(b.contains(&Geodetic::new(0.0, -175.0, 0.0)));
/// assert!(!b.contains(&Geodetic::new(0.0, 0.0, 0.0)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Region {
    /// Southern edge, degrees (≥ −90).
    pub lat_min_deg: f64,
    /// Northern edge, degrees (≤ 90, ≥ `lat_min_deg`).
    pub lat_max_deg: f64,
    /// Western edge, degrees.
    pub lon_min_deg: f64,
    /// Eastern edge, degrees (less than `lon_min_deg`, or above 180, to cross 180°).
    pub lon_max_deg: f64,
}

impl Region {
    /// The whole Earth, −90…90 × −180…180.
    pub const GLOBAL: Region = Region {
        lat_min_deg: -90.0,
        lat_max_deg: 90.0,
        lon_min_deg: -180.0,
        lon_max_deg: 180.0,
    };

    /// East–west extent, degrees: `lon_max − lon_min`, plus 360° when negative.
    pub fn lon_extent_deg(&self) -> f64 {
        let d = self.lon_max_deg - self.lon_min_deg;
        if d < 0.0 {
            d + 360.0
        } else {
            d
        }
    }

    /// The eastern edge counted from the western one (`lon_min + extent`, ≥ `lon_min`): the
    /// form for builders that want an increasing longitude range (e.g. 170 … 190).
    pub fn lon_east_deg(&self) -> f64 {
        self.lon_min_deg + self.lon_extent_deg()
    }

    /// Whether the box spans every longitude.
    pub fn is_full_turn(&self) -> bool {
        self.lon_extent_deg() >= 360.0 - EPS_DEG
    }

    /// Whether a point is inside the box (edges included): inside when
    /// (λ − λ_min) mod 360 ≤ extent.
    pub fn contains(&self, g: &Geodetic) -> bool {
        if g.lat_deg < self.lat_min_deg - EPS_DEG || g.lat_deg > self.lat_max_deg + EPS_DEG {
            return false;
        }
        if self.is_full_turn() {
            return true;
        }
        let d = (g.lon_deg - self.lon_min_deg).rem_euclid(360.0);
        d <= self.lon_extent_deg() + EPS_DEG || d >= 360.0 - EPS_DEG
    }

    /// Node coordinates `(lat_deg, lon_deg)` of a lattice with spacing `step_deg` from the
    /// south-west corner, row by row (south to north, west to east); both edges are included
    /// when the box is a whole number of steps, and a full turn of longitude omits the eastern
    /// column that repeats the western one. Longitudes are brought into [−180, 180]
    /// ([`normalise_lon_deg`]).
    pub fn lattice(&self, step_deg: f64) -> Vec<(f64, f64)> {
        let lats = lattice_axis(self.lat_min_deg, self.lat_max_deg, step_deg, false);
        let lons: Vec<f64> = lattice_axis(
            self.lon_min_deg,
            self.lon_east_deg(),
            step_deg,
            self.is_full_turn(),
        )
        .into_iter()
        .map(normalise_lon_deg)
        .collect();
        let mut out = Vec::with_capacity(lats.len() * lons.len());
        for &lat in &lats {
            for &lon in &lons {
                out.push((lat, lon));
            }
        }
        out
    }

    /// Number of nodes of [`Region::lattice`] without building it (saturating: an absurd step
    /// gives a huge count rather than an overflow).
    pub fn lattice_len(&self, step_deg: f64) -> usize {
        let lat = axis_len(self.lat_min_deg, self.lat_max_deg, step_deg, false);
        let lon = axis_len(
            self.lon_min_deg,
            self.lon_east_deg(),
            step_deg,
            self.is_full_turn(),
        );
        lat.saturating_mul(lon)
    }
}

/// A longitude brought into [−180°, 180°] by whole turns; ±180 stay as given (as the
/// coverage grids have always written them).
pub fn normalise_lon_deg(lon_deg: f64) -> f64 {
    if !lon_deg.is_finite() || lon_deg.abs() == 180.0 {
        return lon_deg;
    }
    let l = lon_deg.rem_euclid(360.0); // [0, 360)
    if l > 180.0 {
        l - 360.0
    } else {
        l
    }
}

fn axis_len(lo: f64, hi: f64, step: f64, drop_full_turn: bool) -> usize {
    // n = ⌊(hi − lo) / step⌋ + 1 nodes (`as usize` saturates on huge or non-finite ratios).
    let n = (((hi - lo) / step + EPS_DEG).floor() as usize).saturating_add(1);
    let last = lo + (n - 1) as f64 * step;
    if drop_full_turn && (last - hi).abs() < EPS_DEG && n > 1 {
        n - 1
    } else {
        n
    }
}

/// The one lattice axis of the crate: `lo, lo + step, …` not beyond `hi` (both ends when
/// `hi − lo` is a whole number of steps); with `drop_full_turn`, a last node equal to `hi` is
/// left out (it repeats `lo` after a full turn of longitude). Used by [`Region::lattice`] and
/// by the node layout of coverage grids.
pub fn lattice_axis(lo: f64, hi: f64, step: f64, drop_full_turn: bool) -> Vec<f64> {
    let n = axis_len(lo, hi, step, drop_full_turn);
    (0..n).map(|i| lo + i as f64 * step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_longitudes() {
        assert_eq!(normalise_lon_deg(190.0), -170.0);
        assert_eq!(normalise_lon_deg(-180.0), -180.0);
        assert_eq!(normalise_lon_deg(180.0), 180.0);
        assert_eq!(normalise_lon_deg(360.0), 0.0);
        assert_eq!(normalise_lon_deg(540.0), 180.0);
        assert_eq!(normalise_lon_deg(-190.0), 170.0);
        assert_eq!(normalise_lon_deg(-30.0), -30.0);
    }

    /// The same box across 180°, in the three spellings the rule allows.
    fn across() -> [Region; 3] {
        let a = Region {
            lat_min_deg: -10.0,
            lat_max_deg: 10.0,
            lon_min_deg: 170.0,
            lon_max_deg: 190.0,
        };
        [
            a,
            Region {
                lon_max_deg: -170.0,
                ..a
            },
            Region {
                lon_min_deg: -190.0,
                lon_max_deg: -170.0,
                ..a
            },
        ]
    }

    #[test]
    fn contains_across_180() {
        for r in across() {
            assert_eq!(r.lon_extent_deg(), 20.0, "{r:?}");
            for lon in [170.0, 175.0, 180.0, -180.0, -175.0, -170.0] {
                assert!(r.contains(&Geodetic::new(0.0, lon, 0.0)), "{r:?} {lon}");
            }
            for lon in [169.0, -169.0, 0.0, 90.0, -90.0] {
                assert!(!r.contains(&Geodetic::new(0.0, lon, 0.0)), "{r:?} {lon}");
            }
            assert!(!r.contains(&Geodetic::new(11.0, 180.0, 0.0)));
        }
    }

    #[test]
    fn lattice_across_180() {
        // 170 … 190 every 5°: 170, 175, 180, −175, −170 (5 columns) × −10, −5, 0, 5, 10.
        let want_lons = [170.0, 175.0, 180.0, -175.0, -170.0];
        let [a, b, c] = across();
        let l = a.lattice(5.0);
        assert_eq!(l.len(), 25);
        assert_eq!(a.lattice_len(5.0), 25);
        let lons: Vec<f64> = l[..5].iter().map(|p| p.1).collect();
        assert_eq!(lons, want_lons);
        assert_eq!(b.lattice(5.0), l);
        // Written from −190 the 180° column is −180 (the same meridian).
        let lc: Vec<f64> = c.lattice(5.0)[..5].iter().map(|p| p.1).collect();
        assert_eq!(lc, [170.0, 175.0, -180.0, -175.0, -170.0]);
    }

    #[test]
    fn every_lattice_node_is_inside_its_box() {
        for r in across().into_iter().chain([
            Region::GLOBAL,
            Region {
                lat_min_deg: 20.0,
                lat_max_deg: 60.0,
                lon_min_deg: 100.0,
                lon_max_deg: -100.0,
            },
            Region {
                lat_min_deg: -60.0,
                lat_max_deg: 60.0,
                lon_min_deg: 0.0,
                lon_max_deg: 360.0,
            },
        ]) {
            let nodes = r.lattice(2.5);
            assert_eq!(nodes.len(), r.lattice_len(2.5), "{r:?}");
            for (lat, lon) in nodes {
                assert!((-180.0..=180.0).contains(&lon), "{r:?}: {lon}");
                assert!(
                    r.contains(&Geodetic::new(lat, lon, 0.0)),
                    "{r:?}: {lat} {lon}"
                );
            }
        }
        // A full turn has no repeated column: 360 / 2.5 = 144 columns, 181 × 360 at 1°.
        assert_eq!(Region::GLOBAL.lattice_len(2.5), 73 * 144);
        assert_eq!(Region::GLOBAL.lattice(1.0).len(), 181 * 360);
        // 100° E → 100° W across 180°: 160° wide, 65 columns at 2.5°.
        let pacific = Region {
            lat_min_deg: 0.0,
            lat_max_deg: 0.0,
            lon_min_deg: 100.0,
            lon_max_deg: -100.0,
        };
        assert_eq!(pacific.lattice_len(2.5), 65);
        assert!(!pacific.contains(&Geodetic::new(0.0, 0.0, 0.0)));
    }
}
