//! Features of the scenario format beyond the shipped files: optional forms, defaults, path
//! resolution, candidate files, lattices.

use std::path::Path;

use gnss_interop::scenario::{
    AzimuthMask, Candidates, ClockChoice, ElevationMask, GridLayout, OrbitSpec, Region, Scenario,
    ScenarioError,
};
use hifitime::{Epoch, TimeScale};

const SPAN: &str = r#"
[time]
start = "2023-01-01T00:00:00 UTC"
end = "2023-01-01T06:00:00 UTC"
step_s = 600
"#;

/// A scratch directory unique to this test process and test name.
fn scratch(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("gnss_interop_scn_{tag}_"))
        .tempdir()
        .unwrap()
}

fn problems(e: ScenarioError) -> Vec<(String, String)> {
    e.problems()
        .into_iter()
        .map(|p| (p.key, p.message))
        .collect()
}

#[test]
fn defaults_when_sections_are_absent() {
    let text = format!(
        "name = \"d\"\n{SPAN}[orbits]\nsource = \"nominal\"\nsystems = [\"R\", \"C\"]\n[grid]\nstep_deg = 10\n"
    );
    let s = Scenario::from_toml_str(&text, Path::new(".")).unwrap();
    // Defaults of the format: 5° mask and PDOP ≤ 6 (glonass-iac.ru availability definition),
    // one clock per system for combined geometry.
    assert_eq!(
        s.user.mask,
        ElevationMask::Constant {
            min_elevation_deg: 5.0
        }
    );
    assert_eq!(s.user.pdop_threshold, 6.0);
    assert_eq!(s.user.clock, ClockChoice::PerSystem);
    // Systems keep the file's order.
    assert_eq!(s.orbits.unwrap().systems[0].letter(), 'R');
    let g = s.grid.unwrap();
    assert_eq!(g.region, Region::GLOBAL);
    // Points at cell centres, the library's default: 10° global is 18 latitudes × 36
    // longitudes (nodes would be 19 × 36, poles included).
    assert_eq!(g.layout, GridLayout::CellCentres);
    assert_eq!(g.point_count(), 18 * 36);
    assert!(s.outputs.csv && s.outputs.json && !s.outputs.maps);
    assert!(s.error_model.sigma0_glonass_m.is_none());
}

#[test]
fn toml_datetimes_and_scales_are_accepted() {
    let text = r#"
name = "dates"
[time]
start = 2023-01-01T00:00:00Z
end = "2023-01-01T03:00:00 GLONASST"
step_s = 60
[orbits]
source = "nominal"
systems = ["R"]
[[sites]]
name = "a"
lat_deg = 0
lon_deg = 0
"#;
    let s = Scenario::from_toml_str(text, Path::new(".")).unwrap_err();
    // GLONASST 03:00 on 1 January is 00:00 UTC: the span is empty.
    assert!(problems(s)
        .iter()
        .any(|(k, m)| k == "time.end" && m.contains("not after")));
    let ok = text.replace("T03:00:00 GLONASST", "T04:00:00 GLONASST");
    let s = Scenario::from_toml_str(&ok, Path::new(".")).unwrap();
    let t = s.time.unwrap();
    assert_eq!(
        t.end,
        Epoch::from_gregorian(2023, 1, 1, 1, 0, 0, 0, TimeScale::UTC)
    );
    assert_eq!(t.epoch_count(), 61);
}

#[test]
fn azimuth_masks() {
    let base = format!("name = \"az\"\n{SPAN}[orbits]\nsource = \"nominal\"\nsystems = [\"C\"]\n[[sites]]\nname = \"a\"\nlat_deg = 30\nlon_deg = 120\n");
    let good = format!("{base}[user]\nazimuth_mask = [[0, 10], [90, 30], [180, 15.5]]\n");
    let s = Scenario::from_toml_str(&good, Path::new(".")).unwrap();
    assert_eq!(
        s.user.mask,
        ElevationMask::Azimuthal(
            AzimuthMask::new(vec![(0.0, 10.0), (90.0, 30.0), (180.0, 15.5)]).unwrap()
        )
    );
    let bad = format!(
        "{base}[user]\nmask_deg = 10\nazimuth_mask = [[90, 30], [45, 10], [400, 5], [10]]\n"
    );
    let p = problems(Scenario::from_toml_str(&bad, Path::new(".")).unwrap_err());
    assert!(
        p.iter()
            .any(|(k, m)| k == "user.azimuth_mask" && m.contains("not both")),
        "{p:?}"
    );
    let bad = format!("{base}[user]\nazimuth_mask = [[90, 30], [45, 10], [400, 5], [10]]\n");
    let p = problems(Scenario::from_toml_str(&bad, Path::new(".")).unwrap_err());
    let keys: Vec<&str> = p.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "user.azimuth_mask[1]",
            "user.azimuth_mask[2]",
            "user.azimuth_mask[3]"
        ],
        "{p:?}"
    );
}

#[test]
fn paths_resolve_against_the_scenario_directory() {
    let dir = scratch("paths");
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/brdc.rnx"), "not read at validation").unwrap();
    let text = format!(
        "name = \"p\"\n{SPAN}[orbits]\nsource = \"nav\"\nnav = \"sub/brdc.rnx\"\nsystems = [\"C\"]\n[[sites]]\nname = \"a\"\nlat_deg = 0\nlon_deg = 0\n"
    );
    std::fs::write(dir.path().join("s.toml"), &text).unwrap();
    let s = Scenario::from_file(dir.path().join("s.toml")).unwrap();
    assert_eq!(
        s.orbits.unwrap().source,
        OrbitSpec::Nav(vec![dir.path().join("sub/brdc.rnx")])
    );
    // An unknown ${VAR} is refused rather than silently left in the path.
    let other = text.replace("sub/brdc.rnx", "${HOME}/brdc.rnx");
    let p = problems(Scenario::from_toml_str(&other, dir.path()).unwrap_err());
    assert!(p
        .iter()
        .any(|(k, m)| k == "orbits.nav" && m.contains("unknown variable ${HOME}")));
}

#[test]
fn longspan_needs_days_covering_the_span() {
    let dir = scratch("longspan");
    std::fs::write(dir.path().join("n.rnx"), "x").unwrap();
    let mk = |days: &str| {
        format!(
            "name = \"l\"\n[time]\nstart = \"2023-01-01\"\nend = \"2023-01-08\"\nstep_s = 3600\n[orbits]\nsource = \"longspan\"\nnav = \"n.rnx\"\nsystems = [\"C\"]\n{days}[[sites]]\nname = \"a\"\nlat_deg = 0\nlon_deg = 0\n"
        )
    };
    let p = problems(Scenario::from_toml_str(&mk(""), dir.path()).unwrap_err());
    assert!(p
        .iter()
        .any(|(k, m)| k == "orbits.longspan_days" && m.contains("required")));
    let p = problems(Scenario::from_toml_str(&mk("longspan_days = 3\n"), dir.path()).unwrap_err());
    assert!(p
        .iter()
        .any(|(k, m)| k == "orbits.longspan_days" && m.contains("shorter than the [time] span")));
    // Validation holds the propagator's own limit (60 days, orbit::longspan), so what passes
    // runs.
    let p = problems(Scenario::from_toml_str(&mk("longspan_days = 61\n"), dir.path()).unwrap_err());
    assert!(p
        .iter()
        .any(|(k, m)| k == "orbits.longspan_days" && m.contains("[1, 60]")));
    let s = Scenario::from_toml_str(&mk("longspan_days = 7\n"), dir.path()).unwrap();
    assert!(matches!(
        s.orbits.unwrap().source,
        OrbitSpec::LongSpan { days, .. } if days == 7.0
    ));
    // Seeded from the end of several days' files (merged as for source = "nav").
    std::fs::write(dir.path().join("m.rnx"), "x").unwrap();
    let two = mk("longspan_days = 7\n").replace("nav = \"n.rnx\"", "nav = [\"m.rnx\", \"n.rnx\"]");
    let s = Scenario::from_toml_str(&two, dir.path()).unwrap();
    match s.orbits.unwrap().source {
        OrbitSpec::LongSpan { nav, .. } => assert_eq!(nav.len(), 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn exclude_predicted_applies_to_sp3_only() {
    let dir = scratch("predicted");
    std::fs::write(dir.path().join("n.rnx"), "x").unwrap();
    std::fs::write(dir.path().join("p.sp3"), "x").unwrap();
    let mk = |source: &str, file: &str| {
        format!(
            "name = \"p\"\n{SPAN}[orbits]\nsource = \"{source}\"\n{source} = \"{file}\"\nsystems = [\"C\"]\nexclude_predicted = true\n[[sites]]\nname = \"a\"\nlat_deg = 0\nlon_deg = 0\n"
        )
    };
    let s = Scenario::from_toml_str(&mk("sp3", "p.sp3"), dir.path()).unwrap();
    assert!(s.orbits.unwrap().exclude_predicted);
    let p = problems(Scenario::from_toml_str(&mk("nav", "n.rnx"), dir.path()).unwrap_err());
    assert!(
        p.iter()
            .any(|(k, m)| k == "orbits.exclude_predicted" && m.contains("sp3")),
        "{p:?}"
    );
}

#[test]
fn candidate_files_are_checked_row_by_row() {
    let dir = scratch("csv");
    let head = format!("name = \"c\"\n{SPAN}[orbits]\nsource = \"nominal\"\nsystems = [\"C\"]\n[networks]\nbaseline = [\"bds-domestic\"]\n[layout_search]\nsystem = \"C\"\ncandidates = \"c.csv\"\nk = 2\nobjective = \"mean-tracked\"\n");
    std::fs::write(
        dir.path().join("c.csv"),
        "id,name,country,lat_deg,lon_deg,height_m\nA,Alpha,RUS,55,37,150\nB,,KAZ,43.2,76.9,\nC,Gamma,RUS,95,10,0\nA,Again,RUS,50,50,0\n",
    )
    .unwrap();
    let p = problems(Scenario::from_toml_str(&head, dir.path()).unwrap_err());
    assert!(
        p.iter()
            .any(|(k, m)| k == "layout_search.candidates" && m.contains("line 4")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|(k, m)| k == "layout_search.candidates" && m.contains("duplicate id \"A\"")),
        "{p:?}"
    );

    std::fs::write(
        dir.path().join("c.csv"),
        "id,name,country,lat_deg,lon_deg,height_m\nA,Alpha,RUS,55,37,150\nB,,KAZ,43.2,76.9,\nC,Gamma,CHN,40,116,0\n",
    )
    .unwrap();
    let s = Scenario::from_toml_str(
        &format!("{head}countries = [\"rus\", \"KAZ\"]\n"),
        dir.path(),
    )
    .unwrap();
    let Candidates::File { sites, .. } = &s.layout_search.as_ref().unwrap().candidates else {
        panic!()
    };
    assert_eq!(sites.len(), 2);
    assert_eq!(sites[1].name, "B", "an empty name falls back to the id");
    assert_eq!(sites[1].height_m, 0.0);
    let p = problems(
        Scenario::from_toml_str(&format!("{head}countries = [\"MNG\"]\n"), dir.path()).unwrap_err(),
    );
    assert!(
        p.iter()
            .any(|(k, m)| k == "layout_search.countries" && m.contains("no candidate")),
        "{p:?}"
    );

    std::fs::write(dir.path().join("c.csv"), "station,lat,lon\nA,1,2\n").unwrap();
    let p = problems(Scenario::from_toml_str(&head, dir.path()).unwrap_err());
    assert!(
        p.iter()
            .any(|(_, m)| m.contains("expected columns id, lat_deg, lon_deg")),
        "{p:?}"
    );
}

#[test]
fn lattices_count_their_nodes() {
    // 50…52 × 30…32 every 1°: 3 × 3.
    let r = Region {
        lat_min_deg: 50.0,
        lat_max_deg: 52.0,
        lon_min_deg: 30.0,
        lon_max_deg: 32.0,
    };
    assert_eq!(r.lattice_len(1.0), 9);
    assert_eq!(r.lattice(1.0).len(), 9);
    assert_eq!(r.lattice(1.0)[8], (52.0, 32.0));
    // A box not a whole number of steps stops before its edge: 0…1 every 0.3 → 0, 0.3, 0.6, 0.9.
    let r = Region {
        lat_min_deg: 0.0,
        lat_max_deg: 1.0,
        lon_min_deg: 0.0,
        lon_max_deg: 1.0,
    };
    assert_eq!(r.lattice_len(0.3), 16);
    // Crossing the antimeridian with longitudes beyond 180.
    let r = Region {
        lat_min_deg: 40.0,
        lat_max_deg: 60.0,
        lon_min_deg: 170.0,
        lon_max_deg: 200.0,
    };
    assert_eq!(r.lattice_len(10.0), 3 * 4);
    // The one antimeridian rule: the same box written 170 … −160 (east from lon_min).
    let same = Region {
        lon_max_deg: -160.0,
        ..r
    };
    assert_eq!(same.lattice(10.0), r.lattice(10.0));
    // And so in a scenario file: both spellings validate to the same 3 × 4 grid.
    // Cell centres (the default) are 2 × 3 cells of the same box.
    for lons in ["170, 200", "170, -160"] {
        for (layout, n) in [("\nlayout = \"nodes\"", 12), ("", 6)] {
            let text = format!("name = \"g\"\n{SPAN}[orbits]\nsource = \"nominal\"\nsystems = [\"C\"]\n[grid]\nstep_deg = 10\nregion = [40, 60, {lons}]{layout}\n");
            let s = Scenario::from_toml_str(&text, Path::new(".")).unwrap();
            assert_eq!(s.grid.unwrap().point_count(), n, "{lons}{layout}");
        }
    }
    // 360° of longitude: the last column would repeat the first.
    assert_eq!(Region::GLOBAL.lattice_len(1.0), 181 * 360);
    assert_eq!(Region::GLOBAL.lattice(1.0).len(), 181 * 360);
}

#[test]
fn absurd_grid_steps_are_refused_not_overflowed() {
    let text = format!("name = \"g\"\n{SPAN}[orbits]\nsource = \"nominal\"\nsystems = [\"C\"]\n[grid]\nstep_deg = 1e-300\n");
    let p = problems(Scenario::from_toml_str(&text, Path::new(".")).unwrap_err());
    assert!(
        p.iter()
            .any(|(k, m)| k == "grid.step_deg" && m.contains("at most 10000000")),
        "{p:?}"
    );
}

#[test]
fn io_errors_name_the_file() {
    let e = Scenario::from_file("no/such/scenario.toml").unwrap_err();
    assert!(matches!(e, ScenarioError::Io { .. }));
    assert!(e.to_string().contains("no/such/scenario.toml"));
}

/// Every file key of a scenario takes a list (or a directory, or a glob), as `orbits.nav` does:
/// `timescales.nav`, `validation.nav` and `validation.sp3`.
#[test]
fn timescales_and_validation_take_file_lists() {
    let dir = scratch("lists");
    for f in ["a.rnx", "b.rnx", "a.sp3", "b.sp3"] {
        std::fs::write(dir.path().join(f), "x").unwrap();
    }
    let text = format!(
        "name = \"l\"\n{SPAN}[timescales]\nnav = [\"a.rnx\", \"b.rnx\"]\n[validation]\nnav = \"*.rnx\"\nsp3 = [\"a.sp3\", \"b.sp3\"]\n"
    );
    let s = Scenario::from_toml_str(&text, dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.timescales.unwrap().nav.len(), 2);
    let v = s.validation.unwrap();
    assert_eq!((v.nav.len(), v.sp3.len()), (2, 2));
}
