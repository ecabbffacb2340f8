//! PNG figures: world maps of gridded values, ground tracks, sky plots, paired bar charts and
//! time series, drawn with `plotters` and the embedded DejaVu Sans font.
//!
//! Sizes are fixed so that figures look alike in a report: maps and charts
//! [`CHART_SIZE_PX`] (1600 × 900), sky plots [`SKY_PLOT_SIZE_PX`] (1000 × 1000). The output
//! format follows the path's extension (`.png`).
//!
//! One file per figure family: [`maps`](mod@maps) (world maps and ground tracks),
//! [`sky`](mod@sky) (sky plots), [`charts`](mod@charts) (bar charts, time series, interval
//! timelines); colours in [`colors`](mod@colors). This file holds what they share: the canvas,
//! the font, axis formatting and the error plumbing. Every public item is re-exported here, so
//! `report::plot::NAME` is the one path to use.

use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::ReportError;

pub mod charts;
pub mod colors;
pub mod maps;
pub mod sky;

pub use charts::{
    bar_chart_pairs, interval_timeline, time_series, Series, TimelineFrame, TimelineRow,
    TIMELINE_PRIMARY, TIMELINE_SECONDARY,
};
pub use colors::{ColorScale, Rgb};
pub use maps::{ground_tracks, world_map, world_map_rows, GroundTrack, MapStyle, Marker};
pub use sky::{sky_plot, SkyTrack};

/// Size of world maps, ground-track maps, bar charts and time series, pixels (width, height).
pub const CHART_SIZE_PX: (u32, u32) = (1600, 900);
/// Size of sky plots, pixels (width, height).
pub const SKY_PLOT_SIZE_PX: (u32, u32) = (1000, 1000);

const FONT_BYTES: &[u8] = include_bytes!("../../../data/fonts/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";

// ---------------------------------------------------------------------------------------------
// Shared plumbing

fn ensure_font(path: &Path) -> Result<(), ReportError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, FONT_BYTES).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(ReportError::Draw {
            path: path.to_path_buf(),
            message: "the embedded DejaVu Sans font could not be loaded".into(),
        })
    }
}

fn draw_err<E: std::fmt::Display>(path: &Path) -> impl Fn(E) -> ReportError + '_ {
    move |e| ReportError::Draw {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

fn font(size: u32) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&BLACK)
}

/// Format an axis value compactly (no trailing zeros, at most 4 significant decimals).
fn fmt_value(v: &f64) -> String {
    // Axis positions computed as lo + k·step carry rounding (−5.55e−17 for zero).
    let v = if v.abs() < 1e-12 { 0.0 } else { *v };
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e5).contains(&a) {
        return format!("{v:.2e}");
    }
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

fn min_max(it: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    it.filter(|v| v.is_finite()).fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((a, b)) => Some((a.min(v), b.max(v))),
    })
}

fn multiples(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// A linear f64 axis whose grid lines and labels are exactly the given ticks (plotters' own
/// f64 axis only picks 1-2-5 steps, and its `WithKeyPoints` cannot take a label formatter).
struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ticked {
    fn new(range: Range<f64>, ticks: Vec<f64>) -> Self {
        Ticked {
            inner: range.into(),
            ticks,
        }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

fn new_root<'a>(path: &'a Path, size: (u32, u32)) -> Result<Area<'a>, ReportError> {
    ensure_font(path)?;
    let root = BitMapBackend::new(path, size).into_drawing_area();
    root.fill(&WHITE).map_err(draw_err(path))?;
    Ok(root)
}

fn titled<'a>(root: &Area<'a>, title: &str, path: &Path) -> Result<Area<'a>, ReportError> {
    root.margin(14, 0, 0, 0)
        .titled(title, font(32))
        .map_err(draw_err(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_values() {
        assert_eq!(fmt_value(&0.5), "0.5");
        assert_eq!(fmt_value(&2.0), "2");
    }
}
