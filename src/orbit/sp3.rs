//! Precise orbits: Lagrange interpolation of an [`Sp3Product`] (positions), linear
//! interpolation of its clocks, analytic velocity from the interpolating polynomial.
//!
//! Position: up to `order + 1` valid nodes around the epoch define
//!
//! ```text
//! P(t) = Σ_j r_j ℓ_j(t),   ℓ_j(t) = Π_{i≠j} (t − t_i)/(t_j − t_i)
//! P'(t) = Σ_j r_j ℓ'_j(t), ℓ'_j(t) = Σ_{k≠j} 1/(t_j − t_k) · Π_{i≠j,k} (t − t_i)/(t_j − t_i)
//! ```
//!
//! (the product form of ℓ'_j has no division by t − t_i, so it is exact at the nodes).
//!
//! Window rules (the honest window):
//! - The epoch must lie between two valid nodes at most `(1 + max_skipped)` grid intervals
//!   apart (default 2 bad nodes bridged); never extrapolation, never across a longer gap.
//! - The window is a run of valid nodes in which no two neighbours are further apart than
//!   that; it is centred on the epoch when the run allows and shifted onto the available
//!   side near a gap or an end of the table (nodes from both files of a stitched product are
//!   one run).
//!   The full order is kept on a shifted window: a one-sided window amplifies the node
//!   noise (Lebesgue constant up to ≈ 30 for 9 + 1 nodes: cm level on 5-min nodes, measured
//!   on COD C11 before a gap in `tests/sp3_gaps.rs`), but a lower order costs more in
//!   truncation (order 5 at the last 5-min interval ≈ 1 cm for a MEO, ≈ 2 m on 15-min nodes).
//! - When the run holds fewer than `order + 1` nodes the order is lowered, down to
//!   `min_order` (default [`DEFAULT_MIN_ORDER`] = 5); below that the call fails. The order
//!   used is reported by [`Sp3Source::interpolate`]. Truncation error of a centred window on
//!   a 5-min grid for a MEO orbit (ω h ≈ 0.04): order 9 ≈ µm, order 5 ≈ 1 mm, order 3 ≈ 1 m
//!   (so 3 is allowed only when asked for).
//! - At a node epoch the position is the node value (bit for bit).
//! - Nodes flagged predicted are used unless `exclude_predicted`; a state is marked
//!   predicted when any node of its window is.
//!
//! Clocks are not smooth enough for high-order polynomials (jumps, white noise at the
//! 10 ps level); they are interpolated linearly between the two bracketing valid values when
//! those are at most two grid intervals apart, else the state has no clock.

use std::path::Path;

use hifitime::Epoch;
use nalgebra::Vector3;

use crate::ephemeris::{Sp3MergeOptions, Sp3Product};
use crate::frames::Frame;
use crate::id::SatId;

use super::{OrbitError, OrbitSource, SatState};

/// Default interpolation order (10 nodes): ≈ mm on 5-min and 15-min GNSS grids.
pub const DEFAULT_ORDER: usize = 9;

/// Default lowest order accepted near a gap (6 nodes): ≈ 1 mm on a 5-min grid (MEO).
pub const DEFAULT_MIN_ORDER: usize = 5;

/// Lowest `min_order` that can be asked for (4 nodes; metre level for MEO on 5-min nodes).
pub const LOWEST_ORDER: usize = 3;

/// Largest order (18 nodes).
pub const HIGHEST_ORDER: usize = 17;

/// How an [`Sp3Source`] interpolates.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Sp3Options {
    /// Interpolation order where the nodes allow it: odd, 3..=17 (default 9).
    pub order: usize,
    /// Lowest order accepted near a gap or short run, `LOWEST_ORDER..=order` (default 5).
    pub min_order: usize,
    /// Bad or missing nodes bridged between two valid ones (default 2).
    pub max_skipped: usize,
    /// Leave out nodes flagged predicted (default false).
    pub exclude_predicted: bool,
}

impl Default for Sp3Options {
    fn default() -> Self {
        Sp3Options {
            order: DEFAULT_ORDER,
            min_order: DEFAULT_MIN_ORDER,
            max_skipped: 2,
            exclude_predicted: false,
        }
    }
}

/// One interpolated state with how it was obtained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sp3State {
    /// The state.
    pub state: SatState,
    /// Order of the polynomial used (nodes − 1); lower than asked near gaps.
    pub order: usize,
    /// Whether a node of the window is flagged predicted.
    pub predicted: bool,
    /// First and last node epoch of the window.
    pub window: (Epoch, Epoch),
}

/// An [`OrbitSource`] over an SP3 product.
#[derive(Debug, Clone)]
pub struct Sp3Source {
    product: Sp3Product,
    sats: Vec<SatId>,
    /// Node times, s since the first epoch of the product.
    t_s: Vec<f64>,
    options: Sp3Options,
    /// Largest distance between two neighbouring valid nodes of one window, s.
    max_step_s: f64,
    label: String,
}

impl Sp3Source {
    /// A source interpolating with a polynomial of odd `order` (3 ≤ order ≤ 17; default
    /// [`DEFAULT_ORDER`]), the other options at their defaults ([`Sp3Options`]).
    pub fn new(product: Sp3Product, order: usize) -> Result<Self, OrbitError> {
        Self::with_options(
            product,
            Sp3Options {
                order,
                min_order: DEFAULT_MIN_ORDER.min(order),
                ..Sp3Options::default()
            },
        )
    }

    /// One source over several SP3 files ([`Sp3Product::from_files_with`]).
    pub fn from_files<P: AsRef<Path>>(
        paths: &[P],
        merge: &Sp3MergeOptions,
        options: Sp3Options,
    ) -> Result<Self, OrbitError> {
        Self::with_options(Sp3Product::from_files_with(paths, merge)?, options)
    }

    /// A source with explicit options.
    pub fn with_options(product: Sp3Product, options: Sp3Options) -> Result<Self, OrbitError> {
        let sats: Vec<SatId> = product.satellites.iter().map(|s| s.sat).collect();
        let first = sats.first().copied();
        let invalid = |reason: String| match first {
            Some(sat) => OrbitError::InvalidElements { sat, reason },
            None => OrbitError::InvalidElements {
                sat: SatId::new(crate::id::Constellation::Gps, 1).expect("G01 is valid"),
                reason,
            },
        };
        let order = options.order;
        if order.is_multiple_of(2) || !(LOWEST_ORDER..=HIGHEST_ORDER).contains(&order) {
            return Err(invalid(format!(
                "SP3 interpolation order must be odd and in 3..=17, got {order}"
            )));
        }
        if !(LOWEST_ORDER..=order).contains(&options.min_order) {
            return Err(invalid(format!(
                "SP3 minimum order must be in {LOWEST_ORDER}..={order}, got {}",
                options.min_order
            )));
        }
        if sats.is_empty() {
            return Err(invalid("SP3 product has no satellites".to_string()));
        }
        let t0 = product.epochs[0];
        let t_s: Vec<f64> = product
            .epochs
            .iter()
            .map(|e| (*e - t0).to_seconds())
            .collect();
        let interval = if product.epoch_interval_s > 0.0 {
            product.epoch_interval_s
        } else {
            1.0
        };
        let max_step_s = (1 + options.max_skipped) as f64 * interval * (1.0 + 1e-9);
        let files = match product.merge.files {
            0 | 1 => String::new(),
            n => format!(", {n} files"),
        };
        let label = format!(
            "SP3 {} {} ({} satellites, {} epochs{files})",
            product.agency,
            product.coordinate_system,
            sats.len(),
            t_s.len()
        );
        Ok(Sp3Source {
            product,
            sats,
            t_s,
            options,
            max_step_s,
            label,
        })
    }

    /// Interpolation order in use where the nodes allow it.
    pub fn order(&self) -> usize {
        self.options.order
    }

    /// Options in use.
    pub fn options(&self) -> &Sp3Options {
        &self.options
    }

    /// The product interpolated.
    pub fn product(&self) -> &Sp3Product {
        &self.product
    }

    /// Time span of the table.
    pub fn span(&self) -> (Epoch, Epoch) {
        let e = &self.product.epochs;
        (e[0], e[e.len() - 1])
    }

    /// The intervals over which `sat` can be interpolated: runs of valid nodes (neighbours
    /// at most `1 + max_skipped` grid intervals apart) holding at most `min_order + 1`
    /// nodes, from first to last node. Empty for an unknown satellite.
    pub fn served_intervals(&self, sat: SatId) -> Vec<(Epoch, Epoch)> {
        let Ok(idx) = self.sats.binary_search(&sat) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut run: Option<(usize, usize, usize)> = None; // (first, last, count)
        let e = &self.product.epochs;
        let need = self.options.min_order + 1;
        for i in (0..self.t_s.len()).filter(|&i| self.valid(idx, i, None)) {
            run = match run {
                Some((a, b, c)) if self.t_s[i] - self.t_s[b] <= self.max_step_s => {
                    Some((a, i, c + 1))
                }
                Some((a, b, c)) => {
                    if c >= need {
                        out.push((e[a], e[b]));
                    }
                    Some((i, i, 1))
                }
                None => Some((i, i, 1)),
            };
        }
        if let Some((a, b, c)) = run {
            if c >= need {
                out.push((e[a], e[b]));
            }
        }
        out
    }

    fn valid(&self, idx: usize, i: usize, skip: Option<usize>) -> bool {
        let s = &self.product.satellites[idx];
        Some(i) != skip
            && s.position_m[i].is_some()
            && !(self.options.exclude_predicted && s.predicted.get(i).copied().unwrap_or(false))
    }

    /// Interpolate, leaving out node `skip` (for leave-one-out validation).
    pub fn state_without_node(
        &self,
        sat: SatId,
        epoch: Epoch,
        skip: Option<usize>,
    ) -> Result<SatState, OrbitError> {
        self.interpolate_without_node(sat, epoch, skip)
            .map(|s| s.state)
    }

    /// The state with the order used and its prediction flag.
    pub fn interpolate(&self, sat: SatId, epoch: Epoch) -> Result<Sp3State, OrbitError> {
        self.interpolate_without_node(sat, epoch, None)
    }

    /// [`Sp3Source::interpolate`] leaving out node `skip`.
    pub fn interpolate_without_node(
        &self,
        sat: SatId,
        epoch: Epoch,
        skip: Option<usize>,
    ) -> Result<Sp3State, OrbitError> {
        let idx = self
            .sats
            .binary_search(&sat)
            .map_err(|_| OrbitError::UnknownSatellite { sat })?;
        let data = &self.product.satellites[idx];
        let t = (epoch - self.product.epochs[0]).to_seconds();
        let fail = |reason: String| OrbitError::Interpolation { sat, epoch, reason };
        let n = self.t_s.len();
        let (start, end) = self.span();
        if !t.is_finite() || t < self.t_s[0] || t > self.t_s[n - 1] {
            return Err(OrbitError::OutsideValidity {
                sat,
                epoch,
                start,
                end,
            });
        }
        let valid = |i: usize| self.valid(idx, i, skip);
        // k: last node with t_k ≤ t
        let k = match self.t_s.binary_search_by(|x| x.total_cmp(&t)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let want = self.options.order + 1;
        let span = self.max_step_s;
        // Bracketing valid nodes: b (t_b ≤ t) and a (t_a ≥ t), within one step of each other.
        let lo_limit = t - span;
        let b = (0..=k)
            .rev()
            .take_while(|&i| self.t_s[i] >= lo_limit)
            .find(|&i| valid(i));
        let exact = b.filter(|&i| self.t_s[i] == t);
        let a = match exact {
            Some(i) => Some(i),
            None => (k + 1..n)
                .take_while(|&i| self.t_s[i] <= t + span)
                .find(|&i| valid(i)),
        };
        let (Some(b), Some(a)) = (b, a) else {
            return Err(fail(format!(
                "no valid node within {:.0} s on {} side: would extrapolate or bridge a gap",
                span,
                if b.is_none() {
                    "the earlier"
                } else {
                    "the later"
                }
            )));
        };
        if self.t_s[a] - self.t_s[b] > span {
            return Err(fail(format!(
                "gap of {:.0} s between the valid nodes around the epoch",
                self.t_s[a] - self.t_s[b]
            )));
        }
        // Grow the run outwards from the bracket, neighbours at most `span` apart.
        let mut left: [usize; HIGHEST_ORDER + 1] = [0; HIGHEST_ORDER + 1];
        let mut right: [usize; HIGHEST_ORDER + 1] = [0; HIGHEST_ORDER + 1];
        let (mut nl, mut nr) = (1usize, 0usize);
        left[0] = b;
        let mut last = b;
        let mut i = b;
        while nl < want && i > 0 {
            i -= 1;
            if self.t_s[last] - self.t_s[i] > span {
                break;
            }
            if valid(i) {
                left[nl] = i;
                nl += 1;
                last = i;
            }
        }
        if a != b {
            right[0] = a;
            nr = 1;
        }
        let (mut last, mut i) = (a, a);
        while nr < want && i + 1 < n {
            i += 1;
            if self.t_s[i] - self.t_s[last] > span {
                break;
            }
            if valid(i) {
                right[nr] = i;
                nr += 1;
                last = i;
            }
        }
        // Balanced choice: half each side when both allow, the rest from the other side.
        let total = (nl + nr).min(want);
        let mut take_l = nl.min(total.div_ceil(2).max(total - nr.min(total)));
        let take_r = (total - take_l).min(nr);
        take_l = (total - take_r).min(nl);
        let used = take_l + take_r;
        if used < self.options.min_order + 1 {
            return Err(fail(format!(
                "{used} valid nodes without a gap around the epoch, order {} needs at least {}",
                self.options.min_order,
                self.options.min_order + 1
            )));
        }
        let mut nodes: [usize; HIGHEST_ORDER + 1] = [0; HIGHEST_ORDER + 1];
        for j in 0..take_l {
            nodes[j] = left[take_l - 1 - j];
        }
        nodes[take_l..used].copy_from_slice(&right[..take_r]);
        let nodes = &nodes[..used];
        // Lagrange weights in units of the grid interval (conditioning).
        let scale = if self.product.epoch_interval_s > 0.0 {
            self.product.epoch_interval_s
        } else {
            1.0
        };
        let x = t / scale;
        let mut xs = [0.0f64; HIGHEST_ORDER + 1];
        for (j, &i) in nodes.iter().enumerate() {
            xs[j] = self.t_s[i] / scale;
        }
        let xs = &xs[..used];
        let mut pos = Vector3::zeros();
        let mut vel = Vector3::zeros();
        for j in 0..used {
            let mut lj = 1.0;
            for i in 0..used {
                if i != j {
                    lj *= (x - xs[i]) / (xs[j] - xs[i]);
                }
            }
            let mut dlj = 0.0;
            for kk in 0..used {
                if kk == j {
                    continue;
                }
                let mut p = 1.0 / (xs[j] - xs[kk]);
                for i in 0..used {
                    if i != j && i != kk {
                        p *= (x - xs[i]) / (xs[j] - xs[i]);
                    }
                }
                dlj += p;
            }
            let rj = data.position_m[nodes[j]].expect("valid node");
            pos += rj * lj;
            vel += rj * dlj;
        }
        vel /= scale;
        if let Some(i) = exact {
            pos = data.position_m[i].expect("valid node");
        }
        let predicted = nodes
            .iter()
            .any(|&i| data.predicted.get(i).copied().unwrap_or(false));
        let e = &self.product.epochs;
        let state = SatState {
            sat,
            epoch,
            frame: Frame::Itrf,
            position_m: pos,
            velocity_m_s: vel,
            clock_offset_s: self.clock(idx, t, k),
        };
        super::plausible::check_state(&state)?;
        Ok(Sp3State {
            state,
            order: used - 1,
            predicted,
            window: (e[nodes[0]], e[nodes[used - 1]]),
        })
    }

    /// Linear clock interpolation between the bracketing valid values (≤ 2 intervals apart).
    fn clock(&self, idx: usize, t: f64, k: usize) -> Option<f64> {
        let c = &self.product.satellites[idx].clock_s;
        let n = c.len();
        let reach = 2.0 * self.product.epoch_interval_s.max(0.0) * (1.0 + 1e-9);
        let b = (0..=k)
            .rev()
            .take_while(|&i| t - self.t_s[i] <= reach)
            .find(|&i| c[i].is_some())?;
        if self.t_s[b] == t {
            return c[b];
        }
        let a = (k + 1..n)
            .take_while(|&i| self.t_s[i] - self.t_s[b] <= reach)
            .find(|&i| c[i].is_some())?;
        let (cb, ca) = (c[b]?, c[a]?);
        let f = (t - self.t_s[b]) / (self.t_s[a] - self.t_s[b]);
        Some(cb + f * (ca - cb))
    }
}

impl OrbitSource for Sp3Source {
    fn satellites(&self) -> &[SatId] {
        &self.sats
    }

    fn state_at(&self, sat: SatId, epoch: Epoch) -> Result<SatState, OrbitError> {
        self.state_without_node(sat, epoch, None)
    }

    fn describe(&self) -> String {
        self.label.clone()
    }

    fn served_intervals(&self, sat: SatId) -> Option<Vec<(Epoch, Epoch)>> {
        Some(Sp3Source::served_intervals(self, sat))
    }
}
