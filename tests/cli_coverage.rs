//! The `dop` and `coverage` subcommands, run as the built binary: output shapes, files, error
//! exits. Values are checked against the library only where the CLI adds nothing but plumbing
//! (the numbers themselves are tested in coverage_engine.rs and coverage_published.rs).

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
}

fn tmp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("gnss-interop-cli-{name}-"))
        .tempdir()
        .unwrap()
}

#[test]
fn dop_nominal_header_and_rows() {
    let out = bin()
        .args([
            "dop",
            "--nominal",
            "--site",
            "30,114,0",
            "--site",
            "-33.9,151.2,50",
            "--start",
            "2023-01-01T00:00:00",
            "--end",
            "2023-01-01T01:00:00 UTC",
            "--step",
            "600",
            "--mask",
            "10",
            "--clock",
            "common",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "site,epoch,visible,gdop,pdop,hdop,vdop,tdop");
    // 7 epochs (00:00 … 01:00 every 10 min) × 2 sites.
    assert_eq!(lines.len(), 1 + 7 * 2);
    for l in &lines[1..] {
        let f: Vec<&str> = l.split(',').collect();
        assert_eq!(f.len(), 8, "{l}");
        let visible: u32 = f[2].parse().unwrap();
        assert!(visible >= 4, "{l}");
        let v: Vec<f64> = f[3..].iter().map(|x| x.parse().unwrap()).collect();
        let (g, p, h, vd, t) = (v[0], v[1], v[2], v[3], v[4]);
        // DOP identities (4-decimal output): GDOP² = PDOP² + TDOP², PDOP² = HDOP² + VDOP².
        assert!((g * g - p * p - t * t).abs() < 2e-3 * g * g, "{l}");
        assert!((p * p - h * h - vd * vd).abs() < 2e-3 * p * p, "{l}");
    }
    assert!(lines[1].starts_with("30/114/0,2023-01-01T00:00:00 UTC,"));
    // Site by site, then epoch by epoch (the library's one site-series table).
    assert!(lines[2].starts_with("30/114/0,2023-01-01T00:10:00 UTC,"));
    assert!(lines[8].starts_with("-33.9/151.2/50,2023-01-01T00:00:00 UTC,"));
}

#[test]
fn dop_known_offset_says_where_sigma_comes_from() {
    let out = bin()
        .args([
            "dop",
            "--nominal",
            "--site",
            "45,90",
            "--start",
            "2023-01-01T00:00:00 GPST",
            "--end",
            "2023-01-01T00:00:00 GPST",
            "--clock",
            "known-offset",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("σ_isb = 20.000 ns") && err.contains("no navigation file"),
        "{err}"
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text
        .lines()
        .nth(1)
        .unwrap()
        .contains("2023-01-01T00:00:00 GPST"));
}

#[test]
fn coverage_nominal_writes_readable_artefacts() {
    let scratch = tmp_dir("coverage");
    let dir = scratch.path().join("out");
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
            "--grid-step",
            "15",
            "--region=-60,60,-180,180",
            "--mask",
            "10",
            "--figures",
            "gdop,pdop,hdop,vdop,tdop",
            "--threads",
            "2",
            "--out",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // 8 × 24 cell centres.
    let csv = std::fs::read_to_string(dir.join("points.csv")).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with(
        "lat_deg,lon_deg,height_m,visible_mean,visible_min,visible_max,solution_epochs,availability,longest_outage_s,"
    ));
    assert!(header.contains("pdop_p50") && header.contains("tdop_max"));
    assert_eq!(lines.count(), 8 * 24);

    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["grid"]["points"], 8 * 24);
    assert_eq!(summary["epochs"]["count"], 9);
    assert_eq!(summary["run"]["clock"], "per-system");
    assert_eq!(summary["run"]["grid"]["step_deg"], 15.0);
    // The thread count is printed, not recorded: results do not depend on it.
    assert!(summary["run"].get("threads").is_none());
    let avail = summary["summary"]["availability_mean"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&avail));

    let geo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cells.geojson")).unwrap()).unwrap();
    assert_eq!(geo["type"], "FeatureCollection");
    let features = geo["features"].as_array().unwrap();
    assert_eq!(features.len(), 8 * 24);
    let props = &features[0]["properties"];
    for k in [
        "availability",
        "visible_mean",
        "pdop_mean",
        "hdop_mean",
        "lat_deg",
        "lon_deg",
    ] {
        assert!(props.get(k).is_some(), "property {k} missing");
    }

    for png in ["map_pdop_mean.png", "map_availability.png"] {
        let img = image::open(dir.join(png)).unwrap();
        assert_eq!((img.width(), img.height()), (1600, 900), "{png}");
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("timings:"), "{stdout}");
}

fn fails_with(args: &[&str], needle: &str) {
    let out = bin().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(needle), "{args:?}: stderr was {err}");
}

#[test]
fn errors_exit_with_code_1_and_a_message() {
    let span = [
        "--start",
        "2023-01-01T00:00:00",
        "--end",
        "2023-01-01T01:00:00",
    ];
    let with = |extra: &[&'static str]| -> Vec<&str> {
        let mut v = vec!["dop", "--nominal"];
        v.extend_from_slice(extra);
        v.extend_from_slice(&span);
        v
    };
    fails_with(&with(&[]), "no site given");
    fails_with(&with(&["--site", "95,10,0"]), "latitude 95");
    fails_with(&with(&["--site", "abc,10,0"]), "is not a number");
    fails_with(
        &[
            "dop",
            "--nominal",
            "--site",
            "0,0,0",
            "--start",
            "2023-01-02",
            "--end",
            "2023-01-01",
        ],
        "before --start",
    );
    fails_with(
        &[
            "dop",
            "--nominal",
            "--site",
            "0,0,0",
            "--start",
            "2023-01-01 XYZ",
            "--end",
            "2023-01-02",
        ],
        "XYZ",
    );
    fails_with(
        &[
            "dop",
            "--nav",
            "no-such-file.rnx",
            "--site",
            "0,0,0",
            "--start",
            "2023-01-01",
            "--end",
            "2023-01-02",
        ],
        "no-such-file.rnx",
    );
    let scratch = tmp_dir("errors");
    let dir = scratch.path().join("out");
    let d = dir.to_string_lossy().into_owned();
    fails_with(
        &[
            "coverage",
            "--nominal",
            "--start",
            "2023-01-01",
            "--end",
            "2023-01-01T01:00",
            "--grid-step",
            "0",
            "--out",
            &d,
        ],
        "--grid-step (degrees) 0: expected a finite number > 0",
    );
    fails_with(
        &[
            "coverage",
            "--nominal",
            "--start",
            "2023-01-01",
            "--end",
            "2023-01-01T01:00",
            "--grid-step",
            "10",
            "--region",
            "10,-10,0,20",
            "--out",
            &d,
        ],
        "south of LAT0",
    );
    fails_with(
        &[
            "dop",
            "--nominal",
            "--site",
            "0,0",
            "--start",
            "2023-01-01",
            "--end",
            "2023-01-01",
            "--clock",
            "common",
            "--isb-sigma-ns",
            "5",
        ],
        "known-offset",
    );
}
