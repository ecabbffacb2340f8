//! Charts: paired bars ([`bar_chart_pairs`]), time series ([`time_series`]) and interval
//! timelines ([`interval_timeline`]).

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;
use serde::{Deserialize, Serialize};

use super::{
    canvas, draw_err, draw_legend, fmt_value, font, min_max, LegendKey, LegendPlace, ReportError,
    Rgb, Ticked, CHART_SIZE_PX,
};

/// A line of a time-series chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// Legend label.
    pub label: String,
    /// (x, y) points in x order.
    pub points: Vec<(f64, f64)>,
}

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
    let (root, body) = canvas(path, CHART_SIZE_PX, title)?;
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
    for (k, values) in [before, after].into_iter().enumerate() {
        let color = colors[k];
        let (a, b) = if k == 0 { (0.12, 0.5) } else { (0.5, 0.88) };
        chart
            .draw_series(values.iter().enumerate().map(|(i, &v)| {
                Rectangle::new([(i as f64 + a, 0.0), (i as f64 + b, v)], color.filled())
            }))
            .map_err(draw_err(path))?;
    }
    let legend_rows = [
        (LegendKey::Swatch(colors[0]), legend.0),
        (LegendKey::Swatch(colors[1]), legend.1),
    ];
    let plot_area = chart.plotting_area().strip_coord_spec();
    draw_legend(&plot_area, LegendPlace::UpperRight, &legend_rows, path)?;
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
    let (root, body) = canvas(path, CHART_SIZE_PX, title)?;
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
            .map_err(draw_err(path))?;
    }
    let legend_rows: Vec<_> = series
        .iter()
        .enumerate()
        .map(|(k, s)| (LegendKey::Line(Rgb::palette(k).rgb()), s.label.as_str()))
        .collect();
    let plot_area = chart.plotting_area().strip_coord_spec();
    draw_legend(&plot_area, LegendPlace::UpperRight, &legend_rows, path)?;
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
    // Empty rows on top hold the two-line legend, clear of the bars.
    const EMPTY_ROWS: u32 = 4;
    let n = rows.len();
    let row_px = 16u32;
    let size = (
        CHART_SIZE_PX.0,
        (200 + row_px * (n as u32 + EMPTY_ROWS)).max(CHART_SIZE_PX.1 / 2),
    );
    let (root, body) = canvas(path, size, title)?;
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
        .build_cartesian_2d(
            x0..x1,
            Ticked::new(0.0..(n as u32 + EMPTY_ROWS) as f64, centres),
        )
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
    for (k, color) in [TIMELINE_PRIMARY.rgb(), TIMELINE_SECONDARY.rgb()]
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
        chart.draw_series(bars).map_err(draw_err(path))?;
    }
    let legend_rows = [
        (LegendKey::Swatch(TIMELINE_PRIMARY.rgb()), legend.0),
        (LegendKey::Swatch(TIMELINE_SECONDARY.rgb()), legend.1),
    ];
    let plot_area = chart.plotting_area().strip_coord_spec();
    draw_legend(&plot_area, LegendPlace::UpperRight, &legend_rows, path)?;
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
