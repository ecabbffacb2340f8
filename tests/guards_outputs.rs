//! No silent wrong answers at the doors: contained and atomic outputs (path traversal, an
//! interrupted run, `--force`, errors after the run started), the size guards of every
//! subcommand, empty results, negative numbers, `Z` = UTC and offset extrapolation.
//! Mutated inputs are made at test time in temporary directories.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use gnss_interop::outdir::{Manifest, MANIFEST_FILE};

fn scratch(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("gnss-guards-{tag}-"))
        .tempdir()
        .unwrap()
}

fn gnss(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A clean refusal: exit code 1, a message containing `needle`, no panic, no abort.
fn refused(o: &Output, needle: &str) {
    let all = text(o);
    assert_eq!(o.status.code(), Some(1), "{all}");
    assert!(!all.contains("panicked"), "{all}");
    assert!(all.contains(needle), "expected '{needle}' in: {all}");
}

/// Every file below `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    fn rec(base: &Path, d: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                rec(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut v = Vec::new();
    if dir.is_dir() {
        rec(dir, dir, &mut v);
    }
    v.sort();
    v
}

/// The output directory is complete per its manifest: every listed file with its size and
/// hash, and nothing else but the manifest.
fn complete(out: &Path) -> Manifest {
    let m = Manifest::read(out).expect("a manifest");
    m.verify(out).unwrap();
    let mut listed: Vec<String> = m.files.iter().map(|f| f.path.clone()).collect();
    listed.push(MANIFEST_FILE.to_string());
    listed.sort();
    assert_eq!(files(out), listed);
    m
}

const SMALL: &str = r#"
name = "guards"
[time]
start = "2023-01-01T00:00:00 UTC"
end = "2023-01-01T01:00:00 UTC"
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
[outputs]
maps = false
"#;

#[test]
fn a_site_named_to_escape_writes_nothing_outside_out() {
    let dir = scratch("traversal");
    let deep = dir.path().join("a/b/c/d");
    std::fs::create_dir_all(&deep).unwrap();
    let s = SMALL
        .replace("name = \"wuhan\"", "name = \"../../../../victim\"")
        .replace(
            "maps = false",
            "maps = true\nsky_plot_site = \"../../../../victim\"",
        );
    std::fs::write(deep.join("s.toml"), s).unwrap();
    let o = gnss(&["run", "s.toml", "--out", "res", "-q"], &deep);
    assert!(o.status.success(), "{}", text(&o));
    let out = deep.join("res");
    complete(&out);
    let escaped: Vec<String> = files(dir.path())
        .into_iter()
        .filter(|f| f.contains("victim") && !f.starts_with("a/b/c/d/res/"))
        .collect();
    assert!(escaped.is_empty(), "{escaped:?}");
    assert!(
        out.join("figures/sky_victim.png").is_file(),
        "{:?}",
        files(&out)
    );
}

#[test]
fn an_interrupted_run_leaves_the_previous_output_intact() {
    let dir = scratch("interrupt");
    std::fs::write(dir.path().join("s.toml"), SMALL).unwrap();
    let o = gnss(&["run", "s.toml", "--out", "res", "-q"], dir.path());
    assert!(o.status.success(), "{}", text(&o));
    let out = dir.path().join("res");
    let before = complete(&out);
    // A run long enough to be caught in a stage: a 2° grid over a day.
    let slow = SMALL
        .replace(
            "end = \"2023-01-01T01:00:00 UTC\"",
            "end = \"2023-01-02T00:00:00 UTC\"",
        )
        .replace("step_s = 900", "step_s = 300")
        .replace("step_deg = 30", "step_deg = 2");
    std::fs::write(dir.path().join("s.toml"), slow).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
        .args(["run", "s.toml", "--out", "res", "-q"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Stage boundary: the marker is the first file of the staging directory, written before
    // the first stage starts.
    let t0 = Instant::now();
    let staged = loop {
        let found = std::fs::read_dir(dir.path()).unwrap().flatten().find(|e| {
            e.file_name().to_string_lossy().starts_with(".res.staging-")
                && e.path().join("scenario.json").is_file()
        });
        if let Some(e) = found {
            break e.path();
        }
        assert!(child.try_wait().unwrap().is_none(), "the run ended first");
        assert!(
            t0.elapsed() < Duration::from_secs(120),
            "no staging directory"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before the kill"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    // The previous output is complete and unchanged; the new one is only in the staging
    // directory beside it.
    let after = complete(&out);
    assert_eq!(before, after);
    assert!(staged.is_dir());
    // The next run cleans the leftover.
    std::fs::write(dir.path().join("s.toml"), SMALL).unwrap();
    let o = gnss(&["run", "s.toml", "--out", "res", "-q"], dir.path());
    assert!(o.status.success(), "{}", text(&o));
    assert!(!staged.exists());
    complete(&out);
}

#[test]
fn force_removes_exactly_the_previous_manifests_files() {
    let dir = scratch("force");
    // A: coverage with maps; B: another scenario without maps (fewer files).
    std::fs::write(
        dir.path().join("a.toml"),
        SMALL.replace("maps = false", "maps = true"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.toml"),
        SMALL.replace("\"guards\"", "\"guards_b\""),
    )
    .unwrap();
    assert!(gnss(&["run", "a.toml", "--out", "res", "-q"], dir.path())
        .status
        .success());
    let out = dir.path().join("res");
    let a = complete(&out);
    // Not without --force.
    let o = gnss(&["run", "b.toml", "--out", "res", "-q"], dir.path());
    refused(&o, "--force");
    assert_eq!(complete(&out), a);
    // A file no manifest lists is never deleted, even with --force.
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let o = gnss(
        &["run", "b.toml", "--out", "res", "-q", "--force"],
        dir.path(),
    );
    refused(&o, "notes.txt");
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
    std::fs::remove_file(out.join("notes.txt")).unwrap();
    // With --force: A's files are gone, exactly B's are there.
    let o = gnss(
        &["run", "b.toml", "--out", "res", "-q", "--force"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", text(&o));
    let b = complete(&out);
    assert!(b.producer.contains("guards_b"));
    assert!(b.scenario_sha256.is_some());
    let only_a: Vec<_> = a
        .files
        .iter()
        .filter(|f| !b.files.iter().any(|g| g.path == f.path))
        .collect();
    assert!(!only_a.is_empty(), "A should have written files B does not");
    for f in only_a {
        assert!(!out.join(&f.path).exists(), "{} kept", f.path);
    }
}

#[test]
fn an_error_after_the_run_started_leaves_out_as_it_was() {
    let dir = scratch("late-error");
    let with_networks = SMALL.replace(
        "[outputs]",
        "[networks]\nbaseline = [\"bds-domestic\"]\naugmented = [\"bds-russia-2022\"]\n[outputs]",
    );
    std::fs::write(dir.path().join("s.toml"), &with_networks).unwrap();
    let o = gnss(&["run", "s.toml", "--out", "res", "-q"], dir.path());
    assert!(o.status.success(), "{}", text(&o));
    let out = dir.path().join("res");
    let before = complete(&out);
    // An unknown station id in `remove`.
    let bad = with_networks.replace(
        "augmented = [\"bds-russia-2022\"]",
        "augmented = [\"bds-russia-2022\"]\nremove = [\"NO-SUCH-STATION\"]",
    );
    std::fs::write(dir.path().join("s.toml"), bad).unwrap();
    let o = gnss(&["run", "s.toml", "--out", "res", "-q"], dir.path());
    refused(&o, "NO-SUCH-STATION");
    assert_eq!(complete(&out), before);
    // A navigation path pointing at an SP3 file.
    if let Some(sp3) = common::data_file("sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3") {
        let bad = with_networks.replace(
            "source = \"nominal\"",
            &format!("source = \"nav\"\nnav = {:?}", sp3.to_string_lossy()),
        );
        std::fs::write(dir.path().join("s.toml"), bad).unwrap();
        let o = gnss(&["run", "s.toml", "--out", "res", "-q"], dir.path());
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert!(!text(&o).contains("panicked"));
        assert_eq!(complete(&out), before);
    }
    assert_eq!(
        std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".res."))
            .count(),
        0,
        "a staging directory was left behind"
    );
}

const SPAN: [&str; 4] = [
    "--start",
    "2023-01-01T00:00:00",
    "--end",
    "2023-01-01T01:00:00",
];

#[test]
fn every_door_has_the_size_guards() {
    let dir = scratch("limits");
    let run = |args: &[&str]| gnss(args, dir.path());
    let net = ["--nominal", "--network", "bds-russia-2022", "--out", "m"];
    refused(
        &run(&[&["monitor", "--hours", "NaN"], &net[..]].concat()),
        "finite",
    );
    refused(
        &run(&[&["monitor", "--hours", "1e9"], &net[..]].concat()),
        "at most 100000",
    );
    refused(
        &run(&[&["monitor", "--step-s", "-300"], &net[..]].concat()),
        "-300",
    );
    let cov = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut v = vec!["coverage", "--nominal"];
        v.extend_from_slice(&SPAN);
        v.extend_from_slice(&["--out", "c"]);
        v.extend_from_slice(extra);
        v
    };
    refused(&run(&cov(&["--grid-step", "0.001"])), "at most 10000000");
    refused(
        &run(&cov(&["--grid-step", "30", "--threads", "100000"])),
        "threads",
    );
    refused(&run(&cov(&["--grid-step", "30", "--step", "-300"])), "-300");
    refused(
        &run(&[
            "compare-layouts",
            "--nominal",
            "--grid-deg",
            "0.001",
            "--out",
            "x",
        ]),
        "at most 10000000",
    );
    refused(
        &run(&[
            "optimize",
            "--nominal",
            "--lattice",
            "40,60,30,150,0.001",
            "--k",
            "2",
            "--out",
            "o",
        ]),
        "at most 10000000",
    );
    refused(
        &run(&[&["satpos", "--nominal", "--step", "-300"], &SPAN[..]].concat()),
        "-300",
    );
    // Nothing was written by any refusal.
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
}

#[test]
fn empty_results_are_refused_unless_allowed() {
    let dir = scratch("empty");
    let mut args = vec![
        "coverage",
        "--nominal",
        "--systems",
        "G",
        "--grid-step",
        "30",
    ];
    args.extend_from_slice(&SPAN);
    args.extend_from_slice(&["--out", "c"]);
    refused(&gnss(&args, dir.path()), "empty result");
    assert!(!dir.path().join("c").exists());
    let mut sat = vec!["satpos", "--nominal", "--systems", "G", "--out", "s.csv"];
    sat.extend_from_slice(&SPAN);
    refused(&gnss(&sat, dir.path()), "empty result");
    assert!(!dir.path().join("s.csv").exists());
    sat.push("--allow-empty");
    assert!(gnss(&sat, dir.path()).status.success());
    assert!(dir.path().join("s.csv").is_file());
    // An existing file needs --force.
    refused(&gnss(&sat, dir.path()), "--force");
    // A header-only navigation file (the real file cut after END OF HEADER).
    if let Some(nav) = common::data_file("nav/BRDM00DLR_S_20230730000_01D_MN.rnx") {
        let t = std::fs::read_to_string(nav).unwrap();
        let end = t.find("END OF HEADER").unwrap();
        let cut = &t[..end + t[end..].find('\n').unwrap() + 1];
        std::fs::write(dir.path().join("header_only.rnx"), cut).unwrap();
        let o = gnss(
            &[
                "satpos",
                "--nav",
                "header_only.rnx",
                "--start",
                "2023-03-14T00:00:00",
                "--end",
                "2023-03-14T01:00:00",
                "--out",
                "h.csv",
            ],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert!(!dir.path().join("h.csv").exists());
    }
}

#[test]
fn z_means_utc_and_hour_24_is_refused() {
    let dir = scratch("z");
    let json = |at: &str, scale: &str| -> serde_json::Value {
        let o = gnss(
            &["time", "--at", at, "--scale", scale, "--json"],
            dir.path(),
        );
        assert!(o.status.success(), "{}", text(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    // 2023-01-01T00:00:00 UTC is 00:00:18 GPST (TAI − UTC = 37 s, GPST = TAI − 19 s: IS-GPS-200,
    // IERS Bulletin C).
    let z = json("2023-01-01T00:00:00Z", "GPST");
    let utc = json("2023-01-01T00:00:00", "UTC");
    assert_eq!(z["scales"], utc["scales"]);
    assert!(
        z["scales"]["GPST"]
            .as_str()
            .unwrap()
            .starts_with("2023-01-01T00:00:18"),
        "{z}"
    );
    refused(
        &gnss(&["time", "--at", "2023-01-01T24:00:00"], dir.path()),
        "24",
    );
}

#[test]
fn offsets_are_not_extrapolated_years_out_without_a_flag() {
    let Some(nav) = common::data_file("nav/BRDM00DLR_S_20230730000_01D_MN.rnx") else {
        return;
    };
    let dir = scratch("extrapolate");
    let nav = nav.to_string_lossy().into_owned();
    let o = gnss(
        &["time", "--at", "2030-01-01T00:00:00", "--nav", &nav],
        dir.path(),
    );
    refused(&o, "--extrapolate");
    let o = gnss(
        &[
            "time",
            "--at",
            "2030-01-01T00:00:00",
            "--nav",
            &nav,
            "--extrapolate",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = gnss(
        &["time", "--at", "2023-03-14T12:00:00", "--nav", &nav],
        dir.path(),
    );
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn scenario_messages_are_brief_and_without_follow_on_errors() {
    let text = r#"
name = "x"
[time]
start = "2023-01-01T00:00:00"
end = "2023-01-01T24:00:00"
step_s = 300
[orbits]
source = "nominal"
systems = ["C"]
[grid]
step_deg = 1e-300
[[sites]]
name = "a"
lat_deg = 100
lon_deg = 20
[outputs]
sky_plot_site = "a"
"#;
    let e = gnss_interop::scenario::Scenario::from_toml_str(text, Path::new("."))
        .unwrap_err()
        .to_string();
    assert!(e.contains("time.end") && e.contains("24:00:00"), "{e}");
    assert!(e.contains("1e-300°"), "{e}");
    assert!(e.contains("sites[0].lat_deg"), "{e}");
    // The bad site is reported once, not again where it is referred to.
    assert!(!e.contains("unknown site"), "{e}");
    for line in e.lines() {
        assert!(line.len() < 300, "long message line: {line}");
    }
}

#[test]
fn every_unknown_key_and_wrong_type_is_reported_at_once_with_its_place() {
    // Line numbers counted by hand in the text below (the first line is `name`).
    let text = r#"name = "x"
bogus = 1
[time]
start = "2023-01-01T00:00:00"
end = "2023-01-01T06:00:00"
step_s = "300"
typo = 2
[orbits]
source = "almanac"
systems = ["C", "R"]
[gird]
x = 1
[[sites]]
name = "a"
lat_deg = 100
lon_deg = 20
extra = { a = 1 }
[networks]
baseline = ["bds-domestic"]
augmented = ["bds-russia-2022"]
add = [{ id = "A", lat_deg = 10, lon_deg = 20, systems = ["C"], wrong = 3 }]
"#;
    let e = gnss_interop::scenario::Scenario::from_toml_str(text, Path::new(".")).unwrap_err();
    let problems = e.problems();
    let found: Vec<(String, Option<(usize, usize)>)> =
        problems.iter().map(|p| (p.key.clone(), p.at)).collect();
    for (key, line, column) in [
        ("bogus", 2, 1),
        ("time.step_s", 6, 10),
        ("time.typo", 7, 1),
        ("orbits.source", 9, 10),
        ("gird", 11, 2),
        ("sites[0].lat_deg", 15, 11),
        ("sites[0].extra", 17, 1),
        ("networks.add[0].wrong", 21, 65),
    ] {
        assert!(
            found.contains(&(key.to_string(), Some((line, column)))),
            "{key} at {line}:{column} missing from {found:?}"
        );
    }
    // No follow-on from the placeholders (step_s, source) nor a second report of a key.
    assert_eq!(problems.len(), 8, "{e}");
    assert!(e.to_string().contains("6:10: time.step_s"), "{e}");
}

#[test]
fn a_scenario_whose_orbits_miss_its_span_is_refused() {
    let Some(nav) = common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx") else {
        return;
    };
    let dir = scratch("other-day");
    // The navigation file of 2023-01-01 for a span on 2023-03-14: no state at all.
    let s = SMALL.replace("2023-01-01T0", "2023-03-14T0").replace(
        "source = \"nominal\"",
        &format!("source = \"nav\"\nnav = {:?}", nav.to_string_lossy()),
    );
    std::fs::write(dir.path().join("s.toml"), s).unwrap();
    let o = gnss(&["run", "s.toml", "--out", "res", "-q"], dir.path());
    refused(&o, "has no satellite state between");
    assert!(!dir.path().join("res").exists());
    // Missing data is not an empty result: --allow-empty does not turn a span without any
    // orbit data into a study of "no satellite visible"; it stays refused, nothing written.
    let o = gnss(
        &["run", "s.toml", "--out", "res", "-q", "--allow-empty"],
        dir.path(),
    );
    refused(&o, "no satellite has usable orbit data");
    assert!(!dir.path().join("res").exists());
}

#[test]
fn mutated_scenario_files_never_panic_the_loader() {
    let mut files: Vec<PathBuf> = Vec::new();
    for d in ["data/scenarios", "tests/scenarios_invalid"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(d);
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == "toml") {
                files.push(e.path());
            }
        }
    }
    let mut n = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for i in 0..lines.len() {
            let value_mutants: Vec<String> = match lines[i].split_once('=') {
                Some((k, _)) => ["\"x\"", "[1, \"é\"]", "{ q = 1 }", "true", "1e999", "-0"]
                    .iter()
                    .map(|v| format!("{k}= {v}"))
                    .collect(),
                None => vec![format!("{}é", lines[i])],
            };
            let mut mutants = vec![String::new(), format!("{}\nzz = 1", lines[i])];
            mutants.extend(value_mutants);
            for m in mutants {
                let mut l = lines.clone();
                l[i] = &m;
                let t = l.join("\n");
                let r = std::panic::catch_unwind(|| {
                    let _ = gnss_interop::scenario::Scenario::from_toml_str(&t, Path::new("."));
                });
                assert!(
                    r.is_ok(),
                    "{}: line {} → {m:?} panicked",
                    f.display(),
                    i + 1
                );
                n += 1;
            }
        }
    }
    assert!(n > 1000, "{n} mutants");
}
