//! Shared helpers of the integration tests: where the real public data are.
#![allow(dead_code)]

use std::path::PathBuf;

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
