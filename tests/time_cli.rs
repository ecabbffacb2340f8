//! The done criterion: `gnss-interop time --at 2023-01-01T00:00:00 --scale GPST --nav
//! <data>/nav/BRDC00IGS_R_20230010000_01D_MN.rnx` prints correct values.
#![cfg(feature = "cli")]

mod common;

use std::process::Command;

#[test]
fn time_command_on_the_igs_file() {
    let Some(nav) = common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx") else {
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
        .args([
            "time",
            "--at",
            "2023-01-01T00:00:00",
            "--scale",
            "GPST",
            "--json",
            "--nav",
        ])
        .arg(&nav)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // GPST − UTC = 18 s, BDT = GPST − 14 s, GLONASST = UTC + 3 h (IS-GPS-200, BDS ICD, GLONASS ICD).
    assert_eq!(v["scales"]["UTC"], "2022-12-31T23:59:42");
    assert_eq!(v["scales"]["TAI"], "2023-01-01T00:00:19");
    assert_eq!(v["scales"]["BDT"], "2022-12-31T23:59:46");
    assert_eq!(v["scales"]["GLONASST"], "2023-01-01T02:59:42");
    // GPS week 2243 day 0 (data/SOURCES.md); BDT week = 2243 − 1356 − 1 at SOW 604 786.
    assert_eq!(v["gps"]["week"], 2243);
    assert_eq!(v["gps"]["sow_s"], 0.0);
    assert_eq!(v["bdt"]["week"], 886);
    assert_eq!(v["bdt"]["sow_s"], 604_786.0);
    // N4 = 7 (2020–2023), N_T = 366 + 365 + 365 + 1 = 1097, 02:59:42 = 10 782 s.
    assert_eq!(v["glonass"]["n4"], 7);
    assert_eq!(v["glonass"]["nt"], 1097);
    assert_eq!(v["glonass"]["tod_s"], 10_782.0);
    // Six TIME SYSTEM CORR lines, quoted in data/SOURCES.md; LEAP SECONDS 18.
    assert_eq!(v["offsets"].as_array().unwrap().len(), 6);
    assert_eq!(v["leap_seconds_header"]["current_s"], 18);
    let r = &v["reconciliation_bdt_minus_glonasst"];
    assert_eq!(r["nominal_s"], -10_796.0);
    assert!(r["via_utc_s"].is_number() && r["via_gpst_s"].is_null() && r["direct_s"].is_null());

    // The table form runs too and mentions each scale (a 2016 instant with a 2023 file: the
    // offsets are extrapolated six years only on request).
    let out = Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
        .args([
            "time",
            "--at",
            "2016-12-31T23:59:60",
            "--extrapolate",
            "--nav",
        ])
        .arg(&nav)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("2016-12-31T23:59:60") && text.contains("2017-01-01T02:59:60"),
        "{text}"
    );
}

#[test]
fn time_command_rejects_bad_input() {
    for args in [
        vec!["time", "--at", "2023-02-29T00:00:00"],
        vec!["time", "--at", "2023-01-01T00:00:00", "--scale", "GAL"],
        vec![
            "time",
            "--at",
            "2023-01-01T00:00:00",
            "--nav",
            "no/such/file.rnx",
        ],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
            .args(&args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).starts_with("error:"),
            "{args:?}"
        );
    }
}

/// `time --nav FILE.rnx.gz` reads the gzip file through the one navigation reader (it used to
/// fail and print compressed bytes); the 2022-12-31 IGS header has the GPUT, BDUT and GLUT
/// lines of an IGS merge and LEAP SECONDS 18.
#[test]
fn time_command_reads_a_gzip_file() {
    let Some(nav) = common::data_file("nav/BRDC00IGS_R_20223650000_01D_MN.rnx.gz") else {
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
        .args([
            "time",
            "--at",
            "2022-12-31T12:00:00",
            "--scale",
            "GPST",
            "--json",
            "--nav",
        ])
        .arg(&nav)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = v["offsets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    for code in ["GPUT", "BDUT", "GLUT"] {
        assert!(codes.contains(&code), "{codes:?}");
    }
    assert_eq!(v["leap_seconds_header"]["current_s"], 18);
}

/// `--nav` repeated: the offsets of both IGS days are one list; at 2023-01-01T00:30 GPST the
/// BDUT of the 2023 file (a0 = −4.6566128731e-9 s, reference BDT week 886 SOW 604 745, i.e.
/// 2022-12-31T23:59:19 GPST; data/SOURCES.md) is used, not the day-before one.
#[test]
fn time_command_merges_repeated_nav_files() {
    let (Some(a), Some(b)) = (
        common::data_file("nav/BRDC00IGS_R_20223650000_01D_MN.rnx.gz"),
        common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx"),
    ) else {
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
        .args([
            "time",
            "--at",
            "2023-01-01T00:30:00 GPST",
            "--json",
            "--nav",
        ])
        .arg(&a)
        .arg("--nav")
        .arg(&b)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let bdut: Vec<&serde_json::Value> = v["offsets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["code"] == "BDUT")
        .collect();
    assert_eq!(bdut.len(), 2, "{bdut:?}");
    let used: Vec<_> = bdut.iter().filter(|o| o["selected"] == true).collect();
    assert_eq!(used.len(), 1);
    assert_eq!(used[0]["a0_s"], -4.6566128731e-9);
    assert_eq!(used[0]["t_ref"], "2022-12-31T23:59:19 GPST");
}
