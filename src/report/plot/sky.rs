//! Sky plots ([`sky_plot`]): satellite tracks in azimuth and elevation.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::{
    canvas, check_track, draw_err, font, track_pieces, ReportError, Rgb, SKY_PLOT_SIZE_PX,
};

/// A satellite track on a sky plot: (azimuth, elevation) in degrees, in time order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkyTrack {
    /// Label drawn at the end of the track (e.g. "C19").
    pub label: String,
    /// (azimuth_deg, elevation_deg) points; points below the horizon are not drawn.
    pub points: Vec<(f64, f64)>,
}

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
        check_track(path, "sky track", &t.label, &t.points)?;
    }
    let (root, body) = canvas(path, SKY_PLOT_SIZE_PX, title)?;
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
        let segments = track_pieces(
            t.points
                .iter()
                .map(|&(az, el)| (el >= 0.0).then(|| project(az, el))),
            |q, p| ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt() > 0.5,
        );
        chart
            .draw_series(
                segments
                    .iter()
                    .map(|seg| PathElement::new(seg.clone(), color.stroke_width(3))),
            )
            .map_err(draw_err(path))?;
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
