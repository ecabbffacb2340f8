//! What every subcommand shares at its door: a closed stdout ends it quietly with status 0,
//! and every date flag reads the one epoch syntax `ISO-8601 [SCALE]`.

use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
}

/// Run with stdout a pipe whose reading end is already closed (`gnss-interop … | head` after
/// `head` has exited): every write gets EPIPE.
fn run_into_closed_pipe(args: &[&str]) -> std::process::Output {
    let mut child = bin()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn closed_stdout_exits_quietly_with_status_0() {
    let out_dir = tempfile::tempdir().unwrap();
    let cov = out_dir.path().join("cov");
    let cov = cov.to_str().unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["time", "--at", "2023-01-01T00:00:00"],
        vec!["network"],
        vec![
            "satpos",
            "--nominal",
            "--start",
            "2023-01-01T00:00:00",
            "--end",
            "2023-01-01T06:00:00",
            "--step",
            "60",
        ],
        vec![
            "dop",
            "--nominal",
            "--site",
            "30,114,0",
            "--start",
            "2023-01-01T00:00:00",
            "--end",
            "2023-01-01T06:00:00",
            "--step",
            "60",
        ],
        vec![
            "coverage",
            "--nominal",
            "--start",
            "2023-01-01T00:00:00",
            "--end",
            "2023-01-01T01:00:00",
            "--step",
            "1800",
            "--grid-step",
            "30",
            "--out",
            cov,
        ],
    ];
    for args in &cases {
        let out = run_into_closed_pipe(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "{args:?}: status {:?}, stderr:\n{stderr}",
            out.status
        );
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
    }
}

mod common;

fn ok(args: &[&str]) -> std::process::Output {
    let out = bin().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

// Scale offsets in 2023 (exact, integer seconds): TAI − UTC = 37 s (IERS Bulletin C),
// GPST = TAI − 19 s (IS-GPS-200), BDT = TAI − 33 s (BDS SIS ICD): 00:00:00 UTC is
// 00:00:18 GPST and 00:00:04 BDT.

#[test]
fn time_reads_a_scale_suffix() {
    let o = ok(&["time", "--at", "2023-01-01T00:00:18 GPST", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let text = v.to_string();
    assert!(text.contains("2023-01-01T00:00:00"), "{text}");
    assert_eq!(v["input"]["scale"], "GPST", "{text}");
    // The suffix wins over --scale; Z with another suffix is refused.
    let o2 = ok(&[
        "time",
        "--at",
        "2023-01-01T00:00:18 GPST",
        "--scale",
        "BDT",
        "--json",
    ]);
    assert_eq!(stdout(&o), stdout(&o2));
    let bad = bin()
        .args(["time", "--at", "2023-01-01T00:00:00Z BDT"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
}

#[test]
fn satpos_reads_a_scale_suffix() {
    let with_flag = ok(&[
        "satpos",
        "--nominal",
        "--start",
        "2023-01-01T00:00:00",
        "--end",
        "2023-01-01T00:10:00",
        "--step",
        "300",
        "--scale",
        "BDT",
    ]);
    let with_suffix = ok(&[
        "satpos",
        "--nominal",
        "--start",
        "2023-01-01T00:00:00 BDT",
        "--end",
        "2023-01-01T00:10:00 BDT",
        "--step",
        "300",
    ]);
    assert_eq!(stdout(&with_flag), stdout(&with_suffix));
    assert!(!stdout(&with_flag).is_empty());
}

/// `dop` rows without the epoch column.
fn dop_values(start: &str, end: &str) -> Vec<String> {
    let o = ok(&[
        "dop",
        "--nominal",
        "--site",
        "30,114,0",
        "--start",
        start,
        "--end",
        end,
        "--step",
        "600",
    ]);
    stdout(&o)
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{},{}", f[0], f[2..].join(","))
        })
        .collect()
}

#[test]
fn dop_and_coverage_read_a_scale_suffix() {
    let utc = dop_values("2023-01-01T00:00:00", "2023-01-01T01:00:00 UTC");
    let gpst = dop_values("2023-01-01T00:00:18 GPST", "2023-01-01T01:00:18 GPST");
    let bdt = dop_values("2023-01-01T00:00:04BDT", "2023-01-01T01:00:04 BDT");
    assert_eq!(utc.len(), 7);
    assert_eq!(utc, gpst);
    assert_eq!(utc, bdt);

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cov");
    ok(&[
        "coverage",
        "--nominal",
        "--start",
        "2023-01-01T00:00:18 GPST",
        "--end",
        "2023-01-01T01:00:18 GPST",
        "--step",
        "1800",
        "--grid-step",
        "30",
        "--out",
        out.to_str().unwrap(),
    ]);
    let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(summary.contains("2023-01-01T00:00:18 GPST"), "{summary}");
}

#[test]
fn network_commands_read_a_scale_suffix() {
    let dir = tempfile::tempdir().unwrap();
    let track = |start: &str, name: &str| {
        let d = dir.path().join(name);
        ok(&[
            "monitor",
            "--nominal",
            "--start",
            start,
            "--hours",
            "3",
            "--step-s",
            "900",
            "--systems",
            "R",
            "--network",
            "glonass-baseline",
            "--out",
            d.to_str().unwrap(),
        ]);
        std::fs::read_to_string(d.join("tracking.csv")).unwrap()
    };
    assert_eq!(
        track("2023-01-01T00:00:00", "utc"),
        track("2023-01-01T00:00:04 BDT", "bdt")
    );
    let d = dir.path().join("cmp");
    ok(&[
        "compare-layouts",
        "--nominal",
        "--start",
        "2023-01-01T00:00:18 GPST",
        "--hours",
        "3",
        "--step-s",
        "900",
        "--systems",
        "C",
        "--baseline",
        "bds-baseline",
        "--augmented",
        "bds-domestic",
        "--out",
        d.to_str().unwrap(),
    ]);
    let d = dir.path().join("opt");
    ok(&[
        "optimize",
        "--nominal",
        "--start",
        "2023-01-01T00:00:04 BDT",
        "--hours",
        "3",
        "--step-s",
        "900",
        "--systems",
        "C",
        "--base",
        "bds-baseline",
        "--lattice=-60,60,-180,120,60",
        "--candidate-systems",
        "C",
        "--k",
        "1",
        "--out",
        d.to_str().unwrap(),
    ]);
}

#[test]
fn scenario_run_reads_a_scale_suffix() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    std::fs::write(
        &file,
        "name = \"doors\"\n[time]\nstart = \"2023-01-01T00:00:18 GPST\"\nend = \"2023-01-01T01:00:04 BDT\"\nstep_s = 1800\n[orbits]\nsource = \"nominal\"\nsystems = [\"C\", \"R\"]\n[[sites]]\nname = \"wuhan\"\nlat_deg = 30\nlon_deg = 114\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    ok(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
}

#[test]
fn file_commands_read_a_scale_suffix() {
    let (Some(nav), Some(sp3), Some(clk)) = (
        common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx"),
        common::data_file("sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3"),
        common::data_file("clk/WUM0MGXFIN_20230010000_01D_30S_CLK.CLK"),
    ) else {
        return;
    };
    ok(&[
        "validate",
        "--nav",
        nav.to_str().unwrap(),
        "--sp3",
        sp3.to_str().unwrap(),
        "--start",
        "2023-01-01T01:00:00 BDT",
        "--end",
        "2023-01-01T02:00:00 UTC",
        "--step",
        "900",
    ]);
    ok(&[
        "timescales",
        "--nav",
        nav.to_str().unwrap(),
        "--clk",
        clk.to_str().unwrap(),
        // 00:00:30 GPST, a node of the 30 s clock product (BDT = GPST − 14 s).
        "--start",
        "2023-01-01T00:00:16 BDT",
        "--end",
        "2023-01-01T04:00:00 GLONASST", // 01:00 UTC (GLONASST = UTC + 3 h)
        "--step",
        "1800",
    ]);
}

/// `dop` at one site over an hour, with extra flags.
fn dop_with(extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "dop",
        "--nominal",
        "--site",
        "30,114,0",
        "--start",
        "2023-01-01T00:00:00",
        "--end",
        "2023-01-01T01:00:00",
        "--step",
        "600",
    ];
    args.extend_from_slice(extra);
    ok(&args)
}

#[test]
fn defaults_are_the_same_at_every_door() {
    use gnss_interop::coverage::CoverageConfig;
    use gnss_interop::defaults;
    use gnss_interop::network::StudySettings;
    use gnss_interop::scenario::UserConfig;
    let t0 = hifitime::Epoch::from_gregorian_utc_hms(2023, 1, 1, 0, 0, 0);
    let cov = CoverageConfig::new(vec![], t0, t0, hifitime::Unit::Second * 300);
    let user = UserConfig::default();
    let study = StudySettings::default();
    // One mask type at every door (`geometry::ElevationMask`, re-exported by `scenario`).
    assert_eq!(user.mask, cov.mask);
    for mask in [
        cov.mask.lowest_deg(),
        user.mask.lowest_deg(),
        study.user_mask.lowest_deg(),
    ] {
        assert_eq!(mask, defaults::USER_MASK_DEG);
    }
    for pdop in [
        cov.availability_pdop_max,
        user.pdop_threshold,
        study.availability_pdop_max,
    ] {
        assert_eq!(pdop, defaults::AVAILABILITY_PDOP_MAX);
    }
    // The command line: no --mask is the library's mask, no --step the library's step.
    let mask = defaults::USER_MASK_DEG.to_string();
    assert_eq!(
        stdout(&dop_with(&[])),
        stdout(&dop_with(&["--mask", &mask]))
    );
    let step = defaults::STEP_S.to_string();
    let sat = |extra: &[&str]| {
        let mut a = vec![
            "satpos",
            "--nominal",
            "--start",
            "2023-01-01T00:00:00",
            "--end",
            "2023-01-01T00:30:00",
        ];
        a.extend_from_slice(extra);
        stdout(&ok(&a))
    };
    assert_eq!(sat(&[]), sat(&["--step", &step]));
}

#[test]
fn one_clock_syntax_with_sigma_in_ns() {
    let per_system = dop_with(&["--clock", "per-system"]);
    let old = dop_with(&["--clock", "per-constellation"]);
    assert_eq!(stdout(&per_system), stdout(&old));
    assert!(String::from_utf8_lossy(&old.stderr).contains("per-system"));
    // 2.99792458 m is exactly 10 ns of light travel (c = 299 792 458 m/s, SI definition).
    let ns = dop_with(&["--clock", "known-offset", "--isb-sigma-ns", "10"]);
    let old = dop_with(&["--clock", "known-offsets:2.99792458"]);
    assert_eq!(stdout(&ns), stdout(&old));
    assert!(String::from_utf8_lossy(&old.stderr).contains("--isb-sigma-ns 10.0000"));
    assert_ne!(stdout(&ns), stdout(&per_system));
}
