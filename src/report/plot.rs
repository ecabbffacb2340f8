//! PNG figures: world maps of gridded values, ground tracks, sky plots, paired bar charts and
//! time series, drawn with `plotters` and the embedded DejaVu Sans font.
//!
//! Sizes are fixed so that figures look alike in a report: maps and charts
//! [`CHART_SIZE_PX`] (1600 × 900), sky plots [`SKY_PLOT_SIZE_PX`] (1000 × 1000). The output
//! format follows the path's extension (`.png`).

use std::path::Path;
use std::sync::OnceLock;

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;
use serde::{Deserialize, Serialize};

use super::coastlines::{is_artificial_edge, is_hole, land_rings};
use super::{GridField, ReportError};

/// Size of world maps, ground-track maps, bar charts and time series, pixels (width, height).
pub const CHART_SIZE_PX: (u32, u32) = (1600, 900);
/// Size of sky plots, pixels (width, height).
pub const SKY_PLOT_SIZE_PX: (u32, u32) = (1000, 1000);

const FONT_BYTES: &[u8] = include_bytes!("../../data/fonts/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Black.
    pub const BLACK: Rgb = Rgb(0, 0, 0);
    /// Red (ColorBrewer/Tableau red).
    pub const RED: Rgb = Rgb(214, 39, 40);
    /// Blue (Tableau blue).
    pub const BLUE: Rgb = Rgb(31, 119, 180);
    /// Orange (Tableau orange).
    pub const ORANGE: Rgb = Rgb(255, 127, 14);
    /// White.
    pub const WHITE: Rgb = Rgb(255, 255, 255);

    /// The i-th colour of the Tableau-10 categorical palette (cycling).
    pub fn palette(i: usize) -> Rgb {
        const P: [Rgb; 10] = [
            Rgb(31, 119, 180),
            Rgb(255, 127, 14),
            Rgb(44, 160, 44),
            Rgb(214, 39, 40),
            Rgb(148, 103, 189),
            Rgb(140, 86, 75),
            Rgb(227, 119, 194),
            Rgb(127, 127, 127),
            Rgb(188, 189, 34),
            Rgb(23, 190, 207),
        ];
        P[i % P.len()]
    }

    fn rgb(self) -> RGBColor {
        RGBColor(self.0, self.1, self.2)
    }
}

/// How values map to colours on a world map.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ColorScale {
    /// Viridis from `min` (dark blue) to `max` (yellow); values outside are clamped.
    Sequential {
        /// Value drawn with the first colour.
        min: f64,
        /// Value drawn with the last colour.
        max: f64,
    },
    /// Blue–white–red (ColorBrewer RdBu, reversed) centred on zero, from −`abs_max` to
    /// +`abs_max`; values outside are clamped.
    Diverging {
        /// Magnitude drawn with the extreme colours.
        abs_max: f64,
    },
}

impl ColorScale {
    fn range(&self) -> (f64, f64) {
        match *self {
            ColorScale::Sequential { min, max } => (min, max),
            ColorScale::Diverging { abs_max } => (-abs_max.abs(), abs_max.abs()),
        }
    }

    /// The colour of a value.
    pub fn color(&self, value: f64) -> Rgb {
        let (lo, hi) = self.range();
        let t = ((value - lo) / (hi - lo)).clamp(0.0, 1.0);
        match self {
            ColorScale::Sequential { .. } => interpolate(&VIRIDIS, t),
            ColorScale::Diverging { .. } => interpolate(&RDBU_R, t),
        }
    }

    fn check(&self, path: &Path) -> Result<(), ReportError> {
        let (lo, hi) = self.range();
        if lo.is_finite() && hi.is_finite() && hi > lo {
            Ok(())
        } else {
            Err(ReportError::invalid(
                path,
                format!("colour scale range [{lo}, {hi}] is empty or not finite"),
            ))
        }
    }
}

/// Viridis (matplotlib), sampled at nine equally spaced points.
const VIRIDIS: [Rgb; 9] = [
    Rgb(68, 1, 84),
    Rgb(71, 44, 122),
    Rgb(59, 81, 139),
    Rgb(44, 113, 142),
    Rgb(33, 144, 141),
    Rgb(39, 173, 129),
    Rgb(92, 200, 99),
    Rgb(170, 220, 50),
    Rgb(253, 231, 37),
];

/// ColorBrewer RdBu (9 classes), reversed so that negative is blue.
const RDBU_R: [Rgb; 9] = [
    Rgb(5, 48, 97),
    Rgb(33, 102, 172),
    Rgb(67, 147, 195),
    Rgb(146, 197, 222),
    Rgb(247, 247, 247),
    Rgb(244, 165, 130),
    Rgb(214, 96, 77),
    Rgb(178, 24, 43),
    Rgb(103, 0, 31),
];

fn interpolate(table: &[Rgb], t: f64) -> Rgb {
    let x = t * (table.len() - 1) as f64;
    let i = (x.floor() as usize).min(table.len() - 2);
    let f = x - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (table[i], table[i + 1]);
    Rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Colour of "no data" cells.
const NO_DATA: RGBColor = RGBColor(190, 190, 190);
/// Ocean and land fills of the ground-track background.
const OCEAN: RGBColor = RGBColor(234, 242, 250);
const LAND: RGBColor = RGBColor(243, 239, 226);
const COAST: RGBColor = RGBColor(60, 60, 60);

/// A labelled point on a map (e.g. a monitoring station).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Text drawn next to the marker (may be empty).
    pub label: String,
    /// Fill colour of the marker.
    pub color: Rgb,
}

/// Title, units and colours of a world map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapStyle {
    /// Title above the map.
    pub title: String,
    /// Label of the colour bar, with units (e.g. "PDOP" or "visible satellites").
    pub units_label: String,
    /// Value → colour mapping.
    pub color_scale: ColorScale,
    /// Points drawn on top of the map.
    pub markers: Vec<Marker>,
}

/// A satellite track on a sky plot: (azimuth, elevation) in degrees, in time order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkyTrack {
    /// Label drawn at the end of the track (e.g. "C19").
    pub label: String,
    /// (azimuth_deg, elevation_deg) points; points below the horizon are not drawn.
    pub points: Vec<(f64, f64)>,
}

/// A ground track: (latitude, longitude) in degrees, in time order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroundTrack {
    /// Legend label.
    pub label: String,
    /// (lat_deg, lon_deg) points.
    pub points: Vec<(f64, f64)>,
}

/// A line of a time-series chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// Legend label.
    pub label: String,
    /// (x, y) points in x order.
    pub points: Vec<(f64, f64)>,
}

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

fn wrap_lon(lon_deg: f64) -> f64 {
    let l = (lon_deg + 180.0).rem_euclid(360.0) - 180.0;
    if l.is_finite() {
        l
    } else {
        0.0
    }
}

fn fmt_lon(v: &f64) -> String {
    let v = wrap_lon(*v + 1e-9) - 1e-9;
    let r = v.round();
    if r == 0.0 || r.abs() == 180.0 {
        format!("{}°", r.abs())
    } else if r > 0.0 {
        format!("{r}°E")
    } else {
        format!("{}°W", -r)
    }
}

fn fmt_lat(v: &f64) -> String {
    let r = v.round();
    if r == 0.0 {
        "0°".into()
    } else if r > 0.0 {
        format!("{r}°N")
    } else {
        format!("{}°S", -r)
    }
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

#[derive(Debug, Clone, Copy)]
struct Extent {
    lon_min: f64,
    lon_max: f64,
    lat_min: f64,
    lat_max: f64,
}

impl Extent {
    const GLOBAL: Extent = Extent {
        lon_min: -180.0,
        lon_max: 180.0,
        lat_min: -90.0,
        lat_max: 90.0,
    };

    /// The grid's extent (cell edges), on −180…180; nearly global grids are drawn global.
    fn of_grid(grid: &GridField) -> Extent {
        let half = grid.step_deg / 2.0;
        let lons: Vec<f64> = grid.lons_deg.iter().map(|&l| wrap_lon(l)).collect();
        let (mut lo, mut hi) = min_max(lons.iter().copied()).unwrap_or((-180.0, 180.0));
        lo = (lo - half).max(-180.0);
        hi = (hi + half).min(180.0);
        if hi - lo >= 350.0 {
            (lo, hi) = (-180.0, 180.0);
        }
        let (mut s, mut n) = min_max(grid.lats_deg.iter().copied()).unwrap_or((-90.0, 90.0));
        s = (s - half).max(-90.0);
        n = (n + half).min(90.0);
        if n - s >= 170.0 {
            (s, n) = (-90.0, 90.0);
        }
        Extent {
            lon_min: lo,
            lon_max: hi,
            lat_min: s,
            lat_max: n,
        }
    }

    /// Graticule spacing: 30° for large extents, finer for regional maps.
    fn graticule_step(&self) -> f64 {
        let span = (self.lon_max - self.lon_min).max(self.lat_max - self.lat_min);
        if span >= 120.0 {
            30.0
        } else if span >= 40.0 {
            10.0
        } else if span >= 10.0 {
            5.0
        } else {
            1.0
        }
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

type MapCoord = Cartesian2d<Ticked, Ticked>;
type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

const MAP_Y_LABEL_PX: u32 = 80;
const MAP_X_LABEL_PX: u32 = 45;

/// Margins of a map chart that make one degree of latitude as long as one degree of longitude
/// (equirectangular, "plate carrée") inside an area of `w` × `h` pixels.
#[derive(Debug, Clone, Copy)]
struct MapLayout {
    top: u32,
    bottom: u32,
    left: u32,
    right: u32,
    /// Horizontal slack (pixels) not used by the map, already split between `left` and `right`.
    extra_w: u32,
}

impl MapLayout {
    fn new(w: u32, h: u32, ext: &Extent) -> Self {
        let avail_w = w.saturating_sub(MAP_Y_LABEL_PX + 50) as f64;
        let avail_h = h.saturating_sub(MAP_X_LABEL_PX + 25) as f64;
        let (dlon, dlat) = (ext.lon_max - ext.lon_min, ext.lat_max - ext.lat_min);
        let scale = (avail_w / dlon).min(avail_h / dlat);
        let extra_w = (avail_w - dlon * scale).max(0.0) as u32;
        let extra_h = (avail_h - dlat * scale).max(0.0) as u32;
        MapLayout {
            top: 15 + extra_h / 2,
            bottom: 10 + extra_h - extra_h / 2,
            left: 15 + extra_w / 2,
            right: 35 + extra_w - extra_w / 2,
            extra_w,
        }
    }
}

/// An equirectangular map frame on `area` laid out by `layout`.
fn map_chart<'a>(
    area: &Area<'a>,
    ext: &Extent,
    layout: &MapLayout,
    path: &Path,
) -> Result<ChartContext<'a, BitMapBackend<'a>, MapCoord>, ReportError> {
    let step = ext.graticule_step();
    let chart = ChartBuilder::on(area)
        .margin_top(layout.top)
        .margin_bottom(layout.bottom)
        .margin_left(layout.left)
        .margin_right(layout.right)
        .x_label_area_size(MAP_X_LABEL_PX)
        .y_label_area_size(MAP_Y_LABEL_PX)
        .build_cartesian_2d(
            Ticked::new(
                ext.lon_min..ext.lon_max,
                multiples(ext.lon_min, ext.lon_max, step),
            ),
            Ticked::new(
                ext.lat_min..ext.lat_max,
                multiples(ext.lat_min, ext.lat_max, step),
            ),
        )
        .map_err(draw_err(path))?;
    Ok(chart)
}

fn draw_graticule(
    chart: &mut ChartContext<'_, BitMapBackend<'_>, MapCoord>,
    path: &Path,
) -> Result<(), ReportError> {
    chart
        .configure_mesh()
        .bold_line_style(BLACK.mix(0.22).stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(BLACK.stroke_width(1))
        .x_labels(40)
        .y_labels(40)
        .x_label_formatter(&fmt_lon)
        .y_label_formatter(&fmt_lat)
        .label_style(font(18))
        .draw()
        .map_err(draw_err(path))
}

/// Land outlines (and optionally fills), clipped to the chart by plotters.
fn draw_land(
    chart: &mut ChartContext<'_, BitMapBackend<'_>, MapCoord>,
    ext: &Extent,
    fill: bool,
    path: &Path,
) -> Result<(), ReportError> {
    if fill {
        // Outer rings first, then holes in the ocean colour.
        for hole_pass in [false, true] {
            let color = if hole_pass { OCEAN } else { LAND };
            let polys = land_rings()
                .iter()
                .filter(|r| is_hole(r) == hole_pass)
                .map(|r| Polygon::new(r.clone(), color.filled()));
            chart.draw_series(polys).map_err(draw_err(path))?;
        }
    }
    // Outlines clipped to the extent, skipping the artificial edges along ±180° and the
    // South Pole.
    let mut segments: Vec<Vec<(f64, f64)>> = Vec::new();
    for ring in land_rings() {
        let mut current: Vec<(f64, f64)> = Vec::new();
        for w in ring.windows(2) {
            let clipped = if is_artificial_edge(w[0], w[1]) {
                None
            } else {
                clip_segment(w[0], w[1], ext)
            };
            match clipped {
                Some((a, b)) => {
                    if current.last() != Some(&a) {
                        if current.len() > 1 {
                            segments.push(std::mem::take(&mut current));
                        }
                        current.clear();
                        current.push(a);
                    }
                    current.push(b);
                }
                None => {
                    if current.len() > 1 {
                        segments.push(std::mem::take(&mut current));
                    }
                    current.clear();
                }
            }
        }
        if current.len() > 1 {
            segments.push(current);
        }
    }
    chart
        .draw_series(
            segments
                .into_iter()
                .map(|s| PathElement::new(s, COAST.stroke_width(1))),
        )
        .map_err(draw_err(path))?;
    Ok(())
}

/// Liang–Barsky clipping of the segment p–q to the extent; `None` when fully outside.
fn clip_segment(p: (f64, f64), q: (f64, f64), ext: &Extent) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    // For each edge: p_k·t ≤ q_k.
    for (pk, qk) in [
        (-dx, p.0 - ext.lon_min),
        (dx, ext.lon_max - p.0),
        (-dy, p.1 - ext.lat_min),
        (dy, ext.lat_max - p.1),
    ] {
        if pk == 0.0 {
            if qk < 0.0 {
                return None;
            }
        } else {
            let t = qk / pk;
            if pk < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            p
        } else if t == 1.0 {
            q
        } else {
            (p.0 + t * dx, p.1 + t * dy)
        }
    };
    Some((at(t0), at(t1)))
}

/// Axis-aligned pixel rectangle (x0, y0, x1, y1).
type PxRect = (i32, i32, i32, i32);

/// Markers (circles) and their labels. Each label goes to whichever of upper right, lower
/// right, upper left, lower left (then the same one label-height further out) stays inside the
/// map and overlaps least the markers and the labels already placed (greedy, in the given
/// order; ties go to the nearest position).
fn draw_markers(
    chart: &mut ChartContext<'_, BitMapBackend<'_>, MapCoord>,
    area: &Area<'_>,
    ext: &Extent,
    markers: &[Marker],
    path: &Path,
) -> Result<(), ReportError> {
    const R: i32 = 7;
    let label_font = font(17);
    let (x_px, y_px) = chart.plotting_area().get_pixel_range();
    let mut shown = Vec::new();
    for m in markers {
        if !(m.lat_deg.is_finite() && m.lon_deg.is_finite()) {
            return Err(ReportError::invalid(
                path,
                format!(
                    "marker '{}' at ({}, {}) is not finite",
                    m.label, m.lat_deg, m.lon_deg
                ),
            ));
        }
        let at = (wrap_lon(m.lon_deg), m.lat_deg.clamp(-90.0, 90.0));
        let inside = (ext.lon_min..=ext.lon_max).contains(&at.0)
            && (ext.lat_min..=ext.lat_max).contains(&at.1);
        if inside {
            shown.push((m, at, chart.backend_coord(&at)));
        }
    }
    // Occupied pixels: every marker first, then labels as they are placed.
    let mut occupied: Vec<PxRect> = shown
        .iter()
        .map(|&(_, _, (x, y))| (x - R - 2, y - R - 2, x + R + 2, y + R + 2))
        .collect();
    let mut labels = Vec::new();
    for &(m, at, (px, py)) in &shown {
        if m.label.is_empty() {
            continue;
        }
        let (tw, th) = area
            .estimate_text_size(&m.label, &label_font)
            .map_err(draw_err(path))?;
        let (w, h) = (tw as i32 + 8, th as i32 + 6);
        // Offsets of the label box's top-left corner from the marker centre.
        // Near the marker first, then one label height further up or down.
        let candidates = [
            (R + 4, -h - R + 2),
            (R + 4, R - 2),
            (-R - 4 - w, -h - R + 2),
            (-R - 4 - w, R - 2),
            (R + 4, -2 * h - R + 2),
            (R + 4, R - 2 + h),
            (-R - 4 - w, -2 * h - R + 2),
            (-R - 4 - w, R - 2 + h),
        ];
        let fits = |&(dx, dy): &(i32, i32)| {
            let (x0, y0) = (px + dx, py + dy);
            x0 >= x_px.start && x0 + w <= x_px.end && y0 >= y_px.start && y0 + h <= y_px.end
        };
        let rect = |&(dx, dy): &(i32, i32)| (px + dx, py + dy, px + dx + w, py + dy + h);
        // The fitting candidate with the least overlap (area, px²) with what is already there.
        let overlap = |c: &(i32, i32)| -> i64 {
            let r = rect(c);
            occupied
                .iter()
                .map(|o| {
                    let w = (r.2.min(o.2) - r.0.max(o.0)).max(0) as i64;
                    let h = (r.3.min(o.3) - r.1.max(o.1)).max(0) as i64;
                    w * h
                })
                .sum()
        };
        let chosen = candidates
            .iter()
            .filter(|c| fits(c))
            .min_by_key(|c| overlap(c))
            .unwrap_or(&candidates[0]);
        occupied.push(rect(chosen));
        labels.push((m, at, *chosen, (w, h)));
    }
    chart
        .draw_series(shown.iter().map(|&(m, at, _)| {
            EmptyElement::at(at)
                + Circle::new((0, 0), R, m.color.rgb().filled())
                + Circle::new((0, 0), R, BLACK.stroke_width(2))
        }))
        .map_err(draw_err(path))?;
    chart
        .draw_series(labels.into_iter().map(|(m, at, (dx, dy), (w, h))| {
            EmptyElement::at(at)
                + Rectangle::new([(dx, dy), (dx + w, dy + h)], WHITE.mix(0.8).filled())
                + Text::new(m.label.clone(), (dx + 4, dy + 3), label_font.clone())
        }))
        .map_err(draw_err(path))?;
    Ok(())
}

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

// ---------------------------------------------------------------------------------------------
// World map of a grid

/// A world (or regional) map of gridded values, [`CHART_SIZE_PX`]: equirectangular projection
/// with the grid's extent, cells coloured by `style.color_scale` (no-data cells grey), Natural
/// Earth coastlines, a graticule (30° for global maps, finer for regional ones) with labelled
/// axes, a colour bar with `style.units_label`, and `style.markers` on top.
///
/// Longitudes may be given on −180…180 or 0…360; a regional grid that straddles ±180° is drawn
/// on the full longitude range.
///
/// ```no_run
/// use gnss_interop::report::plot::{world_map, ColorScale, MapStyle, Marker, Rgb};
/// use gnss_interop::report::GridField;
///
/// // A 30° global field of cell centres (6 × 12 cells), here PDOP rising towards the poles.
/// let lats_deg: Vec<f64> = (0..6).map(|i| -75.0 + 30.0 * i as f64).collect();
/// let lons_deg: Vec<f64> = (0..12).map(|j| -165.0 + 30.0 * j as f64).collect();
/// let values = lats_deg
///     .iter()
///     .flat_map(|lat| lons_deg.iter().map(move |_| Some(1.5 + lat.abs() / 90.0)))
///     .collect();
/// let field = GridField { lats_deg, lons_deg, values, step_deg: 30.0 };
/// let style = MapStyle {
///     title: "PDOP, BDS-3 + GLONASS".into(),
///     units_label: "PDOP".into(),
///     color_scale: ColorScale::Sequential { min: 1.0, max: 3.0 },
///     markers: vec![Marker {
///         lat_deg: 39.9,
///         lon_deg: 116.4,
///         label: "Beijing".into(),
///         color: Rgb(255, 0, 0),
///     }],
/// };
/// world_map("pdop.png", &field, &style)?;
/// # Ok::<(), gnss_interop::Error>(())
/// ```
pub fn world_map(
    path: impl AsRef<Path>,
    grid: &GridField,
    style: &MapStyle,
) -> Result<(), ReportError> {
    let path = path.as_ref();
    grid.check(path)?;
    world_map_rows(path, grid, |i, j| grid.value(i, j), style)
}

/// [`world_map`] with the cell values read through `value(i_lat, i_lon)` instead of from
/// `axes.values` (which may be empty; only the axes and step of `axes` are used). The cells are
/// drawn one latitude row at a time, so nothing of the grid's size is held besides the image:
/// a coverage result's maps read its points directly.
pub fn world_map_rows(
    path: impl AsRef<Path>,
    axes: &GridField,
    value: impl Fn(usize, usize) -> Option<f64>,
    style: &MapStyle,
) -> Result<(), ReportError> {
    let path = path.as_ref();
    let grid = axes;
    grid.check_axes(path)?;
    style.color_scale.check(path)?;
    let root = new_root(path, CHART_SIZE_PX)?;
    let body = titled(&root, &style.title, path)?;
    let (bw, bh) = body.dim_in_pixel();
    let ext = Extent::of_grid(grid);
    // The colour bar sits right of the map; the pair is centred horizontally.
    const BAR_W: u32 = 200;
    let mut layout = MapLayout::new(bw - BAR_W, bh, &ext);
    let slack = layout.extra_w - layout.extra_w / 2;
    layout.right -= slack;
    let (map_area, bar_area) = body.split_horizontally(bw - BAR_W - slack);
    let mut chart = map_chart(&map_area, &ext, &layout, path)?;

    // Cells: rectangles between the cell edges, clamped to the poles.
    let half = grid.step_deg / 2.0;
    let mut any_missing = false;
    let mut cells = Vec::with_capacity(grid.lons_deg.len());
    for (i, &lat) in grid.lats_deg.iter().enumerate() {
        let (s, n) = ((lat - half).max(-90.0), (lat + half).min(90.0));
        for (j, &lon) in grid.lons_deg.iter().enumerate() {
            let lon = wrap_lon(lon);
            let color = match value(i, j).filter(|v| v.is_finite()) {
                Some(v) => style.color_scale.color(v).rgb(),
                None => {
                    any_missing = true;
                    NO_DATA
                }
            };
            cells.push(Rectangle::new(
                [(lon - half, n), (lon + half, s)],
                color.filled(),
            ));
        }
        chart.draw_series(cells.drain(..)).map_err(draw_err(path))?;
    }
    draw_land(&mut chart, &ext, false, path)?;
    draw_graticule(&mut chart, path)?;
    draw_markers(&mut chart, &map_area, &ext, &style.markers, path)?;
    color_bar(
        &bar_area,
        &style.color_scale,
        &style.units_label,
        (layout.top, layout.bottom + MAP_X_LABEL_PX),
        any_missing,
        path,
    )?;
    root.present().map_err(draw_err(path))
}

fn color_bar(
    area: &Area<'_>,
    scale: &ColorScale,
    units_label: &str,
    (top, bottom): (u32, u32),
    show_no_data: bool,
    path: &Path,
) -> Result<(), ReportError> {
    const BAR_LEFT_PX: u32 = 12;
    const BAR_WIDTH_PX: u32 = 30;
    let (lo, hi) = scale.range();
    let (w, h) = area.dim_in_pixel();
    let no_data_px = if show_no_data { 60 } else { 0 };
    let mut chart = ChartBuilder::on(area)
        .margin_top(top)
        .margin_bottom(bottom + no_data_px)
        .margin_left(BAR_LEFT_PX)
        .margin_right(w.saturating_sub(BAR_LEFT_PX + BAR_WIDTH_PX))
        .build_cartesian_2d(0.0..1.0, lo..hi)
        .map_err(draw_err(path))?;
    const STEPS: usize = 256;
    let dv = (hi - lo) / STEPS as f64;
    chart
        .draw_series((0..STEPS).map(|k| {
            let v0 = lo + k as f64 * dv;
            let c = scale.color(v0 + dv / 2.0).rgb();
            Rectangle::new([(0.0, v0), (1.0, v0 + dv)], c.filled())
        }))
        .map_err(draw_err(path))?;
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(0.0, lo), (1.0, hi)],
            BLACK.stroke_width(1),
        )))
        .map_err(draw_err(path))?;
    // Ticks at plotters' "nice" values, labels left-aligned right of the bar.
    let label_font = font(17).pos(Pos::new(HPos::Left, VPos::Center));
    let ticks = RangedCoordf64::from(lo..hi).key_points(8usize);
    let mut widest = 0;
    for v in ticks {
        let text = fmt_value(&v);
        widest = widest.max(
            area.estimate_text_size(&text, &label_font)
                .map_err(draw_err(path))?
                .0,
        );
        let element = EmptyElement::at((1.0, v))
            + PathElement::new(vec![(0, 0), (6, 0)], BLACK.stroke_width(1))
            + Text::new(text, (10, 0), label_font.clone());
        chart
            .draw_series(std::iter::once(element))
            .map_err(draw_err(path))?;
    }
    let desc_font = font(20)
        .transform(FontTransform::Rotate90)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let desc = EmptyElement::at((1.0, (lo + hi) / 2.0))
        + Text::new(units_label.to_string(), (widest as i32 + 32, 0), desc_font);
    chart
        .draw_series(std::iter::once(desc))
        .map_err(draw_err(path))?;
    if show_no_data {
        let x0 = BAR_LEFT_PX as i32;
        let y0 = (h - bottom - no_data_px + 25) as i32;
        let swatch = [(x0, y0), (x0 + BAR_WIDTH_PX as i32, y0 + 22)];
        area.draw(&Rectangle::new(swatch, NO_DATA.filled()))
            .map_err(draw_err(path))?;
        area.draw(&Rectangle::new(swatch, BLACK.stroke_width(1)))
            .map_err(draw_err(path))?;
        area.draw(&Text::new(
            "no data",
            (x0 + BAR_WIDTH_PX as i32 + 8, y0 + 1),
            font(17),
        ))
        .map_err(draw_err(path))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Ground tracks

/// Ground tracks on a world map ([`CHART_SIZE_PX`], land and ocean shaded, 30° graticule),
/// one colour per track with a legend, and `markers` on top. Tracks are broken where they
/// cross the antimeridian.
pub fn ground_tracks(
    path: impl AsRef<Path>,
    title: &str,
    tracks: &[GroundTrack],
    markers: &[Marker],
) -> Result<(), ReportError> {
    let path = path.as_ref();
    for t in tracks {
        if let Some(p) = t
            .points
            .iter()
            .find(|p| !(p.0.is_finite() && p.1.is_finite()))
        {
            return Err(ReportError::invalid(
                path,
                format!(
                    "track '{}' has a non-finite point ({}, {})",
                    t.label, p.0, p.1
                ),
            ));
        }
    }
    let root = new_root(path, CHART_SIZE_PX)?;
    let body = titled(&root, title, path)?;
    let ext = Extent::GLOBAL;
    let (bw, bh) = body.dim_in_pixel();
    let mut chart = map_chart(&body, &ext, &MapLayout::new(bw, bh, &ext), path)?;
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(-180.0, 90.0), (180.0, -90.0)],
            OCEAN.filled(),
        )))
        .map_err(draw_err(path))?;
    draw_land(&mut chart, &ext, true, path)?;
    draw_graticule(&mut chart, path)?;
    for (k, t) in tracks.iter().enumerate() {
        let color = Rgb::palette(k).rgb();
        let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for &(lat, lon) in &t.points {
            let p = (wrap_lon(lon), lat.clamp(-90.0, 90.0));
            let seg = segments.last_mut().expect("segments is never empty");
            if let Some(&prev) = seg.last() {
                if (p.0 - prev.0).abs() > 180.0 {
                    segments.push(Vec::new());
                }
            }
            segments
                .last_mut()
                .expect("segments is never empty")
                .push(p);
        }
        let mut first = true;
        for seg in segments.into_iter().filter(|s| !s.is_empty()) {
            let drawn = chart
                .draw_series(std::iter::once(PathElement::new(
                    seg,
                    color.stroke_width(3),
                )))
                .map_err(draw_err(path))?;
            if first {
                drawn.label(t.label.clone()).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
                });
                first = false;
            }
        }
    }
    draw_markers(&mut chart, &body, &ext, markers, path)?;
    if !tracks.is_empty() {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.5))
            .label_font(font(17))
            .draw()
            .map_err(draw_err(path))?;
    }
    root.present().map_err(draw_err(path))
}

// ---------------------------------------------------------------------------------------------
// Sky plot

/// Polar sky plot ([`SKY_PLOT_SIZE_PX`]): north up, east right, elevation rings at 0°, 30°,
/// 60° (the centre is 90°), azimuth spokes every 30°. Each track is drawn in its own colour and
/// labelled at its last visible point; parts below the horizon are not drawn.
pub fn sky_plot(
    path: impl AsRef<Path>,
    title: &str,
    tracks: &[SkyTrack],
) -> Result<(), ReportError> {
    let path = path.as_ref();
    for t in tracks {
        if let Some(p) = t
            .points
            .iter()
            .find(|p| !(p.0.is_finite() && p.1.is_finite()))
        {
            return Err(ReportError::invalid(
                path,
                format!(
                    "sky track '{}' has a non-finite point ({}, {})",
                    t.label, p.0, p.1
                ),
            ));
        }
    }
    let root = new_root(path, SKY_PLOT_SIZE_PX)?;
    let body = titled(&root, title, path)?;
    let (w, h) = body.dim_in_pixel();
    let side = w.min(h).saturating_sub(30);
    let (mx, my) = ((w - side) / 2, (h - side) / 2);
    let lim = 1.16;
    let mut chart = ChartBuilder::on(&body)
        .margin_left(mx)
        .margin_right(w - side - mx)
        .margin_top(my)
        .margin_bottom(h - side - my)
        .build_cartesian_2d(-lim..lim, -lim..lim)
        .map_err(draw_err(path))?;

    // Projection: r = (90° − el)/90°, x = r sin(az), y = r cos(az) (north up, east right).
    let project = |az_deg: f64, el_deg: f64| {
        let r = (90.0 - el_deg.clamp(0.0, 90.0)) / 90.0;
        let (s, c) = az_deg.to_radians().sin_cos();
        (r * s, r * c)
    };
    let circle = |r: f64| -> Vec<(f64, f64)> {
        (0..=360)
            .map(|d| {
                let (s, c) = (d as f64).to_radians().sin_cos();
                (r * s, r * c)
            })
            .collect()
    };
    chart
        .draw_series(std::iter::once(Polygon::new(
            circle(1.0),
            RGBColor(247, 249, 252).filled(),
        )))
        .map_err(draw_err(path))?;
    for el in [30.0, 60.0] {
        chart
            .draw_series(std::iter::once(PathElement::new(
                circle((90.0 - el) / 90.0),
                BLACK.mix(0.3).stroke_width(1),
            )))
            .map_err(draw_err(path))?;
    }
    chart
        .draw_series(std::iter::once(PathElement::new(
            circle(1.0),
            BLACK.stroke_width(2),
        )))
        .map_err(draw_err(path))?;
    for az in (0..360).step_by(30) {
        let end = project(az as f64, 0.0);
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), end],
                BLACK.mix(0.3).stroke_width(1),
            )))
            .map_err(draw_err(path))?;
        let name = match az {
            0 => "N".to_string(),
            90 => "E".to_string(),
            180 => "S".to_string(),
            270 => "W".to_string(),
            a => format!("{a}°"),
        };
        let size = if az % 90 == 0 { 26 } else { 18 };
        let (s, c) = (az as f64).to_radians().sin_cos();
        let style = font(size).pos(Pos::new(HPos::Center, VPos::Center));
        chart
            .draw_series(std::iter::once(Text::new(
                name,
                (1.08 * s, 1.08 * c),
                style,
            )))
            .map_err(draw_err(path))?;
    }
    // Elevation labels between the 0° and 30° spokes, just inside each ring.
    for el in [0, 30, 60] {
        let r = (90.0 - el as f64) / 90.0 - 0.04;
        let (sa, ca) = 15f64.to_radians().sin_cos();
        let style = font(15)
            .color(&RGBColor(90, 90, 90))
            .pos(Pos::new(HPos::Center, VPos::Center));
        chart
            .draw_series(std::iter::once(Text::new(
                format!("{el}°"),
                (r * sa, r * ca),
                style,
            )))
            .map_err(draw_err(path))?;
    }
    let centre_style = font(15)
        .color(&RGBColor(90, 90, 90))
        .pos(Pos::new(HPos::Left, VPos::Top));
    let centre = EmptyElement::at((0.0, 0.0))
        + Circle::new((0, 0), 3, RGBColor(90, 90, 90).filled())
        + Text::new("90°", (5, 4), centre_style);
    chart
        .draw_series(std::iter::once(centre))
        .map_err(draw_err(path))?;

    for (k, t) in tracks.iter().enumerate() {
        let color = Rgb::palette(k).rgb();
        // Split at points below the horizon and at jumps (gaps in the data).
        let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for &(az, el) in &t.points {
            if el < 0.0 {
                segments.push(Vec::new());
                continue;
            }
            let p = project(az, el);
            let seg = segments.last_mut().expect("segments is never empty");
            if let Some(&q) = seg.last() {
                if ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt() > 0.5 {
                    segments.push(Vec::new());
                }
            }
            segments
                .last_mut()
                .expect("segments is never empty")
                .push(p);
        }
        let segments: Vec<_> = segments.into_iter().filter(|s| !s.is_empty()).collect();
        for seg in &segments {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    seg.clone(),
                    color.stroke_width(3),
                )))
                .map_err(draw_err(path))?;
        }
        if let Some(&end) = segments.last().and_then(|s| s.last()) {
            let element = EmptyElement::at(end)
                + Circle::new((0, 0), 6, color.filled())
                + Circle::new((0, 0), 6, BLACK.stroke_width(1))
                + Text::new(t.label.clone(), (9, -20), font(19).color(&color));
            chart
                .draw_series(std::iter::once(element))
                .map_err(draw_err(path))?;
        }
    }
    root.present().map_err(draw_err(path))
}

// ---------------------------------------------------------------------------------------------
// Charts

/// Padded (lo, hi) of the values; a flat range is widened by one unit.
fn padded(lo: f64, hi: f64, pad_frac: f64) -> (f64, f64) {
    if hi > lo {
        let pad = (hi - lo) * pad_frac;
        (lo - pad, hi + pad)
    } else {
        (lo - 1.0, hi + 1.0)
    }
}

/// Paired bar chart ([`CHART_SIZE_PX`]): for each category a bar for `before` and one for
/// `after` (e.g. per-satellite tracked fraction with the baseline and the augmented network),
/// with a legend `legend = (before_label, after_label)`. Category labels are turned vertical
/// when there are many.
pub fn bar_chart_pairs(
    path: impl AsRef<Path>,
    title: &str,
    y_label: &str,
    categories: &[String],
    before: &[f64],
    after: &[f64],
    legend: (&str, &str),
) -> Result<(), ReportError> {
    let path = path.as_ref();
    let n = categories.len();
    if n == 0 || before.len() != n || after.len() != n {
        return Err(ReportError::invalid(
            path,
            format!(
                "need the same non-zero number of categories ({n}), before values ({}) and after values ({})",
                before.len(),
                after.len()
            ),
        ));
    }
    if let Some(v) = before.iter().chain(after).find(|v| !v.is_finite()) {
        return Err(ReportError::invalid(
            path,
            format!("bar value {v} is not finite"),
        ));
    }
    let (lo, hi) = min_max(before.iter().chain(after).copied()).unwrap_or((0.0, 1.0));
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    // Headroom above the bars for the legend.
    let (y0, y1) = if hi > lo {
        (lo, hi + 0.18 * (hi - lo))
    } else {
        (0.0, 1.0)
    };
    let root = new_root(path, CHART_SIZE_PX)?;
    let body = titled(&root, title, path)?;
    // Vertical category labels when the widest one does not fit its slot.
    let (bw, _) = body.dim_in_pixel();
    let slot_px = (bw.saturating_sub(150)) / n as u32;
    let mut widest = 0;
    for c in categories {
        widest = widest.max(
            body.estimate_text_size(c, &font(17))
                .map_err(draw_err(path))?
                .0,
        );
    }
    let vertical = widest + 6 > slot_px;
    let x_label_px = if vertical { widest + 30 } else { 50 };
    let centres: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
    let mut chart = ChartBuilder::on(&body)
        .margin(20)
        .margin_right(40)
        .x_label_area_size(x_label_px)
        .y_label_area_size(90)
        .build_cartesian_2d(Ticked::new(0.0..n as f64, centres), y0..y1)
        .map_err(draw_err(path))?;
    let cat_label = |x: &f64| {
        let i = x.floor();
        if !vertical && i >= 0.0 && (i as usize) < n {
            categories[i as usize].clone()
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.15))
        .x_labels(n)
        .x_label_formatter(&cat_label)
        .x_label_style(font(17))
        .y_labels(10)
        .y_label_formatter(&fmt_value)
        .y_label_style(font(17))
        .y_desc(y_label)
        .axis_desc_style(font(20))
        .draw()
        .map_err(draw_err(path))?;
    if vertical {
        // plotters centres axis labels on the tick, which puts half of a rotated label inside
        // the plot; draw them here, reading downwards from just below the axis.
        let style = font(17)
            .transform(FontTransform::Rotate90)
            .pos(Pos::new(HPos::Left, VPos::Center));
        chart
            .draw_series(categories.iter().enumerate().map(|(i, c)| {
                EmptyElement::at((i as f64 + 0.5, y0))
                    + Text::new(c.clone(), (0, 10), style.clone())
            }))
            .map_err(draw_err(path))?;
    }
    let colors = [Rgb(158, 158, 158).rgb(), Rgb::BLUE.rgb()];
    for (k, (values, label)) in [(before, legend.0), (after, legend.1)]
        .into_iter()
        .enumerate()
    {
        let color = colors[k];
        let (a, b) = if k == 0 { (0.12, 0.5) } else { (0.5, 0.88) };
        chart
            .draw_series(values.iter().enumerate().map(|(i, &v)| {
                Rectangle::new([(i as f64 + a, 0.0), (i as f64 + b, v)], color.filled())
            }))
            .map_err(draw_err(path))?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 8), (x + 22, y + 8)], color.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.5))
        .label_font(font(18))
        .draw()
        .map_err(draw_err(path))?;
    root.present().map_err(draw_err(path))
}

/// Line chart of one or more series ([`CHART_SIZE_PX`]) with axis labels and a legend.
/// Non-finite points are skipped; at least one finite point is required.
pub fn time_series(
    path: impl AsRef<Path>,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
) -> Result<(), ReportError> {
    let path = path.as_ref();
    let finite = |p: &&(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let all = || series.iter().flat_map(|s| s.points.iter().filter(finite));
    let (Some((x0, x1)), Some((ylo, yhi))) =
        (min_max(all().map(|p| p.0)), min_max(all().map(|p| p.1)))
    else {
        return Err(ReportError::invalid(path, "no finite point in any series"));
    };
    let (x0, x1) = if x1 > x0 {
        (x0, x1)
    } else {
        (x0 - 1.0, x1 + 1.0)
    };
    let (y0, y1) = padded(ylo, yhi, 0.06);
    let root = new_root(path, CHART_SIZE_PX)?;
    let body = titled(&root, title, path)?;
    let mut chart = ChartBuilder::on(&body)
        .margin(20)
        .margin_right(40)
        .x_label_area_size(70)
        .y_label_area_size(100)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(draw_err(path))?;
    chart
        .configure_mesh()
        .light_line_style(BLACK.mix(0.05))
        .bold_line_style(BLACK.mix(0.15))
        .x_labels(12)
        .y_labels(10)
        .x_label_formatter(&fmt_value)
        .y_label_formatter(&fmt_value)
        .label_style(font(17))
        .x_desc(x_label)
        .y_desc(y_label)
        .axis_desc_style(font(20))
        .draw()
        .map_err(draw_err(path))?;
    for (k, s) in series.iter().enumerate() {
        let color = Rgb::palette(k).rgb();
        chart
            .draw_series(LineSeries::new(
                s.points.iter().filter(finite).copied(),
                color.stroke_width(2),
            ))
            .map_err(draw_err(path))?
            .label(s.label.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.5))
        .label_font(font(18))
        .draw()
        .map_err(draw_err(path))?;
    root.present().map_err(draw_err(path))
}

/// One row of an [`interval_timeline`]: a label and two kinds of bars, in the units of the
/// x axis (e.g. hours since the start of a span).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineRow {
    /// Row label (e.g. a satellite).
    pub label: String,
    /// Intervals drawn in [`TIMELINE_PRIMARY`] (e.g. served by usable data).
    pub primary: Vec<(f64, f64)>,
    /// Intervals drawn in [`TIMELINE_SECONDARY`] (e.g. covered only by unhealthy records).
    pub secondary: Vec<(f64, f64)>,
}

/// Colour of the primary bars of an [`interval_timeline`] (Tableau blue).
pub const TIMELINE_PRIMARY: Rgb = Rgb::BLUE;
/// Colour of the secondary bars of an [`interval_timeline`] (Tableau orange).
pub const TIMELINE_SECONDARY: Rgb = Rgb::ORANGE;

/// Where an [`interval_timeline`] put things, in pixels of the PNG (for checks and overlays).
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineFrame {
    /// Image size, pixels (width, height).
    pub size_px: (u32, u32),
    /// The x range of the axis (units of the rows' intervals).
    pub x_range: (f64, f64),
    /// Pixel columns of `x_range.0` and `x_range.1`.
    pub x_px: (i32, i32),
    /// Pixel row of the centre of each row's bars, in the order given.
    pub row_centre_px: Vec<i32>,
}

impl TimelineFrame {
    /// Pixel column of `x` (linear between the ends of the axis).
    pub fn x_to_px(&self, x: f64) -> i32 {
        let (a, b) = self.x_range;
        let f = if b > a { (x - a) / (b - a) } else { 0.0 };
        (self.x_px.0 as f64 + f * (self.x_px.1 - self.x_px.0) as f64).round() as i32
    }
}

/// A timeline (width [`CHART_SIZE_PX`].0, height growing with the rows): one row per entry,
/// top to bottom in the order given, bars over each row's `primary` intervals in
/// [`TIMELINE_PRIMARY`] and `secondary` intervals in [`TIMELINE_SECONDARY`], nothing elsewhere
/// (a gap is blank); x axis `x_range` labelled `x_label`, a legend naming the two kinds.
/// Returns where it drew ([`TimelineFrame`]).
pub fn interval_timeline(
    path: impl AsRef<Path>,
    title: &str,
    x_label: &str,
    x_range: (f64, f64),
    rows: &[TimelineRow],
    legend: (&str, &str),
) -> Result<TimelineFrame, ReportError> {
    let path = path.as_ref();
    let (x0, x1) = x_range;
    if rows.is_empty() || !(x0.is_finite() && x1.is_finite() && x1 > x0) {
        return Err(ReportError::invalid(
            path,
            format!(
                "need at least one row ({}) and a finite x range with end > start ({x0}, {x1})",
                rows.len()
            ),
        ));
    }
    if let Some(v) = rows
        .iter()
        .flat_map(|r| r.primary.iter().chain(&r.secondary))
        .find(|(a, b)| !(a.is_finite() && b.is_finite()))
    {
        return Err(ReportError::invalid(
            path,
            format!("interval ({}, {}) is not finite", v.0, v.1),
        ));
    }
    let n = rows.len();
    let row_px = 16u32;
    let size = (
        CHART_SIZE_PX.0,
        (200 + row_px * (n as u32 + 4)).max(CHART_SIZE_PX.1 / 2),
    );
    let root = new_root(path, size)?;
    let body = titled(&root, title, path)?;
    let centres: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
    // Rows top to bottom: row i at y = n − i − 0.5.
    let label_of = |y: &f64| {
        let i = n as f64 - y.floor() - 1.0;
        if i >= 0.0 && (i as usize) < n {
            rows[i as usize].label.clone()
        } else {
            String::new()
        }
    };
    let mut chart = ChartBuilder::on(&body)
        .margin(20)
        .margin_right(40)
        .x_label_area_size(60)
        .y_label_area_size(70)
        // Four empty rows on top hold the legend, clear of the bars.
        .build_cartesian_2d(x0..x1, Ticked::new(0.0..n as f64 + 4.0, centres))
        .map_err(draw_err(path))?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .disable_y_mesh()
        .x_labels(12)
        .x_label_formatter(&fmt_value)
        .y_labels(n)
        .y_label_formatter(&label_of)
        .label_style(font(13))
        .x_desc(x_label)
        .axis_desc_style(font(18))
        .draw()
        .map_err(draw_err(path))?;
    let clip = |a: f64, b: f64| (a.max(x0), b.min(x1));
    for (k, (color, label)) in [
        (TIMELINE_PRIMARY.rgb(), legend.0),
        (TIMELINE_SECONDARY.rgb(), legend.1),
    ]
    .into_iter()
    .enumerate()
    {
        let bars = rows.iter().enumerate().flat_map(|(i, r)| {
            let y = (n - i - 1) as f64;
            let v = if k == 0 { &r.primary } else { &r.secondary };
            v.iter()
                .map(|&(a, b)| clip(a, b))
                .filter(|(a, b)| b >= a)
                .map(move |(a, b)| Rectangle::new([(a, y + 0.15), (b, y + 0.85)], color.filled()))
                .collect::<Vec<_>>()
        });
        chart
            .draw_series(bars)
            .map_err(draw_err(path))?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 22, y + 7)], color.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.5))
        .label_font(font(16))
        .draw()
        .map_err(draw_err(path))?;
    let frame = TimelineFrame {
        size_px: size,
        x_range,
        x_px: (
            chart.backend_coord(&(x0, 0.0)).0,
            chart.backend_coord(&(x1, 0.0)).0,
        ),
        row_centre_px: (0..n)
            .map(|i| chart.backend_coord(&(x0, (n - i) as f64 - 0.5)).1)
            .collect(),
    };
    root.present().map_err(draw_err(path))?;
    Ok(frame)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_labels() {
        assert_eq!(fmt_lon(&120.0), "120°E");
        assert_eq!(fmt_lon(&-60.0), "60°W");
        assert_eq!(fmt_lon(&180.0), "180°");
        assert_eq!(fmt_lon(&-180.0), "180°");
        assert_eq!(fmt_lat(&-30.0), "30°S");
        assert_eq!(fmt_value(&0.5), "0.5");
        assert_eq!(fmt_value(&2.0), "2");
    }

    #[test]
    fn segments_are_clipped_to_the_extent() {
        let ext = Extent {
            lon_min: 50.0,
            lon_max: 170.0,
            lat_min: -60.0,
            lat_max: 60.0,
        };
        // Inside: unchanged. Outside: dropped. Crossing the east edge: cut at lon 170.
        assert_eq!(
            clip_segment((60.0, 0.0), (70.0, 10.0), &ext),
            Some(((60.0, 0.0), (70.0, 10.0)))
        );
        assert_eq!(clip_segment((0.0, 0.0), (10.0, 10.0), &ext), None);
        let (a, b) = clip_segment((160.0, 0.0), (180.0, 10.0), &ext).unwrap();
        assert_eq!(a, (160.0, 0.0));
        assert!((b.0 - 170.0).abs() < 1e-12 && (b.1 - 5.0).abs() < 1e-12);
    }

    #[test]
    fn colour_scales_hit_their_anchors() {
        // Anchors of the tables: the ends and (diverging) the white centre.
        let seq = ColorScale::Sequential { min: 1.0, max: 3.0 };
        assert_eq!(seq.color(1.0), VIRIDIS[0]);
        assert_eq!(seq.color(3.0), VIRIDIS[8]);
        assert_eq!(seq.color(99.0), VIRIDIS[8]);
        let div = ColorScale::Diverging { abs_max: 2.0 };
        assert_eq!(div.color(0.0), Rgb(247, 247, 247));
        assert_eq!(div.color(-2.0), RDBU_R[0]);
    }
}
