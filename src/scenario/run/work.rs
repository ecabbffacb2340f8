//! How much of the scenario this process computes: all of it ([`Work::Local`]), one shard
//! ([`Work::Shard`], recording its grids and searches), or the merge of shards computed
//! elsewhere ([`Work::Merge`], replaying their records). The stages call the same code in
//! all three; only [`Work`]'s grid runner and layout search differ.

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::coverage::{CoverageError, CoverageResult, Grid, GridJob, GridRunner};
use crate::network::{LayoutProblem, LayoutRanking, Objective};
use crate::scenario::shard::{sha256_hex, ShardError, ShardSpec, Task, TaskBody};

/// What this process computes.
pub(crate) enum Work {
    /// Everything.
    Local,
    /// One shard: its block of every grid and search, recorded in `tasks`.
    Shard {
        spec: ShardSpec,
        seq: AtomicUsize,
        tasks: Mutex<Vec<Task>>,
    },
    /// Nothing heavy: every grid and search comes from the shards' tasks (`shards[k]` are
    /// the tasks of shard k + 1).
    Merge {
        seq: AtomicUsize,
        shards: Vec<Vec<Task>>,
    },
}

fn fingerprint(what: &str) -> String {
    sha256_hex(what.as_bytes())[..16].to_string()
}

fn sharding(reason: String) -> CoverageError {
    CoverageError::Sharding { reason }
}

impl Work {
    /// A shard's work.
    pub fn shard(spec: ShardSpec) -> Work {
        Work::Shard {
            spec,
            seq: AtomicUsize::new(0),
            tasks: Mutex::new(Vec::new()),
        }
    }

    /// The merge of shards' tasks (in shard order).
    pub fn merge(shards: Vec<Vec<Task>>) -> Work {
        Work::Merge {
            seq: AtomicUsize::new(0),
            shards,
        }
    }

    /// Whether this is a shard (stages skip what the merge step does: reports, figures,
    /// non-grid stages).
    pub fn is_shard(&self) -> bool {
        matches!(self, Work::Shard { .. })
    }

    /// The part of a scenario grid this process computes: the shard's rows, or all.
    pub fn grid<'g>(&self, grid: &'g Grid) -> Cow<'g, Grid> {
        match self {
            Work::Shard { spec, .. } => {
                Cow::Owned(grid.select_rows(spec.split_weighted(&grid.row_lengths())))
            }
            _ => Cow::Borrowed(grid),
        }
    }

    /// Tasks replayed so far by a merge (tasks recorded so far by a shard).
    pub fn replayed(&self) -> usize {
        match self {
            Work::Local => 0,
            Work::Shard { seq, .. } | Work::Merge { seq, .. } => seq.load(Ordering::SeqCst),
        }
    }

    /// The recorded tasks of a shard (empty otherwise).
    pub fn into_tasks(self) -> Vec<Task> {
        match self {
            Work::Shard { tasks, .. } => tasks.into_inner().unwrap_or_else(|e| e.into_inner()),
            _ => Vec::new(),
        }
    }

    /// Tasks with sequence number `seq` of every shard, checked against `fp`.
    fn replay(
        shards: &[Vec<Task>],
        seq: usize,
        fp: &str,
        what: &str,
    ) -> Result<Vec<TaskBody>, ShardError> {
        shards
            .iter()
            .enumerate()
            .map(|(k, tasks)| {
                let t = tasks.iter().find(|t| t.seq == seq).ok_or_else(|| {
                    ShardError::TaskMismatch {
                        reason: format!(
                            "shard {} holds no result for {what} (task {seq}): it was run on \
                             another scenario or version",
                            k + 1
                        ),
                    }
                })?;
                if t.fingerprint != fp {
                    return Err(ShardError::TaskMismatch {
                        reason: format!(
                            "shard {} computed a different configuration for {what} (task \
                             {seq}: fingerprint {} vs {fp})",
                            k + 1,
                            t.fingerprint
                        ),
                    });
                }
                Ok(t.body.clone())
            })
            .collect()
    }

    /// An exhaustive layout search: all of it, the shard's block of ranks, or the merge of
    /// the shards' blocks.
    pub fn exhaustive(
        &self,
        problem: &LayoutProblem,
        k: usize,
        objective: Objective,
        keep: usize,
    ) -> crate::Result<LayoutRanking> {
        let total = problem.layout_count(k)?;
        let fp = || {
            fingerprint(&format!(
                "layout|{k}|{objective:?}|{keep}|{total}|{:?}|{:?}",
                problem.satellites(),
                problem.candidates()
            ))
        };
        match self {
            Work::Local => Ok(problem.exhaustive(k, objective, keep)?),
            Work::Shard { spec, seq, tasks } => {
                let ranks = spec.split_count(total);
                let ranking = problem.exhaustive_ranks(k, objective, keep, ranks.clone())?;
                let t = Task {
                    seq: seq.fetch_add(1, Ordering::SeqCst),
                    fingerprint: fp(),
                    body: TaskBody::Layout {
                        ranks: [ranks.start, ranks.end],
                        total,
                        ranking: ranking.clone(),
                    },
                };
                tasks.lock().unwrap_or_else(|e| e.into_inner()).push(t);
                Ok(ranking)
            }
            Work::Merge { seq, shards } => {
                let s = seq.fetch_add(1, Ordering::SeqCst);
                let bodies = Self::replay(shards, s, &fp(), "the layout search")?;
                let mut parts = Vec::new();
                let mut next = 0;
                for b in bodies {
                    match b {
                        TaskBody::Layout { ranks, ranking, .. } if ranks[0] == next => {
                            next = ranks[1];
                            parts.push(ranking);
                        }
                        _ => {
                            return Err(ShardError::TaskMismatch {
                                reason: format!("layout search (task {s}): ranks not contiguous"),
                            }
                            .into())
                        }
                    }
                }
                if next != total {
                    return Err(ShardError::TaskMismatch {
                        reason: format!(
                            "layout search (task {s}): shards cover {next} of {total} layouts"
                        ),
                    }
                    .into());
                }
                Ok(LayoutRanking::merge(parts, keep)?)
            }
        }
    }
}

impl GridRunner for Work {
    fn run(&self, job: GridJob<'_>) -> Result<CoverageResult, CoverageError> {
        let (grid, cfg) = (job.grid, job.cfg);
        let fp = || fingerprint(&format!("grid|{cfg:?}|{}", job.filter.is_some()));
        match self {
            Work::Local => job.run_here(),
            Work::Shard { seq, tasks, .. } => {
                if !cfg.series_points.is_empty() {
                    return Err(sharding(
                        "per-point series cannot be sharded (they are computed by the merge \
                         step)"
                            .into(),
                    ));
                }
                // `grid` is this shard's block (from `Work::grid`): its rows are recorded by
                // their points, and the merge step checks the blocks tile the whole grid.
                let s = seq.fetch_add(1, Ordering::SeqCst);
                let result = job.run_here()?;
                tasks.lock().unwrap_or_else(|e| e.into_inner()).push(Task {
                    seq: s,
                    fingerprint: fp(),
                    body: TaskBody::Grid {
                        rows: [0, grid.n_rows()],
                        grid_points: grid.len(),
                        result: result.clone(),
                    },
                });
                Ok(result)
            }
            Work::Merge { seq, shards } => {
                let s = seq.fetch_add(1, Ordering::SeqCst);
                let bodies = Self::replay(shards, s, &fp(), "a coverage grid")
                    .map_err(|e| sharding(e.to_string()))?;
                let mut parts = bodies.into_iter().map(|b| match b {
                    TaskBody::Grid { result, .. } => Ok(result),
                    TaskBody::Layout { .. } => Err(sharding(format!(
                        "task {s} is a layout search in the shards, a coverage grid here"
                    ))),
                });
                let mut merged = parts.next().ok_or_else(|| sharding("no shards".into()))??;
                for p in parts {
                    let p = p?;
                    if p.epochs != merged.epochs
                        || p.satellites != merged.satellites
                        || p.config != merged.config
                    {
                        return Err(sharding(format!(
                            "task {s}: the shards evaluated different epochs or satellites"
                        )));
                    }
                    merged.points.extend(p.points);
                }
                if merged.points.len() != grid.len()
                    || merged
                        .points
                        .iter()
                        .zip(grid.geodetic())
                        .any(|(p, g)| p.site != *g)
                {
                    return Err(sharding(format!(
                        "task {s}: the shards' points ({}) do not tile the grid ({} points)",
                        merged.points.len(),
                        grid.len()
                    )));
                }
                merged.weights = grid.weights().to_vec();
                merged.series = Vec::new();
                merged.config = Some(Box::new(cfg.clone()));
                Ok(merged)
            }
        }
    }
}
