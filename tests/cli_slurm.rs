//! On a real one-node Slurm cluster (started by `ci/slurm/cluster.sh`): the reduced flagship
//! scenario with a layout search runs as a 4-task job array plus a merge job
//! (`gnss-interop slurm --submit`), and the merged output equals a single-process run byte
//! for byte; resubmitting one shard skips it (already done) and merges again.
//!
//! Needs root, Slurm (`slurm-wlm`) and munge; without them the test prints SKIPPED, unless
//! `GNSS_INTEROP_REQUIRE_SLURM=1` (set by CI), which makes their absence a failure.

mod common;
mod shard_support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use shard_support::{assert_same_outputs, scratch};

fn required() -> bool {
    std::env::var_os("GNSS_INTEROP_REQUIRE_SLURM").is_some_and(|v| !v.is_empty() && v != "0")
}

fn skip(why: &str) {
    assert!(
        !required(),
        "Slurm required (GNSS_INTEROP_REQUIRE_SLURM) but {why}"
    );
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED: cli_slurm: {why}");
}

fn have(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The cluster, stopped (by the process ids its script recorded) when dropped.
struct Cluster {
    state: PathBuf,
    conf: String,
}

impl Cluster {
    fn start(state: &Path) -> Result<Cluster, String> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("ci/slurm/cluster.sh");
        let o = Command::new(&script)
            .arg("start")
            .arg(state)
            .output()
            .map_err(|e| e.to_string())?;
        let out = String::from_utf8_lossy(&o.stdout);
        let conf = out
            .lines()
            .find_map(|l| l.strip_prefix("export SLURM_CONF="))
            .map(str::to_string);
        match (o.status.success(), conf) {
            (true, Some(conf)) => Ok(Cluster {
                state: state.to_path_buf(),
                conf,
            }),
            _ => Err(format!(
                "cluster did not start: {}{}",
                out,
                String::from_utf8_lossy(&o.stderr)
            )),
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("ci/slurm/cluster.sh");
        let _ = Command::new(script).arg("stop").arg(&self.state).status();
    }
}

fn gnss(args: &[&str], cwd: &Path, conf: &str, data: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gnss-interop"))
        .args(args)
        .current_dir(cwd)
        .env("SLURM_CONF", conf)
        .env("GNSS_INTEROP_DATA", data)
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap()
}

fn ok(o: &std::process::Output) -> String {
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

/// Wait until the job has left the queue.
fn wait_for(job: &str, conf: &str, logs: &Path) {
    let t0 = Instant::now();
    loop {
        let o = Command::new("squeue")
            .args(["-h", "-j", job, "-o", "%i %T"])
            .env("SLURM_CONF", conf)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        if text.trim().is_empty() {
            return;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(900),
            "job {job} still queued after 15 min: {text}; logs in {}",
            logs.display()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn ids(stdout: &str) -> (String, String) {
    // "array job 12 (shards 1-4), merge job 13"
    let w: Vec<&str> = stdout.split_whitespace().collect();
    let array = w[2].to_string();
    let merge = w.last().unwrap().to_string();
    (array, merge)
}

#[test]
fn flagship_and_layout_search_as_a_slurm_array_merge_bit_identical() {
    let uid = Command::new("id").arg("-u").output().ok();
    let root = uid.is_some_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !(have("sbatch") && have("slurmctld") && have("slurmd") && have("munged")) {
        return skip("Slurm or munge is not installed (apt-get install slurm-wlm munge)");
    }
    if !root {
        return skip("starting a one-node cluster needs root");
    }
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = scratch("slurm");
    // The flagship, reduced (3 h at 600 s, 15° grid), plus an exhaustive layout search.
    let flagship = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/agreement_2022.toml"),
    )
    .unwrap();
    let mut text = flagship
        .replace(
            "end = \"2023-01-01T23:55:00 UTC\"",
            "end = \"2023-01-01T03:00:00 UTC\"",
        )
        .replace("step_s = 300", "step_s = 600")
        .replace("step_deg = 1\n", "step_deg = 15\n");
    assert_ne!(text, flagship, "the flagship's span or grid lines changed");
    text += &format!(
        "\n[layout_search]\nsystem = \"C\"\ncandidates = \"{}\"\ncountries = [\"RUS\", \"MNG\"]\n\
         k = 2\nobjective = \"longest-gap\"\nmethod = \"both\"\n",
        data.join("stations/candidates.csv").display()
    );
    let file = dir.path().join("flagship_small.toml");
    std::fs::write(&file, &text).unwrap();

    let cluster = match Cluster::start(&dir.path().join("cluster")) {
        Ok(c) => c,
        Err(e) => {
            assert!(!required(), "{e}");
            return skip(&e);
        }
    };
    let conf = cluster.conf.clone();

    let single = dir.path().join("single");
    ok(&gnss(
        &["run", "flagship_small.toml", "--out", "single", "--quiet"],
        dir.path(),
        &conf,
        &data,
    ));

    let out = dir.path().join("cluster-out");
    // Submit (extra arguments appended) and wait for the array and the merge job.
    let submit_and_wait = |extra: &[&str]| {
        let mut args = vec![
            "slurm",
            "flagship_small.toml",
            "--tasks",
            "4",
            "--out",
            "cluster-out",
            "--submit",
        ];
        args.extend_from_slice(extra);
        let o = ok(&gnss(&args, dir.path(), &conf, &data));
        let (array, merge) = ids(&o);
        wait_for(&array, &conf, &out.join("slurm"));
        wait_for(&merge, &conf, &out.join("slurm"));
    };
    submit_and_wait(&["--cpus-per-task", "1"]);
    assert!(
        out.join("report.md").is_file(),
        "no merged report; logs: {}",
        std::fs::read_to_string(out.join("slurm/merge.log")).unwrap_or_default()
    );
    for k in 1..=4 {
        assert!(out.join(format!("shard-{k}/partial.json.gz")).is_file());
    }
    assert_same_outputs(&single, &out, "Slurm array of 4 shards");

    // Resubmitting shard 3 alone: the task finds its result and skips; the merge reruns.
    submit_and_wait(&["--shards", "3"]);
    let log = std::fs::read_to_string(out.join("slurm/shard-3.log")).unwrap();
    assert!(log.contains("already done"), "{log}");
    assert_same_outputs(&single, &out, "after resubmitting shard 3");
    drop(cluster);
}
