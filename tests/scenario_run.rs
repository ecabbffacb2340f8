//! Every shipped scenario runs in a reduced form (≤ 3 h, grid ≥ 15°); the flagship's reduced
//! run checks the direction of its key results; the output directory guard.
//!
//! Expected directions, not values: adding stations to a network can only add tracked
//! epochs (tracking is an OR over stations), so no satellite's monitored fraction falls;
//! more monitored satellites can only lower DOP (the normal matrix only gains terms), so the
//! monitored availability cannot fall; a satellite's σ(age) never grows when it is tracked
//! more, so the predicted position error cannot rise.

mod common;

use std::path::{Path, PathBuf};

use gnss_interop::scenario::run::{run, Results, RunOptions, MARKER_FILE};
use gnss_interop::scenario::Scenario;
use gnss_interop::Error;
use serde_json::Value;

/// A fresh directory for one run, removed on drop; the run's output directory is a child of
/// it (absent until the run creates it).
fn scratch(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("gnss-interop-run-{tag}-"))
        .tempdir()
        .unwrap()
}

fn shipped(name: &str) -> Option<Scenario> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/scenarios")
        .join(format!("{name}.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    if text.contains("${GNSS_INTEROP_DATA}") {
        // Real data: the scenario resolves the variable or ../shared/data itself.
        let dir = common::data_dir()?;
        std::env::set_var("GNSS_INTEROP_DATA", dir);
    }
    Some(Scenario::from_file(&path).unwrap_or_else(|e| panic!("{name}: {e}")))
}

fn run_reduced(
    name: &str,
) -> Option<(
    gnss_interop::scenario::run::RunSummary,
    tempfile::TempDir,
    PathBuf,
)> {
    let s = shipped(name)?.reduced();
    let tmp = scratch(name);
    let out = tmp.path().join("out");
    let summary = run(&s, &RunOptions::new(&out)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(summary.report.is_file());
    let md = std::fs::read_to_string(&summary.report).unwrap();
    assert!(md.starts_with(&format!("# Scenario `{name}`")));
    assert!(md.contains("## In short"), "{name}: no answer section");
    assert!(md.contains("## Inputs and software"));
    for f in &summary.files {
        assert!(f.is_file(), "{name}: {} listed but missing", f.display());
    }
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(results["scenario"]["name"], name);
    // results.json reads back into the typed results, equal to the run's.
    let typed = Results::from_file(&out.join("results.json")).unwrap();
    assert_eq!(typed, summary.results, "{name}: results.json round trip");
    Some((summary, tmp, out))
}

#[test]
fn flagship_reduced_run_keeps_the_direction_of_its_results() {
    let (summary, _tmp, out) = run_reduced("agreement_2022").unwrap();
    let r = &serde_json::to_value(&summary.results).unwrap();
    let per_sat = r["networks"]["comparison"]["per_satellite"]
        .as_array()
        .unwrap();
    assert!(
        per_sat.len() >= 50,
        "BDS + GLONASS satellites: {}",
        per_sat.len()
    );
    for c in per_sat {
        let b = c["baseline"]["tracked_fraction"].as_f64().unwrap();
        let a = c["augmented"]["tracked_fraction"].as_f64().unwrap();
        assert!(a >= b, "{}: tracking fell {b} → {a}", c["sat"]);
    }
    // Neither system loses on average, and BeiDou — whose baseline is on Chinese territory
    // only — gains from stations 2,000–5,000 km away even in 3 h. (GLONASS's new stations in
    // China sit inside the footprint of its Russian stations for much of the time; over a
    // 3-hour span its gain may be zero.)
    for sys in ["BeiDou", "Glonass"] {
        let s = r["networks"]["comparison"]["per_system"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["constellation"] == sys)
            .unwrap();
        let t = s["mean_tracked_fraction"].as_array().unwrap();
        let (b, a) = (t[0].as_f64().unwrap(), t[1].as_f64().unwrap());
        assert!(a >= b, "{sys} loses: {b} → {a}");
        if sys == "BeiDou" {
            assert!(a > b, "BeiDou gains nothing: {b} → {a}");
        }
    }
    // One study per system and the combined one; in each, over the whole grid, monitored
    // availability does not fall and the predicted error does not rise.
    let studies = r["networks"]["studies"].as_array().unwrap();
    let labels: Vec<&str> = studies
        .iter()
        .map(|x| x["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["BeiDou", "GLONASS", "BeiDou+GLONASS"]);
    for st in studies {
        let whole = &st["regions"][0];
        assert_eq!(whole["region"], "whole grid");
        let av = |k: &str| whole[k]["availability_mean"].as_f64().unwrap();
        assert!(
            av("monitored_augmented") >= av("monitored_baseline"),
            "{}",
            st["label"]
        );
        let pe = |k: &str| {
            whole[k]["dop"]["position_error_m"]["mean"]
                .as_f64()
                .unwrap()
        };
        assert!(
            pe("error_augmented") <= pe("error_baseline") + 1e-9,
            "{}",
            st["label"]
        );
    }
    // Maps and bars are there.
    for f in [
        "networks/beidou-glonass/monitored_availability_difference.png",
        "networks/beidou-glonass/position_error_difference.png",
        "networks/beidou/position_error_difference.png",
        "networks/glonass/monitored_availability_baseline.png",
        "networks/glonass/tracked_fraction.png",
        "networks/beidou/study.json",
        "figures/tracked_C.png",
        "figures/tracked_R.png",
        "figures/ground_tracks.png",
        "coverage/map_pdop_mean.png",
        "coverage/cells.geojson",
        "coverage/coverage.tif",
        "figures/sky_beijing.png",
        "tracking_satellites.csv",
        "coverage/points.csv",
        "networks/beidou-glonass/cells.csv",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
}

#[test]
fn urban_canyon_reduced_compares_three_clock_models() {
    let (summary, _tmp, _) = run_reduced("urban_canyon").unwrap();
    let results = serde_json::to_value(&summary.results).unwrap();
    let grid = results["coverage"]["grid"].as_array().unwrap();
    assert_eq!(grid.len(), 3, "common, per-system, known-offset");
    // A common clock has one unknown fewer than per-system, and a known offset sits in
    // between: availability common ≥ known-offset ≥ per-system (DOP monotone in the prior).
    let a = |label: &str| {
        grid.iter()
            .find(|g| g["clock"].as_str().unwrap().starts_with(label))
            .unwrap()["summary"]["availability_mean"]
            .as_f64()
            .unwrap()
    };
    assert!(a("common") >= a("known-offset") - 1e-12);
    assert!(a("known-offset") >= a("per-system") - 1e-12);
}

#[test]
fn layout_search_reduced_runs_when_data_exist() {
    if let Some((summary, _tmp, _)) = run_reduced("layout_search") {
        assert!(
            serde_json::to_value(&summary.results).unwrap()["layout_search"]["exhaustive"]
                ["ranking"][0]["ids"]
                .as_array()
                .is_some_and(|v| v.len() == 3)
        );
    }
}

#[test]
fn timescales_reduced_runs_when_data_exist() {
    if let Some((summary, _tmp, out)) = run_reduced("timescales") {
        let epochs = summary.results.timescales.unwrap().epochs;
        assert_eq!(epochs.len(), 4, "3 h hourly from 00:00 BDT");
        assert!(out.join("timescales.csv").is_file());
    }
}

#[test]
fn timescales_realised_reports_both_products_and_an_uncertainty() {
    // The full day: the realised offset is a daily mean over precise clocks.
    let Some(s) = shipped("timescales_realised") else {
        return;
    };
    let tmp = scratch("timescales_realised");
    let out = tmp.path().join("out");
    let summary = run(&s, &RunOptions::new(&out)).unwrap();
    let r = &serde_json::to_value(&summary.results).unwrap()["timescales"]["realised"];
    let products = r["products"].as_array().unwrap();
    assert_eq!(products.len(), 2, "WUM clock file and CODE SP3 clocks: {r}");
    // BDS-3 uncertainty: the product spread (two products) and the standard error in
    // quadrature; both analysis centres align BDT and GLONASST to within tens of ns of the
    // nominal whole seconds (sanity bound, 100 ns).
    let u = r["uncertainty"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["bds_group"] == "Bds3")
        .and_then(|x| x["uncertainty_ns"].as_f64())
        .expect("BDS-3 uncertainty");
    assert!(u > 0.0 && u < 100.0, "{u}");
    for p in products {
        for o in p["bdt_minus_glonasst_ns"].as_array().unwrap() {
            let v = o["bdt_minus_glonasst_ns"].as_f64().unwrap();
            assert!(v.abs() < 100.0, "{o}");
        }
    }
    assert!(
        summary
            .answer
            .iter()
            .any(|a| a.contains("Realised by precise clocks")),
        "{:?}",
        summary.answer
    );
}

#[test]
fn broadcast_vs_precise_reduced_runs_when_data_exist() {
    if let Some((summary, _tmp, _)) = run_reduced("broadcast_vs_precise") {
        let groups = summary.results.validation.unwrap().groups;
        assert!(!groups.is_empty());
    }
}

const TINY: &str = r#"
name = "tiny_a"
[time]
start = "2023-01-01T00:00:00 UTC"
end = "2023-01-01T01:00:00 UTC"
step_s = 600
[orbits]
source = "nominal"
systems = ["C", "R"]
[[sites]]
name = "x"
lat_deg = 10
lon_deg = 20
"#;

#[test]
fn output_directory_is_not_taken_over_without_force() {
    let tmp = scratch("guard");
    let out = tmp.path().join("out");
    let a = Scenario::from_toml_str(TINY, Path::new(".")).unwrap();
    let b = Scenario::from_toml_str(&TINY.replace("tiny_a", "tiny_b"), Path::new(".")).unwrap();
    run(&a, &RunOptions::new(&out)).unwrap();
    // Same scenario again: fine.
    run(&a, &RunOptions::new(&out)).unwrap();
    // Another one: refused, naming the owner.
    let e = run(&b, &RunOptions::new(&out)).unwrap_err();
    assert!(matches!(e, Error::Output(_)), "{e}");
    assert!(e.to_string().contains("tiny_a"), "{e}");
    // With force: done, and the marker now names b.
    let mut o = RunOptions::new(&out);
    o.force = true;
    run(&b, &o).unwrap();
    let m = std::fs::read_to_string(out.join(MARKER_FILE)).unwrap();
    assert!(m.contains("tiny_b"));
    // A directory of unrelated files is refused too.
    let other_tmp = scratch("guard-other");
    let other = other_tmp.path().join("out");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    assert!(run(&a, &RunOptions::new(&other)).is_err());
}

/// results.json reads back into [`Results`]; the DOP figures of a site are read by name and
/// equal those of the same coverage computation redone from the configuration the results
/// carry (same engine, same inputs: bit-identical), and the PDOP statistics agree with the
/// site's per-epoch series (named fields, no positional order).
#[test]
fn results_json_round_trips_with_named_dop_and_its_configuration() {
    use gnss_interop::coverage::{self, DopKind, Grid};
    use gnss_interop::frames::Geodetic;
    use gnss_interop::orbit::nominal::NominalConstellation;
    use gnss_interop::orbit::OrbitSource;

    let tmp = scratch("round-trip");
    let out = tmp.path().join("out");
    let s = Scenario::from_toml_str(TINY, Path::new(".")).unwrap();
    let summary = run(&s, &RunOptions::new(&out)).unwrap();
    let back = Results::from_file(&out.join("results.json")).unwrap();
    assert_eq!(back, summary.results);
    let cov = back.coverage.as_ref().expect("coverage results");
    assert!(cov.grid.is_empty());
    assert_eq!(cov.sites.len(), 1);
    let site = &cov.sites[0];
    assert_eq!(site.site, "x");
    // The configuration is the scenario's: its span, step and systems.
    let cfg = &site.config;
    assert_eq!(cfg.step.to_seconds(), 600.0);
    assert_eq!(
        cfg.systems,
        [
            gnss_interop::id::Constellation::BeiDou,
            gnss_interop::id::Constellation::Glonass
        ]
    );
    // Recompute from the carried configuration.
    let nominal = NominalConstellation::both();
    let srcs: [&dyn OrbitSource; 1] = [&nominal];
    let grid = Grid::points(vec![Geodetic::new(10.0, 20.0, 0.0)]).unwrap();
    let again = coverage::run(&srcs, &grid, cfg).unwrap();
    let sum = again.summary(None).unwrap();
    for kind in [DopKind::Pdop, DopKind::Hdop, DopKind::Vdop] {
        let stored = site.stats.get(kind).expect("figure collected");
        let fresh = again.points[0].get(kind).unwrap();
        assert_eq!(stored, fresh, "{kind:?}");
        // One point: its area-weighted summary is its own mean.
        assert_eq!(stored.mean, sum.get(kind).unwrap().mean, "{kind:?}");
    }
    assert!(site.stats.get(DopKind::Gdop).is_none(), "not collected");
    // The series (kept for the first clock model) carries named figures; PDOP ≥ HDOP and
    // PDOP ≥ VDOP by definition (PDOP² = HDOP² + VDOP²), and the maximum is exact.
    let series = &again.series[0].samples;
    let pdops: Vec<f64> = series.iter().filter_map(|x| x.get(DopKind::Pdop)).collect();
    assert!(!pdops.is_empty());
    for x in series.iter().filter_map(|x| x.dop) {
        assert!(x.pdop >= x.hdop && x.pdop >= x.vdop, "{x:?}");
        let p2 = x.hdop * x.hdop + x.vdop * x.vdop;
        assert!((x.pdop * x.pdop - p2).abs() <= 1e-9 * p2, "{x:?}");
    }
    assert_eq!(
        Some(site.stats.get(DopKind::Pdop).unwrap().max),
        pdops.iter().copied().reduce(f64::max)
    );
}

/// `[satellites]` and `[monitor]` write their tables, a section each in the report, and their
/// parts of `results.json`, which read back equal. 24 GLONASS nominal slots (DOMAIN.md) × 7
/// epochs (00:00 … 01:00 every 10 min), every one a state.
#[test]
fn satellites_and_monitor_sections_write_their_tables_and_results() {
    let text = r#"
name = "states_and_monitor"
[time]
start = "2023-01-01T00:00:00 GPST"
end = "2023-01-01T01:00:00 GPST"
step_s = 600
[orbits]
source = "nominal"
systems = ["R"]
[satellites]
[monitor]
network = "glonass-baseline"
"#;
    let s = Scenario::from_toml_str(text, Path::new(".")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let summary = run(&s, &RunOptions::new(out.path())).unwrap();
    let states = summary.results.satellites.as_ref().unwrap();
    assert_eq!(
        (states.satellites, states.epochs, states.rows),
        (24, 7, 24 * 7)
    );
    let monitor = summary.results.monitor.as_ref().unwrap();
    assert_eq!(monitor.satellites.len(), 24);
    assert_eq!(monitor.min_stations, 1);
    for f in [
        "satellites.csv",
        "monitor/tracking.csv",
        "monitor/ground_tracks.png",
    ] {
        assert!(out.path().join(f).is_file(), "{f}");
    }
    let md = std::fs::read_to_string(&summary.report).unwrap();
    assert!(md.contains("## Satellite states"), "{md}");
    assert!(
        md.contains("## Tracking by the network 'glonass-baseline'"),
        "{md}"
    );
    let typed = Results::from_file(&out.path().join("results.json")).unwrap();
    assert_eq!(typed, summary.results);
}
