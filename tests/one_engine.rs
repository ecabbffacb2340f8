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
