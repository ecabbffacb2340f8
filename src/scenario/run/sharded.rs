//! Sharded runs: [`run_shard`] computes one shard of a scenario and writes its partial
//! result; [`merge`] checks a set of partial results and writes the output of a
//! single-process run from them. The contract is in [`crate::scenario::shard`].

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{
    claim_output, commit_output, run_in, software_version, RunError, RunOptions, RunSummary, Work,
};
use crate::scenario::shard::{
    check_set, sha256_hex, Partial, ShardError, ShardSpec, PARTIAL_FILE, PARTIAL_FORMAT,
    PARTIAL_VERSION,
};
use crate::scenario::Scenario;

/// Sub-directory of a shard's output where the stages' by-products go while it runs
/// (removed at the end; only [`PARTIAL_FILE`] stays).
const SCRATCH_DIR: &str = ".scratch";

/// SHA-256 of a validated scenario (every value, paths resolved): what partial results are
/// matched by.
pub fn scenario_sha256(s: &Scenario) -> String {
    sha256_hex(format!("{s:?}").as_bytes())
}

/// What [`run_shard`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardRun {
    /// Which shard.
    pub spec: ShardSpec,
    /// The partial result.
    pub partial: PathBuf,
    /// The shard's partial result was already there (same scenario, shard and software)
    /// and was kept.
    pub skipped: bool,
    /// Grids and searches recorded.
    pub tasks: usize,
    /// Wall-clock seconds of the computation (0 when skipped).
    pub seconds: f64,
}

/// Compute shard `spec` of the scenario and write its partial result to
/// `opts.out_dir`/[`PARTIAL_FILE`]. A finished shard (same scenario hash, shard and
/// software) is not recomputed unless `opts.force`. The scenario file (if any) is embedded,
/// so that [`merge`] can run from the partial results alone.
pub fn run_shard(
    scenario: &Scenario,
    opts: &RunOptions<'_>,
    spec: ShardSpec,
) -> crate::Result<ShardRun> {
    let out = opts.out_dir;
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| RunError::Io { path, source }
    };
    std::fs::create_dir_all(out).map_err(io(out))?;
    let partial_path = out.join(PARTIAL_FILE);
    let hash = scenario_sha256(scenario);
    if let Ok(old) = Partial::read(&partial_path) {
        let same =
            old.scenario_sha256 == hash && old.shard == spec && old.software == software_version();
        if same && !opts.force {
            return Ok(ShardRun {
                spec,
                partial: partial_path,
                skipped: true,
                tasks: old.tasks.len(),
                seconds: 0.0,
            });
        }
        if !same && !opts.force {
            return Err(RunError::OutputInUse {
                dir: out.to_path_buf(),
                what: format!(
                    "shard {} of scenario '{}' (another run)",
                    old.shard, old.scenario
                ),
            }
            .into());
        }
    } else if partial_path.exists() && !opts.force {
        return Err(RunError::OutputInUse {
            dir: out.to_path_buf(),
            what: format!("an unreadable {PARTIAL_FILE}"),
        }
        .into());
    }
    let scratch = out.join(SCRATCH_DIR);
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch).map_err(io(&scratch))?;
    }
    std::fs::create_dir_all(&scratch).map_err(io(&scratch))?;
    let t0 = Instant::now();
    let work = Work::shard(spec);
    let result = run_in(scenario, &scratch, opts, &work, None);
    let _ = std::fs::remove_dir_all(&scratch);
    result?;
    let seconds = t0.elapsed().as_secs_f64();
    let tasks = work.into_tasks();
    let n_tasks = tasks.len();
    let (scenario_text, scenario_dir) = match opts.scenario_file {
        Some(f) => (
            Some(std::fs::read_to_string(f).map_err(io(f))?),
            f.parent()
                .map(|d| {
                    std::fs::canonicalize(if d.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        d
                    })
                })
                .transpose()
                .map_err(io(f))?,
        ),
        None => (None, None),
    };
    Partial {
        format: PARTIAL_FORMAT.to_string(),
        version: PARTIAL_VERSION,
        software: software_version(),
        scenario: scenario.name.clone(),
        scenario_sha256: hash,
        scenario_text,
        scenario_dir,
        shard: spec,
        tasks,
    }
    .write(&partial_path)?;
    Ok(ShardRun {
        spec,
        partial: partial_path,
        skipped: false,
        tasks: n_tasks,
        seconds,
    })
}

/// Merge the partial results `partials` (files or shard directories) into the output of a
/// single-process run in `opts.out_dir`. The scenario is `scenario` when given, else the
/// one embedded in the partial results; either way its hash must be theirs. A missing,
/// duplicated or foreign shard is an error and nothing is written.
pub fn merge(
    scenario: Option<&Scenario>,
    partials: &[PathBuf],
    opts: &RunOptions<'_>,
) -> crate::Result<RunSummary> {
    let parts = partials
        .iter()
        .map(|p| Ok((p.clone(), Partial::read(p)?)))
        .collect::<Result<Vec<_>, ShardError>>()?;
    let parts = check_set(parts)?;
    let first = &parts[0];
    if first.software != software_version() {
        return Err(ShardError::Foreign {
            path: partials[0].clone(),
            reason: format!(
                "written by {}, this is {} (rerun the shards with this version)",
                first.software,
                software_version()
            ),
        }
        .into());
    }
    let owned;
    let scenario = match scenario {
        Some(s) => s,
        None => {
            let (Some(text), Some(dir)) = (&first.scenario_text, &first.scenario_dir) else {
                return Err(ShardError::Foreign {
                    path: partials[0].clone(),
                    reason: "the partial result does not embed its scenario (it was run from \
                             the library); merge it through the library with the scenario"
                        .into(),
                }
                .into());
            };
            owned = Scenario::from_toml_str(text, dir)?;
            &owned
        }
    };
    if scenario_sha256(scenario) != first.scenario_sha256 {
        return Err(ShardError::Foreign {
            path: partials[0].clone(),
            reason: format!(
                "the partial results are of another version of scenario '{}' (hash {}, this \
                 one {})",
                first.scenario,
                &first.scenario_sha256[..12],
                &scenario_sha256(scenario)[..12]
            ),
        }
        .into());
    }
    let n_tasks = first.tasks.len();
    let text = first.scenario_text.clone();
    let staging = claim_output(scenario, opts.out_dir, opts.force)?;
    let work = Work::merge(parts.into_iter().map(|p| p.tasks).collect());
    let summary = run_in(
        scenario,
        staging.staging_dir(),
        opts,
        &work,
        text.as_deref(),
    )?;
    let used = work.replayed();
    if used != n_tasks {
        return Err(ShardError::TaskMismatch {
            reason: format!("the shards hold {n_tasks} tasks, the scenario ran {used}"),
        }
        .into());
    }
    commit_output(scenario, staging, summary)
}
