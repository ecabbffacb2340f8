//! The `monitor`, `compare-layouts` and `optimize` commands on the nominal constellations with
//! a short span and a coarse grid: exit status, files written, PNGs that decode, and clean
//! failures for bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
}

/// An output directory the command creates, inside a temporary directory removed on drop.
fn out_dir(name: &str) -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::Builder::new()
        .prefix(&format!("cli_network_{name}"))
        .tempdir()
        .unwrap();
    let d = t.path().join("out");
    (t, d)
}

fn run(args: &[&str]) -> Output {
    let o = bin().args(args).output().expect("run gnss-interop");
    assert!(
        o.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn fails(args: &[&str], needle: &str) {
    let o = bin().args(args).output().expect("run gnss-interop");
    assert!(!o.status.success(), "{args:?} should fail");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(needle),
        "{args:?}: stderr {err:?} lacks {needle:?}"
    );
}

fn png(p: &Path) {
    let img = image::open(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    assert!(img.width() >= 400 && img.height() >= 300, "{}", p.display());
}

fn non_empty(p: &Path) -> String {
    let s = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    assert!(s.lines().count() >= 2, "{}", p.display());
    s
}

const SHORT: &[&str] = &["--nominal", "--hours", "3", "--step-s", "900"];

#[test]
fn monitor_writes_tables_and_pictures() {
    let (_tmp, d) = out_dir("monitor");
    let ds = d.to_str().unwrap();
    let mut a = SHORT.to_vec();
    a.extend([
        "--systems",
        "R",
        "--network",
        "glonass-baseline",
        "--out",
        ds,
    ]);
    let o = run(&[&["monitor"], &a[..]].concat());
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("glonass-baseline") && stdout.contains("R01"));
    let csv = non_empty(&d.join("tracking.csv"));
    // 24 nominal GLONASS satellites + the header.
    assert_eq!(csv.lines().count(), 25);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("tracking.json")).unwrap()).unwrap();
    assert_eq!(json["tracking"]["satellites"].as_array().unwrap().len(), 24);
    png(&d.join("tracked_fraction.png"));
    png(&d.join("ground_tracks.png"));
}

#[test]
fn compare_layouts_runs_the_three_builtin_cases() {
    let (_tmp, d) = out_dir("compare");
    let ds = d.to_str().unwrap();
    let mut a = SHORT.to_vec();
    a.extend(["--grid-deg", "30", "--out", ds]);
    let o = run(&[&["compare-layouts"], &a[..]].concat());
    let stdout = String::from_utf8_lossy(&o.stdout);
    // The 2022 agreement networks, split by system (`network::study_cases`), as a scenario
    // with `baseline = ["bds-baseline", "glonass-baseline"]` would.
    assert!(
        stdout.contains("'augmented (BeiDou)'") && stdout.contains("'augmented (GLONASS)'"),
        "{stdout}"
    );
    for case in ["beidou", "glonass", "beidou-glonass"] {
        let c = d.join(case);
        non_empty(&c.join("per_satellite.csv"));
        // 6 × 12 cells of 30° + the header.
        assert_eq!(non_empty(&c.join("cells.csv")).lines().count(), 73);
        let j: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(c.join("study.json")).unwrap()).unwrap();
        assert!(j["baseline"]["summary"]["mean_tracked_fraction"].is_f64());
        for p in [
            "tracked_fraction.png",
            "monitored_availability_baseline.png",
            "monitored_availability_augmented.png",
            "monitored_availability_difference.png",
            "position_error_baseline.png",
            "position_error_augmented.png",
            "position_error_difference.png",
        ] {
            png(&c.join(p));
        }
    }
}

#[test]
fn compare_layouts_with_explicit_networks_and_clock() {
    let (_tmp, d) = out_dir("compare_explicit");
    let ds = d.to_str().unwrap();
    let mut a = SHORT.to_vec();
    a.extend([
        "--systems",
        "C",
        "--baseline",
        "bds-domestic",
        "--augmented",
        "bds-augmented",
        "--clock",
        "common",
        "--grid-deg",
        "45",
        "--out",
        ds,
    ]);
    run(&[&["compare-layouts"], &a[..]].concat());
    png(&d.join("beidou").join("position_error_difference.png"));
}

#[test]
fn optimize_ranks_layouts_and_draws_sites() {
    let (_tmp, d) = out_dir("optimize");
    let ds = d.to_str().unwrap();
    let mut a = SHORT.to_vec();
    a.extend([
        "--systems",
        "C",
        "--base",
        "bds-baseline",
        "--lattice=-60,60,-180,120,60",
        "--candidate-systems",
        "C",
        "--k",
        "2",
        "--keep",
        "5",
        "--out",
        ds,
    ]);
    let o = run(&[&["optimize"], &a[..]].concat());
    assert!(String::from_utf8_lossy(&o.stdout).contains("exhaustive"));
    // Greedy: 2 steps; exhaustive: best 5 of C(18, 2) = 153.
    assert_eq!(non_empty(&d.join("ranking.csv")).lines().count(), 1 + 2 + 5);
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("ranking.json")).unwrap()).unwrap();
    assert_eq!(j["exhaustive"]["evaluated"], 153);
    png(&d.join("sites.png"));
}

#[test]
fn bad_input_fails_cleanly() {
    let (_tmp, d) = out_dir("bad");
    let ds = d.to_str().unwrap();
    let mut a = SHORT.to_vec();
    a.extend(["--network", "no-such-net", "--out", ds]);
    fails(
        &[&["monitor"], &a[..]].concat(),
        "unknown network catalogue",
    );
    let mut a = SHORT.to_vec();
    a.extend(["--candidates", "bds-russia-2022", "--k", "4", "--out", ds]);
    fails(
        &[&["optimize"], &a[..]].concat(),
        "cannot choose 4 sites from 3",
    );
    let mut a = SHORT.to_vec();
    a.extend([
        "--baseline",
        "bds-baseline",
        "--augmented",
        "nope",
        "--out",
        ds,
    ]);
    fails(
        &[&["compare-layouts"], &a[..]].concat(),
        "unknown network catalogue",
    );
    let mut a = SHORT.to_vec();
    a.extend(["--clock", "sometimes", "--out", ds]);
    fails(
        &[&["compare-layouts"], &a[..]].concat(),
        "unknown clock model",
    );
}
