//! Every door takes many orbit files: `--sp3` repeated, a directory or a glob, and scenario
//! `orbits.sp3` / `orbits.nav` lists with globs, all giving the same states as the one file
//! they were cut from (the WUM MGEX final SP3 of 2023-01-01, cut at 12:00 at test time in a
//! temporary directory).
#![cfg(feature = "cli")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use gnss_interop::scenario::{OrbitSpec, Scenario};

const WUM: &str = "sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3";

fn scratch(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("gnss-interop-srcmulti-{tag}-"))
        .tempdir()
        .unwrap()
}

/// The WUM file cut before 12:00 into `dir/wum_a.sp3` and `dir/wum_b.sp3` (line 1's start
/// epoch and epoch count set to each part's; both end with EOF).
fn cut(whole: &Path, dir: &Path) -> (PathBuf, PathBuf) {
    let text = std::fs::read_to_string(whole).unwrap();
    let (header, blocks) = common::split_sp3(&text);
    let noon = blocks
        .iter()
        .position(|b| b[0].starts_with("*  2023  1  1 12  0"))
        .unwrap();
    let (a, b) = (dir.join("wum_a.sp3"), dir.join("wum_b.sp3"));
    common::write_sp3(&a, &header, &blocks[..noon]);
    common::write_sp3(&b, &header, &blocks[noon..]);
    (a, b)
}

fn satpos(sp3: &[&Path]) -> String {
    let mut args: Vec<String> = vec!["satpos".into()];
    for p in sp3 {
        args.push("--sp3".into());
        args.push(p.display().to_string());
    }
    for a in [
        "--sats",
        "C20,R01",
        "--start",
        "2023-01-01T11:00:00",
        "--end",
        "2023-01-01T13:00:00",
        "--step",
        "30",
    ] {
        args.push(a.into());
    }
    let out = Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Drop the source label (last column): it names the files.
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.rsplit_once(',').map_or("", |x| x.0).to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn sp3_repeated_directory_and_glob_equal_the_whole_file() {
    let Some(whole) = common::data_file(WUM) else {
        return;
    };
    let dir = scratch("cli");
    let (a, b) = cut(&whole, dir.path());
    let reference = satpos(&[&whole]);
    assert_eq!(reference.lines().count(), 1 + 2 * 241);
    assert_eq!(satpos(&[&b, &a]), reference, "repeated, reversed");
    assert_eq!(satpos(&[dir.path()]), reference, "directory");
    assert_eq!(satpos(&[&dir.path().join("wum_*.sp3")]), reference, "glob");
}

#[test]
fn scenario_lists_and_globs_resolve_against_the_scenario_file() {
    let dir = scratch("scen");
    std::fs::create_dir_all(dir.path().join("orb")).unwrap();
    for f in ["b_2.sp3", "a_1.sp3", "n1.rnx", "n2.rnx.gz"] {
        std::fs::write(dir.path().join("orb").join(f), "not read at validation").unwrap();
    }
    let base = "name = \"m\"\n[time]\nstart = \"2023-01-01T00:00:00 GPST\"\nend = \"2023-01-01T01:00:00 GPST\"\nstep_s = 600\n[[sites]]\nname = \"a\"\nlat_deg = 0\nlon_deg = 0\n[orbits]\nsystems = [\"C\"]\n";
    let read = |orbits: &str| Scenario::from_toml_str(&format!("{base}{orbits}"), dir.path());
    let s = read("source = \"sp3\"\nsp3 = [\"orb/*.sp3\"]\n").unwrap();
    assert_eq!(
        s.orbits.unwrap().source,
        OrbitSpec::Sp3(vec![
            dir.path().join("orb/a_1.sp3"),
            dir.path().join("orb/b_2.sp3")
        ])
    );
    // One string stays valid; a list mixes files and globs; duplicates are dropped.
    let s = read("source = \"sp3\"\nsp3 = \"orb/b_2.sp3\"\n").unwrap();
    assert_eq!(
        s.orbits.unwrap().source,
        OrbitSpec::Sp3(vec![dir.path().join("orb/b_2.sp3")])
    );
    let s = read("source = \"nav\"\nnav = [\"orb/n2.rnx.gz\", \"orb/n*\"]\n").unwrap();
    assert_eq!(
        s.orbits.unwrap().source,
        OrbitSpec::Nav(vec![
            dir.path().join("orb/n2.rnx.gz"),
            dir.path().join("orb/n1.rnx")
        ])
    );
    // A glob matching nothing is refused, naming the key and the pattern.
    let e = read("source = \"sp3\"\nsp3 = [\"orb/a_1.sp3\", \"orb/*.SP3x\"]\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("orbits.sp3[1]") && e.contains("matches no file"),
        "{e}"
    );
}

/// `coverage --sp3` over a span past the one-day file: refused (exit status ≠ 0) naming the
/// uncovered interval; with `--allow-no-data` it runs, says how many epochs had no data, and
/// the summary JSON states the count.
#[test]
fn coverage_past_the_data_is_refused_or_counted() {
    let Some(whole) = common::data_file(WUM) else {
        return;
    };
    let dir = scratch("nodata");
    let args = |extra: &[&str], out: &Path| {
        let mut a: Vec<String> = [
            "coverage",
            "--systems",
            "C",
            "--start",
            "2023-01-01T22:00:00",
            "--end",
            "2023-01-02T02:00:00",
            "--step",
            "1800",
            "--grid-step",
            "30",
            "--threads",
            "1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.extend(["--sp3".to_string(), whole.display().to_string()]);
        a.extend(["--out".to_string(), out.display().to_string()]);
        a.extend(extra.iter().map(|s| s.to_string()));
        Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
            .args(&a)
            .output()
            .unwrap()
    };
    let refused = args(&[], &dir.path().join("a"));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        // The span is read in UTC (the CLI default); GPST = UTC + 18 s in 2023.
        err.contains("2023-01-01T23:55:00 GPST – 2023-01-02T02:00:18 GPST"),
        "{err}"
    );
    let ok = args(&["--allow-no-data"], &dir.path().join("b"));
    let text = String::from_utf8_lossy(&ok.stdout);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    // 22:00 … 02:00 every 30 min: 9 epochs, 5 after the last node 23:55 (00:00, 00:30,
    // 01:00, 01:30, 02:00); the file holds 40 BeiDou satellites (data/SOURCES.md).
    assert!(text.contains("no data: 5 epochs"), "{text}");
    let summary = std::fs::read_to_string(dir.path().join("b/summary.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(
        v["summary"]["no_data_satellite_epochs"],
        5 * 40,
        "{summary}"
    );
}

/// The scenario door: a coverage scenario over an SP3 list whose span runs past the data is
/// refused naming the interval; with `orbits.allow_no_data = true` it runs and its answer and
/// results state the no-data count.
#[test]
fn scenario_past_the_data_is_refused_or_counted() {
    let Some(whole) = common::data_file(WUM) else {
        return;
    };
    let dir = scratch("scen-nodata");
    let (_a, _b) = cut(&whole, dir.path());
    let text = |allow: &str| {
        format!(
            "name = \"nodata\"\n[time]\nstart = \"2023-01-01T22:00:00 GPST\"\nend = \"2023-01-02T02:00:00 GPST\"\nstep_s = 1800\n[orbits]\nsource = \"sp3\"\nsp3 = [\"wum_*.sp3\"]\nsystems = [\"C\"]\n{allow}[grid]\nstep_deg = 30\n"
        )
    };
    use gnss_interop::scenario::run::{run, RunOptions};
    let s = Scenario::from_toml_str(&text(""), dir.path()).unwrap();
    let e = run(&s, &RunOptions::new(&dir.path().join("out_a"))).unwrap_err();
    assert!(
        e.to_string()
            .contains("2023-01-01T23:55:00 GPST – 2023-01-02T02:00:00 GPST"),
        "{e}"
    );
    let s = Scenario::from_toml_str(&text("allow_no_data = true\n"), dir.path()).unwrap();
    let r = run(&s, &RunOptions::new(&dir.path().join("out_b"))).unwrap();
    // 22:00 … 02:00 every 30 min: 9 epochs, 5 after the last node 23:55; 40 BeiDou satellites.
    assert!(
        r.answer
            .iter()
            .any(|l| l.contains("No orbit data: 5 of the span's epochs")),
        "{:?}",
        r.answer
    );
    let json = serde_json::to_string(&r.results).unwrap();
    assert!(json.contains("\"no_data_satellite_epochs\":200"), "{json}");
    // The report shows the ephemeris availability of the file source: figure, CSV, table.
    let out = dir.path().join("out_b");
    assert!(out.join("figures/ephemeris_availability.png").is_file());
    let csv = std::fs::read_to_string(out.join("ephemeris_availability.csv")).unwrap();
    // 40 BeiDou satellites, each with no data after the last node 23:55 GPST.
    assert_eq!(csv.lines().count(), 1 + 40, "{csv}");
    assert!(
        csv.lines()
            .skip(1)
            .all(|l| l.ends_with("2023-01-01T23:55:00 GPST – 2023-01-02T02:00:00 GPST")),
        "{csv}"
    );
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("## Ephemeris availability"), "{md}");
}

/// The tracking door: a networks scenario (tracking only, no grid) over the same span past
/// the SP3 list is refused naming the interval; allowed, its answer and results count the
/// no-data satellite-epochs of the tracking apart from "not tracked": 5 epochs after the
/// last node 23:55 × 40 BeiDou satellites = 200.
#[test]
fn networks_scenario_past_the_data_is_refused_or_counted() {
    let Some(whole) = common::data_file(WUM) else {
        return;
    };
    let dir = scratch("scen-net-nodata");
    let (_a, _b) = cut(&whole, dir.path());
    let text = |allow: &str| {
        format!(
            "name = \"netnodata\"\n[time]\nstart = \"2023-01-01T22:00:00 GPST\"\nend = \"2023-01-02T02:00:00 GPST\"\nstep_s = 1800\n[orbits]\nsource = \"sp3\"\nsp3 = [\"wum_*.sp3\"]\nsystems = [\"C\"]\n{allow}[networks]\nbaseline = [\"bds-domestic\"]\naugmented = [\"bds-russia-2022\"]\n"
        )
    };
    use gnss_interop::scenario::run::{run, RunOptions};
    let s = Scenario::from_toml_str(&text(""), dir.path()).unwrap();
    let e = run(&s, &RunOptions::new(&dir.path().join("out_a"))).unwrap_err();
    assert!(
        e.to_string()
            .contains("2023-01-01T23:55:00 GPST – 2023-01-02T02:00:00 GPST"),
        "{e}"
    );
    let s = Scenario::from_toml_str(&text("allow_no_data = true\n"), dir.path()).unwrap();
    let r = run(&s, &RunOptions::new(&dir.path().join("out_b"))).unwrap();
    assert!(
        r.answer
            .iter()
            .any(|l| l.contains("Tracking: 200 satellite-epochs outside the orbit data")),
        "{:?}",
        r.answer
    );
    let json = serde_json::to_string(&r.results).unwrap();
    assert!(
        json.contains("\"tracking_no_data_satellite_epochs\":200"),
        "{json}"
    );
}
