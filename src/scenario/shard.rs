//! The shard contract: how a scenario run is cut into `N` independent shards and how their
//! partial results are stored, so that any batch system that can pass an index (a Slurm job
//! array, a Kubernetes Indexed Job, a shell loop) can run them and one merge step can join
//! them into the output of a single-process run, bit for bit.
//!
//! - **Extent.** Shard `K/N` (1-based) computes, of every coverage grid of the scenario, the
//!   contiguous block of grid rows [`ShardSpec::split_weighted`] gives it (balanced by the
//!   number of points per row, which is the work of a row), and of every exhaustive layout
//!   search the contiguous block of layout ranks [`ShardSpec::split_count`] gives it. Stages
//!   that do not scale with the grid (time scales, validation, satellite states, tracking by
//!   one network, greedy search, site series, figures and reports) are left to the merge step, so their cost does not grow with `N`.
//! - **Partial result.** Each shard writes one file, [`PARTIAL_FILE`], gzip-compressed JSON
//!   ([`Partial`]): format name and version, software version, the scenario's name, text and
//!   SHA-256, the shard's index and count, and one task per grid or search in the order the
//!   scenario runs them, each with a fingerprint of its configuration and its extent.
//! - **Merge.** The partials must name the same scenario hash, software and format version
//!   and shard count, and every index `1..=N` must be present exactly once; the tasks of
//!   every shard must have the same fingerprints. Grid points are concatenated in shard order
//!   (= grid order) and every statistic is computed from them by the same code as a single
//!   run, so the merged numbers equal the single-process numbers exactly.

use std::io::{Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::coverage::CoverageResult;
use crate::network::LayoutRanking;

/// Name of the partial-result file in a shard's output directory.
pub const PARTIAL_FILE: &str = "partial.json.gz";
/// Format name written into every partial result.
pub const PARTIAL_FORMAT: &str = "gnss-interop-partial";
/// Version of the partial-result format (raised on any incompatible change).
pub const PARTIAL_VERSION: u32 = 1;

/// Errors of sharded runs and merges.
#[derive(Debug, Error)]
pub enum ShardError {
    /// A `--shard` argument that is not `K/N` with `1 ≤ K ≤ N`.
    #[error("invalid shard '{text}': expected K/N with 1 <= K <= N (e.g. 3/8)")]
    InvalidSpec {
        /// The text given.
        text: String,
    },
    /// A partial result that cannot be read.
    #[error("{}: {reason}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Partial results that do not belong together.
    #[error("{}: {reason}", path.display())]
    Foreign {
        /// The partial result that differs from the first one.
        path: PathBuf,
        /// What differs.
        reason: String,
    },
    /// Shards missing from a merge.
    #[error("cannot merge: shard(s) {missing:?} of {count} missing")]
    Missing {
        /// Missing indices (1-based).
        missing: Vec<usize>,
        /// Shard count.
        count: usize,
    },
    /// A shard given twice.
    #[error("cannot merge: shard {index}/{count} given twice ({} and {})", first.display(), second.display())]
    Duplicate {
        /// Index (1-based).
        index: usize,
        /// Shard count.
        count: usize,
        /// The first file.
        first: PathBuf,
        /// The second file.
        second: PathBuf,
    },
    /// A merge without any partial result.
    #[error("cannot merge: no partial results given")]
    Empty,
    /// Writing or submitting cluster jobs failed.
    #[error("slurm: {reason}")]
    Slurm {
        /// What went wrong.
        reason: String,
    },
    /// The tasks recorded by the shards do not match the scenario being merged.
    #[error("cannot merge: {reason}")]
    TaskMismatch {
        /// What does not match.
        reason: String,
    },
}

/// Shard `index` of `count` (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ShardSpec {
    /// 1-based index.
    pub index: usize,
    /// Number of shards.
    pub count: usize,
}

impl ShardSpec {
    /// Shard `index` of `count`; `None` unless `1 ≤ index ≤ count`.
    pub fn new(index: usize, count: usize) -> Option<ShardSpec> {
        (index >= 1 && index <= count).then_some(ShardSpec { index, count })
    }

    /// The contiguous block of items (e.g. grid rows) this shard owns, balanced by weight
    /// (e.g. points per row): item `i` belongs to the shard whose share of the total weight
    /// contains the weight before `i`. The blocks of shards `1..=N` partition `0..len`.
    pub fn split_weighted(&self, weights: &[usize]) -> Range<usize> {
        let total: u128 = weights.iter().map(|&w| w as u128).sum();
        let n = self.count as u128;
        // First item whose preceding weight × N reaches k × total.
        let boundary = |k: u128| -> usize {
            if k == 0 {
                return 0;
            }
            if k >= n {
                return weights.len();
            }
            let mut before: u128 = 0;
            for (i, &w) in weights.iter().enumerate() {
                if before * n >= k * total {
                    return i;
                }
                before += w as u128;
            }
            weights.len()
        };
        let k = (self.index - 1) as u128;
        boundary(k)..boundary(k + 1)
    }

    /// The contiguous block of `0..total` (e.g. layout ranks) this shard owns, sizes
    /// differing by at most one.
    pub fn split_count(&self, total: u64) -> Range<u64> {
        let n = self.count as u128;
        let at = |k: u128| ((total as u128 * k) / n) as u64;
        at((self.index - 1) as u128)..at(self.index as u128)
    }
}

impl std::fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for ShardSpec {
    type Err = ShardError;
    fn from_str(text: &str) -> Result<Self, ShardError> {
        let bad = || ShardError::InvalidSpec {
            text: text.to_string(),
        };
        let (k, n) = text.trim().split_once('/').ok_or_else(bad)?;
        let k: usize = k.trim().parse().map_err(|_| bad())?;
        let n: usize = n.trim().parse().map_err(|_| bad())?;
        ShardSpec::new(k, n).ok_or_else(bad)
    }
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// One grid computation or layout search of a shard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Position in the order the scenario runs its grids and searches (0-based).
    pub seq: usize,
    /// SHA-256 (16 hex digits) of the task's configuration: the same in every shard.
    pub fingerprint: String,
    /// What was computed.
    pub body: TaskBody,
}

/// The content of a [`Task`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskBody {
    /// A coverage grid: rows `rows` of a grid of `grid_points` points; `result` holds the
    /// points of those rows only.
    Grid {
        /// Row indices of the whole grid.
        rows: [usize; 2],
        /// Points of the whole grid.
        grid_points: usize,
        /// The coverage of the rows.
        result: CoverageResult,
    },
    /// An exhaustive layout search over ranks `ranks` of `total` layouts.
    Layout {
        /// Layout ranks.
        ranks: [u64; 2],
        /// Layouts of the whole search.
        total: u64,
        /// Best layouts of the ranks.
        ranking: LayoutRanking,
    },
}

/// The partial result of one shard (the content of [`PARTIAL_FILE`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// Always [`PARTIAL_FORMAT`].
    pub format: String,
    /// [`PARTIAL_VERSION`] of the writer.
    pub version: u32,
    /// Software name and version of the writer.
    pub software: String,
    /// Scenario name.
    pub scenario: String,
    /// SHA-256 of the validated scenario (all values, paths resolved).
    pub scenario_sha256: String,
    /// The scenario file's text, when the shard was run from a file (lets `merge` run
    /// without the file).
    pub scenario_text: Option<String>,
    /// Directory relative paths of the scenario text are resolved against.
    pub scenario_dir: Option<PathBuf>,
    /// Which shard.
    pub shard: ShardSpec,
    /// Grids and searches, in order.
    pub tasks: Vec<Task>,
}

impl Partial {
    /// Write gzip-compressed JSON to `path` (through a temporary file renamed into place,
    /// so that a reader never sees half a file).
    pub fn write(&self, path: &Path) -> Result<(), ShardError> {
        let err = |e: String| ShardError::Unreadable {
            path: path.to_path_buf(),
            reason: e,
        };
        let tmp = path.with_extension("gz.tmp");
        let f = std::fs::File::create(&tmp).map_err(|e| err(e.to_string()))?;
        // Buffered: serde_json writes many small pieces, each a deflate call otherwise.
        let gz = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
        let mut w = std::io::BufWriter::with_capacity(1 << 20, gz);
        serde_json::to_writer(&mut w, self).map_err(|e| err(e.to_string()))?;
        w.into_inner()
            .map_err(|e| err(e.to_string()))?
            .finish()
            .and_then(|mut f| f.flush())
            .map_err(|e| err(e.to_string()))?;
        std::fs::rename(&tmp, path).map_err(|e| err(e.to_string()))
    }

    /// Read a partial result (a [`PARTIAL_FILE`] or a directory holding one).
    pub fn read(path: &Path) -> Result<Partial, ShardError> {
        let file = if path.is_dir() {
            path.join(PARTIAL_FILE)
        } else {
            path.to_path_buf()
        };
        let err = |reason: String| ShardError::Unreadable {
            path: file.clone(),
            reason,
        };
        let f = std::fs::File::open(&file).map_err(|e| err(e.to_string()))?;
        let mut text = String::new();
        flate2::read::GzDecoder::new(std::io::BufReader::new(f))
            .read_to_string(&mut text)
            .map_err(|e| err(format!("not a gzip-compressed partial result: {e}")))?;
        let v: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| err(format!("not JSON: {e}")))?;
        if v.get("format").and_then(|f| f.as_str()) != Some(PARTIAL_FORMAT) {
            return Err(err(format!("not a {PARTIAL_FORMAT} file")));
        }
        let version = v.get("version").and_then(|f| f.as_u64());
        if version != Some(PARTIAL_VERSION as u64) {
            return Err(err(format!(
                "partial-result format version {version:?}, this software reads version \
                 {PARTIAL_VERSION}"
            )));
        }
        serde_json::from_value(v).map_err(|e| err(e.to_string()))
    }
}

/// Check that partial results belong together and form a complete set; returns them in
/// shard order.
pub fn check_set(mut parts: Vec<(PathBuf, Partial)>) -> Result<Vec<Partial>, ShardError> {
    let Some((first_path, first)) = parts.first().cloned() else {
        return Err(ShardError::Empty);
    };
    for (path, p) in &parts[1..] {
        let differs = |what: &str, a: &dyn std::fmt::Display, b: &dyn std::fmt::Display| {
            ShardError::Foreign {
                path: path.clone(),
                reason: format!(
                    "{what} {b} differs from {a} in {} (partial results of different runs)",
                    first_path.display()
                ),
            }
        };
        if p.scenario_sha256 != first.scenario_sha256 {
            return Err(differs(
                "scenario",
                &format!("'{}' ({})", first.scenario, &first.scenario_sha256[..12]),
                &format!("'{}' ({})", p.scenario, &p.scenario_sha256[..12]),
            ));
        }
        if p.software != first.software {
            return Err(differs("software", &first.software, &p.software));
        }
        if p.shard.count != first.shard.count {
            return Err(differs("shard count", &first.shard.count, &p.shard.count));
        }
    }
    let n = first.shard.count;
    parts.sort_by_key(|(_, p)| p.shard.index);
    for w in parts.windows(2) {
        if w[0].1.shard.index == w[1].1.shard.index {
            return Err(ShardError::Duplicate {
                index: w[0].1.shard.index,
                count: n,
                first: w[0].0.clone(),
                second: w[1].0.clone(),
            });
        }
    }
    let missing: Vec<usize> = (1..=n)
        .filter(|i| !parts.iter().any(|(_, p)| p.shard.index == *i))
        .collect();
    if !missing.is_empty() {
        return Err(ShardError::Missing { missing, count: n });
    }
    Ok(parts.into_iter().map(|(_, p)| p).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_partition_and_balance() {
        let weights: Vec<usize> = (0..181).map(|i| 1 + (i % 7)).collect();
        for n in 1..=9 {
            let mut next = 0;
            let mut sums = Vec::new();
            for k in 1..=n {
                let r = ShardSpec::new(k, n).unwrap().split_weighted(&weights);
                assert_eq!(r.start, next);
                next = r.end;
                sums.push(weights[r].iter().sum::<usize>());
            }
            assert_eq!(next, weights.len());
            let total: usize = weights.iter().sum();
            // Each share within one row (≤ 7) of the ideal.
            for s in sums {
                assert!((s as f64 - total as f64 / n as f64).abs() <= 7.0, "n={n}");
            }
            let mut at = 0;
            for k in 1..=n {
                let r = ShardSpec::new(k, n).unwrap().split_count(1000);
                assert_eq!(r.start, at);
                assert!(r.end - r.start >= 1000 / n as u64);
                at = r.end;
            }
            assert_eq!(at, 1000);
        }
    }

    #[test]
    fn spec_parsing() {
        assert_eq!(
            "3/8".parse::<ShardSpec>().unwrap(),
            ShardSpec { index: 3, count: 8 }
        );
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/2", ""] {
            assert!(bad.parse::<ShardSpec>().is_err(), "{bad}");
        }
    }
}
