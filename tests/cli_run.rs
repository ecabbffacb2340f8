//! End to end: `gnss-interop run` on a small scenario writes the report, tables, JSON and
//! PNG figures that decode; `--force` governs overwriting another scenario's output.

use std::path::Path;
use std::process::Command;

const SMALL: &str = r#"
name = "cli_small"
description = "A small end-to-end scenario for the CLI test."
[time]
start = "2023-01-01T00:00:00 UTC"
end = "2023-01-01T02:00:00 UTC"
step_s = 900
[orbits]
source = "nominal"
systems = ["C", "R"]
[user]
mask_deg = 10
[grid]
step_deg = 30
[[sites]]
name = "wuhan"
lat_deg = 30.5
lon_deg = 114.3
[networks]
baseline = ["bds-domestic"]
augmented = ["bds-russia-2022"]
[outputs]
maps = true
sky_plot_site = "wuhan"
series_sites = ["wuhan"]
"#;

fn scratch(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("gnss-interop-cli-{tag}-"))
        .tempdir()
        .unwrap()
}

fn gnss(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

#[test]
fn run_writes_report_tables_json_and_decodable_pngs() {
    let dir = scratch("run");
    let file = dir.path().join("small.toml");
    std::fs::write(&file, SMALL).unwrap();
    let o = gnss(&["run", "small.toml", "--quiet"], dir.path());
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Default directory: out/<scenario name>/, and the command says where the report is.
    let out = dir.path().join("out/cli_small");
    assert!(
        stdout.contains("report: out/cli_small/report.md"),
        "{stdout}"
    );
    for f in [
        "report.md",
        "results.json",
        "scenario.json",
        "scenario.toml",
        "coverage/points.csv",
        "site_series.csv",
        "tracking_satellites.csv",
        "networks/beidou/cells.csv",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    // Every figure the report embeds exists and decodes as a PNG of a sensible size.
    let mut figures = 0;
    for line in md.lines().filter(|l| l.starts_with("![")) {
        let rel = &line[line.find("](").unwrap() + 2..line.len() - 1];
        let img = image::open(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert!(img.width() >= 400 && img.height() >= 400, "{rel}");
        figures += 1;
    }
    assert!(figures >= 10, "only {figures} figures embedded");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(json["scenario"]["name"], "cli_small");
    assert!(json["scenario"]["software"]
        .as_str()
        .unwrap()
        .starts_with("gnss-interop "));
}

#[test]
fn run_refuses_another_scenarios_directory_without_force() {
    let dir = scratch("force");
    let small: String = SMALL
        .replace("[grid]\nstep_deg = 30\n", "")
        .replace("maps = true\n", "");
    std::fs::write(dir.path().join("a.toml"), &small).unwrap();
    std::fs::write(
        dir.path().join("b.toml"),
        small.replace("cli_small", "cli_other"),
    )
    .unwrap();
    let o = gnss(&["run", "a.toml", "--out", "res", "-q"], dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = gnss(&["run", "b.toml", "--out", "res", "-q"], dir.path());
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cli_small") && err.contains("--force"),
        "{err}"
    );
    let o = gnss(
        &["run", "b.toml", "--out", "res", "-q", "--force"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let marker = std::fs::read_to_string(dir.path().join("res/scenario.json")).unwrap();
    assert!(marker.contains("cli_other"));
}

/// Shards run beside the scenario file with a relative path (`run study.toml --shard K/N` in
/// its folder) merge: the scenario read from a file does not depend on the working directory,
/// so the merge step, which rebuilds it from the embedded text and folder, finds the same
/// scenario. The merged grid equals a single run's.
#[test]
fn shards_run_with_a_relative_path_merge() {
    let dir = scratch("relative");
    std::fs::write(dir.path().join("study.toml"), SMALL).unwrap();
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
            .current_dir(dir.path())
            .args(args)
            .arg("--quiet")
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    run(&["run", "study.toml", "--shard", "1/2", "--out", "s1"]);
    run(&["run", "study.toml", "--shard", "2/2", "--out", "s2"]);
    run(&["merge", "s1", "s2", "--out", "merged"]);
    run(&["run", "study.toml", "--out", "single"]);
    let read = |d: &str| std::fs::read(dir.path().join(d).join("coverage/points.csv")).unwrap();
    assert!(read("merged") == read("single"));
}
