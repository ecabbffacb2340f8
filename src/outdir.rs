//! Contained, atomic output directories: one rule for every command that writes files.
//!
//! - **Contained**: every output is named by a relative path checked by [`check_rel`] (no
//!   `..`, no root, no hidden component); names derived from user text (sites, stations,
//!   layouts, scenario names) go through [`slug`] first. A path that would leave the output
//!   directory is an [`OutputError::Escapes`], never written.
//! - **Atomic**: a run writes into a fresh staging directory *beside* the output directory
//!   (same parent, hence same file system) and [`Staging::commit`] swaps it into place by
//!   renames at the end. The [`MANIFEST_FILE`] (every file, its size and SHA-256, the producer,
//!   and the scenario hash when there is one) is written last. An error or an interruption
//!   before the commit leaves the output directory as it was: dropping a [`Staging`] removes
//!   it, and a staging directory left by a killed process is removed by the next claim.
//! - **Owned**: [`Staging::claim`] accepts an output directory that is absent, empty, or holds
//!   the complete output (a manifest) of the same producer. Another producer's output needs
//!   `force`, and the new output then replaces exactly the files the previous manifest lists.
//!   A directory holding files that no manifest lists is refused even with `force`: nothing
//!   this crate did not write is ever deleted. Shard directories (`shard-*`) and cluster job
//!   files (`slurm/`) beside a scenario's output are [`Preserve`]d and carried over.
//!
//! One writer per output directory at a time. Single-file outputs (`satpos --out F`) use
//! [`write_file_atomic`]: a temporary file beside the target, renamed into place.
//!
//! ```
//! use gnss_interop::outdir::{slug, Staging, Preserve};
//! let base = tempfile::tempdir().unwrap();
//! let out = base.path().join("result");
//! let staging = Staging::claim(&out, "example", false, Preserve::Nothing).unwrap();
//! let p = staging.file(&format!("sites/{}.csv", slug("../../victim"))).unwrap();
//! std::fs::write(&p, "x\n").unwrap();
//! let manifest = staging.commit(None).unwrap();
//! assert!(out.join("sites/victim.csv").is_file());
//! assert_eq!(manifest.files.len(), 1);
//! ```

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

/// Name of the manifest written last in every output directory.
pub const MANIFEST_FILE: &str = "manifest.json";

/// Format tag of the manifest.
pub const MANIFEST_FORMAT: &str = "gnss-interop-manifest";

/// Longest slug, in bytes.
pub const SLUG_MAX_LEN: usize = 64;

/// Errors of output directories and files.
#[derive(Debug, Error)]
pub enum OutputError {
    /// A path would leave the output directory.
    #[error("output path '{rel}' would leave the output directory {}; refused", dir.display())]
    Escapes {
        /// The output directory.
        dir: PathBuf,
        /// The offending relative path.
        rel: String,
    },
    /// Two outputs of one run have the same name (e.g. two sites whose names give the same
    /// slug).
    #[error(
        "two outputs of this run are named '{rel}' (names that differ only in characters \
             a file name cannot hold give the same file name); rename one"
    )]
    Duplicate {
        /// The relative path.
        rel: String,
    },
    /// The output directory holds another producer's output.
    #[error("{} already holds {what}; choose another --out directory or pass --force to replace it", dir.display())]
    InUse {
        /// The output directory.
        dir: PathBuf,
        /// What it holds.
        what: String,
    },
    /// The output directory holds files that no manifest lists.
    #[error("{} holds {n} file(s) that no gnss-interop manifest lists ({examples}); they are never \
             deleted, even with --force: move them away or choose another --out directory",
            dir.display())]
    Foreign {
        /// The output directory.
        dir: PathBuf,
        /// How many.
        n: usize,
        /// Up to five of them.
        examples: String,
    },
    /// The output path cannot be used as a directory (or file).
    #[error("{}: {reason}", path.display())]
    Unusable {
        /// The path.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// An existing single output file.
    #[error("{} exists; pass --force to replace it", path.display())]
    FileExists {
        /// The file.
        path: PathBuf,
    },
    /// I/O.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError {
    let path = path.to_path_buf();
    move |source| OutputError::Io { path, source }
}

/// Where a study's writer puts each of its files: given a file name, the path to write it to
/// (checked and claimed in an output directory, [`Staging::file`], or in a scenario run's
/// sub-folder), so one writer serves every door.
pub type FileFor<'a> = dyn FnMut(&str) -> Result<PathBuf, OutputError> + 'a;

/// A file name from user text: ASCII letters, digits, `-` and `_` kept, every other run of
/// characters (path separators, dots, spaces, non-ASCII) becomes one `-`; no leading or
/// trailing `-`; at most [`SLUG_MAX_LEN`] bytes; `unnamed` when nothing is left.
///
/// ```
/// use gnss_interop::outdir::slug;
/// assert_eq!(slug("../../../../victim"), "victim");
/// assert_eq!(slug("Beijing"), "Beijing");
/// assert_eq!(slug("Petropavlovsk Kamchatsky (PK)"), "Petropavlovsk-Kamchatsky-PK");
/// assert_eq!(slug("..."), "unnamed");
/// ```
pub fn slug(text: &str) -> String {
    let mut s = String::new();
    let mut dash = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            if c == '-' {
                dash = true;
                continue;
            }
            if dash && !s.is_empty() {
                s.push('-');
            }
            dash = false;
            s.push(c);
        } else {
            dash = true;
        }
        if s.len() >= SLUG_MAX_LEN {
            break;
        }
    }
    s.truncate(SLUG_MAX_LEN);
    if s.is_empty() {
        "unnamed".to_string()
    } else {
        s
    }
}

/// Check a relative output path: `/`-separated, every component a plain name not starting
/// with `.`; no root, no `..`, not empty. Returns the path.
pub fn check_rel(dir: &Path, rel: &str) -> Result<PathBuf, OutputError> {
    let escapes = || OutputError::Escapes {
        dir: dir.to_path_buf(),
        rel: rel.to_string(),
    };
    let p = Path::new(rel);
    if rel.contains('\\') || rel.contains('\0') || p.is_absolute() {
        return Err(escapes());
    }
    if rel.split('/').any(|c| c.is_empty() || c.starts_with('.')) {
        return Err(escapes());
    }
    if !p.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(escapes());
    }
    Ok(p.to_path_buf())
}

/// What a claim carries over from the previous content of the output directory, untouched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preserve {
    /// Nothing: the directory holds only this crate's output.
    Nothing,
    /// Shard directories (`shard-*`) and cluster job files (`slurm/`) of a sharded scenario.
    ClusterEntries,
}

impl Preserve {
    fn keeps(self, top_level_name: &str) -> bool {
        match self {
            Preserve::Nothing => false,
            Preserve::ClusterEntries => {
                top_level_name.starts_with("shard-") || top_level_name == "slurm"
            }
        }
    }
}

/// One file of a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// Path relative to the output directory, `/`-separated.
    pub path: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
}

/// The manifest of a complete output directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`MANIFEST_FORMAT`].
    pub format: String,
    /// Who wrote it (`scenario <name>`, `gnss-interop coverage`, …).
    pub producer: String,
    /// Software name and version.
    pub software: String,
    /// SHA-256 of the scenario (as validated), when the output is a scenario's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_sha256: Option<String>,
    /// Every file of the output except the manifest itself, sorted by path.
    pub files: Vec<ManifestEntry>,
}

impl Manifest {
    /// Read the manifest of an output directory (`None` when there is none or it is not one).
    pub fn read(dir: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(dir.join(MANIFEST_FILE)).ok()?;
        let m: Manifest = serde_json::from_str(&text).ok()?;
        (m.format == MANIFEST_FORMAT).then_some(m)
    }

    /// Check that every listed file is present with its size and SHA-256; the first
    /// difference, if any.
    pub fn verify(&self, dir: &Path) -> Result<(), String> {
        for f in &self.files {
            let p = dir.join(&f.path);
            let (size, sha) = hash_file(&p).map_err(|e| format!("{}: {e}", f.path))?;
            if size != f.size_bytes || sha != f.sha256 {
                return Err(format!("{}: content differs from the manifest", f.path));
            }
        }
        Ok(())
    }
}

fn hash_file(p: &Path) -> std::io::Result<(u64, String)> {
    let mut f = std::fs::File::open(p)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((n, format!("{:x}", h.finalize())))
}

/// Every regular file under `dir`, as sorted `/`-separated relative paths; top-level entries
/// kept by `preserve` (and the manifest) left out.
fn walk(dir: &Path, preserve: Preserve) -> Result<Vec<String>, OutputError> {
    fn rec(base: &Path, d: &Path, out: &mut Vec<String>) -> Result<(), OutputError> {
        for e in std::fs::read_dir(d).map_err(io(d))? {
            let e = e.map_err(io(d))?;
            let p = e.path();
            let ft = e.file_type().map_err(io(&p))?;
            if ft.is_dir() {
                rec(base, &p, out)?;
            } else {
                let rel = p.strip_prefix(base).unwrap_or(&p);
                let s: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(s.join("/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).map_err(io(dir))? {
        let e = e.map_err(io(dir))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if preserve.keeps(&name) || name == MANIFEST_FILE {
            continue;
        }
        let p = e.path();
        if e.file_type().map_err(io(&p))?.is_dir() {
            rec(dir, &p, &mut out)?;
        } else {
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}

/// Names of the staging and retired directories of `out`.
fn sibling_prefixes(out: &Path) -> Option<(String, String)> {
    let name = out.file_name()?.to_string_lossy().into_owned();
    Some((format!(".{name}.staging-"), format!(".{name}.retired-")))
}

/// A run's output being written: files go into a staging directory beside the output
/// directory until [`commit`](Staging::commit). Dropped without a commit, the staging
/// directory is removed and the output directory is as it was.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    retired: PathBuf,
    producer: String,
    preserve: Preserve,
    names: RefCell<BTreeSet<String>>,
    done: bool,
}

impl Staging {
    /// Claim `out` for `producer` (see the module documentation for the rule) and create the
    /// staging directory. Leftovers of an interrupted earlier run on `out` are cleaned first.
    pub fn claim(
        out: &Path,
        producer: &str,
        force: bool,
        preserve: Preserve,
    ) -> Result<Staging, OutputError> {
        let unusable = |reason: &str| OutputError::Unusable {
            path: out.to_path_buf(),
            reason: reason.to_string(),
        };
        let Some((staging_prefix, retired_prefix)) = sibling_prefixes(out) else {
            return Err(unusable(
                "an output directory must end in a name (not '.', '..' or '/')",
            ));
        };
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        recover(out, &parent, &staging_prefix, &retired_prefix, preserve)?;
        if out.exists() {
            let meta = std::fs::symlink_metadata(out).map_err(io(out))?;
            if !meta.is_dir() {
                return Err(unusable("exists and is not a directory"));
            }
            let manifest = Manifest::read(out);
            let listed: BTreeSet<String> = manifest
                .iter()
                .flat_map(|m| m.files.iter().map(|f| f.path.clone()))
                .collect();
            let foreign: Vec<String> = walk(out, preserve)?
                .into_iter()
                .filter(|f| !listed.contains(f))
                .collect();
            if !foreign.is_empty() {
                return Err(OutputError::Foreign {
                    dir: out.to_path_buf(),
                    n: foreign.len(),
                    examples: foreign
                        .iter()
                        .take(5)
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            if let Some(m) = &manifest {
                if m.producer != producer && !force {
                    return Err(OutputError::InUse {
                        dir: out.to_path_buf(),
                        what: format!("the output of {}", m.producer),
                    });
                }
            }
        }
        let suffix = format!(
            "{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        );
        let tmp = parent.join(format!("{staging_prefix}{suffix}"));
        std::fs::create_dir(&tmp).map_err(io(&tmp))?;
        Ok(Staging {
            out: out.to_path_buf(),
            retired: parent.join(format!("{retired_prefix}{suffix}")),
            tmp,
            producer: producer.to_string(),
            preserve,
            names: RefCell::new(BTreeSet::new()),
            done: false,
        })
    }

    /// The final output directory.
    pub fn out_dir(&self) -> &Path {
        &self.out
    }

    /// The staging directory (where files are written until the commit).
    pub fn staging_dir(&self) -> &Path {
        &self.tmp
    }

    /// Path (in the staging directory) of the output file `rel`, after checking that it stays
    /// inside and was not claimed before in this run; parent directories are created.
    pub fn file(&self, rel: &str) -> Result<PathBuf, OutputError> {
        let r = check_rel(&self.out, rel)?;
        if !self.names.borrow_mut().insert(rel.to_string()) {
            return Err(OutputError::Duplicate {
                rel: rel.to_string(),
            });
        }
        let p = self.tmp.join(r);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        Ok(p)
    }

    /// Path (in the staging directory) of a sub-directory `rel` for a writer that names its
    /// own files inside it (checked and created like [`file`](Staging::file)).
    pub fn dir(&self, rel: &str) -> Result<PathBuf, OutputError> {
        let r = check_rel(&self.out, rel)?;
        let p = self.tmp.join(r);
        std::fs::create_dir_all(&p).map_err(io(&p))?;
        Ok(p)
    }

    /// Where a path of the staging directory will be after the commit.
    pub fn final_path(&self, staged: &Path) -> PathBuf {
        match staged.strip_prefix(&self.tmp) {
            Ok(rel) => self.out.join(rel),
            Err(_) => staged.to_path_buf(),
        }
    }

    /// Write the manifest (last) and move the staged output into place; returns the
    /// manifest. The previous content of the output directory (only files of its manifest,
    /// see [`claim`](Staging::claim)) is gone; preserved entries are carried over.
    pub fn commit(mut self, scenario_sha256: Option<String>) -> Result<Manifest, OutputError> {
        let mut files = Vec::new();
        for rel in walk(&self.tmp, Preserve::Nothing)? {
            let p = self.tmp.join(&rel);
            let (size_bytes, sha256) = hash_file(&p).map_err(io(&p))?;
            files.push(ManifestEntry {
                path: rel,
                size_bytes,
                sha256,
            });
        }
        let manifest = Manifest {
            format: MANIFEST_FORMAT.to_string(),
            producer: self.producer.clone(),
            software: format!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
            scenario_sha256,
            files,
        };
        let mp = self.tmp.join(MANIFEST_FILE);
        let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
        {
            let mut f = std::fs::File::create(&mp).map_err(io(&mp))?;
            f.write_all(text.as_bytes()).map_err(io(&mp))?;
            f.sync_all().map_err(io(&mp))?;
        }
        if self.out.exists() {
            // Carry the preserved entries over, then swap the directories.
            for e in std::fs::read_dir(&self.out).map_err(io(&self.out))? {
                let e = e.map_err(io(&self.out))?;
                let name = e.file_name().to_string_lossy().into_owned();
                if self.preserve.keeps(&name) {
                    let to = self.tmp.join(&name);
                    std::fs::rename(e.path(), &to).map_err(io(&to))?;
                }
            }
            let retired = self.retired.clone();
            std::fs::rename(&self.out, &retired).map_err(io(&self.out))?;
            std::fs::rename(&self.tmp, &self.out).map_err(io(&self.out))?;
            self.done = true;
            let _ = std::fs::remove_dir_all(&retired);
        } else {
            std::fs::rename(&self.tmp, &self.out).map_err(io(&self.out))?;
            self.done = true;
        }
        Ok(manifest)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            // Preserved entries may have been moved in by a failed commit: put them back.
            if self.out.is_dir() {
                if let Ok(rd) = std::fs::read_dir(&self.tmp) {
                    for e in rd.flatten() {
                        let name = e.file_name().to_string_lossy().into_owned();
                        if self.preserve.keeps(&name) && !self.out.join(&name).exists() {
                            let _ = std::fs::rename(e.path(), self.out.join(&name));
                        }
                    }
                }
            }
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Clean what an interrupted run on `out` left beside it: a retired directory comes back
/// when `out` is missing (the process died between the two renames of a commit), preserved
/// entries in a staging directory go back into `out`, and stale staging and retired
/// directories are removed.
fn recover(
    out: &Path,
    parent: &Path,
    staging_prefix: &str,
    retired_prefix: &str,
    preserve: Preserve,
) -> Result<(), OutputError> {
    let Ok(rd) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let mut entries: Vec<(String, PathBuf)> = rd
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    entries.sort();
    for (name, path) in &entries {
        if name.starts_with(retired_prefix) {
            if !out.exists() {
                std::fs::rename(path, out).map_err(io(out))?;
            } else {
                let _ = std::fs::remove_dir_all(path);
            }
        }
    }
    for (name, path) in &entries {
        if name.starts_with(staging_prefix) {
            if let Ok(rd) = std::fs::read_dir(path) {
                for e in rd.flatten() {
                    let n = e.file_name().to_string_lossy().into_owned();
                    if preserve.keeps(&n) {
                        std::fs::create_dir_all(out).map_err(io(out))?;
                        if !out.join(&n).exists() {
                            std::fs::rename(e.path(), out.join(&n)).map_err(io(out))?;
                        }
                    }
                }
            }
            let _ = std::fs::remove_dir_all(path);
        }
    }
    Ok(())
}

/// Write one output file atomically: `write` fills a temporary file beside `path`, which is
/// renamed into place when it succeeds. An existing `path` is refused unless `force`.
pub fn write_file_atomic<E>(
    path: &Path,
    force: bool,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<Result<(), E>, OutputError> {
    if path.is_dir() {
        return Err(OutputError::Unusable {
            path: path.to_path_buf(),
            reason: "is a directory".into(),
        });
    }
    if path.exists() && !force {
        return Err(OutputError::FileExists {
            path: path.to_path_buf(),
        });
    }
    let name = path
        .file_name()
        .ok_or_else(|| OutputError::Unusable {
            path: path.to_path_buf(),
            reason: "not a file name".into(),
        })?
        .to_string_lossy()
        .into_owned();
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let tmp = path.with_file_name(format!(".{name}.staging-{}", std::process::id()));
    let file = std::fs::File::create(&tmp).map_err(io(&tmp))?;
    let mut w = std::io::BufWriter::new(file);
    let r = write(&mut w);
    let flushed = w.flush();
    if r.is_err() {
        let _ = std::fs::remove_file(&tmp);
        return Ok(r);
    }
    if let Err(e) = flushed {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(&tmp)(e));
    }
    drop(w);
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(path)(e)
    })?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(tag: &str) -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix(&format!("gnss-outdir-{tag}-"))
            .tempdir()
            .unwrap()
    }

    fn write(s: &Staging, rel: &str, text: &str) {
        std::fs::write(s.file(rel).unwrap(), text).unwrap();
    }

    #[test]
    fn rel_paths_are_contained() {
        let d = Path::new("out");
        // An absolute path, built at run time.
        let absolute = std::env::temp_dir()
            .join("x")
            .to_string_lossy()
            .into_owned();
        for bad in [
            "../x",
            "a/../../x",
            absolute.as_str(),
            "",
            ".hidden",
            "a/./b",
            "a\\b",
        ] {
            assert!(check_rel(d, bad).is_err(), "{bad}");
        }
        assert!(check_rel(d, "figures/sky_Beijing.png").is_ok());
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("../../../../victim"), "victim");
        assert_eq!(slug("a/b\\c"), "a-b-c");
        assert_eq!(slug("Обнинск"), "unnamed");
        assert_eq!(slug(&"x".repeat(200)).len(), SLUG_MAX_LEN);
        assert_eq!(slug("--a--b--"), "a-b");
    }

    #[test]
    fn commit_replace_and_refusals() {
        let tmp = base("commit");
        let b = tmp.path();
        let out = b.join("out");
        let s = Staging::claim(&out, "A", false, Preserve::Nothing).unwrap();
        write(&s, "one.txt", "1");
        write(&s, "sub/two.txt", "22");
        assert!(matches!(
            s.file("one.txt"),
            Err(OutputError::Duplicate { .. })
        ));
        let m = s.commit(None).unwrap();
        assert_eq!(m.files.len(), 2);
        Manifest::read(&out).unwrap().verify(&out).unwrap();
        // Another producer needs force.
        assert!(matches!(
            Staging::claim(&out, "B", false, Preserve::Nothing),
            Err(OutputError::InUse { .. })
        ));
        // Same producer: replaced, the old file not written again is gone.
        let s = Staging::claim(&out, "A", false, Preserve::Nothing).unwrap();
        write(&s, "three.txt", "333");
        s.commit(None).unwrap();
        assert!(!out.join("one.txt").exists() && !out.join("sub/two.txt").exists());
        assert!(out.join("three.txt").is_file());
        // A foreign file is never removed, even with force.
        std::fs::write(out.join("mine.txt"), "user").unwrap();
        assert!(matches!(
            Staging::claim(&out, "B", true, Preserve::Nothing),
            Err(OutputError::Foreign { n: 1, .. })
        ));
        std::fs::remove_file(out.join("mine.txt")).unwrap();
        // Dropped without commit: nothing changes, no staging left.
        let s = Staging::claim(&out, "B", true, Preserve::Nothing).unwrap();
        write(&s, "x.txt", "x");
        drop(s);
        assert!(out.join("three.txt").is_file() && !out.join("x.txt").exists());
        assert_eq!(std::fs::read_dir(b).unwrap().count(), 1);
    }

    #[test]
    fn preserved_entries_survive_and_recovery() {
        let tmp = base("preserve");
        let b = tmp.path();
        let out = b.join("out");
        std::fs::create_dir_all(out.join("shard-1")).unwrap();
        std::fs::write(out.join("shard-1/partial.json.gz"), "p").unwrap();
        let s = Staging::claim(&out, "A", false, Preserve::ClusterEntries).unwrap();
        write(&s, "report.md", "r");
        s.commit(None).unwrap();
        assert!(out.join("shard-1/partial.json.gz").is_file());
        assert!(out.join("report.md").is_file());
        // A retired directory left by a process killed between the renames comes back.
        let retired = b.join(".out.retired-1-2");
        std::fs::rename(&out, &retired).unwrap();
        let stale = b.join(".out.staging-1-2");
        std::fs::create_dir_all(&stale).unwrap();
        let s = Staging::claim(&out, "A", false, Preserve::ClusterEntries).unwrap();
        assert!(out.join("report.md").is_file() && !retired.exists() && !stale.exists());
        drop(s);
    }

    #[test]
    fn atomic_single_file() {
        let tmp = base("file");
        let b = tmp.path();
        let p = b.join("a.csv");
        write_file_atomic::<std::io::Error>(&p, false, |w| w.write_all(b"x"))
            .unwrap()
            .unwrap();
        assert!(matches!(
            write_file_atomic::<std::io::Error>(&p, false, |w| w.write_all(b"y")),
            Err(OutputError::FileExists { .. })
        ));
        let r = write_file_atomic(&p, true, |_| Err("boom")).unwrap();
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "x");
        assert_eq!(std::fs::read_dir(b).unwrap().count(), 1);
    }
}
