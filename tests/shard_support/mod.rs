//! Shared by the sharding tests: scratch directories and the comparison of two output
//! directories file by file.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A fresh directory under the system's temporary directory, removed on drop.
pub fn scratch(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("gnss-interop-shards-{tag}-"))
        .tempdir()
        .unwrap()
}

/// Every file below `dir`, relative, sorted; shard directories and cluster files excluded.
pub fn files(dir: &Path) -> BTreeSet<PathBuf> {
    fn walk(root: &Path, d: &Path, out: &mut BTreeSet<PathBuf>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(root).unwrap().to_path_buf();
            let first = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy();
            if first.starts_with("shard-") || first == "slurm" {
                continue;
            }
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(rel);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// `report.md` without the table of stage wall-clock times (which differs between any two
/// runs).
fn report_without_times(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_times = false;
    for line in text.lines() {
        if line.starts_with("Run time of each stage") {
            in_times = true;
            continue;
        }
        if in_times && (line.starts_with('|') || line.trim().is_empty()) {
            continue;
        }
        in_times = false;
        out.push(line);
    }
    out.join("\n")
}

/// `results.json` without `stage_seconds`.
fn results_without_times(text: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
    v.as_object_mut().unwrap().remove("stage_seconds");
    v
}

/// The two directories hold the same files with the same bytes (stage times aside).
pub fn assert_same_outputs(a: &Path, b: &Path, what: &str) {
    let fa = files(a);
    let fb = files(b);
    assert_eq!(fa, fb, "{what}: different sets of files");
    assert!(fa.len() > 3, "{what}: only {} files", fa.len());
    for rel in &fa {
        let x = std::fs::read(a.join(rel)).unwrap();
        let y = std::fs::read(b.join(rel)).unwrap();
        let name = rel.to_string_lossy();
        if name == "report.md" {
            assert_eq!(
                report_without_times(&String::from_utf8_lossy(&x)),
                report_without_times(&String::from_utf8_lossy(&y)),
                "{what}: {name} differs"
            );
        } else if name == "manifest.json" {
            // Same files with the same hashes, except the two holding stage times.
            let strip = |b: &[u8]| {
                let mut v: serde_json::Value = serde_json::from_slice(b).unwrap();
                // The scenario hash covers resolved paths, which differ between directories.
                v.as_object_mut().unwrap().remove("scenario_sha256");
                for f in v["files"].as_array_mut().unwrap() {
                    let p = f["path"].as_str().unwrap().to_string();
                    if p == "report.md" || p == "results.json" {
                        f.as_object_mut().unwrap().remove("sha256");
                        f.as_object_mut().unwrap().remove("size_bytes");
                    }
                }
                v
            };
            assert_eq!(strip(&x), strip(&y), "{what}: {name} differs");
        } else if name == "results.json" {
            assert_eq!(
                results_without_times(&String::from_utf8_lossy(&x)),
                results_without_times(&String::from_utf8_lossy(&y)),
                "{what}: {name} differs"
            );
        } else {
            assert!(x == y, "{what}: {name} differs");
        }
    }
}
