//! Natural Earth 1:110m land outlines, embedded and parsed once.
//!
//! Source and format: `data/coastlines/README.md` (public domain, via geopandas' bundled
//! `naturalearth_lowres` dataset, country polygons dissolved into land).

use std::sync::OnceLock;

const LAND_TXT: &str = include_str!("../../data/coastlines/ne_110m_land.txt");

/// A closed ring of (lon_deg, lat_deg) points. Outer rings run counter-clockwise,
/// holes (the Caspian Sea) clockwise.
pub type Ring = Vec<(f64, f64)>;

/// The land rings, parsed from the embedded file on first use.
pub fn land_rings() -> &'static [Ring] {
    static RINGS: OnceLock<Vec<Ring>> = OnceLock::new();
    RINGS.get_or_init(|| parse(LAND_TXT))
}

/// Whether a ring is a hole (clockwise, negative signed area in lon/lat).
pub fn is_hole(ring: &[(f64, f64)]) -> bool {
    // Shoelace formula: 2A = Σ (x_i y_{i+1} − x_{i+1} y_i)
    let twice_area: f64 = ring
        .windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum();
    twice_area < 0.0
}

/// Whether the edge between two ring points is an artefact of the data set rather than a
/// coastline: a cut along the antimeridian or Antarctica's closing edge along the South Pole.
pub fn is_artificial_edge(p: (f64, f64), q: (f64, f64)) -> bool {
    let on_meridian = p.0.abs() >= 179.99 && q.0.abs() >= 179.99 && p.0.signum() == q.0.signum();
    let on_pole = p.1 <= -89.9 && q.1 <= -89.9;
    on_meridian || on_pole
}

fn parse(text: &str) -> Vec<Ring> {
    let mut rings = Vec::new();
    let mut current: Ring = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line == ">" {
            if current.len() >= 3 {
                rings.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        }
        let mut it = line.split_whitespace().map(str::parse::<f64>);
        // The file is embedded and checked by the tests; a malformed line is skipped.
        if let (Some(Ok(lon)), Some(Ok(lat))) = (it.next(), it.next()) {
            current.push((lon, lat));
        }
    }
    if current.len() >= 3 {
        rings.push(current);
    }
    rings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_file_parses_completely() {
        // Every non-comment line is '>' or a pair of numbers; the extraction wrote 128 rings
        // with 5,140 points (see data/coastlines/README.md).
        let points: usize = land_rings().iter().map(Vec::len).sum();
        assert_eq!(land_rings().len(), 128);
        assert_eq!(points, 5140);
        let holes = land_rings().iter().filter(|r| is_hole(r)).count();
        assert_eq!(holes, 1, "only the Caspian Sea is a hole");
        for r in land_rings() {
            assert_eq!(r.first(), r.last(), "rings are closed");
            for &(lon, lat) in r {
                assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
            }
        }
    }
}
