//! The scenarios shipped in `data/scenarios/` parse and validate. Those that read the public
//! data are checked only when the data directory exists (see `tests/common`).

mod common;

use std::path::{Path, PathBuf};

use gnss_interop::id::Constellation;
use gnss_interop::scenario::{
    Candidates, ClockChoice, ElevationMask, NetworkRef, Objective, OrbitSpec, Scenario,
    SearchMethod,
};
use hifitime::{Epoch, TimeScale};

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/scenarios")
        .join(format!("{name}.toml"))
}

/// Shipped scenarios that need the public data directory.
const REAL_DATA: &[&str] = &[
    "timescales",
    "timescales_realised",
    "broadcast_vs_precise",
    "layout_search",
    "agreement_2022_brdc",
];
/// Shipped scenarios that run anywhere.
const SELF_CONTAINED: &[&str] = &["agreement_2022", "urban_canyon"];

/// Points `${GNSS_INTEROP_DATA}` at the test data directory, or `None` when it is missing.
/// Every test sets the same value, so concurrent tests agree.
fn with_data() -> Option<PathBuf> {
    let dir = common::data_dir()?;
    std::env::set_var("GNSS_INTEROP_DATA", &dir);
    Some(dir)
}

fn utc(y: i32, mo: u8, d: u8, h: u8, mi: u8) -> Epoch {
    Epoch::from_gregorian(y, mo, d, h, mi, 0, 0, TimeScale::UTC)
}

#[test]
fn every_shipped_scenario_is_listed() {
    let mut on_disk: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios"))
            .unwrap()
            .filter_map(|e| {
                let p = e.unwrap().path();
                (p.extension()? == "toml").then(|| p.file_stem().unwrap().to_string_lossy().into())
            })
            .collect();
    on_disk.sort();
    let mut listed: Vec<String> = REAL_DATA
        .iter()
        .chain(SELF_CONTAINED)
        .map(|s| s.to_string())
        .collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn self_contained_scenarios_validate() {
    for name in SELF_CONTAINED {
        let s = Scenario::from_file(shipped(name)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&s.name, name, "the name matches the file name");
    }
}

/// The flagship on two real broadcast days: both IGS daily files (one gzip), the 2-day span,
/// no-data epochs allowed (a guard; R25's unhealthy-only records are absences, not no data),
/// everything else as the nominal flagship.
#[test]
fn agreement_2022_brdc_reads_both_days() {
    let Some(dir) = with_data() else {
        return;
    };
    let s = Scenario::from_file(shipped("agreement_2022_brdc")).unwrap();
    let nominal = Scenario::from_file(shipped("agreement_2022")).unwrap();
    let t = s.time.unwrap();
    assert_eq!(t.start, utc(2022, 12, 31, 0, 0));
    assert_eq!(t.end, utc(2023, 1, 1, 23, 55));
    assert_eq!(t.epoch_count(), 2 * 288);
    let o = s.orbits.clone().unwrap();
    assert_eq!(
        o.source,
        OrbitSpec::Nav(vec![
            dir.join("nav/BRDC00IGS_R_20223650000_01D_MN.rnx.gz"),
            dir.join("nav/BRDC00IGS_R_20230010000_01D_MN.rnx"),
        ])
    );
    assert!(o.allow_no_data);
    assert_eq!(o.systems, nominal.orbits.unwrap().systems);
    assert_eq!(s.user, nominal.user);
    assert_eq!(s.grid, nominal.grid);
    assert_eq!(s.networks, nominal.networks);
}

#[test]
fn agreement_2022_is_the_study_described() {
    let s = Scenario::from_file(shipped("agreement_2022")).unwrap();
    let t = s.time.unwrap();
    assert_eq!(t.start, utc(2023, 1, 1, 0, 0));
    assert_eq!(t.end, utc(2023, 1, 1, 23, 55));
    // One day at 300 s without the closing midnight: 86,400 / 300 = 288 epochs.
    assert_eq!(t.epoch_count(), 288);
    assert_eq!(t.epochs().len(), 288);
    let o = s.orbits.clone().unwrap();
    assert_eq!(o.source, OrbitSpec::Nominal);
    assert_eq!(
        o.systems,
        vec![Constellation::BeiDou, Constellation::Glonass]
    );
    // A global 1° grid: 181 latitudes × 360 longitudes (180°E = 180°W counted once).
    assert_eq!(s.grid.unwrap().point_count(), 181 * 360);
    assert_eq!(
        s.user.mask,
        ElevationMask::Constant {
            min_elevation_deg: 5.0
        }
    );
    assert_eq!(s.user.clock, ClockChoice::PerSystem);
    assert_eq!(s.user.pdop_threshold, 6.0);
    let n = s.networks.clone().unwrap();
    let cat = |c: &str| NetworkRef::Catalog(c.into());
    assert_eq!(
        n.baseline,
        vec![
            cat("bds-domestic"),
            cat("glonass-domestic"),
            cat("glonass-abroad")
        ]
    );
    assert_eq!(
        n.augmented,
        vec![cat("glonass-china-2022"), cat("bds-russia-2022")]
    );
    assert!(n.has_comparison());
    assert_eq!(n.tracking_mask_deg, Some(5.0));
    assert_eq!(n.min_stations, 1);
    assert!(s.outputs.maps && s.outputs.csv && s.outputs.json);
    assert_eq!(s.outputs.sky_plot_site.as_deref(), Some("beijing"));
    assert_eq!(s.sites.len(), 3);
    assert!(s.runs_coverage());
}

#[test]
fn urban_canyon_compares_clock_models_at_30_degrees() {
    let s = Scenario::from_file(shipped("urban_canyon")).unwrap();
    assert_eq!(
        s.user.mask,
        ElevationMask::Constant {
            min_elevation_deg: 30.0
        }
    );
    assert_eq!(s.user.clock, ClockChoice::KnownOffset);
    assert_eq!(s.user.isb_sigma_ns, Some(10.0));
    assert!(s.user.compare_clocks);
    // 20°…60°N every 2° (21) × 70°…180°E every 2° (56).
    assert_eq!(s.grid.unwrap().point_count(), 21 * 56);
    assert_eq!(s.time.unwrap().epoch_count(), 144);
}

#[test]
fn timescales_reads_the_rinex4_file() {
    let Some(dir) = with_data() else { return };
    let s = Scenario::from_file(shipped("timescales")).unwrap_or_else(|e| panic!("{e}"));
    let ts = s.timescales.unwrap();
    assert_eq!(ts.nav.len(), 1);
    assert_eq!(
        ts.nav[0].canonicalize().unwrap(),
        dir.join("nav/BRD400DLR_S_20230710000_01D_MN.rnx")
            .canonicalize()
            .unwrap()
    );
    assert!(ts.epochs.is_empty(), "uses the [time] span");
    let t = s.time.unwrap();
    // BDT − UTC = (TAI − UTC) − (TAI − BDT) = 37 s − 33 s = 4 s in 2023 (IERS Bulletin C;
    // BDS ICD), so 00:00:00 BDT is 23:59:56 UTC the day before.
    assert_eq!((t.start - utc(2023, 3, 11, 23, 59)).to_seconds(), 56.0);
    assert_eq!(t.epoch_count(), 24);
    assert_eq!(t.scale, gnss_interop::time::Scale::Bdt);
}

#[test]
fn broadcast_vs_precise_pairs_the_same_day() {
    let Some(dir) = with_data() else { return };
    let s = Scenario::from_file(shipped("broadcast_vs_precise")).unwrap_or_else(|e| panic!("{e}"));
    let v = s.validation.unwrap();
    assert_eq!(v.sp3.len(), 1);
    assert_eq!(
        v.sp3[0].canonicalize().unwrap(),
        dir.join("sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3")
            .canonicalize()
            .unwrap()
    );
    assert_eq!(v.step_s, Some(300.0));
    assert_eq!(
        v.systems,
        vec![Constellation::BeiDou, Constellation::Glonass]
    );
    // 00:00 GPST is 23:59:42 UTC the day before (GPST − UTC = 18 s in 2023).
    let t = s.time.unwrap();
    assert_eq!((t.start - utc(2022, 12, 31, 23, 59)).to_seconds(), 42.0);
    assert_eq!(t.epoch_count(), 288);
}

#[test]
fn layout_search_reads_the_candidates() {
    if with_data().is_none() {
        return;
    }
    let s = Scenario::from_file(shipped("layout_search")).unwrap_or_else(|e| panic!("{e}"));
    let l = s.layout_search.unwrap();
    assert_eq!(l.system, Constellation::BeiDou);
    assert_eq!(l.k, 3);
    assert_eq!(l.objective, Objective::LongestGap);
    assert_eq!(l.method, SearchMethod::Both);
    // data/SOURCES.md: RUS 20, MNG 1, KAZ 4, KGZ 2, UZB 3 of the 50 candidates.
    let Candidates::File { sites, .. } = &l.candidates else {
        panic!("expected a candidates file")
    };
    assert_eq!(sites.len(), 30);
    assert!(sites
        .iter()
        .any(|c| c.id == "BADG00RUS" && (c.lat_deg - 51.769704).abs() < 1e-9));
    assert!(sites.iter().all(|c| c.country != "CHN"));
    assert_eq!(s.user.clock, ClockChoice::Common, "one system: one clock");
}
