//! World and regional maps: gridded values ([`world_map`], [`world_map_rows`]) with a colour
//! bar, and ground tracks ([`ground_tracks`]), on Natural Earth coastlines.

use std::path::Path;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;
use serde::{Deserialize, Serialize};

use super::super::coastlines::{is_artificial_edge, is_hole, land_rings};
use super::super::GridField;
use super::{
    canvas, check_track, draw_err, draw_legend, fmt_value, font, min_max, multiples, track_pieces,
    Area, ColorScale, LegendKey, LegendPlace, ReportError, Rgb, Ticked, CHART_SIZE_PX,
};

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

/// A ground track: (latitude, longitude) in degrees, in time order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroundTrack {
    /// Legend label.
    pub label: String,
    /// (lat_deg, lon_deg) points.
    pub points: Vec<(f64, f64)>,
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
        let (s, n) = min_max(grid.lats_deg.iter().copied()).unwrap_or((-90.0, 90.0));
        let (mut s, mut n) = (grid.lat_edges_deg(s).0, grid.lat_edges_deg(n).1);
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

type MapCoord = Cartesian2d<Ticked, Ticked>;

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
    let (root, body) = canvas(path, CHART_SIZE_PX, &style.title)?;
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
        let (s, n) = grid.lat_edges_deg(lat);
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
        // Box edge 6 px (the legend's padding) left of the bar, so the swatch lines up with it.
        let at = LegendPlace::At(
            BAR_LEFT_PX as i32 - 6,
            (h - bottom - no_data_px + 17) as i32,
        );
        draw_legend(area, at, &[(LegendKey::Swatch(NO_DATA), "no data")], path)?;
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
        check_track(path, "track", &t.label, &t.points)?;
    }
    let (root, body) = canvas(path, CHART_SIZE_PX, title)?;
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
    let mut legend = Vec::new();
    for (k, t) in tracks.iter().enumerate() {
        let color = Rgb::palette(k).rgb();
        let pieces = track_pieces(
            t.points
                .iter()
                .map(|&(lat, lon)| Some((wrap_lon(lon), lat.clamp(-90.0, 90.0)))),
            |prev, p| (p.0 - prev.0).abs() > 180.0,
        );
        if !pieces.is_empty() {
            legend.push((LegendKey::Line(color), t.label.as_str()));
        }
        chart
            .draw_series(
                pieces
                    .into_iter()
                    .map(|piece| PathElement::new(piece, color.stroke_width(3))),
            )
            .map_err(draw_err(path))?;
    }
    draw_markers(&mut chart, &body, &ext, markers, path)?;
    let plot_area = chart.plotting_area().strip_coord_spec();
    draw_legend(&plot_area, LegendPlace::LowerLeft, &legend, path)?;
    root.present().map_err(draw_err(path))
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
}
