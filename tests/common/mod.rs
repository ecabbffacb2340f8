//! Shared helpers of the integration tests: where the real public data are.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Directory of the real public data: `$GNSS_INTEROP_DATA`, else `../shared/data` relative to
/// the crate root. Returns `None` (and says so on stderr) when it is missing, unless
/// `GNSS_INTEROP_REQUIRE_DATA` is set, in which case a missing directory is a test failure.
pub fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("GNSS_INTEROP_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("GNSS_INTEROP_REQUIRE_DATA").is_some_and(|v| !v.is_empty() && v != "0") {
        panic!(
            "real data required (GNSS_INTEROP_REQUIRE_DATA is set) but {} does not exist; \
             set GNSS_INTEROP_DATA to the data directory",
            dir.display()
        );
    }
    // Written to the stderr handle directly, not through `eprintln!`, so that the test harness
    // does not capture it: a skipped real-data test is visible in every run.
    use std::io::Write;
    let test = std::thread::current()
        .name()
        .unwrap_or("real-data test")
        .to_string();
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED: {test}: real data not found at {} (set GNSS_INTEROP_DATA)",
        dir.display()
    );
    None
}

/// A file below the data directory, or `None` when the directory is missing (see [`data_dir`]).
/// A missing file inside an existing data directory is always a failure.
pub fn data_file(rel: &str) -> Option<PathBuf> {
    let p = data_dir()?.join(rel);
    assert!(p.is_file(), "data file {} is missing", p.display());
    Some(p)
}

/// The header lines of an SP3 text (everything before the first `*` line) and its epoch
/// blocks (each `*` line with its records), without the `EOF` line.
pub fn split_sp3(text: &str) -> (Vec<&str>, Vec<Vec<&str>>) {
    let mut header = Vec::new();
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    for line in text.lines() {
        if line.starts_with("EOF") {
            break;
        }
        if line.starts_with('*') {
            blocks.push(vec![line]);
        } else if let Some(b) = blocks.last_mut() {
            b.push(line);
        } else {
            header.push(line);
        }
    }
    (header, blocks)
}

/// An SP3 text holding `blocks` under `header`, line 1's start epoch (columns 4–31) and epoch
/// count (columns 33–39) set to theirs, as the format requires.
pub fn write_sp3(path: &Path, header: &[&str], blocks: &[Vec<&str>]) {
    let mut out = String::new();
    for (i, h) in header.iter().enumerate() {
        if i == 0 {
            // Columns 4–31: first epoch (as on its '*' line); 33–39: number of epochs.
            let start = &blocks[0][0][3..31];
            out += &format!(
                "{}{start}{}{:>7}{}\n",
                &h[..3],
                &h[31..32],
                blocks.len(),
                &h[39..]
            );
        } else {
            out += h;
            out += "\n";
        }
    }
    for b in blocks {
        for l in b {
            out += l;
            out += "\n";
        }
    }
    out += "EOF\n";
    std::fs::write(path, out).unwrap();
}
