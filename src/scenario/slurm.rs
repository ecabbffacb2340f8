//! Slurm job arrays for sharded runs: one array task per shard
//! (`--shard $SLURM_ARRAY_TASK_ID/N`), and a merge job that starts when every task has
//! succeeded (`--dependency=afterok:<array job>`). The scripts are plain `sbatch` files
//! written into the output directory (`DIR/slurm/`), so they can be read, edited and
//! submitted by hand; [`SlurmJob::submit`] submits them through `sbatch`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::shard::ShardError;

/// Sub-directory of the output directory holding the job scripts and logs.
pub const SLURM_DIR: &str = "slurm";
/// Array job script name.
pub const ARRAY_SCRIPT: &str = "shards.sbatch";
/// Merge job script name.
pub const MERGE_SCRIPT: &str = "merge.sbatch";

/// A sharded scenario run as a Slurm job array plus a merge job.
#[derive(Debug, Clone, PartialEq)]
pub struct SlurmJob {
    /// The `gnss-interop` executable the tasks run (absolute path, visible on the nodes).
    pub program: PathBuf,
    /// The scenario file (absolute path, visible on the nodes).
    pub scenario: PathBuf,
    /// Scenario name (job names).
    pub name: String,
    /// Output directory (absolute): shards in `DIR/shard-K`, merged result in `DIR`.
    pub out_dir: PathBuf,
    /// Number of shards N.
    pub tasks: usize,
    /// The shards to run (1-based; all when empty): resubmitting failed tasks alone.
    pub only: Vec<usize>,
    /// `--partition`.
    pub partition: Option<String>,
    /// `--time` (Slurm's time format, e.g. `02:00:00`).
    pub time: Option<String>,
    /// `--cpus-per-task` (the shard's thread count).
    pub cpus_per_task: Option<u32>,
    /// Recompute shards whose partial result exists.
    pub force: bool,
}

/// Quote a string for a POSIX shell.
fn sh(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn slurm_err(reason: String) -> ShardError {
    ShardError::Slurm { reason }
}

impl SlurmJob {
    /// Directory of a shard's partial result.
    pub fn shard_dir(&self, index: usize) -> PathBuf {
        self.out_dir.join(format!("shard-{index}"))
    }

    /// The `--array` list: `1-N`, or the chosen shards.
    pub fn array_spec(&self) -> String {
        if self.only.is_empty() {
            format!("1-{}", self.tasks)
        } else {
            self.only
                .iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(",")
        }
    }

    fn header(&self, job: &str, log: &str) -> String {
        let mut h = format!(
            "#!/bin/bash\n#SBATCH --job-name={job}\n#SBATCH --output={}\n",
            self.out_dir.join(SLURM_DIR).join(log).display()
        );
        if let Some(p) = &self.partition {
            h += &format!("#SBATCH --partition={p}\n");
        }
        if let Some(t) = &self.time {
            h += &format!("#SBATCH --time={t}\n");
        }
        if let Some(c) = self.cpus_per_task {
            h += &format!("#SBATCH --cpus-per-task={c}\n");
        }
        h
    }

    /// The array job script.
    pub fn array_script(&self) -> String {
        let mut s = self.header(&format!("gi-{}", self.name), "shard-%a.log");
        s += &format!("#SBATCH --array={}\n", self.array_spec());
        s += "set -euo pipefail\n";
        s += "# One thread per allocated CPU.\n";
        s += "export RAYON_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"\n";
        s += &format!(
            "exec {} run {} --shard \"${{SLURM_ARRAY_TASK_ID}}/{}\" --out {}\"/shard-${{SLURM_ARRAY_TASK_ID}}\" --quiet{}\n",
            sh(&self.program.to_string_lossy()),
            sh(&self.scenario.to_string_lossy()),
            self.tasks,
            sh(&self.out_dir.to_string_lossy()),
            if self.force { " --force" } else { "" }
        );
        s
    }

    /// The merge job script (all N shards, whichever were rerun).
    pub fn merge_script(&self) -> String {
        let mut s = self.header(&format!("gi-{}-merge", self.name), "merge.log");
        s += "set -euo pipefail\n";
        s += "export RAYON_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"\n";
        let shards: Vec<String> = (1..=self.tasks)
            .map(|i| sh(&self.shard_dir(i).to_string_lossy()))
            .collect();
        s += &format!(
            "exec {} merge {} --out {} --quiet --force\n",
            sh(&self.program.to_string_lossy()),
            shards.join(" "),
            sh(&self.out_dir.to_string_lossy())
        );
        s
    }

    /// Check the job and write both scripts into `DIR/slurm/`; returns their paths.
    pub fn write(&self) -> Result<(PathBuf, PathBuf), ShardError> {
        if self.tasks == 0 {
            return Err(slurm_err("--tasks must be at least 1".into()));
        }
        if let Some(bad) = self.only.iter().find(|&&i| i == 0 || i > self.tasks) {
            return Err(slurm_err(format!(
                "shard {bad} is not one of 1..={}",
                self.tasks
            )));
        }
        for p in [&self.program, &self.scenario, &self.out_dir] {
            if !p.is_absolute() {
                return Err(slurm_err(format!(
                    "{} must be an absolute path (the tasks run elsewhere)",
                    p.display()
                )));
            }
        }
        let dir = self.out_dir.join(SLURM_DIR);
        std::fs::create_dir_all(&dir).map_err(|e| slurm_err(format!("{}: {e}", dir.display())))?;
        let a = dir.join(ARRAY_SCRIPT);
        let m = dir.join(MERGE_SCRIPT);
        // Each script complete or not at all (a temporary file renamed into place).
        for (p, text) in [(&a, self.array_script()), (&m, self.merge_script())] {
            crate::outdir::write_file_atomic(p, true, |w| w.write_all(text.as_bytes()))
                .map_err(|e| slurm_err(e.to_string()))?
                .map_err(|e| slurm_err(format!("{}: {e}", p.display())))?;
        }
        Ok((a, m))
    }

    /// Write the scripts and submit them: the array, then the merge with
    /// `--dependency=afterok:<array>` (and `--kill-on-invalid-dep=yes`, so that a failed task
    /// cancels the merge instead of leaving it pending). Returns the two job ids.
    pub fn submit(&self) -> Result<(String, String), ShardError> {
        let (a, m) = self.write()?;
        let array = sbatch(&[], &a)?;
        let merge = sbatch(
            &[
                format!("--dependency=afterok:{array}"),
                "--kill-on-invalid-dep=yes".into(),
            ],
            &m,
        )?;
        Ok((array, merge))
    }
}

/// `sbatch --parsable [args] script`: the job id.
fn sbatch(args: &[String], script: &Path) -> Result<String, ShardError> {
    let out = Command::new("sbatch")
        .arg("--parsable")
        .args(args)
        .arg(script)
        .output()
        .map_err(|e| slurm_err(format!("cannot run sbatch: {e} (is Slurm installed?)")))?;
    if !out.status.success() {
        return Err(slurm_err(format!(
            "sbatch {} failed: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    // `--parsable` prints "id" or "id;cluster".
    let id = text.trim().split(';').next().unwrap_or("").to_string();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
        return Err(slurm_err(format!("sbatch printed no job id: {text:?}")));
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_name_every_shard() {
        let j = SlurmJob {
            program: "bin/gnss-interop".into(),
            scenario: "data/it's.toml".into(),
            name: "s".into(),
            out_dir: "out".into(),
            tasks: 4,
            only: vec![],
            partition: Some("short".into()),
            time: None,
            cpus_per_task: Some(2),
            force: false,
        };
        let a = j.array_script();
        assert!(a.contains("#SBATCH --array=1-4\n"));
        assert!(a.contains("--shard \"${SLURM_ARRAY_TASK_ID}/4\""));
        assert!(a.contains("'data/it'\\''s.toml'"));
        assert!(a.contains("#SBATCH --partition=short\n#SBATCH --cpus-per-task=2\n"));
        let m = j.merge_script();
        for k in 1..=4 {
            assert!(m.contains(&format!("'out/shard-{k}'")));
        }
        let j = SlurmJob {
            only: vec![3, 5],
            tasks: 5,
            ..j
        };
        assert_eq!(j.array_spec(), "3,5");
    }
}
