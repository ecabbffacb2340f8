//! Layout search: which k candidate sites, added to a base network, best improve tracking.
//!
//! Everything geometric is done once in [`LayoutProblem::new`]: for each satellite, the
//! epochs at which each candidate sees it (a bit set over epochs) and the epochs at which the
//! base network sees it with ≥ j stations, j = 1..=m (m = "tracked by ≥ m stations").
//! Evaluating a layout is then bit operations only. With Aⱼ = "≥ j of the added sites in
//! view" (A₀ = all epochs) built site by site as Aⱼ ← Aⱼ | (Aⱼ₋₁ & V_site), and
//! Bⱼ = "≥ j base stations in view" (B₀ = all epochs),
//!
//! ```text
//! tracked(≥ m) = ⋃_{j=0..m} ( B_{m−j} ∩ A_j )
//! ```
//!
//! Greedy and exhaustive searches run in parallel (rayon) and are deterministic: ties are
//! broken by the lexicographically smallest site indices.

use std::cmp::Ordering;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::bits::{longest_gap_words, run_stats_words, EpochBits};
use super::{Network, NetworkError, OrbitSamples, Station};
use crate::id::SatId;

/// Largest supported "tracked by ≥ m stations" in layout search.
pub const MAX_LAYOUT_MIN_STATIONS: u16 = 8;
/// Largest number of layouts an exhaustive search accepts.
pub const MAX_EXHAUSTIVE_LAYOUTS: u128 = 50_000_000;

/// What a layout is judged by (over the satellites of the problem), named the same at every
/// door (`--objective`, scenario `objective`, JSON outputs): `mean-tracked`, `min-tracked`,
/// `longest-gap`, `mean-longest-gap`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Objective {
    /// Maximise the mean tracked fraction.
    #[serde(rename = "mean-tracked")]
    MeanTrackedFraction,
    /// Maximise the smallest tracked fraction.
    #[serde(rename = "min-tracked")]
    MinTrackedFraction,
    /// Minimise the longest gap of any satellite, s.
    LongestGap,
    /// Minimise the mean over satellites of each one's longest gap, s.
    MeanLongestGap,
}

/// How layouts are searched, named the same at every door (`--method`, scenario `method`):
/// `greedy` (add the best site k times), `exhaustive` (every k-subset of the candidates) or
/// `both` (to compare).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SearchMethod {
    /// Add the best site k times.
    Greedy,
    /// Score every k-subset of the candidates.
    Exhaustive,
    /// Both, to compare.
    Both,
}

impl SearchMethod {
    /// The three methods.
    pub const ALL: [SearchMethod; 3] = [
        SearchMethod::Greedy,
        SearchMethod::Exhaustive,
        SearchMethod::Both,
    ];

    /// The name at every door.
    pub fn name(self) -> &'static str {
        match self {
            SearchMethod::Greedy => "greedy",
            SearchMethod::Exhaustive => "exhaustive",
            SearchMethod::Both => "both",
        }
    }

    /// Whether the greedy search runs.
    pub fn greedy(self) -> bool {
        matches!(self, SearchMethod::Greedy | SearchMethod::Both)
    }

    /// Whether the exhaustive search runs.
    pub fn exhaustive(self) -> bool {
        matches!(self, SearchMethod::Exhaustive | SearchMethod::Both)
    }
}

/// Reads a name of `ALL` (case-insensitive); the error lists the names.
fn parse_named<T: Copy>(
    what: &str,
    text: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<T, String> {
    let t = text.trim();
    all.iter()
        .copied()
        .find(|&v| name(v).eq_ignore_ascii_case(t))
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|&v| name(v)).collect();
            format!("unknown {what} '{t}'; expected {}", names.join(", "))
        })
}

impl std::str::FromStr for SearchMethod {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        parse_named("search method", s, &SearchMethod::ALL, SearchMethod::name)
    }
}

impl std::fmt::Display for SearchMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Objective {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        parse_named("objective", s, &Objective::ALL, Objective::name)
    }
}

impl std::fmt::Display for Objective {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Objective {
    /// The four objectives.
    pub const ALL: [Objective; 4] = [
        Objective::MeanTrackedFraction,
        Objective::MinTrackedFraction,
        Objective::LongestGap,
        Objective::MeanLongestGap,
    ];

    /// The name at every door.
    pub fn name(self) -> &'static str {
        match self {
            Objective::MeanTrackedFraction => "mean-tracked",
            Objective::MinTrackedFraction => "min-tracked",
            Objective::LongestGap => "longest-gap",
            Objective::MeanLongestGap => "mean-longest-gap",
        }
    }

    /// Whether larger values are better.
    pub fn maximise(self) -> bool {
        matches!(
            self,
            Objective::MeanTrackedFraction | Objective::MinTrackedFraction
        )
    }

    /// `Less` when `a` is better than `b`.
    pub fn cmp_values(self, a: f64, b: f64) -> Ordering {
        if self.maximise() {
            b.total_cmp(&a)
        } else {
            a.total_cmp(&b)
        }
    }

    /// A value of this objective for people: fractions in %, gaps in hours, two decimals.
    pub fn show(self, value: f64) -> String {
        if self.maximise() {
            format!("{:.2} %", 100.0 * value)
        } else {
            format!("{:.2} h", value / 3600.0)
        }
    }
}

/// What a layout search found, as `gnss-interop optimize` (`ranking.json`) and a scenario's
/// `[layout_search]` (`results.json`) record it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayoutOutcome {
    /// The objective.
    pub objective: Objective,
    /// Objective of the base network alone (no site added).
    pub base_objective: f64,
    /// Number of candidate sites.
    pub candidates: usize,
    /// Exhaustive ranking (when asked).
    pub exhaustive: Option<LayoutRanking>,
    /// Greedy choice (when asked).
    pub greedy: Option<GreedyResult>,
}

impl LayoutOutcome {
    /// The best layout found: the exhaustive ranking's first, else the greedy search's last
    /// step.
    pub fn best(&self) -> Option<&LayoutScore> {
        self.exhaustive
            .as_ref()
            .and_then(|e| e.ranking.first())
            .or_else(|| self.greedy.as_ref().and_then(|g| g.steps.last()))
    }

    /// The ranking table ([`ranking_rows`]).
    pub fn rows(&self) -> Vec<RankingRow> {
        ranking_rows(self.greedy.as_ref(), self.exhaustive.as_ref())
    }
}

/// One row of the layout ranking table: greedy steps first (rank = number of sites), then the
/// exhaustive ranking (rank 1 = best).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankingRow {
    /// `greedy` or `exhaustive`.
    pub method: &'static str,
    /// Greedy: sites after this step; exhaustive: place in the ranking.
    pub rank: usize,
    /// Objective value (fraction, or seconds for gaps).
    pub objective: f64,
    /// Candidate indices, space-separated.
    pub sites: String,
    /// Candidate ids, space-separated.
    pub ids: String,
}

/// The ranking table of a search, as both `gnss-interop optimize` and a scenario's
/// `[layout_search]` write it (`report::write::write_csv`).
pub fn ranking_rows(
    greedy: Option<&GreedyResult>,
    exhaustive: Option<&LayoutRanking>,
) -> Vec<RankingRow> {
    let row = |method, rank, st: &LayoutScore| RankingRow {
        method,
        rank,
        objective: st.objective,
        sites: st
            .sites
            .iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(" "),
        ids: st.ids.join(" "),
    };
    let g = greedy
        .into_iter()
        .flat_map(|g| g.steps.iter().enumerate())
        .map(|(i, st)| row("greedy", i + 1, st));
    let e = exhaustive
        .into_iter()
        .flat_map(|e| e.ranking.iter().enumerate())
        .map(|(i, st)| row("exhaustive", i + 1, st));
    g.chain(e).collect()
}

/// One evaluated layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayoutScore {
    /// Candidate indices, ascending.
    pub sites: Vec<usize>,
    /// Candidate ids, in the same order.
    pub ids: Vec<String>,
    /// Objective value (fraction, or seconds for gap objectives).
    pub objective: f64,
}

/// Result of an exhaustive search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayoutRanking {
    /// Objective used.
    pub objective: Objective,
    /// Sites per layout.
    pub k: usize,
    /// Layouts evaluated.
    pub evaluated: u64,
    /// Best layouts first (at most the number asked for).
    pub ranking: Vec<LayoutScore>,
}

/// Result of a greedy search: the layout after each addition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GreedyResult {
    /// Objective used.
    pub objective: Objective,
    /// Objective of the base network alone.
    pub base_objective: f64,
    /// `steps[i]` has i + 1 sites.
    pub steps: Vec<LayoutScore>,
}

/// Tracking of one satellite under a layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatLayoutStats {
    /// Satellite.
    pub sat: SatId,
    /// Fraction of epochs tracked by ≥ m stations.
    pub tracked_fraction: f64,
    /// Longest untracked run, s.
    pub longest_gap_s: f64,
}

/// Precomputed visibility for layout search.
///
/// ```
/// use gnss_interop::network::{LayoutProblem, Network, Objective, OrbitSamples, TimeSpan};
/// use gnss_interop::orbit::nominal::NominalConstellation;
/// use hifitime::{Epoch, Unit};
///
/// let t0 = Epoch::from_gregorian_utc_hms(2023, 1, 1, 0, 0, 0);
/// let span = TimeSpan::new(t0, Unit::Hour * 6, Unit::Minute * 15)?;
/// let samples = OrbitSamples::new(&NominalConstellation::glonass(), span)?;
/// // Which one of the 2022 sites in China adds most to the domestic GLONASS network?
/// let base = Network::builtin("glonass-domestic")?;
/// let candidates = Network::builtin("glonass-china-2022")?;
/// let problem = LayoutProblem::new(&samples, Some(&base), candidates.stations(), 1)?;
/// let best = problem.greedy(1, Objective::MeanTrackedFraction)?;
/// let with_one = best.steps[0].objective;
/// // Adding a station never lowers the tracked fraction; both are fractions.
/// assert!(best.base_objective <= with_one && with_one <= 1.0);
/// assert_eq!(problem.evaluate(&[], Objective::MeanTrackedFraction)?, best.base_objective);
/// # Ok::<(), gnss_interop::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct LayoutProblem {
    min_stations: u16,
    n_epochs: usize,
    n_words: usize,
    step_s: f64,
    candidates: Vec<Station>,
    sats: Vec<SatId>,
    /// `[sat][j-1]`: words of "≥ j base stations", j = 1..=m.
    base_ge: Vec<Vec<Vec<u64>>>,
    /// `[sat]`: candidate words, candidate c at `c*n_words..(c+1)*n_words`.
    cand: Vec<Vec<u64>>,
}

/// Scratch space of one evaluation thread.
struct Scratch {
    tracked: Vec<u64>,
    a: Vec<u64>,
}

impl LayoutProblem {
    /// Precompute visibility of the base network (optional) and of every candidate.
    ///
    /// Satellites enter the objective when at least one base or candidate station tracks
    /// their system and the source gave at least one state in the span.
    pub fn new(
        samples: &OrbitSamples,
        base: Option<&Network>,
        candidates: &[Station],
        min_stations: u16,
    ) -> Result<Self, NetworkError> {
        if min_stations == 0 || min_stations > MAX_LAYOUT_MIN_STATIONS {
            return Err(NetworkError::BadMinStations {
                min_stations,
                max: MAX_LAYOUT_MIN_STATIONS,
            });
        }
        if candidates.is_empty() {
            return Err(NetworkError::TooManySites {
                k: 1,
                candidates: 0,
            });
        }
        for c in candidates {
            c.validate()?;
        }
        let n = samples.span().n_epochs;
        let n_words = n.div_ceil(64);
        let base_st: &[Station] = base.map(|b| b.stations()).unwrap_or(&[]);
        let base_vis: Vec<Vec<EpochBits>> =
            base_st.par_iter().map(|s| samples.visibility(s)).collect();
        let cand_vis: Vec<Vec<EpochBits>> = candidates
            .par_iter()
            .map(|s| samples.visibility(s))
            .collect();
        let mut sats = Vec::new();
        let mut base_ge = Vec::new();
        let mut cand = Vec::new();
        for (s, &sat) in samples.satellites().iter().enumerate() {
            let c = sat.constellation();
            let relevant = base_st.iter().chain(candidates).any(|st| st.tracks(c))
                && (0..n).any(|i| samples.position_m(s, i).is_some());
            if !relevant {
                continue;
            }
            let mut counts = vec![0u16; n];
            for v in &base_vis {
                for (i, x) in counts.iter_mut().enumerate() {
                    if v[s].get(i) {
                        *x += 1;
                    }
                }
            }
            let ge: Vec<Vec<u64>> = (1..=min_stations)
                .map(|j| {
                    let mut b = EpochBits::zeros(n);
                    for (i, &x) in counts.iter().enumerate() {
                        if x >= j {
                            b.set(i);
                        }
                    }
                    b.words().to_vec()
                })
                .collect();
            let mut words = Vec::with_capacity(candidates.len() * n_words);
            for v in &cand_vis {
                words.extend_from_slice(v[s].words());
            }
            sats.push(sat);
            base_ge.push(ge);
            cand.push(words);
        }
        Ok(LayoutProblem {
            min_stations,
            n_epochs: n,
            n_words,
            step_s: samples.span().step_s(),
            candidates: candidates.to_vec(),
            sats,
            base_ge,
            cand,
        })
    }

    /// Candidates, indexed as in layouts.
    pub fn candidates(&self) -> &[Station] {
        &self.candidates
    }

    /// Satellites entering the objective.
    pub fn satellites(&self) -> &[SatId] {
        &self.sats
    }

    fn scratch(&self) -> Scratch {
        Scratch {
            tracked: vec![0; self.n_words],
            a: vec![0; self.n_words * self.min_stations as usize],
        }
    }

    fn check_sites(&self, sites: &[usize]) -> Result<(), NetworkError> {
        let mut v = sites.to_vec();
        v.sort_unstable();
        let dup = v.windows(2).any(|w| w[0] == w[1]);
        if dup || v.last().is_some_and(|&x| x >= self.candidates.len()) {
            return Err(NetworkError::BadLayout {
                sites: sites.to_vec(),
                reason: format!(
                    "indices must be distinct and below {}",
                    self.candidates.len()
                ),
            });
        }
        Ok(())
    }

    /// Tracked words of satellite `s` under `sites` into `out`; `a` is scratch of
    /// `m · n_words` words holding A₁…A_m.
    fn tracked_words(&self, s: usize, sites: &[usize], out: &mut [u64], a: &mut [u64]) {
        let m = self.min_stations as usize;
        let ge = &self.base_ge[s];
        let cw = &self.cand[s];
        let nw = self.n_words;
        if m == 1 {
            // tracked(≥ 1) = B₁ ∪ V_a ∪ V_b ∪ … (slice-wise, vectorisable).
            out.copy_from_slice(&ge[0]);
            for &c in sites {
                for (o, v) in out.iter_mut().zip(&cw[c * nw..(c + 1) * nw]) {
                    *o |= *v;
                }
            }
            return;
        }
        let top = m.min(sites.len());
        let a = &mut a[..top * nw];
        a.fill(0);
        for (added, &c) in sites.iter().enumerate() {
            let v = &cw[c * nw..(c + 1) * nw];
            // Aⱼ ← Aⱼ ∪ (Aⱼ₋₁ ∩ V), j from high to low; A₀ = all, so A₁ ← A₁ ∪ V.
            for j in (2..=top.min(added + 1)).rev() {
                let (lo, hi) = a.split_at_mut((j - 1) * nw);
                let prev = &lo[(j - 2) * nw..];
                for ((x, p), vv) in hi[..nw].iter_mut().zip(prev).zip(v) {
                    *x |= *p & *vv;
                }
            }
            if top >= 1 {
                for (x, vv) in a[..nw].iter_mut().zip(v) {
                    *x |= *vv;
                }
            }
        }
        // tracked = B_m ∪ ⋃_{j=1..top} (B_{m−j} ∩ A_j), with B₀ = all.
        out.copy_from_slice(&ge[m - 1]);
        for j in 1..=top {
            let aj = &a[(j - 1) * nw..j * nw];
            if j == m {
                for (o, x) in out.iter_mut().zip(aj) {
                    *o |= *x;
                }
            } else {
                for ((o, x), b) in out.iter_mut().zip(aj).zip(&ge[m - j - 1]) {
                    *o |= *x & *b;
                }
            }
        }
    }

    fn eval_with(&self, sites: &[usize], objective: Objective, sc: &mut Scratch) -> f64 {
        let n = self.n_epochs as f64;
        let ns = self.sats.len();
        if ns == 0 {
            return 0.0;
        }
        let mut acc = match objective {
            Objective::MinTrackedFraction => f64::INFINITY,
            _ => 0.0,
        };
        for s in 0..ns {
            self.tracked_words(s, sites, &mut sc.tracked, &mut sc.a);
            match objective {
                Objective::MeanTrackedFraction | Objective::MinTrackedFraction => {
                    let set: u32 = sc.tracked.iter().map(|w| w.count_ones()).sum();
                    let f = set as f64 / n;
                    if objective == Objective::MeanTrackedFraction {
                        acc += f;
                    } else {
                        acc = acc.min(f);
                    }
                }
                Objective::LongestGap | Objective::MeanLongestGap => {
                    let g = longest_gap_words(&sc.tracked, self.n_epochs) as f64 * self.step_s;
                    if objective == Objective::LongestGap {
                        acc = acc.max(g);
                    } else {
                        acc += g;
                    }
                }
            }
        }
        match objective {
            Objective::MeanTrackedFraction | Objective::MeanLongestGap => acc / ns as f64,
            _ => acc,
        }
    }

    /// Objective of one layout (empty `sites`: the base network alone).
    pub fn evaluate(&self, sites: &[usize], objective: Objective) -> Result<f64, NetworkError> {
        self.check_sites(sites)?;
        Ok(self.eval_with(sites, objective, &mut self.scratch()))
    }

    /// Per-satellite tracking under a layout.
    pub fn evaluate_detail(&self, sites: &[usize]) -> Result<Vec<SatLayoutStats>, NetworkError> {
        self.check_sites(sites)?;
        let mut sc = self.scratch();
        Ok((0..self.sats.len())
            .map(|s| {
                self.tracked_words(s, sites, &mut sc.tracked, &mut sc.a);
                let r = run_stats_words(&sc.tracked, self.n_epochs);
                SatLayoutStats {
                    sat: self.sats[s],
                    tracked_fraction: r.set as f64 / self.n_epochs as f64,
                    longest_gap_s: r.longest_gap as f64 * self.step_s,
                }
            })
            .collect())
    }

    fn score(&self, sites: Vec<usize>, objective: f64) -> LayoutScore {
        let ids = sites
            .iter()
            .map(|&c| self.candidates[c].id.clone())
            .collect();
        LayoutScore {
            sites,
            ids,
            objective,
        }
    }

    /// Greedy search: add, k times, the candidate that best improves the objective (ties: the
    /// lowest index). Greedy is optimal for k = 1; for k > 1 it need not be, since a site's
    /// gain depends on the sites already chosen.
    pub fn greedy(&self, k: usize, objective: Objective) -> Result<GreedyResult, NetworkError> {
        if k > self.candidates.len() {
            return Err(NetworkError::TooManySites {
                k,
                candidates: self.candidates.len(),
            });
        }
        let base_objective = self.eval_with(&[], objective, &mut self.scratch());
        let mut chosen: Vec<usize> = Vec::with_capacity(k);
        let mut steps = Vec::with_capacity(k);
        for _ in 0..k {
            let best = (0..self.candidates.len())
                .into_par_iter()
                .filter(|c| !chosen.contains(c))
                .map_init(
                    || (self.scratch(), Vec::with_capacity(k)),
                    |(sc, buf), c| {
                        buf.clear();
                        buf.extend_from_slice(&chosen);
                        buf.push(c);
                        (c, self.eval_with(buf, objective, sc))
                    },
                )
                .reduce_with(|x, y| match objective.cmp_values(x.1, y.1) {
                    Ordering::Less => x,
                    Ordering::Greater => y,
                    Ordering::Equal => {
                        if x.0 <= y.0 {
                            x
                        } else {
                            y
                        }
                    }
                });
            let Some((c, v)) = best else { break };
            chosen.push(c);
            let mut sorted = chosen.clone();
            sorted.sort_unstable();
            steps.push(self.score(sorted, v));
        }
        Ok(GreedyResult {
            objective,
            base_objective,
            steps,
        })
    }

    /// Number of layouts of `k` sites an exhaustive search evaluates: `C(n, k)` for `n`
    /// candidates. Refused when `k > n` or above `MAX_EXHAUSTIVE_LAYOUTS` (50 million).
    pub fn layout_count(&self, k: usize) -> Result<u64, NetworkError> {
        let n = self.candidates.len();
        if k > n {
            return Err(NetworkError::TooManySites { k, candidates: n });
        }
        let total = binomial(n as u128, k as u128);
        if total > MAX_EXHAUSTIVE_LAYOUTS {
            return Err(NetworkError::TooManyLayouts {
                layouts: total,
                limit: MAX_EXHAUSTIVE_LAYOUTS,
            });
        }
        Ok(total as u64)
    }

    /// Exhaustive search over all `C(n, k)` layouts; returns the best `keep` (all if `keep`
    /// is at least the number of layouts), best first, ties by ascending site indices.
    pub fn exhaustive(
        &self,
        k: usize,
        objective: Objective,
        keep: usize,
    ) -> Result<LayoutRanking, NetworkError> {
        let total = self.layout_count(k)?;
        self.exhaustive_ranks(k, objective, keep, 0..total)
    }

    /// The part of [`LayoutProblem::exhaustive`] over the layouts whose lexicographic rank
    /// (0-based, in the order of ascending site-index tuples) lies in `ranks`. Merging the
    /// rankings of any partition of `0..layout_count(k)` with [`LayoutRanking::merge`] gives
    /// exactly the ranking of the whole search (the ordering is total: objective, then site
    /// indices). `evaluated` counts the layouts of `ranks`.
    pub fn exhaustive_ranks(
        &self,
        k: usize,
        objective: Objective,
        keep: usize,
        ranks: std::ops::Range<u64>,
    ) -> Result<LayoutRanking, NetworkError> {
        let n = self.candidates.len();
        let total = self.layout_count(k)?;
        let ranks = ranks.start.min(total)..ranks.end.min(total);
        // Chunks of consecutive ranks in parallel: each starts from its unranked combination
        // and steps lexicographically.
        const CHUNK: u64 = 4096;
        let chunks: Vec<std::ops::Range<u64>> = (ranks.start..ranks.end)
            .step_by(CHUNK as usize)
            .map(|a| a..(a + CHUNK).min(ranks.end))
            .collect();
        let all = chunks
            .into_par_iter()
            .map(|chunk| {
                let mut sc = self.scratch();
                let mut out: Vec<(f64, Vec<usize>)> = Vec::new();
                let mut idx = unrank(n, k, chunk.start);
                for r in chunk.clone() {
                    let v = self.eval_with(&idx, objective, &mut sc);
                    out.push((v, idx.clone()));
                    if out.len() >= keep.saturating_mul(2).max(1024) {
                        trim_ranking(&mut out, objective, keep);
                    }
                    if r + 1 < chunk.end {
                        next_combination(&mut idx, n);
                    }
                }
                trim_ranking(&mut out, objective, keep);
                out
            })
            .reduce(Vec::new, |mut a, mut b| {
                a.append(&mut b);
                trim_ranking(&mut a, objective, keep);
                a
            });
        Ok(LayoutRanking {
            objective,
            k,
            evaluated: ranks.end - ranks.start,
            ranking: all.into_iter().map(|(v, s)| self.score(s, v)).collect(),
        })
    }
}

impl LayoutRanking {
    /// Merge the rankings of disjoint parts of one exhaustive search (same objective and
    /// `k`): the best `keep` of all, in the same total order as the search itself.
    pub fn merge(parts: Vec<LayoutRanking>, keep: usize) -> Result<LayoutRanking, NetworkError> {
        let mut it = parts.into_iter();
        let Some(mut acc) = it.next() else {
            return Err(NetworkError::Mismatch {
                reason: "no layout rankings to merge".into(),
            });
        };
        for p in it {
            if p.objective != acc.objective || p.k != acc.k {
                return Err(NetworkError::Mismatch {
                    reason: format!(
                        "cannot merge rankings of {:?}/k={} with {:?}/k={}",
                        acc.objective, acc.k, p.objective, p.k
                    ),
                });
            }
            acc.evaluated += p.evaluated;
            acc.ranking.extend(p.ranking);
        }
        let objective = acc.objective;
        acc.ranking.sort_by(|a, b| {
            objective
                .cmp_values(a.objective, b.objective)
                .then_with(|| a.sites.cmp(&b.sites))
        });
        acc.ranking.truncate(keep);
        Ok(acc)
    }
}

/// Sort best first (objective, then ascending site indices) and keep `keep`.
fn trim_ranking(v: &mut Vec<(f64, Vec<usize>)>, objective: Objective, keep: usize) {
    v.sort_by(|a, b| objective.cmp_values(a.0, b.0).then_with(|| a.1.cmp(&b.1)));
    v.truncate(keep);
}

/// The `rank`-th (0-based, lexicographic) `k`-combination of `0..n`.
fn unrank(n: usize, k: usize, mut rank: u64) -> Vec<usize> {
    let mut idx = Vec::with_capacity(k);
    let mut next = 0usize;
    for i in 0..k {
        // Smallest first element such that the combinations starting with it cover `rank`.
        loop {
            let with = binomial((n - next - 1) as u128, (k - i - 1) as u128) as u64;
            if rank < with {
                break;
            }
            rank -= with;
            next += 1;
        }
        idx.push(next);
        next += 1;
    }
    idx
}

/// Step `idx` (a `k`-combination of `0..n`, ascending) to the next in lexicographic order;
/// returns false after the last.
fn next_combination(idx: &mut [usize], n: usize) -> bool {
    let k = idx.len();
    for i in (0..k).rev() {
        if idx[i] < n - (k - i) {
            idx[i] += 1;
            for j in i + 1..k {
                idx[j] = idx[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

/// C(n, k).
fn binomial(n: u128, k: u128) -> u128 {
    if k > n {
        return 0;
    }
    let k = k.min(n - k);
    let mut r: u128 = 1;
    for i in 0..k {
        r = r.saturating_mul(n - i) / (i + 1);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::{binomial, next_combination, unrank};

    #[test]
    fn unrank_follows_lexicographic_order() {
        // Enumerate all C(7, 3) = 35 combinations by stepping and compare with unranking.
        let mut idx = vec![0, 1, 2];
        for r in 0..35u64 {
            assert_eq!(unrank(7, 3, r), idx, "rank {r}");
            let more = next_combination(&mut idx, 7);
            assert_eq!(more, r < 34);
        }
        assert_eq!(unrank(5, 0, 0), Vec::<usize>::new());
    }

    #[test]
    fn binomials() {
        // C(100, 3) = 100·99·98/6 = 161,700 (the benchmark size of the issue).
        assert_eq!(binomial(100, 3), 161_700);
        assert_eq!(binomial(5, 0), 1);
        assert_eq!(binomial(5, 5), 1);
        assert_eq!(binomial(3, 4), 0);
    }
}
