//! The `satpos` and `validate` subcommands, run as the binary.
#![cfg(feature = "cli")]

mod common;

use std::process::{Command, Output};

const NAV: &str = "nav/BRDC00IGS_R_20230010000_01D_MN.rnx";
const WUM: &str = "sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3";
const HEADER: &str = "sat,epoch,x_m,y_m,z_m,vx_m_s,vy_m_s,vz_m_s,clock_s,frame,source";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A fresh directory under the system temporary directory, removed on drop.
fn tmp(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("gnss-interop-{tag}-"))
        .tempdir()
        .unwrap()
}

#[test]
fn satpos_nominal_header_and_row_count() {
    // 00:00 … 01:00 every 600 s = 7 epochs; BDS-3 nominal 30 satellites (24 MEO, 3 IGSO,
    // 3 GEO) + GLONASS 24 slots (DOMAIN.md): 54 × 7 rows, all valid (nominal orbits are
    // defined at any epoch).
    let out = run(&[
        "satpos",
        "--nominal",
        "--start",
        "2023-01-01T00:00:00",
        "--end",
        "2023-01-01T01:00:00",
        "--step",
        "600",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(HEADER));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 54 * 7);
    assert!(rows.iter().all(|r| r.len() == 11));
    // Epochs printed in GPST (the default scale) as given.
    assert_eq!(rows[0][1], "2023-01-01T00:00:00");
    assert_eq!(rows[6][1], "2023-01-01T01:00:00");
    // Only BeiDou with --systems C: 30 × 7; UTC epoch column when --scale UTC.
    let out = run(&[
        "satpos",
        "--nominal",
        "--systems",
        "C",
        "--scale",
        "UTC",
        "--start",
        "2023-01-01T00:00:00",
        "--end",
        "2023-01-01T01:00:00",
        "--step",
        "600",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert_eq!(csv.lines().count(), 1 + 30 * 7);
    assert!(csv
        .lines()
        .nth(1)
        .unwrap()
        .contains(",2023-01-01T00:00:00,"));
}

#[test]
fn satpos_real_nav_geo_row_and_skip_summary() {
    let Some(nav) = common::data_file(NAV) else {
        return;
    };
    let dir = tmp("satpos");
    let out_file = dir.path().join("c01.csv");
    // 22:00 GPST on 2022-12-31 … 02:00: the file's first BDS t_oc is 2023-01-01 00:00 BDT
    // (SOURCES.md), so C01 has no valid record before t_oe − 1 h = 23:00:00 BDT = 23:00:14
    // GPST (GPST = BDT + 14 s): the 7 epochs 22:00 … 23:00 GPST are skipped and summarised,
    // not printed one by one.
    let out = run(&[
        "satpos",
        "--nav",
        nav.to_str().unwrap(),
        "--sats",
        "C01,R07",
        "--start",
        "2022-12-31T22:00:00",
        "--end",
        "2023-01-01T02:00:00",
        "--step",
        "600",
        "--out",
        out_file.to_str().unwrap(),
    ]);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    let csv = std::fs::read_to_string(&out_file).unwrap();
    assert_eq!(csv.lines().next(), Some(HEADER));
    let c01: Vec<&str> = csv.lines().filter(|l| l.starts_with("C01,")).collect();
    assert!(!c01.is_empty());
    // GEO row: CGCS2000, |r| ≈ 42,164 km (geostationary radius, ±200 km for the inclined,
    // slightly eccentric orbit), with a broadcast clock.
    let f: Vec<&str> = c01[0].split(',').collect();
    let r = (f[2..5]
        .iter()
        .map(|x| x.parse::<f64>().unwrap().powi(2))
        .sum::<f64>())
    .sqrt();
    assert!((r - 42_164_000.0).abs() < 200_000.0, "{r}");
    assert_eq!(f[9], "CGCS2000");
    assert!(!f[8].is_empty());
    assert!(f[10].starts_with("nav:"));
    // 25 epochs; C01 rows start at 23:10 (first grid epoch in its window).
    assert_eq!(f[1], "2022-12-31T23:10:00");
    assert_eq!(c01.len(), 25 - 7);
    // Skips summarised on stderr, per satellite and reason, with counts.
    assert!(
        err.contains("skipped C01: 7 epoch(s), no valid record"),
        "{err}"
    );
    assert_eq!(err.matches("skipped C01").count(), 1, "{err}");
    // R07 rows are PZ-90.11.
    assert!(csv
        .lines()
        .any(|l| l.starts_with("R07,") && l.contains("PZ-90")));
    // The ephemeris availability timeline beside the table.
    assert!(dir.path().join("c01_availability.png").is_file(), "{err}");
}

#[test]
fn validate_real_pair_prints_table_and_writes_csv() {
    let (Some(nav), Some(sp3)) = (common::data_file(NAV), common::data_file(WUM)) else {
        return;
    };
    let scratch = tmp("validate");
    // Absent until the command creates it.
    let dir = scratch.path().join("out");
    let out = run(&[
        "validate",
        "--nav",
        nav.to_str().unwrap(),
        "--sp3",
        sp3.to_str().unwrap(),
        "--step",
        "900",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let table = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for g in [
        "BDS GEO", "BDS IGSO", "BDS MEO", "GLONASS", "3D med", "C01 GEO",
    ] {
        assert!(table.contains(g), "{g} missing in\n{table}");
    }
    let groups = std::fs::read_to_string(dir.join("validation_groups.csv")).unwrap();
    let mut lines = groups.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(&head[..2], &["group", "sats"]);
    let med = head.iter().position(|h| *h == "3d_median_m").unwrap();
    let meo = lines.find(|l| l.starts_with("BDS MEO,")).unwrap();
    let m: f64 = meo.split(',').nth(med).unwrap().parse().unwrap();
    // ≈ 1.3 m (SOURCES.md); same threshold as tests/orbit_validation.rs.
    assert!(m > 0.5 && m < 1.5, "{m}");
    let per_sat = std::fs::read_to_string(dir.join("validation_per_sat.csv")).unwrap();
    // 40 BDS + 21 GLONASS satellites in WUM (SOURCES.md) + header.
    assert_eq!(per_sat.lines().count(), 1 + 40 + 21);
}

#[test]
fn errors_name_the_file_and_the_span() {
    let out = run(&[
        "satpos",
        "--nav",
        "no-such-dir/missing_nav.rnx",
        "--start",
        "2023-01-01T00:00:00",
        "--end",
        "2023-01-01T01:00:00",
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("missing_nav.rnx"));
    let out = run(&[
        "validate",
        "--nav",
        "no-such-dir/missing_nav.rnx",
        "--sp3",
        "no-such-dir/missing.sp3",
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("missing_nav.rnx"));
    let out = run(&[
        "satpos",
        "--nominal",
        "--start",
        "2023-01-01T02:00:00",
        "--end",
        "2023-01-01T01:00:00",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("before --start"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    // No source, two sources, an unknown satellite, a bad step: all refused.
    for args in [
        &["satpos", "--start", "2023-01-01", "--end", "2023-01-02"][..],
        &[
            "satpos",
            "--nominal",
            "--sp3",
            "x.sp3",
            "--start",
            "2023-01-01",
            "--end",
            "2023-01-02",
        ],
        &[
            "satpos",
            "--nominal",
            "--sats",
            "C99",
            "--start",
            "2023-01-01",
            "--end",
            "2023-01-02",
        ],
        &[
            "satpos",
            "--nominal",
            "--step",
            "0",
            "--start",
            "2023-01-01",
            "--end",
            "2023-01-02",
        ],
    ] {
        let out = run(args);
        assert!(!out.status.success(), "{args:?}");
        assert!(!text(&out.stderr).is_empty());
    }
}

#[test]
fn nav_repeated_and_directory_give_one_source_in_any_order() {
    let (Some(d1), Some(d2)) = (
        common::data_file("nav/BRDC00IGS_R_20223650000_01D_MN.rnx.gz"),
        common::data_file(NAV),
    ) else {
        return;
    };
    let dir = tmp("navdir");
    std::fs::copy(&d1, dir.path().join(d1.file_name().unwrap())).unwrap();
    std::fs::copy(&d2, dir.path().join(d2.file_name().unwrap())).unwrap();
    let common_args = [
        "--sats",
        "C01,R07",
        "--start",
        "2022-12-31T22:00:00",
        "--end",
        "2023-01-01T02:00:00",
        "--step",
        "600",
    ];
    let go = |navs: &[&str]| {
        let mut args = vec!["satpos"];
        for n in navs {
            args.extend(["--nav", n]);
        }
        args.extend(common_args);
        let out = run(&args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let ab = go(&[d1.to_str().unwrap(), d2.to_str().unwrap()]);
    let ba = go(&[d2.to_str().unwrap(), d1.to_str().unwrap()]);
    let from_dir = go(&[dir.path().to_str().unwrap()]);
    // Labels name the first file given; the states must agree.
    let states = |s: &str| -> Vec<String> {
        s.lines()
            .map(|l| l.rsplit_once(',').map_or("", |x| x.0).to_string())
            .collect()
    };
    assert_eq!(states(&ab), states(&ba));
    assert_eq!(states(&ab), states(&from_dir));
    // With the previous day merged, C01 has states from 22:00 on (not only from 23:00).
    assert!(
        ab.lines().any(|l| l.starts_with("C01,2022-12-31T22:00")),
        "{ab}"
    );
}

/// `validate` and the long-span door take many navigation files (repeated, or a glob). Over
/// 2023-01-01 00:00–00:10 GPST (3 epochs at 300 s): the GLONASS records of the 2022-12-31
/// file end at t_b 2022-12-31 23:45 UTC (valid ±15 min, to 00:00 UTC = 00:00:18 GPST; no
/// record of 2023 in it), so with that file alone every GLONASS satellite misses at least
/// 00:05 and 00:10; with the 2023-01-01 file as well (t_b 00:15 UTC) none misses an epoch,
/// except R25 (only unhealthy records: all 3).
#[test]
fn validate_and_longspan_take_many_navigation_files() {
    let (Some(d365), Some(d001), Some(sp3)) = (
        common::data_file("nav/BRDC00IGS_R_20223650000_01D_MN.rnx.gz"),
        common::data_file(NAV),
        common::data_file(WUM),
    ) else {
        return;
    };
    let skipped = |navs: &[&str], tag: &str| -> Vec<(String, usize)> {
        let scratch = tmp(tag);
        // Absent until the command creates it.
        let dir = scratch.path().join("out");
        let mut a = vec!["validate"];
        for n in navs {
            a.extend(["--nav", n]);
        }
        let out_dir = dir.to_str().unwrap().to_string();
        a.extend([
            "--sp3",
            sp3.to_str().unwrap(),
            "--systems",
            "R",
            "--start",
            "2023-01-01T00:00:00",
            "--end",
            "2023-01-01T00:10:00",
            "--step",
            "300",
            "--out",
            &out_dir,
        ]);
        let out = run(&a);
        assert!(out.status.success(), "{}", text(&out.stderr));
        // The ephemeris availability of both sources, figure and table.
        for f in [
            "availability_broadcast.png",
            "availability_broadcast.csv",
            "availability_precise.png",
            "availability_precise.csv",
        ] {
            assert!(dir.join(f).is_file(), "{f} missing");
        }
        let csv = std::fs::read_to_string(dir.join("validation_per_sat.csv")).unwrap();
        let mut lines = csv.lines();
        let head: Vec<&str> = lines.next().unwrap().split(',').collect();
        let k = head.iter().position(|h| *h == "skipped_test").unwrap();
        lines
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[0].to_string(), f[k].parse().unwrap())
            })
            .collect()
    };
    let one = skipped(&[d365.to_str().unwrap()], "validate-one");
    // 21 GLONASS satellites in WUM (SOURCES.md).
    assert_eq!(one.len(), 21);
    for (sat, n) in &one {
        assert!(*n >= 2, "{sat} with the 2022-12-31 file alone: {n}");
    }
    let glob = d001.parent().unwrap().join("BRDC00IGS_R_*");
    let two = skipped(
        &[d001.to_str().unwrap(), d365.to_str().unwrap()],
        "validate-two",
    );
    let globbed = skipped(&[glob.to_str().unwrap()], "validate-glob");
    assert_eq!(two, globbed);
    for (sat, n) in &two {
        let want = if sat == "R25" { 3 } else { 0 };
        assert_eq!(*n, want, "{sat} with both days");
    }

    // Long span from both days: seeded at the end of the merged data (the 2023-01-01 file's
    // last records), it serves 2023-01-02 like the one-file seed.
    let out = run(&[
        "satpos",
        "--nav",
        d365.to_str().unwrap(),
        "--nav",
        d001.to_str().unwrap(),
        "--longspan-days",
        "0.5",
        "--sats",
        "C20,R07",
        "--start",
        "2023-01-02T02:00:00",
        "--end",
        "2023-01-02T03:00:00",
        "--step",
        "1800",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    // 2 satellites × 3 epochs.
    assert_eq!(csv.lines().count(), 1 + 6, "{csv}");
    assert!(csv.contains("longspan:"), "{csv}");
}
