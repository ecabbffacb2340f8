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
//! the font, axis formatting, track checking and cutting, the error plumbing, and the one
//! legend helper every legend goes through (series keys, bar swatches, a map's "no data"
//! key). Every public item is re-exported here, so `report::plot::NAME` is the one path to use.

use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// A white canvas of `size` pixels drawing into `path`, and the area below its `title`.
fn canvas<'a>(
    path: &'a Path,
    size: (u32, u32),
    title: &str,
) -> Result<(Area<'a>, Area<'a>), ReportError> {
    ensure_font(path)?;
    let root = BitMapBackend::new(path, size).into_drawing_area();
    root.fill(&WHITE).map_err(draw_err(path))?;
    let body = root
        .margin(14, 0, 0, 0)
        .titled(title, font(32))
        .map_err(draw_err(path))?;
    Ok((root, body))
}

// ---------------------------------------------------------------------------------------------
// Legends and tracks

/// What stands left of a legend label.
#[derive(Debug, Clone, Copy)]
enum LegendKey {
    /// A short line in the series' colour (lines and tracks).
    Line(RGBColor),
    /// A filled swatch (bars, map cells).
    Swatch(RGBColor),
}

/// Where a legend box goes in its area.
#[derive(Debug, Clone, Copy)]
enum LegendPlace {
    /// The upper right corner, 5 px in.
    UpperRight,
    /// The lower left corner, 5 px in.
    LowerLeft,
    /// The box's upper left corner at this pixel of the area.
    At(i32, i32),
}

/// The one legend of every figure: a framed, nearly opaque box in `area` (pixel coordinates,
/// e.g. a chart's `plotting_area().strip_coord_spec()`) with one row per entry, its key then its
/// label. Nothing is drawn for no entries.
fn draw_legend(
    area: &Area<'_>,
    place: LegendPlace,
    entries: &[(LegendKey, &str)],
    path: &Path,
) -> Result<(), ReportError> {
    const PAD: i32 = 6;
    const KEY_W: i32 = 26;
    const GAP: i32 = 8;
    if entries.is_empty() {
        return Ok(());
    }
    let style = font(17).pos(Pos::new(HPos::Left, VPos::Center));
    let mut text_w = 0;
    let mut row_h = 0;
    for (_, label) in entries {
        let (w, h) = area
            .estimate_text_size(label, &style)
            .map_err(draw_err(path))?;
        text_w = text_w.max(w as i32);
        row_h = row_h.max(h as i32 + 4);
    }
    let (w, h) = (
        PAD + KEY_W + GAP + text_w + PAD,
        PAD + row_h * entries.len() as i32 + PAD,
    );
    let (aw, ah) = area.dim_in_pixel();
    let (x0, y0) = match place {
        LegendPlace::UpperRight => (aw as i32 - w - 5, 5),
        LegendPlace::LowerLeft => (5, ah as i32 - h - 5),
        LegendPlace::At(x, y) => (x, y),
    };
    let frame = [(x0, y0), (x0 + w, y0 + h)];
    area.draw(&Rectangle::new(frame, WHITE.mix(0.9).filled()))
        .map_err(draw_err(path))?;
    area.draw(&Rectangle::new(frame, BLACK.mix(0.5)))
        .map_err(draw_err(path))?;
    for (i, &(key, label)) in entries.iter().enumerate() {
        let (kx, y) = (x0 + PAD, y0 + PAD + row_h * i as i32 + row_h / 2);
        match key {
            LegendKey::Line(c) => area.draw(&PathElement::new(
                vec![(kx, y), (kx + KEY_W, y)],
                c.stroke_width(3),
            )),
            LegendKey::Swatch(c) => area.draw(&Rectangle::new(
                [(kx, y - row_h / 2 + 3), (kx + KEY_W, y + row_h / 2 - 3)],
                c.filled(),
            )),
        }
        .map_err(draw_err(path))?;
        area.draw(&Text::new(label, (kx + KEY_W + GAP, y), style.clone()))
            .map_err(draw_err(path))?;
    }
    Ok(())
}

/// `InvalidInput` naming the track and its first non-finite point, if it has one.
fn check_track(
    path: &Path,
    what: &str,
    label: &str,
    points: &[(f64, f64)],
) -> Result<(), ReportError> {
    match points
        .iter()
        .find(|p| !(p.0.is_finite() && p.1.is_finite()))
    {
        Some(p) => Err(ReportError::invalid(
            path,
            format!("{what} '{label}' has a non-finite point ({}, {})", p.0, p.1),
        )),
        None => Ok(()),
    }
}

/// A track cut into the pieces to draw: `None` (a hidden point) ends a piece, and so does a
/// step for which `jump(previous, next)` holds. Empty pieces are dropped.
fn track_pieces(
    points: impl IntoIterator<Item = Option<(f64, f64)>>,
    jump: impl Fn((f64, f64), (f64, f64)) -> bool,
) -> Vec<Vec<(f64, f64)>> {
    let mut pieces = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for p in points {
        let breaks = match (p, current.last()) {
            (None, _) => true,
            (Some(p), Some(&q)) => jump(q, p),
            (Some(_), None) => false,
        };
        if breaks && !current.is_empty() {
            pieces.push(std::mem::take(&mut current));
        }
        current.extend(p);
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_values() {
        assert_eq!(fmt_value(&0.5), "0.5");
        assert_eq!(fmt_value(&2.0), "2");
    }

    #[test]
    fn tracks_break_at_hidden_points_and_jumps() {
        let jump = |a: (f64, f64), b: (f64, f64)| (b.0 - a.0).abs() > 10.0;
        let pts = [
            None,
            Some((0.0, 0.0)),
            Some((1.0, 0.0)),
            None,
            Some((2.0, 0.0)),
            Some((30.0, 0.0)),
            None,
        ];
        assert_eq!(
            track_pieces(pts, jump),
            vec![
                vec![(0.0, 0.0), (1.0, 0.0)],
                vec![(2.0, 0.0)],
                vec![(30.0, 0.0)]
            ]
        );
        assert!(track_pieces([None, None], jump).is_empty());
    }
}
