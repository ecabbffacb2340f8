//! Rendering tests for `report::plot` and `report::write`: every figure is drawn into a
//! temporary directory, decoded back and checked for size and content; the writers' output is
//! parsed back. The inputs are synthetic but physical: circular GLONASS-like orbits
//! (a = 25,510 km, i = 64.8°, GLONASS ICD nominal values) seen from real city coordinates.

use std::collections::HashSet;
use std::path::PathBuf;

use gnss_interop::frames::{Ellipsoid, Geodetic, Topocentric};
use gnss_interop::report::plot::{
    bar_chart_pairs, ground_tracks, sky_plot, time_series, world_map, ColorScale, GroundTrack,
    MapStyle, Marker, Rgb, Series, SkyTrack, CHART_SIZE_PX, SKY_PLOT_SIZE_PX,
};
use gnss_interop::report::write::{write_csv, write_geojson_cells, write_json};
use gnss_interop::report::{GridField, ReportError};
use nalgebra::Vector3;

/// A fresh output directory per test: `<temp>/gnss-interop-report-tests-<pid>/<test>`.
fn out_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("gnss-interop-report-tests-{}", std::process::id()))
        .join(test);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Remove a test's outputs once it has passed, unless `GNSS_INTEROP_KEEP_PLOTS` is set (to look
/// at the figures).
fn clean_up(dir: &PathBuf) {
    if std::env::var_os("GNSS_INTEROP_KEEP_PLOTS").is_none() {
        let _ = std::fs::remove_dir_all(dir);
        if let Some(parent) = dir.parent() {
            let _ = std::fs::remove_dir(parent); // only succeeds once empty
        }
    }
}

/// Decode a PNG, check its size, and return the number of distinct colours.
fn check_png(path: &PathBuf, size: (u32, u32)) -> usize {
    let img = image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgb8();
    assert_eq!(img.dimensions(), size, "{}", path.display());
    let colours: HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    colours.len()
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
    let path = dir.join("world_map_global.png");
    let style = MapStyle {
        title: "PDOP, BDS + GLONASS, 5° mask (synthetic field)".into(),
        units_label: "PDOP".into(),
        color_scale: ColorScale::Sequential { min: 1.0, max: 2.2 },
        markers: stations(),
    };
    world_map(&path, &global, &style).unwrap();
    assert!(check_png(&path, CHART_SIZE_PX) > 200);

    // Regional, 0…360 longitudes, diverging scale (Wang et al. 2019 region, 60°S–60°N × 50–170°E).
    let mut regional = synthetic_grid(1.0, (-60.0, 60.0), (50.0, 170.0));
    for v in regional.values.iter_mut().flatten() {
        *v -= 1.6;
    }
    regional.values[100] = None;
    let path = dir.join("world_map_regional.png");
    let style = MapStyle {
        title: "PDOP change with the augmented network".into(),
        units_label: "ΔPDOP".into(),
        color_scale: ColorScale::Diverging { abs_max: 0.5 },
        markers: stations(),
    };
    world_map(&path, &regional, &style).unwrap();
    assert!(check_png(&path, CHART_SIZE_PX) > 200);
    clean_up(&dir);
}

#[test]
fn sky_plot_and_ground_tracks_from_orbits() {
    let dir = out_dir("sky_plot_and_ground_tracks_from_orbits");
    let ell = Ellipsoid::PZ90;
    let site = Topocentric::new(Geodetic::new(55.1, 36.6, 200.0), &ell);
    let mut sky = Vec::new();
    let mut ground = Vec::new();
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
            if step % 5 == 0 {
                let g = ell.to_geodetic(&r);
                ground_points.push((g.lat_deg, g.lon_deg));
            }
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
    let path = dir.join("sky_plot.png");
    sky_plot(
        &path,
        "GLONASS-like satellites seen from Obninsk, 12 h",
        &sky,
    )
    .unwrap();
    assert!(check_png(&path, SKY_PLOT_SIZE_PX) > 50);

    let path = dir.join("ground_tracks.png");
    ground_tracks(&path, "Ground tracks, 12 h", &ground, &stations()).unwrap();
    assert!(check_png(&path, CHART_SIZE_PX) > 50);
    clean_up(&dir);
}

#[test]
fn bar_chart_and_time_series() {
    let dir = out_dir("bar_chart_and_time_series");
    let cats: Vec<String> = (1..=24).map(|i| format!("R{i:02}")).collect();
    let before: Vec<f64> = (0..24).map(|i| 0.45 + 0.02 * (i % 7) as f64).collect();
    let after: Vec<f64> = before.iter().map(|b| (b + 0.3).min(1.0)).collect();
    let path = dir.join("bar_chart.png");
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

    // Many categories: labels turn vertical.
    let cats: Vec<String> = (1..=46).map(|i| format!("C{i:02} MEO")).collect();
    let before: Vec<f64> = (0..46).map(|i| 0.3 + 0.01 * i as f64).collect();
    let after: Vec<f64> = before.iter().map(|b| b + 0.2).collect();
    let path = dir.join("bar_chart_many.png");
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
    let path = dir.join("time_series.png");
    time_series(
        &path,
        "DOP at Irkutsk",
        "hours since 00:00 UTC",
        "DOP",
        &series,
    )
    .unwrap();
    assert!(check_png(&path, CHART_SIZE_PX) > 20);
    clean_up(&dir);
}

#[test]
fn bad_inputs_are_typed_errors_with_the_path() {
    let dir = out_dir("bad_inputs_are_typed_errors_with_the_path");
    let path = dir.join("bad.png");
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
    let missing = dir.join("no-such-dir").join("x.png");
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
    clean_up(&dir);
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
    let path = dir.join("rows.csv");
    write_csv(&path, &rows).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "sat,tracked_fraction\nC19,0.5\nR07,0.875\n"
    );

    let path = dir.join("rows.json");
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
    let path = dir.join("cells.geojson");
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
    clean_up(&dir);
}
