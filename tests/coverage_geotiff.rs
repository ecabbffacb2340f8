//! The GeoTIFF of a `coverage` run, opened by GDAL (`gdalinfo -json`, `gdallocationinfo` from
//! Debian's gdal-bin): size, bands and their names, geotransform against the grid definition,
//! CRS, nodata, compression, and pixel values against the `points.csv` of the same run.
//!
//! Without the GDAL tools the tests print `SKIPPED: ...` and pass, unless
//! `GNSS_INTEROP_REQUIRE_GDAL=1`.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
}

fn tmp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("gnss-interop-tif-{name}-"))
        .tempdir()
        .unwrap()
}

/// Whether the GDAL tools run; panics when they are required and missing.
fn have_gdal(test: &str) -> bool {
    let ok = Command::new("gdalinfo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var("GNSS_INTEROP_REQUIRE_GDAL").as_deref() == Ok("1") {
            panic!("gdalinfo is required (GNSS_INTEROP_REQUIRE_GDAL=1) but does not run");
        }
        eprintln!("SKIPPED: {test}: gdalinfo (gdal-bin) not found");
    }
    ok
}

fn run_coverage(dir: &Path, extra: &[&str]) {
    let out = bin()
        .args([
            "coverage",
            "--nominal",
            "--systems",
            "C,R",
            "--start",
            "2023-01-01T00:00:00",
            "--end",
            "2023-01-01T02:00:00",
            "--step",
            "900",
            "--mask",
            "10",
            "--threads",
            "2",
        ])
        .args(extra)
        .arg("--out")
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn gdalinfo(path: &Path) -> Value {
    let out = Command::new("gdalinfo")
        .arg("-json")
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "gdalinfo: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Band values at (lat, lon) as GDAL reads them (NaN for nodata).
fn values_at(path: &Path, lat_deg: f64, lon_deg: f64) -> Vec<f64> {
    let out = Command::new("gdallocationinfo")
        .args(["-valonly", "-wgs84"])
        .arg(path)
        .arg(lon_deg.to_string())
        .arg(lat_deg.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "gdallocationinfo: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let l = l.trim();
            if l.eq_ignore_ascii_case("nan") || l.eq_ignore_ascii_case("-nan") {
                f64::NAN
            } else {
                l.parse().unwrap_or_else(|_| panic!("value '{l}'"))
            }
        })
        .collect()
}

const FIXED_BANDS: [&str; 6] = [
    "availability",
    "visible_mean",
    "visible_min",
    "visible_max",
    "solution_epochs",
    "longest_outage_s",
];

#[test]
fn geotiff_opens_in_gdal_and_matches_points_csv() {
    if !have_gdal("geotiff_opens_in_gdal_and_matches_points_csv") {
        return;
    }
    let scratch = tmp_dir("region");
    let dir = scratch.path().join("out");
    // 15° cell centres over lat −60…60, lon −180…180: 8 rows × 24 columns.
    run_coverage(&dir, &["--grid-step", "15", "--region=-60,60,-180,180"]);
    let tif = dir.join("coverage.tif");
    let info = gdalinfo(&tif);

    assert_eq!(info["driverShortName"], "GTiff");
    assert_eq!(info["size"], serde_json::json!([24, 8]));
    // Geotransform from the grid definition: west edge −180°, north edge 60°, 15° pixels.
    let gt: Vec<f64> = info["geoTransform"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let want = [-180.0, 15.0, 0.0, 60.0, 0.0, -15.0];
    for (g, w) in gt.iter().zip(want) {
        assert!((g - w).abs() < 1e-9, "geotransform {gt:?}, want {want:?}");
    }
    let wkt = info["coordinateSystem"]["wkt"].as_str().unwrap();
    assert!(wkt.contains("WGS 84"), "{wkt}");
    assert!(wkt.contains("ID[\"EPSG\",4326]"), "{wkt}");
    assert_eq!(
        info["metadata"][""]["AREA_OR_POINT"], "Area",
        "{}",
        info["metadata"]
    );
    assert_eq!(
        info["metadata"]["IMAGE_STRUCTURE"]["COMPRESSION"],
        "DEFLATE"
    );

    // Bands: the fixed ones, then mean/p50/p95/max of each default figure (as in points.csv).
    let csv = std::fs::read_to_string(dir.join("points.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let dop_cols: Vec<&str> = header[9..].to_vec();
    let mut expected: Vec<String> = FIXED_BANDS.iter().map(|s| s.to_string()).collect();
    expected.extend(dop_cols.iter().map(|s| s.to_string()));
    let bands = info["bands"].as_array().unwrap();
    let names: Vec<&str> = bands
        .iter()
        .map(|b| b["description"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, expected);
    for b in bands {
        assert_eq!(b["type"], "Float32");
        assert_eq!(b["noDataValue"], "NaN", "{b}");
    }

    // Pixel values at a few points against the CSV row of the same point. The CSV carries 4 to
    // 6 decimals; the raster float32 (relative 6e-8).
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 8 * 24);
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    for &i in &[0usize, 5, 23, 24, 100, 191] {
        let r = &rows[i];
        let lat: f64 = r[0].parse().unwrap();
        let lon: f64 = r[1].parse().unwrap();
        let got = values_at(&tif, lat, lon);
        assert_eq!(got.len(), expected.len(), "point {i}");
        for (b, name) in expected.iter().enumerate() {
            let cell = &r[col(name)];
            if cell.is_empty() {
                assert!(got[b].is_nan(), "point {i} band {name}: {}", got[b]);
                continue;
            }
            let want: f64 = cell.parse().unwrap();
            let tol = 1e-4 + 1e-6 * want.abs();
            assert!(
                (got[b] - want).abs() <= tol,
                "point {i} ({lat}, {lon}) band {name}: raster {} vs CSV {want}",
                got[b]
            );
        }
    }
}

#[test]
fn geotiff_across_180_and_without_point_files() {
    if !have_gdal("geotiff_across_180_and_without_point_files") {
        return;
    }
    let scratch = tmp_dir("dateline");
    let dir = scratch.path().join("out");
    // 10° nodes over lat 30…60, lon 150…−150 (across 180°): 4 rows × 7 columns; per-point files
    // turned off.
    run_coverage(
        &dir,
        &[
            "--grid-step",
            "10",
            "--layout",
            "nodes",
            "--region=30,60,150,-150",
            "--point-files",
            "never",
        ],
    );
    assert!(!dir.join("points.csv").exists());
    assert!(!dir.join("cells.geojson").exists());
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    let files: Vec<&str> = summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(files.contains(&"coverage.tif"), "{files:?}");
    let info = gdalinfo(&dir.join("coverage.tif"));
    assert_eq!(info["size"], serde_json::json!([7, 4]));
    // Pixels centred on the nodes: west edge 150 − 5, north edge 60 + 5.
    let gt: Vec<f64> = info["geoTransform"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let want = [145.0, 10.0, 0.0, 65.0, 0.0, -10.0];
    for (g, w) in gt.iter().zip(want) {
        assert!((g - w).abs() < 1e-9, "geotransform {gt:?}, want {want:?}");
    }
    // Every pixel has a visible count ≥ 5 with 54 nominal satellites (band 2 = visible_mean).
    let v = values_at(&dir.join("coverage.tif"), 45.0, 180.0);
    assert!(v[1] >= 5.0, "{v:?}");
}

/// A scenario's `[grid]` writes the GeoTIFF with tables only (no maps); `outputs.point_files`
/// turns the per-point CSV off (and it is on by default for a small grid).
#[test]
fn scenario_grid_writes_the_geotiff_and_honours_point_files() {
    use gnss_interop::scenario::run::{run, RunOptions};
    use gnss_interop::scenario::Scenario;
    let base = "name = \"tif\"\n[time]\nstart = \"2023-01-01T00:00:00 UTC\"\n\
                end = \"2023-01-01T01:00:00 UTC\"\nstep_s = 1800\n[orbits]\nsource = \"nominal\"\n\
                systems = [\"C\", \"R\"]\n[grid]\nstep_deg = 30\n[outputs]\ncsv = true\n";
    for (extra, csv_expected) in [("", true), ("point_files = false\n", false)] {
        let s = Scenario::from_toml_str(&format!("{base}{extra}"), Path::new(".")).unwrap();
        let scratch = tmp_dir(if csv_expected { "scn-csv" } else { "scn-nocsv" });
        let out = scratch.path().join("out");
        run(&s, &RunOptions::new(&out)).unwrap();
        assert!(out.join("coverage/coverage.tif").is_file(), "{extra}");
        assert_eq!(
            out.join("coverage/points.csv").is_file(),
            csv_expected,
            "{extra}"
        );
        if have_gdal("scenario_grid_writes_the_geotiff_and_honours_point_files") {
            let info = gdalinfo(&out.join("coverage/coverage.tif"));
            // 30° nodes (the scenario default layout) or centres: 36 / 30 = 12 columns.
            assert_eq!(info["size"][0], 12, "{}", info["size"]);
        }
    }
}
