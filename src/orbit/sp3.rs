//! Precise orbits: Lagrange interpolation of an [`Sp3Product`] (positions), linear
//! interpolation of its clocks, analytic velocity from the interpolating polynomial.
//!
//! Position: the `order + 1` valid nodes nearest the epoch (balanced on both sides, bad
//! values skipped) define
//!
//! ```text
//! P(t) = Σ_j r_j ℓ_j(t),   ℓ_j(t) = Π_{i≠j} (t − t_i)/(t_j − t_i)
//! P'(t) = Σ_j r_j ℓ'_j(t), ℓ'_j(t) = Σ_{k≠j} 1/(t_j − t_k) · Π_{i≠j,k} (t − t_i)/(t_j − t_i)
//! ```
//!
//! (the product form of ℓ'_j has no division by t − t_i, so it is exact at the nodes).
//! The epoch must lie between nodes with values on both sides — no extrapolation — and the
//! nodes may span at most `order + 1 + max_skipped` grid intervals, so a gap of bad values
//! larger than `max_skipped` makes the call fail instead of stretching the polynomial.
//!
//! Clocks are not smooth enough for high-order polynomials (jumps, white noise at the
//! 10 ps level); they are interpolated linearly between the two bracketing valid values when
//! those are at most two grid intervals apart, else the state has no clock.

use hifitime::Epoch;
use nalgebra::Vector3;

use crate::ephemeris::Sp3Product;
use crate::frames::Frame;
use crate::id::SatId;

use super::{OrbitError, OrbitSource, SatState};

/// Default interpolation order (10 nodes): ≈ mm on 5-min and 15-min GNSS grids.
pub const DEFAULT_ORDER: usize = 9;

/// An [`OrbitSource`] over an SP3 product.
#[derive(Debug, Clone)]
pub struct Sp3Source {
    product: Sp3Product,
    sats: Vec<SatId>,
    /// Node times, s since the first epoch of the product.
    t_s: Vec<f64>,
    order: usize,
    max_skipped: usize,
    label: String,
}

impl Sp3Source {
    /// A source interpolating with a polynomial of odd `order` (3 ≤ order ≤ 17; default
    /// [`DEFAULT_ORDER`]), allowing up to 2 bad nodes inside the interpolation window.
    pub fn new(product: Sp3Product, order: usize) -> Result<Self, OrbitError> {
        let sats: Vec<SatId> = product.satellites.iter().map(|s| s.sat).collect();
        let first = sats.first().copied();
        let invalid = |reason: String| match first {
            Some(sat) => OrbitError::InvalidElements { sat, reason },
            None => OrbitError::InvalidElements {
                sat: SatId::new(crate::id::Constellation::Gps, 1).expect("G01 is valid"),
                reason,
            },
        };
        if order.is_multiple_of(2) || !(3..=17).contains(&order) {
            return Err(invalid(format!(
                "SP3 interpolation order must be odd and in 3..=17, got {order}"
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
        let label = format!(
            "SP3 {} {} ({} satellites, {} epochs)",
            product.agency,
            product.coordinate_system,
            sats.len(),
            t_s.len()
        );
        Ok(Sp3Source {
            product,
            sats,
            t_s,
            order,
            max_skipped: 2,
            label,
        })
    }

    /// Interpolation order in use.
    pub fn order(&self) -> usize {
        self.order
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

    /// Interpolate, leaving out node `skip` (for leave-one-out validation).
    pub fn state_without_node(
        &self,
        sat: SatId,
        epoch: Epoch,
        skip: Option<usize>,
    ) -> Result<SatState, OrbitError> {
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
        let valid = |i: usize| Some(i) != skip && data.position_m[i].is_some();
        // k: last node with t_k ≤ t
        let k = match self.t_s.binary_search_by(|x| x.total_cmp(&t)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        // Collect order+1 valid nodes, alternating left (≤ t) and right (> t).
        let want = self.order + 1;
        let mut nodes: Vec<usize> = Vec::with_capacity(want);
        let (mut l, mut r) = (k as isize, k as isize + 1);
        while nodes.len() < want && (l >= 0 || (r as usize) < n) {
            let left_count = nodes.iter().filter(|&&i| self.t_s[i] <= t).count();
            let take_left = l >= 0 && (left_count * 2 < want || r as usize >= n);
            if take_left {
                if valid(l as usize) {
                    nodes.push(l as usize);
                }
                l -= 1;
            } else if (r as usize) < n {
                if valid(r as usize) {
                    nodes.push(r as usize);
                }
                r += 1;
            } else {
                l -= 1;
            }
        }
        if nodes.len() < want {
            return Err(fail(format!(
                "{} valid nodes, order {} needs {want}",
                nodes.len(),
                self.order
            )));
        }
        nodes.sort_unstable();
        let (lo, hi) = (nodes[0], nodes[want - 1]);
        let exact = nodes.iter().any(|&i| self.t_s[i] == t);
        if !exact && (self.t_s[lo] > t || self.t_s[hi] < t) {
            return Err(fail(
                "no valid node on one side: would extrapolate".to_string(),
            ));
        }
        if hi - lo > want - 1 + self.max_skipped {
            return Err(fail(format!(
                "gap: the {want} valid nodes span {} grid intervals (at most {} bad nodes allowed)",
                hi - lo,
                self.max_skipped
            )));
        }
        // The nodes bracketing t must not be separated by a gap of more than max_skipped.
        let below = nodes.iter().rev().find(|&&i| self.t_s[i] <= t).copied();
        let above = nodes.iter().find(|&&i| self.t_s[i] >= t).copied();
        if let (Some(b), Some(a)) = (below, above) {
            if a - b > 1 + self.max_skipped {
                return Err(fail(format!(
                    "gap of {} bad nodes around the epoch",
                    a - b - 1
                )));
            }
        }
        // Lagrange weights in units of the grid interval (conditioning).
        let scale = if self.product.epoch_interval_s > 0.0 {
            self.product.epoch_interval_s
        } else {
            1.0
        };
        let x = t / scale;
        let xs: Vec<f64> = nodes.iter().map(|&i| self.t_s[i] / scale).collect();
        let mut pos = Vector3::zeros();
        let mut vel = Vector3::zeros();
        for j in 0..want {
            let mut lj = 1.0;
            for i in 0..want {
                if i != j {
                    lj *= (x - xs[i]) / (xs[j] - xs[i]);
                }
            }
            let mut dlj = 0.0;
            for kk in 0..want {
                if kk == j {
                    continue;
                }
                let mut p = 1.0 / (xs[j] - xs[kk]);
                for i in 0..want {
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
        Ok(SatState {
            sat,
            epoch,
            frame: Frame::Itrf,
            position_m: pos,
            velocity_m_s: vel,
            clock_offset_s: self.clock(idx, t, k),
        })
    }

    /// Linear clock interpolation between the bracketing valid values (≤ 2 intervals apart).
    fn clock(&self, idx: usize, t: f64, k: usize) -> Option<f64> {
        let c = &self.product.satellites[idx].clock_s;
        let n = c.len();
        let b = (k.saturating_sub(1)..=k).rev().find(|&i| c[i].is_some())?;
        if self.t_s[b] == t {
            return c[b];
        }
        let a = (k + 1..(k + 3).min(n)).find(|&i| c[i].is_some())?;
        if a - b > 2 {
            return None;
        }
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
}
