//! Rendering tests for `report::plot` and `report::write`: every figure is drawn into a
//! temporary directory, decoded back and checked for size and content — each series, bar, track
//! and map cell in its colour at the pixels of its data (the pixel frame is found in the image
//! from the axis lines or the horizon disc, not taken from the drawing code), and no series
//! colour where there are no data; the writers' output is parsed back. The inputs are synthetic but physical: circular GLONASS-like orbits
//! (a = 25,510 km, i = 64.8°, GLONASS ICD nominal values) seen from real city coordinates.

use std::collections::HashSet;
use std::path::PathBuf;

use gnss_interop::frames::{Ellipsoid, Geodetic, Topocentric};
use gnss_interop::report::plot::{
    bar_chart_pairs, ground_tracks, interval_timeline, sky_plot, time_series, world_map,
    ColorScale, GroundTrack, MapStyle, Marker, Rgb, Series, SkyTrack, TimelineRow, CHART_SIZE_PX,
    SKY_PLOT_SIZE_PX, TIMELINE_PRIMARY, TIMELINE_SECONDARY,
};
use gnss_interop::report::write::{write_csv, write_geojson_cells, write_json};
use gnss_interop::report::{GridField, ReportError};
use image::RgbImage;
use nalgebra::Vector3;

/// A fresh output directory per test, `<temp>/gnss-interop-report-<test>-XXXXXX`, removed on
/// drop unless `GNSS_INTEROP_KEEP_PLOTS` is set (to look at the figures).
fn out_dir(test: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("gnss-interop-report-{test}-"))
        .disable_cleanup(std::env::var_os("GNSS_INTEROP_KEEP_PLOTS").is_some())
        .tempdir()
        .unwrap()
}

/// Decode a PNG and check its size.
fn load_png(path: &PathBuf, size: (u32, u32)) -> RgbImage {
    let img = image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgb8();
    assert_eq!(img.dimensions(), size, "{}", path.display());
    img
}

/// Decode a PNG, check its size, and return the number of distinct colours.
fn check_png(path: &PathBuf, size: (u32, u32)) -> usize {
    let colours: HashSet<[u8; 3]> = load_png(path, size).pixels().map(|p| p.0).collect();
    colours.len()
}

/// Search radius around an expected pixel: plotters rounds data coordinates to whole pixels,
/// lines are 2–3 px wide, and the frame is found from 1 px axis lines, so ±2 px.
const NEAR_PX: i32 = 2;

/// Whether `colour` occurs within ±[`NEAR_PX`] of pixel `(x, y)`.
fn near(img: &RgbImage, (x, y): (i32, i32), colour: Rgb) -> bool {
    let want = [colour.0, colour.1, colour.2];
    (-NEAR_PX..=NEAR_PX).any(|dy| {
        (-NEAR_PX..=NEAR_PX).any(|dx| {
            let (px, py) = (x + dx, y + dy);
            px >= 0
                && py >= 0
                && (px as u32) < img.width()
                && (py as u32) < img.height()
                && img.get_pixel(px as u32, py as u32).0 == want
        })
    })
}

/// The plotting area of a chart or map, found in the image itself from its two black (0, 0, 0)
/// axis lines (plotters draws them along the left and bottom edges of the plotting area): the
/// longest black line of any row is the x axis, of any column the y axis. Data coordinates map
/// linearly: `x_range` onto the x axis' pixel extent, `y_range` onto the y axis' (upwards).
/// This is independent of the drawing code's own layout arithmetic.
struct Frame {
    x_px: (i32, i32),
    y_px: (i32, i32),
    x_range: (f64, f64),
    y_range: (f64, f64),
}

impl Frame {
    fn from_axes(img: &RgbImage, x_range: (f64, f64), y_range: (f64, f64)) -> Frame {
        let black = |x: u32, y: u32| img.get_pixel(x, y).0 == [0, 0, 0];
        let (w, h) = img.dimensions();
        // (length, first, last) of the longest black run along one line, bridging gaps of up
        // to 4 px: the data may be drawn over an axis, so its line is not quite unbroken.
        let extent = |n: u32, is_black: &dyn Fn(u32) -> bool| {
            let mut best = (0, 0, 0);
            let mut run: Option<(u32, u32)> = None;
            for i in (0..n).filter(|&i| is_black(i)) {
                run = match run {
                    Some((first, last)) if i - last <= 5 => Some((first, i)),
                    _ => Some((i, i)),
                };
                let (first, last) = run.unwrap();
                best = best.max((last - first + 1, first, last));
            }
            best
        };
        let x_axis = (0..h).map(|y| extent(w, &|x| black(x, y))).max().unwrap();
        let y_axis = (0..w).map(|x| extent(h, &|y| black(x, y))).max().unwrap();
        assert!(
            x_axis.0 > w / 3 && y_axis.0 > h / 3,
            "no axis lines found: {x_axis:?} {y_axis:?}"
        );
        Frame {
            x_px: (x_axis.1 as i32, x_axis.2 as i32),
            // Pixel rows grow downwards: the bottom of the y axis is y_range.0.
            y_px: (y_axis.2 as i32, y_axis.1 as i32),
            x_range,
            y_range,
        }
    }

    /// Pixel of data point `(x, y)`.
    fn px(&self, x: f64, y: f64) -> (i32, i32) {
        let lin = |v: f64, (a, b): (f64, f64), (pa, pb): (i32, i32)| {
            (pa as f64 + (v - a) / (b - a) * (pb - pa) as f64).round() as i32
        };
        (
            lin(x, self.x_range, self.x_px),
            lin(y, self.y_range, self.y_px),
        )
    }

    /// Whether pixel `p` lies in the top-right (`right`) or bottom-left quarter corner of the
    /// plotting area (where the legend is drawn over the data).
    fn in_legend_corner(&self, (x, y): (i32, i32), top_right: bool) -> bool {
        let fx = (x - self.x_px.0) as f64 / (self.x_px.1 - self.x_px.0) as f64;
        let fy = (y - self.y_px.0) as f64 / (self.y_px.1 - self.y_px.0) as f64; // 0 bottom, 1 top
        if top_right {
            fx > 0.75 && fy > 0.75
        } else {
            fx < 0.25 && fy < 0.25
        }
    }
}

/// Fraction of `points` (pixels) near which `colour` is found.
fn hit_fraction(img: &RgbImage, points: &[(i32, i32)], colour: Rgb) -> f64 {
    assert!(!points.is_empty());
    points.iter().filter(|&&p| near(img, p, colour)).count() as f64 / points.len() as f64
}

/// Station markers at the approximate city coordinates of DOMAIN.md (2022 agreement sites).
fn stations() -> Vec<Marker> {
    let sites = [
        ("Changchun", 43.8, 125.3, Rgb::RED),
        ("Shanghai", 31.2, 121.5, Rgb::RED),
        ("Urumqi", 43.8, 87.6, Rgb::RED),
        ("Obninsk", 55.1, 36.6, Rgb::BLUE),
        ("Irkutsk", 52.3, 104.3, Rgb::BLUE),
        ("Petropavlovsk-Kamchatsky", 53.0, 158.6, Rgb::BLUE),
    ];
    sites
        .iter()
        .map(|&(label, lat, lon, color)| Marker {
            lat_deg: lat,
            lon_deg: lon,
            label: label.into(),
            color,
        })
        .collect()
}

/// ECEF position of a satellite on a circular orbit (plane `raan_deg`, argument of latitude
/// u0 + n·t), rotated into the Earth-fixed frame by ωe·t.
fn circular_orbit_ecef(raan_deg: f64, u0_deg: f64, t_s: f64) -> Vector3<f64> {
    let a = 25_510_000.0_f64;
    let gm = 3.986_004_418e14;
    let we = 7.292_115e-5;
    let inc = 64.8_f64.to_radians();
    let n = (gm / a.powi(3)).sqrt();
    let u = u0_deg.to_radians() + n * t_s;
    let omega = raan_deg.to_radians() - we * t_s;
    let (su, cu) = u.sin_cos();
    let (so, co) = omega.sin_cos();
    let (si, ci) = inc.sin_cos();
    Vector3::new(
        a * (co * cu - so * su * ci),
        a * (so * cu + co * su * ci),
        a * su * si,
    )
}

fn synthetic_grid(step: f64, lat_range: (f64, f64), lon_range: (f64, f64)) -> GridField {
    let lats: Vec<f64> = (0..)
        .map(|i| lat_range.0 + step / 2.0 + i as f64 * step)
        .take_while(|&l| l < lat_range.1)
        .collect();
    let lons: Vec<f64> = (0..)
        .map(|i| lon_range.0 + step / 2.0 + i as f64 * step)
        .take_while(|&l| l < lon_range.1)
        .collect();
    let mut values = Vec::new();
    for &lat in &lats {
        for &lon in &lons {
            // A smooth PDOP-like field; polar caps without data.
            let v = 1.6 + 0.5 * (lat.to_radians() * 3.0).cos() * (lon.to_radians() * 2.0).sin();
            values.push(if lat.abs() > 80.0 { None } else { Some(v) });
        }
    }
    GridField {
        lats_deg: lats,
        lons_deg: lons,
        values,
        step_deg: step,
    }
}

#[test]
fn world_map_global_and_regional() {
    let dir = out_dir("world_map_global_and_regional");
    let global = synthetic_grid(2.0, (-90.0, 90.0), (-180.0, 180.0));
    let path = dir.path().join("world_map_global.png");
    let style = MapStyle {
        title: "PDOP, BDS + GLONASS, 5° mask (synthetic field)".into(),
        units_label: "PDOP".into(),
        color_scale: ColorScale::Sequential { min: 1.0, max: 2.2 },
        markers: stations(),
    };
    world_map(&path, &global, &style).unwrap();
    assert!(check_png(&path, CHART_SIZE_PX) > 200);
    check_map_cells(&path, &global, &style, ((-180.0, 180.0), (-90.0, 90.0)));

    // Regional, 0…360 longitudes, diverging scale (Wang et al. 2019 region, 60°S–60°N × 50–170°E).
    let mut regional = synthetic_grid(1.0, (-60.0, 60.0), (50.0, 170.0));
    for v in regional.values.iter_mut().flatten() {
        *v -= 1.6;
    }
    regional.values[100] = None;
    let path = dir.path().join("world_map_regional.png");
    let style = MapStyle {
        title: "PDOP change with the augmented network".into(),
        units_label: "ΔPDOP".into(),
        color_scale: ColorScale::Diverging { abs_max: 0.5 },
        markers: stations(),
    };
    world_map(&path, &regional, &style).unwrap();
    assert!(check_png(&path, CHART_SIZE_PX) > 200);
    check_map_cells(&path, &regional, &style, ((50.0, 170.0), (-60.0, 60.0)));
}

/// Grey of cells without data (documented as grey in `world_map`; the exact shade is the one the
/// map's legend swatch shows).
const NO_DATA: Rgb = Rgb(190, 190, 190);

/// The colour a cell of value `v` must show, taken from plotters' colormaps rather than from
/// the drawing code: `ViridisRGB` for sequential scales; for diverging ones the ColorBrewer RdBu
/// 11-class values as published (colorbrewer2.org, reversed so that negative is blue) interpolated
/// by plotters' `DerivedColorMap`.
fn expected_cell_colour(scale: &ColorScale, v: f64) -> Rgb {
    use plotters::style::colors::colormaps::{ColorMap, DerivedColorMap, ViridisRGB};
    use plotters::style::RGBColor;
    let c: RGBColor = match *scale {
        ColorScale::Sequential { min, max } => ViridisRGB.get_color_normalized(v, min, max),
        ColorScale::Diverging { abs_max } => DerivedColorMap::new(&[
            RGBColor(0x05, 0x30, 0x61),
            RGBColor(0x21, 0x66, 0xac),
            RGBColor(0x43, 0x93, 0xc3),
            RGBColor(0x92, 0xc5, 0xde),
            RGBColor(0xd1, 0xe5, 0xf0),
            RGBColor(0xf7, 0xf7, 0xf7),
            RGBColor(0xfd, 0xdb, 0xc7),
            RGBColor(0xf4, 0xa5, 0x82),
            RGBColor(0xd6, 0x60, 0x4d),
            RGBColor(0xb2, 0x18, 0x2b),
            RGBColor(0x67, 0x00, 0x1f),
        ])
        .get_color_normalized(v, -abs_max, abs_max),
    };
    Rgb(c.0, c.1, c.2)
}

/// Every cell of the map shows its value's colour at its centre (or the no-data grey), except
/// under the station markers and their labels and a few under dense coastlines. `extent` = ((lon min, max), (lat min, max)) of
/// the map, degrees: the grid's cell edges.
fn check_map_cells(
    path: &PathBuf,
    grid: &GridField,
    style: &MapStyle,
    (lon_range, lat_range): ((f64, f64), (f64, f64)),
) {
    let img = load_png(path, CHART_SIZE_PX);
    let frame = Frame::from_axes(&img, lon_range, lat_range);
    // A marker and its label (placed left or right of it, up to ~200 px wide) cover the cells
    // within this many pixels of the marker.
    let under_marker = |(x, y): (i32, i32)| {
        style.markers.iter().any(|m| {
            let (mx, my) = frame.px(m.lon_deg, m.lat_deg);
            (x - mx).abs() <= 230 && (y - my).abs() <= 45
        })
    };
    let (mut checked, mut missing) = (0, Vec::new());
    for (i, &lat) in grid.lats_deg.iter().enumerate() {
        for (j, &lon) in grid.lons_deg.iter().enumerate() {
            let p = frame.px(lon, lat);
            if under_marker(p) {
                continue;
            }
            let colour = match grid.values[i * grid.lons_deg.len() + j] {
                Some(v) => expected_cell_colour(&style.color_scale, v),
                None => NO_DATA,
            };
            checked += 1;
            if !near(&img, p, colour) {
                missing.push((lat, lon));
            }
        }
    }
    assert!(checked > grid.values.len() / 2, "{checked}");
    // Coastlines are drawn over the cells and can hide a small cell entirely where they are
    // dense (archipelagos): allow 0.5 %.
    assert!(
        missing.len() * 200 <= checked,
        "{}: {} of {checked} cells without their colour, e.g. {:?}",
        path.display(),
        missing.len(),
        &missing[..missing.len().min(5)]
    );
}

/// Share of a track's points that must show its colour: tracks cross each other (the later one
/// is drawn on top) and pass under markers, labels and the legend.
const MIN_TRACK_HITS: f64 = 0.9;

/// Each ground track's colour lies on its points; no track colour lies on a 3° lattice where
/// no track passes within 3° (`dense`: every track's points every minute), away from the
/// markers (drawn in track-like colours) and the legend's corner.
fn check_ground_tracks_drawn(
    path: &PathBuf,
    tracks: &[GroundTrack],
    dense: &[(f64, f64)],
    markers: &[Marker],
) {
    let img = load_png(path, CHART_SIZE_PX);
    let frame = Frame::from_axes(&img, (-180.0, 180.0), (-90.0, 90.0));
    for (k, t) in tracks.iter().enumerate() {
        let pts: Vec<_> = t
            .points
            .iter()
            .map(|&(lat, lon)| frame.px(lon, lat))
            .collect();
        let f = hit_fraction(&img, &pts, Rgb::palette(k));
        assert!(
            f >= MIN_TRACK_HITS,
            "track '{}': colour at {:.0} % of its points",
            t.label,
            100.0 * f
        );
    }
    let mut background = Vec::new();
    for i in 0..60 {
        for j in 0..120 {
            let (lat, lon) = (-88.5 + 3.0 * i as f64, -178.5 + 3.0 * j as f64);
            let clear = dense.iter().all(|&(a, b)| {
                let dlon = (b - lon).rem_euclid(360.0);
                (a - lat).abs() > 3.0 || dlon.min(360.0 - dlon) > 3.0
            });
            let p = frame.px(lon, lat);
            let off_markers = markers.iter().all(|m| {
                let (mx, my) = frame.px(m.lon_deg, m.lat_deg);
                (p.0 - mx).abs() > 20 || (p.1 - my).abs() > 20
            });
            if clear && off_markers && !frame.in_legend_corner(p, false) {
                background.push(p);
            }
        }
    }
    assert!(background.len() > 2000, "{}", background.len());
    for k in 0..tracks.len() {
        let f = hit_fraction(&img, &background, Rgb::palette(k));
        assert_eq!(f, 0.0, "track {k}'s colour where no track passes");
    }
}

/// Sky plot: the horizon disc is found in the image from its fill colour; a point at azimuth
/// az and elevation el is at radius (90° − el)/90° of the disc, north up, east right. Each
/// track's colour lies on its points above the horizon; no track colour lies on a 10° × 10°
/// lattice of the sky where no track passes (≥ 0.06 disc radii) nor ends (its label).
fn check_sky_tracks_drawn(path: &PathBuf, tracks: &[SkyTrack]) {
    let img = load_png(path, SKY_PLOT_SIZE_PX);
    let disc = [247, 249, 252]; // fill of the horizon disc
    let (mut x0, mut x1, mut y0, mut y1) = (u32::MAX, 0, u32::MAX, 0);
    for (x, y, p) in img.enumerate_pixels() {
        if p.0 == disc {
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
        }
    }
    let (cx, cy) = ((x0 + x1) as f64 / 2.0, (y0 + y1) as f64 / 2.0);
    let radius = ((x1 - x0) as f64 / 2.0 + (y1 - y0) as f64 / 2.0) / 2.0;
    assert!(
        radius > 300.0,
        "horizon disc not found: {x0}…{x1} × {y0}…{y1}"
    );
    let unit = |az_deg: f64, el_deg: f64| {
        let r = (90.0 - el_deg) / 90.0;
        let (s, c) = az_deg.to_radians().sin_cos();
        (r * s, r * c)
    };
    let px = |(u, v): (f64, f64)| {
        (
            (cx + radius * u).round() as i32,
            (cy - radius * v).round() as i32,
        )
    };
    let mut above = Vec::new();
    for (k, t) in tracks.iter().enumerate() {
        let pts: Vec<_> = t
            .points
            .iter()
            .filter(|p| p.1 >= 0.0)
            .map(|&(az, el)| px(unit(az, el)))
            .collect();
        let f = hit_fraction(&img, &pts, Rgb::palette(k));
        assert!(
            f >= MIN_TRACK_HITS,
            "sky track '{}': colour at {:.0} % of its points",
            t.label,
            100.0 * f
        );
        above.extend(
            t.points
                .iter()
                .filter(|p| p.1 >= 0.0)
                .map(|&(az, el)| unit(az, el)),
        );
    }
    let ends: Vec<_> = tracks
        .iter()
        .filter_map(|t| t.points.iter().rev().find(|p| p.1 >= 0.0))
        .map(|&(az, el)| unit(az, el))
        .collect();
    let dist = |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
    let mut background = Vec::new();
    for az in (0..360).step_by(10) {
        for el in (5..90).step_by(10) {
            let q = unit(az as f64, el as f64);
            if above.iter().all(|&p| dist(p, q) > 0.06) && ends.iter().all(|&p| dist(p, q) > 0.2) {
                background.push(px(q));
            }
        }
    }
    assert!(background.len() > 50, "{}", background.len());
    for k in 0..tracks.len() {
        let f = hit_fraction(&img, &background, Rgb::palette(k));
        assert_eq!(f, 0.0, "sky track {k}'s colour where no track passes");
    }
}

#[test]
fn sky_plot_and_ground_tracks_from_orbits() {
    let dir = out_dir("sky_plot_and_ground_tracks_from_orbits");
    let ell = Ellipsoid::PZ90;
    let site = Topocentric::new(Geodetic::new(55.1, 36.6, 200.0), &ell);
    let mut sky = Vec::new();
    let mut ground = Vec::new();
    // Every minute of every track, for "no track passes here".
    let mut ground_dense = Vec::new();
    for (k, (raan, u0)) in [
        (0.0, 0.0),
        (120.0, 15.0),
        (240.0, 30.0),
        (0.0, 45.0),
        (120.0, 200.0),
    ]
    .into_iter()
    .enumerate()
    {
        let mut sky_points = Vec::new();
        let mut ground_points = Vec::new();
        for step in 0..=(12 * 60) {
            let r = circular_orbit_ecef(raan, u0, step as f64 * 60.0);
            let aer = site.az_el_range(&r);
            sky_points.push((aer.azimuth_deg, aer.elevation_deg));
            let g = ell.to_geodetic(&r);
            if step % 5 == 0 {
                ground_points.push((g.lat_deg, g.lon_deg));
            }
            ground_dense.push((g.lat_deg, g.lon_deg));
        }
        sky.push(SkyTrack {
            label: format!("R{:02}", k + 1),
            points: sky_points,
        });
        ground.push(GroundTrack {
            label: format!("R{:02}", k + 1),
            points: ground_points,
        });
    }
    let path = dir.path().join("sky_plot.png");
    sky_plot(
        &path,
        "GLONASS-like satellites seen from Obninsk, 12 h",
        &sky,
    )
    .unwrap();
    assert!(check_png(&path, SKY_PLOT_SIZE_PX) > 50);
    check_sky_tracks_drawn(&path, &sky);

    let path = dir.path().join("ground_tracks.png");
    ground_tracks(&path, "Ground tracks, 12 h", &ground, &stations()).unwrap();
    assert!(check_png(&path, CHART_SIZE_PX) > 50);
    check_ground_tracks_drawn(&path, &ground, &ground_dense, &stations());
}

#[test]
fn bar_chart_and_time_series() {
    let dir = out_dir("bar_chart_and_time_series");
    let cats: Vec<String> = (1..=24).map(|i| format!("R{i:02}")).collect();
    let before: Vec<f64> = (0..24).map(|i| 0.45 + 0.02 * (i % 7) as f64).collect();
    let after: Vec<f64> = before.iter().map(|b| (b + 0.3).min(1.0)).collect();
    let path = dir.path().join("bar_chart.png");
    bar_chart_pairs(
        &path,
        "Tracked fraction per satellite",
        "fraction of the day tracked",
        &cats,
        &before,
        &after,
        ("baseline network", "with Changchun, Shanghai, Urumqi"),
    )
    .unwrap();
    assert!(check_png(&path, CHART_SIZE_PX) > 20);
    check_bars_drawn(&path, &before, &after);

    // Many categories: labels turn vertical.
    let cats: Vec<String> = (1..=46).map(|i| format!("C{i:02} MEO")).collect();
    let before: Vec<f64> = (0..46).map(|i| 0.3 + 0.01 * i as f64).collect();
    let after: Vec<f64> = before.iter().map(|b| b + 0.2).collect();
    let path = dir.path().join("bar_chart_many.png");
    bar_chart_pairs(
        &path,
        "Tracked fraction, BDS",
        "fraction",
        &cats,
        &before,
        &after,
        ("before", "after"),
    )
    .unwrap();
    assert!(check_png(&path, CHART_SIZE_PX) > 20);
    check_bars_drawn(&path, &before, &after);

    let series: Vec<Series> = ["PDOP", "HDOP", "VDOP"]
        .iter()
        .enumerate()
        .map(|(k, name)| Series {
            label: (*name).into(),
            points: (0..=288)
                .map(|i| {
                    let t = i as f64 / 12.0;
                    (t, 1.0 + 0.3 * k as f64 + 0.2 * (t * 0.8 + k as f64).sin())
                })
                .collect(),
        })
        .collect();
    let path = dir.path().join("time_series.png");
    time_series(
        &path,
        "DOP at Irkutsk",
        "hours since 00:00 UTC",
        "DOP",
        &series,
    )
    .unwrap();
    assert!(check_png(&path, CHART_SIZE_PX) > 20);
    check_time_series_drawn(&path, &series);
}

/// Each series' colour lies on its data points, and no series colour lies where no series
/// passes (≥ 0.05 DOP from every curve at that x; the legend's corner is left out).
fn check_time_series_drawn(path: &PathBuf, series: &[Series]) {
    let img = load_png(path, CHART_SIZE_PX);
    let all = || series.iter().flat_map(|s| s.points.iter());
    let min_max = |f: fn(&(f64, f64)) -> f64| {
        all()
            .map(f)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v), b.max(v))
            })
    };
    let (x0, x1) = min_max(|p| p.0);
    let (ylo, yhi) = min_max(|p| p.1);
    // The y axis is padded by 6 % of the span on each side (documented in `time_series`).
    let pad = 0.06 * (yhi - ylo);
    let frame = Frame::from_axes(&img, (x0, x1), (ylo - pad, yhi + pad));
    for (k, s) in series.iter().enumerate() {
        let pts: Vec<_> = s.points.iter().map(|&(x, y)| frame.px(x, y)).collect();
        let f = hit_fraction(&img, &pts, Rgb::palette(k));
        assert!(
            f > 0.9,
            "series '{}': colour at {:.0} % of its points",
            s.label,
            100.0 * f
        );
    }
    let mut background = Vec::new();
    for i in (0..series[0].points.len()).step_by(3) {
        let x = series[0].points[i].0;
        let mut y = ylo;
        while y <= yhi {
            let clear = series.iter().all(|s| (s.points[i].1 - y).abs() > 0.05);
            let p = frame.px(x, y);
            if clear && !frame.in_legend_corner(p, true) {
                background.push(p);
            }
            y += 0.02;
        }
    }
    assert!(background.len() > 1000, "{}", background.len());
    for k in 0..series.len() {
        let f = hit_fraction(&img, &background, Rgb::palette(k));
        assert_eq!(f, 0.0, "series {k}'s colour where no series is");
    }
}

/// Each bar's colour fills its bar (checked half-way up), and neither bar colour lies just
/// above a bar or in the gap between two categories (the legend's corner is left out).
fn check_bars_drawn(path: &PathBuf, before: &[f64], after: &[f64]) {
    let img = load_png(path, CHART_SIZE_PX);
    let n = before.len();
    let hi = before.iter().chain(after).fold(0.0_f64, |a, &b| a.max(b));
    // y axis 0 … hi + 18 % headroom for the legend (documented in `bar_chart_pairs`);
    // categories i at x = i … i + 1, bars over i + 0.12 … 0.5 and i + 0.5 … 0.88.
    let frame = Frame::from_axes(&img, (0.0, n as f64), (0.0, 1.18 * hi));
    let colours = [Rgb(158, 158, 158), Rgb::BLUE];
    for (k, (values, centre)) in [(before, 0.31), (after, 0.69)].into_iter().enumerate() {
        let inside: Vec<_> = values
            .iter()
            .enumerate()
            .map(|(i, &v)| frame.px(i as f64 + centre, v / 2.0))
            .collect();
        assert_eq!(hit_fraction(&img, &inside, colours[k]), 1.0, "bars {k}");
        let above: Vec<_> = values
            .iter()
            .enumerate()
            .map(|(i, &v)| frame.px(i as f64 + centre, v + 0.05 * hi))
            .filter(|&p| !frame.in_legend_corner(p, true))
            .collect();
        let gaps: Vec<_> = (1..n)
            .map(|i| frame.px(i as f64, values[i].min(values[i - 1]) / 2.0))
            .collect();
        for c in colours {
            assert_eq!(
                hit_fraction(&img, &above, c),
                0.0,
                "bar colour above bars {k}"
            );
            assert_eq!(
                hit_fraction(&img, &gaps, c),
                0.0,
                "bar colour between categories"
            );
        }
    }
}

/// The legend of an interval timeline sits above the rows: the top row's bar, spanning the whole
/// axis, shows its colour at every column, also under the legend's corner; a gap stays white.
#[test]
fn interval_timeline_keeps_the_legend_off_the_bars() {
    let dir = out_dir("interval_timeline_keeps_the_legend_off_the_bars");
    let path = dir.path().join("timeline.png");
    // Enough rows for the figure to grow past its minimum height: rows at their nominal 16 px.
    let rows: Vec<TimelineRow> = (1..=39)
        .map(|i| TimelineRow {
            label: format!("R{i:02}"),
            primary: vec![(0.0, 24.0)],
            secondary: vec![],
        })
        .chain(std::iter::once(TimelineRow {
            label: "R40".into(),
            primary: vec![(0.0, 10.0)],
            secondary: vec![(14.0, 24.0)],
        }))
        .collect();
    let legend = (
        "served by usable broadcast records",
        "covered only by unhealthy records",
    );
    let frame = interval_timeline(
        &path,
        "Ephemeris availability",
        "hours",
        (0.0, 24.0),
        &rows,
        legend,
    )
    .unwrap();
    let img = load_png(&path, frame.size_px);
    let at = |x_h: f64, row: usize| {
        let p = img.get_pixel(frame.x_to_px(x_h) as u32, frame.row_centre_px[row] as u32);
        Rgb(p[0], p[1], p[2])
    };
    // Stay 0.2 h inside the ends: the axis line and rounding own the edge pixels.
    for k in 1..=119 {
        let x_h = 0.2 * k as f64;
        assert_eq!(at(x_h, 0), TIMELINE_PRIMARY, "top row at {x_h} h");
    }
    assert_eq!(at(5.0, 39), TIMELINE_PRIMARY);
    assert_eq!(at(12.0, 39), Rgb::WHITE);
    assert_eq!(at(20.0, 39), TIMELINE_SECONDARY);
}

#[test]
fn bad_inputs_are_typed_errors_with_the_path() {
    let dir = out_dir("bad_inputs_are_typed_errors_with_the_path");
    let path = dir.path().join("bad.png");
    let mut grid = synthetic_grid(10.0, (-90.0, 90.0), (-180.0, 180.0));
    grid.values.pop();
    let style = MapStyle {
        title: "t".into(),
        units_label: "u".into(),
        color_scale: ColorScale::Sequential { min: 0.0, max: 1.0 },
        markers: vec![],
    };
    match world_map(&path, &grid, &style) {
        Err(ReportError::InvalidInput { path: p, message }) => {
            assert_eq!(p, path);
            assert!(message.contains("647"), "{message}");
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    let grid = synthetic_grid(10.0, (-90.0, 90.0), (-180.0, 180.0));
    let flat = MapStyle {
        color_scale: ColorScale::Sequential { min: 1.0, max: 1.0 },
        ..style
    };
    assert!(matches!(
        world_map(&path, &grid, &flat),
        Err(ReportError::InvalidInput { .. })
    ));
    let r = bar_chart_pairs(
        &path,
        "t",
        "y",
        &["a".into()],
        &[1.0, 2.0],
        &[1.0],
        ("b", "a"),
    );
    assert!(matches!(r, Err(ReportError::InvalidInput { .. })));
    let r = time_series(
        &path,
        "t",
        "x",
        "y",
        &[Series {
            label: "s".into(),
            points: vec![],
        }],
    );
    assert!(matches!(r, Err(ReportError::InvalidInput { .. })));
    // A directory that does not exist: the backend fails, and the error names the path.
    let missing = dir.path().join("no-such-dir").join("x.png");
    let err = time_series(
        &missing,
        "t",
        "x",
        "y",
        &[Series {
            label: "s".into(),
            points: vec![(0.0, 1.0), (1.0, 2.0)],
        }],
    )
    .unwrap_err();
    assert!(err.to_string().contains("no-such-dir"), "{err}");
}

#[derive(serde::Serialize)]
struct Row {
    sat: String,
    tracked_fraction: f64,
}

#[test]
fn writers_round_trip() {
    let dir = out_dir("writers_round_trip");
    let rows = vec![
        Row {
            sat: "C19".into(),
            tracked_fraction: 0.5,
        },
        Row {
            sat: "R07".into(),
            tracked_fraction: 0.875,
        },
    ];
    let path = dir.path().join("rows.csv");
    write_csv(&path, &rows).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "sat,tracked_fraction\nC19,0.5\nR07,0.875\n"
    );

    let path = dir.path().join("rows.json");
    write_json(&path, &serde_json::json!({"pdop": [1.5, null]})).unwrap();
    let back: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(back["pdop"][0], 1.5);
    assert!(back["pdop"][1].is_null());

    let grid = GridField {
        lats_deg: vec![-0.5, 0.5],
        lons_deg: vec![10.5, 11.5, 12.5],
        values: vec![
            Some(1.0),
            None,
            Some(3.0),
            Some(4.0),
            Some(f64::NAN),
            Some(6.0),
        ],
        step_deg: 1.0,
    };
    let path = dir.path().join("cells.geojson");
    write_geojson_cells(&path, &grid, "pdop").unwrap();
    let fc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    let features = fc["features"].as_array().unwrap();
    assert_eq!(features.len(), 6);
    // Cell (−0.5, 10.5): edges 10…11 E, −1…0 N, counter-clockwise (RFC 7946 §3.1.6).
    assert_eq!(
        features[0]["geometry"]["coordinates"],
        serde_json::json!([[
            [10.0, -1.0],
            [11.0, -1.0],
            [11.0, 0.0],
            [10.0, 0.0],
            [10.0, -1.0]
        ]])
    );
    assert_eq!(features[0]["properties"]["pdop"], 1.0);
    assert!(features[1]["properties"]["pdop"].is_null());
    assert!(
        features[4]["properties"]["pdop"].is_null(),
        "NaN is written as null"
    );
    assert_eq!(features[5]["properties"]["lon_deg"], 12.5);
}
