//! One engine behind every door: where a subcommand and a scenario describe the same study,
//! their outputs are the same bytes. Each test runs the subcommand and `gnss-interop run` on a
//! scenario file describing that study, and compares the study's table.

mod common;

use std::path::Path;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
}

fn ok(cmd: &mut Command) -> std::process::Output {
    let o = cmd.output().expect("run gnss-interop");
    assert!(
        o.status.success(),
        "{cmd:?} failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Each of `names` is the same bytes in directories `a` (a subcommand's `--out`) and `b` (the
/// scenario's folder for that study), and not empty.
fn assert_same_files(a: &Path, b: &Path, names: &[&str]) {
    for f in names {
        let x = std::fs::read(a.join(f)).unwrap_or_else(|e| panic!("{}: {e}", a.join(f).display()));
        let y = std::fs::read(b.join(f)).unwrap_or_else(|e| panic!("{}: {e}", b.join(f).display()));
        assert!(!x.is_empty(), "{f} is empty");
        assert!(x == y, "{f} differs between the doors");
    }
}

/// Run `gnss-interop run` on `toml` (written into `dir`) with output in `dir/out`.
fn run_scenario(dir: &Path, toml: &str) -> std::path::PathBuf {
    let file = dir.join("study.toml");
    std::fs::write(&file, toml).unwrap();
    let out = dir.join("out");
    ok(bin()
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .arg("--quiet"));
    out
}

/// `dop` at two sites equals the `site_series.csv` of a scenario with the same sites, span,
/// mask and clock: both are the library's site series study.
#[test]
fn dop_equals_the_scenario_site_series() {
    let dir = tempfile::tempdir().unwrap();
    let toml = r#"
name = "dop_door"
[time]
start = "2023-01-01T00:00:00 GPST"
end = "2023-01-01T02:00:00 GPST"
step_s = 600
[orbits]
source = "nominal"
systems = ["C", "R"]
[user]
mask_deg = 10
clock = "known-offset"
isb_sigma_ns = 12.5
[[sites]]
name = "39.9/116.4/50"
lat_deg = 39.9
lon_deg = 116.4
height_m = 50
[[sites]]
name = "55.75/37.62/0"
lat_deg = 55.75
lon_deg = 37.62
height_m = 0
[outputs]
csv = true
"#;
    let out = run_scenario(dir.path(), toml);
    let scenario = std::fs::read_to_string(out.join("site_series.csv")).unwrap();
    let cli = ok(bin().args([
        "dop",
        "--nominal",
        "--site",
        "39.9,116.4,50",
        "--site",
        "55.75,37.62,0",
        "--start",
        "2023-01-01T00:00:00 GPST",
        "--end",
        "2023-01-01T02:00:00 GPST",
        "--step",
        "600",
        "--mask",
        "10",
        "--clock",
        "known-offset",
        "--isb-sigma-ns",
        "12.5",
    ]));
    let cli = String::from_utf8(cli.stdout).unwrap();
    assert_eq!(cli.lines().count(), 1 + 2 * 13, "{cli}");
    assert!(cli.contains("2023-01-01T01:00:00 GPST"), "{cli}");
    assert_eq!(cli, scenario);
}

/// `validate --out` writes the same two tables as a scenario's `[validation]` over the same
/// files, span and step: both are the library's `orbit::validate::run_validation`.
#[test]
fn validate_equals_the_scenario_validation() {
    let (Some(nav), Some(sp3)) = (
        common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx"),
        common::data_file("sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let toml = format!(
        r#"
name = "validate_door"
[time]
start = "2023-01-01T02:00:00 GPST"
end = "2023-01-01T05:00:00 GPST"
step_s = 900
[validation]
nav = "{}"
sp3 = "{}"
step_s = 900
systems = ["C", "R"]
[outputs]
csv = true
"#,
        nav.display(),
        sp3.display()
    );
    let out = run_scenario(dir.path(), &toml);
    let cli_out = dir.path().join("cli");
    ok(bin()
        .arg("validate")
        .arg("--nav")
        .arg(&nav)
        .arg("--sp3")
        .arg(&sp3)
        .args([
            "--start",
            "2023-01-01T02:00:00 GPST",
            "--end",
            "2023-01-01T05:00:00",
            "--scale",
            "GPST",
            "--step",
            "900",
            "--out",
        ])
        .arg(&cli_out));
    for f in ["validation_per_sat.csv", "validation_groups.csv"] {
        let a = std::fs::read_to_string(cli_out.join(f)).unwrap();
        let b = std::fs::read_to_string(out.join(f)).unwrap();
        // 13 epochs (02:00 … 05:00 every 15 min): BDS MEO satellites have 13 comparisons.
        assert!(a.lines().count() > 3, "{f}: {a}");
        assert_eq!(a, b, "{f} differs between the doors");
    }
}

/// `coverage --out` writes the same files as a scenario's `[grid]` with the same grid, span,
/// mask, clock and threshold — per-point table, GeoJSON cells, GeoTIFF, summary (with the run's
/// description, `coverage::output::RunInfo`) and both maps (titled from that description):
/// both run `coverage::run_with` and write through `coverage::output`.
#[test]
fn coverage_equals_the_scenario_grid() {
    let dir = tempfile::tempdir().unwrap();
    let toml = r#"
name = "coverage_door"
[time]
start = "2023-01-01T00:00:00 UTC"
end = "2023-01-01T01:00:00 UTC"
step_s = 900
[orbits]
source = "nominal"
systems = ["C", "R"]
[user]
mask_deg = 10
clock = "common"
pdop_threshold = 4
[grid]
step_deg = 30
height_m = 100
[outputs]
maps = true
csv = true
point_files = true
"#;
    let out = run_scenario(dir.path(), toml);
    let cli_out = dir.path().join("cli");
    ok(bin()
        .args([
            "coverage",
            "--nominal",
            "--systems",
            "C,R",
            "--start",
            "2023-01-01T00:00:00",
            "--end",
            "2023-01-01T01:00:00",
            "--step",
            "900",
            "--grid-step",
            "30",
            "--height",
            "100",
            "--mask",
            "10",
            "--clock",
            "common",
            "--pdop-max",
            "4",
            "--point-files",
            "always",
            "--out",
        ])
        .arg(&cli_out));
    assert_same_files(
        &cli_out,
        &out.join("coverage"),
        &[
            "points.csv",
            "cells.geojson",
            "coverage.tif",
            "summary.json",
            "map_pdop_mean.png",
            "map_availability.png",
        ],
    );
    // Both doors' default layout: 6 × 12 cell centres (latitudes −75 … 75, longitudes
    // −165 … 165 every 30°).
    let csv = std::fs::read_to_string(cli_out.join("points.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 6 * 12);
}

/// A known-offset clock without a given σ takes σ_isb by the one rule at both doors
/// (`geometry::IsbSigma::choose`): from the broadcast reconciliation of the navigation file
/// over the span, so `coverage --nav FILE --clock known-offset` and a scenario over the same
/// file write the same summary (σ and its origin included) and maps; with no navigation file
/// (nominal orbits), the 20 ns floor of a broadcast offset (README, time scales) at both doors.
#[test]
fn known_offset_sigma_is_chosen_by_one_rule() {
    let Some(nav) = common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx") else {
        return;
    };
    for (source_toml, source_args) in [
        (
            format!("source = \"nav\"\nnav = {:?}", nav.to_str().unwrap()),
            vec!["--nav".to_string(), nav.to_str().unwrap().to_string()],
        ),
        (
            "source = \"nominal\"".to_string(),
            vec!["--nominal".to_string()],
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let toml = format!(
            r#"
name = "isb_door"
[time]
start = "2023-01-01T00:00:00 UTC"
end = "2023-01-01T06:00:00 UTC"
step_s = 1800
[orbits]
{source_toml}
systems = ["C", "R"]
[user]
mask_deg = 10
clock = "known-offset"
[grid]
step_deg = 30
[outputs]
maps = true
csv = true
"#
        );
        let out = run_scenario(dir.path(), &toml);
        let cli_out = dir.path().join("cli");
        ok(bin()
            .arg("coverage")
            .args(&source_args)
            .args([
                "--systems",
                "C,R",
                "--start",
                "2023-01-01T00:00:00",
                "--end",
                "2023-01-01T06:00:00",
                "--step",
                "1800",
                "--grid-step",
                "30",
                "--mask",
                "10",
                "--clock",
                "known-offset",
                "--out",
            ])
            .arg(&cli_out));
        assert_same_files(
            &cli_out,
            &out.join("coverage"),
            &["summary.json", "map_pdop_mean.png", "points.csv"],
        );
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(cli_out.join("summary.json")).unwrap())
                .unwrap();
        let run = &summary["run"];
        let sigma = run["isb_sigma_ns"].as_f64().unwrap();
        let origin = run["isb_sigma_origin"].as_str().unwrap();
        if source_toml.contains("nav") {
            // The reconciliation's uncertainty is never below the 20 ns floor.
            assert!(sigma >= 20.0, "{sigma}");
            assert!(
                origin.contains("broadcast reconciliation")
                    && origin.contains("BRDC00IGS_R_20230010000_01D_MN.rnx"),
                "{origin}"
            );
        } else {
            assert_eq!(sigma, 20.0);
            assert!(origin.starts_with("default 20 ns"), "{origin}");
        }
        let report = std::fs::read_to_string(out.join("report.md")).unwrap();
        assert!(
            report.contains(origin),
            "the report names where σ came from"
        );
    }
}

/// Results of `gnss-interop run` as JSON.
fn results_json(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap()
}

/// `time --nav --json` gives the same BDT − GLONASST reconciliation as a scenario's
/// `[timescales]` at that instant: both are `time::reconcile_bdt_glonasst` over the offsets of
/// the one navigation reader.
#[test]
fn time_equals_the_scenario_timescales() {
    let Some(nav) = common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let toml = format!(
        r#"
name = "time_door"
[timescales]
nav = "{}"
epochs = ["2023-01-01T00:30:00 GPST"]
[outputs]
json = true
"#,
        nav.display()
    );
    let out = run_scenario(dir.path(), &toml);
    let scenario = results_json(&out)["timescales"]["epochs"][0].clone();
    let cli = ok(bin()
        .args([
            "time",
            "--at",
            "2023-01-01T00:30:00 GPST",
            "--json",
            "--nav",
        ])
        .arg(&nav));
    let cli: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    let cli = cli["reconciliation_bdt_minus_glonasst"].clone();
    assert!(cli.is_object(), "{cli}");
    assert_eq!(cli, scenario);
}

/// `timescales --json` gives the same realised BDT − GLONASST summary as a scenario's
/// `[timescales]` with the same clock product and span, and `timescales --out` the same files
/// as the scenario's `realised/`: both are `realised::realise_files` written by
/// `RealisedStudy::write_outputs`.
#[test]
fn timescales_equals_the_scenario_realised_section() {
    let (Some(nav), Some(clk)) = (
        common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx"),
        common::data_file("clk/WUM0MGXFIN_20230010000_01D_30S_CLK.CLK"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let toml = format!(
        r#"
name = "timescales_door"
[time]
start = "2023-01-01T06:00:00 GPST"
end = "2023-01-01T09:00:00 GPST"
step_s = 900
[timescales]
nav = "{}"
clk = ["{}"]
[outputs]
json = true
csv = true
"#,
        nav.display(),
        clk.display()
    );
    let out = run_scenario(dir.path(), &toml);
    let scenario = results_json(&out)["timescales"]["realised"].clone();
    let timescales = || {
        let mut c = bin();
        c.arg("timescales")
            .arg("--nav")
            .arg(&nav)
            .arg("--clk")
            .arg(&clk)
            .args([
                "--start",
                "2023-01-01T06:00:00 GPST",
                "--end",
                "2023-01-01T09:00:00 GPST",
                "--step",
                "900",
            ]);
        c
    };
    let cli = ok(timescales().arg("--json"));
    let cli: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert!(
        cli["products"].as_array().is_some_and(|p| p.len() == 1),
        "{cli}"
    );
    assert_eq!(cli["nav"], "nav:BRDC00IGS_R_20230010000_01D_MN.rnx");
    assert_eq!(cli, scenario);

    let cli_out = dir.path().join("cli");
    ok(timescales().arg("--out").arg(&cli_out));
    let mut names: Vec<String> = std::fs::read_dir(&cli_out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "manifest.json")
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["summary.json", "timescales.png", "timescales_0_WHU.csv"],
        "{names:?}"
    );
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    assert_same_files(&cli_out, &out.join("realised"), &names);
}

/// `optimize` ranks the same layouts with the same objective values as a scenario's
/// `[layout_search]` over the same base network, lattice, span and mask: both run
/// `network::LayoutProblem` and write `network::ranking_rows`.
#[test]
fn optimize_equals_the_scenario_layout_search() {
    let dir = tempfile::tempdir().unwrap();
    let toml = r#"
name = "optimize_door"
[time]
start = "2023-01-01T00:00:00 UTC"
end = "2023-01-01T02:45:00 UTC"
step_s = 900
[orbits]
source = "nominal"
systems = ["C"]
[networks]
baseline = ["bds-baseline"]
augmented = ["bds-russia-2022"]
tracking_mask_deg = 5
min_stations = 1
[layout_search]
system = "C"
lattice = { region = [-60, 60, -180, 120], step_deg = 30 }
k = 2
objective = "mean-tracked"
method = "both"
[outputs]
csv = true
json = true
maps = false
"#;
    let out = run_scenario(dir.path(), toml);
    let cli_out = dir.path().join("cli");
    ok(bin()
        .args([
            "optimize",
            "--nominal",
            "--systems",
            "C",
            "--start",
            "2023-01-01T00:00:00",
            "--hours",
            "3",
            "--step-s",
            "900",
            "--station-mask-deg",
            "5",
            "--base",
            "bds-baseline",
            "--lattice=-60,60,-180,120,30",
            "--candidate-systems",
            "C",
            "--k",
            "2",
            "--objective",
            "mean-tracked",
            "--method",
            "both",
            "--keep",
            "10",
            "--out",
        ])
        .arg(&cli_out));
    let cli = std::fs::read_to_string(cli_out.join("ranking.csv")).unwrap();
    let scenario = std::fs::read_to_string(out.join("layout_ranking.csv")).unwrap();
    // Greedy: 2 steps; exhaustive: best 10 of C(55, 2) = 1,485.
    assert_eq!(cli.lines().count(), 1 + 2 + 10, "{cli}");
    assert_eq!(cli, scenario);
    // The outcome (network::LayoutOutcome) as ranking.json and results.json record it.
    let ranking: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cli_out.join("ranking.json")).unwrap())
            .unwrap();
    let results = results_json(&out);
    for key in [
        "objective",
        "base_objective",
        "candidates",
        "greedy",
        "exhaustive",
    ] {
        assert_eq!(ranking[key], results["layout_search"][key], "{key}");
    }
    assert_eq!(ranking["objective"], "mean-tracked");
    assert_eq!(ranking["exhaustive"]["evaluated"], 1485);
}

/// `compare-layouts` writes the same files per case as a scenario's `[networks]` (in
/// `networks/<case>/`) with the same networks, grid, span, masks and clock: both run
/// `network::run_study` and write `StudyResult::write_outputs`.
#[test]
fn compare_layouts_equals_the_scenario_networks() {
    let dir = tempfile::tempdir().unwrap();
    let toml = r#"
name = "compare_door"
[time]
start = "2023-01-01T00:00:00 UTC"
end = "2023-01-01T02:45:00 UTC"
step_s = 900
[orbits]
source = "nominal"
systems = ["C"]
[user]
mask_deg = 10
clock = "per-system"
[grid]
step_deg = 30
[networks]
baseline = ["bds-baseline"]
augmented = ["bds-russia-2022"]
tracking_mask_deg = 5
min_stations = 1
[outputs]
csv = true
maps = true
"#;
    let out = run_scenario(dir.path(), toml);
    let cli_out = dir.path().join("cli");
    ok(bin()
        .args([
            "compare-layouts",
            "--nominal",
            "--systems",
            "C",
            "--start",
            "2023-01-01T00:00:00",
            "--hours",
            "3",
            "--step",
            "900",
            "--station-mask-deg",
            "5",
            "--baseline",
            "bds-baseline",
            "--augmented",
            "bds-augmented",
            "--grid-step",
            "30",
            "--mask",
            "10",
            "--clock",
            "per-system",
            "--out",
        ])
        .arg(&cli_out));
    let case = std::fs::read_dir(&cli_out)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.join("cells.csv").is_file())
        .expect("a case directory with cells.csv");
    let cli = std::fs::read_to_string(case.join("cells.csv")).unwrap();
    // Both doors' default layout: 6 × 12 cell centres.
    assert_eq!(cli.lines().count(), 1 + 6 * 12, "{cli}");
    // Every file of the case — study.json, table.txt, cells.csv, per_satellite.csv, the
    // tracked-fraction bars and the user-side maps (`StudyResult::write_outputs`) — is the
    // same in the scenario's `networks/<case>/`.
    let mut names: Vec<String> = std::fs::read_dir(&case)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 5 + 6, "{names:?}");
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let dir = case.file_name().unwrap();
    assert_eq!(dir, "beidou");
    assert_same_files(&case, &out.join("networks").join(dir), &names);
    // The tracking side over every system: the same `SatelliteRow`s.
    let scenario = std::fs::read_to_string(out.join("tracking_satellites.csv")).unwrap();
    let cli = std::fs::read_to_string(case.join("per_satellite.csv")).unwrap();
    assert!(cli.lines().count() > 20, "{cli}");
    assert_eq!(cli, scenario);
}

/// `satpos --out` writes the same table as a scenario's `[satellites]` over the same source,
/// span, step and satellites: both are `orbit::states::write_states_csv`. On the embedded
/// nominal constellations, and on a real gzip navigation file whose data end inside the span
/// (skipped satellite-epochs are left out of both tables alike).
#[test]
fn satpos_equals_the_scenario_satellites() {
    let dir = tempfile::tempdir().unwrap();
    let toml = r#"
name = "satpos_door"
[time]
start = "2023-01-01T00:00:00 GPST"
end = "2023-01-01T01:00:00 GPST"
step_s = 600
[orbits]
source = "nominal"
systems = ["C", "R"]
[satellites]
"#;
    let out = run_scenario(dir.path(), toml);
    let scenario = std::fs::read_to_string(out.join("satellites.csv")).unwrap();
    let cli_csv = dir.path().join("satpos.csv");
    ok(bin()
        .args([
            "satpos",
            "--nominal",
            "--start",
            "2023-01-01T00:00:00 GPST",
            "--end",
            "2023-01-01T01:00:00 GPST",
            "--step",
            "600",
            "--out",
        ])
        .arg(&cli_csv));
    let cli = std::fs::read_to_string(&cli_csv).unwrap();
    // 30 BDS-3 + 24 GLONASS nominal satellites (DOMAIN.md) × 7 epochs, every one a state.
    assert_eq!(cli.lines().count(), 1 + 54 * 7, "{cli}");
    assert_eq!(cli, scenario);
    let results = results_json(&out);
    assert_eq!(results["satellites"]["rows"], 54 * 7);

    let Some(nav) = common::data_file("nav/BRDC00IGS_R_20223650000_01D_MN.rnx.gz") else {
        return;
    };
    let toml = format!(
        r#"
name = "satpos_door_nav"
[time]
start = "2022-12-31T22:00:00 GPST"
end = "2023-01-01T03:00:00 GPST"
step_s = 900
[orbits]
source = "nav"
nav = "{}"
systems = ["C", "R"]
[satellites]
sats = ["C01", "C30", "R07"]
"#,
        nav.display()
    );
    let real = dir.path().join("real");
    std::fs::create_dir_all(&real).unwrap();
    let out = run_scenario(&real, &toml);
    let scenario = std::fs::read_to_string(out.join("satellites.csv")).unwrap();
    let cli_csv = real.join("satpos.csv");
    ok(bin()
        .arg("satpos")
        .arg("--nav")
        .arg(&nav)
        .args([
            "--sats",
            "C01,C30,R07",
            "--start",
            "2022-12-31T22:00:00 GPST",
            "--end",
            "2023-01-01T03:00:00 GPST",
            "--step",
            "900",
            "--out",
        ])
        .arg(&cli_csv));
    let cli = std::fs::read_to_string(&cli_csv).unwrap();
    assert!(cli.lines().count() > 10, "{cli}");
    assert!(cli
        .lines()
        .nth(1)
        .unwrap()
        .ends_with(",nav:BRDC00IGS_R_20223650000_01D_MN.rnx.gz"));
    assert_eq!(cli, scenario);
}

/// `monitor --out` writes the same files as a scenario's `[monitor]` (in `monitor/`) with the
/// same network, span, station mask and threshold — tracking table, JSON, bar chart and ground
/// tracks: both run `network::NetworkAnalysis::network_tracking` and write
/// `NetworkTracking::write_outputs`. On the embedded nominal constellations with `--end` (the
/// one end rule: last epoch included), and on a real gzip navigation file with `--hours`.
#[test]
fn monitor_equals_the_scenario_monitor() {
    let dir = tempfile::tempdir().unwrap();
    let toml = r#"
name = "monitor_door"
[time]
start = "2023-01-01T00:00:00 UTC"
end = "2023-01-01T05:45:00 UTC"
step_s = 900
[orbits]
source = "nominal"
systems = ["C", "R"]
[monitor]
network = "glonass-baseline"
tracking_mask_deg = 10
min_stations = 2
"#;
    let out = run_scenario(dir.path(), toml);
    let cli_out = dir.path().join("cli");
    ok(bin()
        .args([
            "monitor",
            "--nominal",
            "--start",
            "2023-01-01T00:00:00",
            "--end",
            "2023-01-01T05:45:00",
            "--step-s",
            "900",
            "--network",
            "glonass-baseline",
            "--station-mask-deg",
            "10",
            "--min-stations",
            "2",
            "--out",
        ])
        .arg(&cli_out));
    let cli = std::fs::read_to_string(cli_out.join("tracking.csv")).unwrap();
    // A GLONASS-only network keeps the 24 GLONASS slots of the nominal constellation
    // (DOMAIN.md), not the BeiDou satellites it cannot track.
    assert_eq!(cli.lines().count(), 1 + 24, "{cli}");
    assert!(cli.lines().skip(1).all(|l| l.starts_with('R')), "{cli}");
    assert_same_files(&cli_out, &out.join("monitor"), &MONITOR_FILES);

    let Some(nav) = common::data_file("nav/BRDC00IGS_R_20223650000_01D_MN.rnx.gz") else {
        return;
    };
    let toml = format!(
        r#"
name = "monitor_door_nav"
[time]
start = "2022-12-31T12:00:00 UTC"
end = "2022-12-31T17:45:00 UTC"
step_s = 900
[orbits]
source = "nav"
nav = "{}"
systems = ["C"]
[monitor]
network = "bds-baseline"
"#,
        nav.display()
    );
    let real = dir.path().join("real");
    std::fs::create_dir_all(&real).unwrap();
    let out = run_scenario(&real, &toml);
    let cli_out = real.join("cli");
    ok(bin()
        .arg("monitor")
        .arg("--nav")
        .arg(&nav)
        .args([
            "--systems",
            "C",
            "--start",
            "2022-12-31T12:00:00",
            "--hours",
            "6",
            "--step-s",
            "900",
            "--network",
            "bds-baseline",
            "--station-mask-deg",
            "5",
            "--out",
        ])
        .arg(&cli_out));
    let cli = std::fs::read_to_string(cli_out.join("tracking.csv")).unwrap();
    assert!(cli.lines().count() > 20, "{cli}");
    assert_same_files(&cli_out, &out.join("monitor"), &MONITOR_FILES);
}

/// The files of a monitoring study.
const MONITOR_FILES: [&str; 4] = [
    "tracking.csv",
    "tracking.json",
    "tracked_fraction.png",
    "ground_tracks.png",
];
