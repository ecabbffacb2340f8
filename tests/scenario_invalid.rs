//! The corpus of broken scenario files: each must be refused, before anything runs, with a
//! message that names the offending key and says what is expected. The expected fragments
//! come from the format's rules (design of `src/scenario`), not from running the code.

use std::path::{Path, PathBuf};

use gnss_interop::scenario::{KnownCatalogs, Scenario, ScenarioError};

/// `(file, key the problem must name, fragment of its message)`. The key `""` is the file
/// as a whole.
const CORPUS: &[(&str, &str, &str)] = &[
    (
        "01_unknown_key",
        "grid.stepsize",
        "unknown field `stepsize`",
    ),
    ("02_typo_section", "orbit", "unknown field `orbit`"),
    (
        "03_wrong_type",
        "time.step_s",
        "invalid type: string \"600\", expected a number",
    ),
    ("04_missing_required", "time.end", "missing field `end`"),
    ("05_end_before_start", "time.end", "is not after time.start"),
    (
        "06_zero_step",
        "time.step_s",
        "expected a step in seconds > 0",
    ),
    ("07_too_many_epochs", "time.step_s", "at most 100000"),
    (
        "08_mask_95",
        "user.mask_deg",
        "expected an elevation mask (degrees) in [0, 90)",
    ),
    (
        "09_lat_100",
        "sites[0].lat_deg",
        "expected a latitude (degrees) in [-90, 90]",
    ),
    ("10_empty_systems", "orbits.systems", "empty list"),
    (
        "11_unknown_system",
        "orbits.systems[1]",
        "unknown system \"X\"",
    ),
    ("12_missing_nav_file", "orbits.nav", "file not found"),
    ("13_empty_baseline", "networks.baseline", "empty network"),
    (
        "14_remove_unknown_station",
        "networks.remove[0]",
        "unknown station \"NOPE\"",
    ),
    (
        "15_k_exceeds_candidates",
        "layout_search.k",
        "more than the 9 candidates",
    ),
    (
        "16_known_offset_zero_sigma",
        "user.isb_sigma_ns",
        "0 is not allowed",
    ),
    ("17_bad_name_slug", "name", "is not a valid name"),
    ("18_unparsable_date", "time.start", "is not a date-time"),
    (
        "19_unknown_catalog",
        "networks.baseline[0]",
        "did you mean \"bds-domestic\"",
    ),
    (
        "20_duplicate_station",
        "networks.add[1].id",
        "duplicate station id \"NEW1\"",
    ),
    (
        "21_empty_after_remove",
        "networks.remove",
        "removes every station",
    ),
    (
        "22_region_inverted",
        "grid.region",
        "lat_min 60 must be less than lat_max 20",
    ),
    (
        "23_unknown_time_scale",
        "time.start",
        "unknown time scale \"GMT\"",
    ),
    (
        "24_coverage_without_orbits",
        "grid",
        "coverage needs [orbits]",
    ),
    (
        "25_layout_without_networks",
        "layout_search",
        "add [networks]",
    ),
    ("26_maps_without_grid", "outputs.maps", "add a [grid]"),
    (
        "27_sky_plot_unknown_site",
        "outputs.sky_plot_site",
        "unknown site \"moscow\"",
    ),
    (
        "28_unknown_orbit_source",
        "orbits.source",
        "unknown variant `almanac`",
    ),
    (
        "29_station_bad_height",
        "networks.add[0].height_m",
        "ellipsoidal height",
    ),
    ("30_syntax_error", "", "unclosed table"),
    ("31_nothing_to_run", "", "runs nothing"),
    (
        "32_compare_clocks_one_system",
        "user.compare_clocks",
        "needs two systems",
    ),
    (
        "33_exhaustive_too_large",
        "layout_search.method",
        "use method = \"greedy\"",
    ),
    (
        "34_source_file_not_used",
        "orbits.sp3",
        "not used with source = \"nominal\"",
    ),
    ("35_many_problems", "name", "is not a valid name"),
    (
        "36_objective_not_implemented",
        "layout_search.objective",
        "unknown variant `mean-error`, expected one of `mean-tracked`, `min-tracked`, `longest-gap`",
    ),
    (
        "40_satellite_of_another_system",
        "satellites.sats[1]",
        "R07 is a GLONASS satellite, not in orbits.systems [\"C\"]",
    ),
    (
        "41_grid_layout_unknown",
        "grid.layout",
        "unknown variant `corners`, expected one of `cell-centres`, `centres`, `nodes`",
    ),
    ("42_grid_without_points", "grid.step_deg", "leaves no grid point"),
    (
        "43_monitor_unknown_network",
        "monitor.network",
        "unknown network catalog \"glonass-basline\" (did you mean \"glonass-baseline\"?)",
    ),
];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios_invalid")
}

/// The shipped catalog names, plus station ids for `bds-domestic` so that station-level
/// checks (remove, empty after remove) can run. The ids are test fixtures, not real sites.
fn catalogs() -> KnownCatalogs {
    KnownCatalogs::builtin().with_stations("bds-domestic", ["STA1", "STA2"])
}

fn load(name: &str) -> Result<Scenario, ScenarioError> {
    Scenario::from_file_with(corpus_dir().join(format!("{name}.toml")), &catalogs())
}

#[test]
fn every_broken_file_gives_its_message() {
    let mut failures = Vec::new();
    for &(file, key, fragment) in CORPUS {
        match load(file) {
            Ok(_) => failures.push(format!("{file}: accepted")),
            Err(e) => {
                let found = e
                    .problems()
                    .iter()
                    .any(|p| p.key == key && p.message.contains(fragment));
                // The displayed message shows the key and the explanation too.
                let shown = e.to_string();
                if !found || !shown.contains(fragment) || !shown.contains(key) {
                    failures.push(format!(
                        "{file}: expected `{key}: …{fragment}…`, got:\n{shown}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn corpus_is_complete() {
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "toml").then(|| p.file_stem().unwrap().to_string_lossy().into())
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CORPUS.iter().map(|c| c.0.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "every corpus file has an expected message");
    assert!(CORPUS.len() >= 15);
}

#[test]
fn parse_errors_carry_line_and_column() {
    // 03: `step_s = "600"` is on line 6 of the file (after the comment, the name and three
    // keys of [time]); the value starts at column 10.
    match load("03_wrong_type") {
        Err(ScenarioError::Parse {
            line, column, key, ..
        }) => {
            assert_eq!((line, column), (6, 10));
            assert_eq!(key.as_deref(), Some("time.step_s"));
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    // 30: `[time` on line 3, the parser expects `]` at the end of it.
    match load("30_syntax_error") {
        Err(ScenarioError::Parse { line, key, .. }) => {
            assert_eq!(line, 3);
            assert_eq!(key, None, "a syntax error concerns no key");
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn all_problems_are_reported_together() {
    let Err(ScenarioError::Invalid { problems, .. }) = load("35_many_problems") else {
        panic!("expected an invalid-scenario error");
    };
    let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
    for k in [
        "name",
        "time.step_s",
        "orbits.systems[1]",
        "user.mask_deg",
        "sites[0].lon_deg",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
}

#[test]
fn station_checks_are_skipped_when_ids_are_unknown() {
    // Without declared station ids, validation cannot know that NOPE is not in
    // bds-domestic, and must not pretend to.
    let path = corpus_dir().join("14_remove_unknown_station.toml");
    let s = Scenario::from_file(&path).expect("valid when catalog ids are unknown");
    assert_eq!(s.networks.unwrap().remove, vec!["NOPE".to_string()]);
}

#[test]
fn network_files_are_read_through_the_callers_reader() {
    let dir = tempfile::Builder::new()
        .prefix("gnss_interop_scn_")
        .tempdir()
        .unwrap();
    std::fs::write(
        dir.path().join("mine.toml"),
        "# read by the caller's reader\n",
    )
    .unwrap();
    let text = r#"
name = "files"
[time]
start = "2023-01-01"
end = "2023-01-01T01:00:00"
step_s = 600
[orbits]
source = "nominal"
systems = ["R"]
[networks]
baseline = ["mine.toml"]
remove = ["B", "Z"]
"#;
    let cats = KnownCatalogs::builtin().with_file_reader(|_| Ok(vec!["A".into(), "B".into()]));
    let e = Scenario::from_toml_str_with(text, dir.path(), &cats).unwrap_err();
    let p = e.problems();
    assert_eq!(p.len(), 1, "{e}");
    assert_eq!(p[0].key, "networks.remove[1]");
    let broken = KnownCatalogs::builtin().with_file_reader(|_| Err("no [[station]] table".into()));
    let e = Scenario::from_toml_str_with(text, dir.path(), &broken).unwrap_err();
    assert!(e
        .problems()
        .iter()
        .any(|p| p.key == "networks.baseline[0]" && p.message.contains("no [[station]] table")));
}

#[test]
fn known_offset_without_sigma_is_left_to_the_runner() {
    let text = std::fs::read_to_string(corpus_dir().join("16_known_offset_zero_sigma.toml"))
        .unwrap()
        .replace("isb_sigma_ns = 0\n", "");
    let s = Scenario::from_toml_str(&text, std::path::Path::new(".")).unwrap();
    // Valid; σ is chosen when the scenario runs, by the rule of every door
    // (`geometry::IsbSigma::choose`, tested in tests/one_engine.rs).
    assert_eq!(s.user.isb_sigma_ns, None);
}
