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
