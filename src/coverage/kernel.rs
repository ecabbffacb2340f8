//! The grid × epoch kernel: visibility culling, exact visibility, normal-matrix accumulation and
//! streamed statistics for one row of the grid.
//!
//! # Loop structure
//!
//! Per row and epoch, each satellite's *candidate* points are found first: on a uniform latitude
//! row (every lat/lon grid) one closed-form longitude interval per satellite ([`RowArc`], one
//! `acos`), otherwise runs of 8-point blocks whose cone may see it. Then, segment by segment
//! (64 points, whose sums stay in L1), satellite by satellite in table order, the candidate
//! points are visited in lane groups of W = 4 points stored side by side (`[f64; 4]` arrays), so
//! that every operation compiles to packed SSE2 instructions with no gather and no per-pair
//! branch. Every point therefore sums its satellites in table order whatever the culling or
//! segmentation: results are bit-identical across thread counts and grid layouts.
//!
//! # Operation count per grid-point-epoch
//!
//! Constant mask, two systems, `PerConstellation`; ≈ 21 (global mean) to 28 (northern
//! mid-latitudes) candidate pairs per grid-point-epoch, ≈ all of them visible (the interval
//! only adds the lane-group rounding and a 0.6° margin):
//!
//! | step | flops |
//! |---|---|
//! | interval per satellite, row and epoch: 4 mul/add, ÷, acos, 3 floor/ceil; ÷ 360 points | ≈ 1 |
//! | per candidate pair: d = s − o (3), d·u (5), ‖d‖² (5), elevation test (5), √, ÷, w/‖d‖, w/‖d‖² (2) | 20 + √ + ÷ |
//! | per candidate pair: Σwℓℓᵀ (6 × 2), Σwℓ (3 × 2), Σw, count | 20 |
//! | Schur solve, four points per lane group (`solve_lanes`): S = P − Σ B D⁻¹Bᵀ (2 × 15), 3×3 adjugate inverse (≈ 30 + ÷), uᵀQu and GᵀQG (3 × 15) | ≈ 110 + 3 ÷ |
//! | statistics: 5 √, sums, max, one sketch key per figure (exponent bits, no logarithm) | ≈ 20 |
//!
//! ≈ 40 flops + √ + ÷ per pair, ≈ 1,000–1,200 flops per grid-point-epoch. The pair sums and the
//! solve are both lane-wise (the solve as element-wise operations on `[f64; W]`, packed SSE2 in
//! the baseline, 256-bit inside the v3/v4 dispatch); the statistics are per point. Measured with
//! callgrind (bench `coverage`, `COVERAGE_PROFILE=1`, whole process): ≈ 1,880 instructions per
//! grid-point-epoch in the baseline and ≈ 1,000 at v3 (2,130 and 1,320 with the per-point
//! solve). Horizon culling needs no square root (squared comparison with sin² mask), site frames
//! are computed once per point, satellite positions are structure-of-arrays, and nothing is
//! allocated inside the epoch loop.

#![allow(clippy::needless_range_loop)] // index loops mirror the matrix equations

use rayon::prelude::*;

use super::isa::Isa;
use super::sketch::QuantileSketch;
use super::{
    ByFigure, CoverageConfig, DopKind, DopStats, EpochSample, Grid, PointSeries, PointStats,
};
use crate::frames::{Geodetic, Topocentric};
use crate::geometry::{ClockModel, ElevationMask, NormalAccumulator, MAX_SYSTEMS};

/// Points per culling block (consecutive points of a row).
const BLOCK: usize = 8;

/// Blocks per segment: the points whose sums are accumulated together, satellite by satellite.
const SEG_BLOCKS: usize = 8;

/// Satellite positions of all epochs, structure of arrays; within an epoch, satellites are in
/// system-slot order.
pub(super) struct SatTable {
    x: Vec<f64>,
    y: Vec<f64>,
    z: Vec<f64>,
    w: Vec<f64>,
    /// Unit geocentric direction of the satellite.
    cx: Vec<f64>,
    cy: Vec<f64>,
    cz: Vec<f64>,
    slot: Vec<u8>,
    epoch_start: Vec<usize>,
}

impl SatTable {
    pub(super) fn with_capacity(epochs: usize, sats: usize) -> Self {
        let n = epochs * sats;
        let mut epoch_start = Vec::with_capacity(epochs + 1);
        epoch_start.push(0);
        SatTable {
            x: Vec::with_capacity(n),
            y: Vec::with_capacity(n),
            z: Vec::with_capacity(n),
            w: Vec::with_capacity(n),
            cx: Vec::with_capacity(n),
            cy: Vec::with_capacity(n),
            cz: Vec::with_capacity(n),
            slot: Vec::with_capacity(n),
            epoch_start,
        }
    }

    /// Add a satellite to the current epoch (callers push in system-slot order).
    pub(super) fn push(&mut self, p: [f64; 3], w: f64, slot: usize) {
        let r = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt();
        self.x.push(p[0]);
        self.y.push(p[1]);
        self.z.push(p[2]);
        self.w.push(w);
        self.cx.push(p[0] / r);
        self.cy.push(p[1] / r);
        self.cz.push(p[2] / r);
        self.slot.push(slot as u8);
    }

    pub(super) fn end_epoch(&mut self) {
        self.epoch_start.push(self.x.len());
    }

    fn n_epochs(&self) -> usize {
        self.epoch_start.len() - 1
    }
}

/// Grid-point frames in ECEF of one row, structure of arrays (index = point in the row): origin
/// o, up u, east e and north n (only for an azimuth-dependent mask, else empty), and the
/// geocentric unit direction c of each point. Built by the task that runs the row, so that
/// they are computed in parallel and held only for the rows in flight.
struct Sites {
    o: [Vec<f64>; 3],
    u: [Vec<f64>; 3],
    e: [Vec<f64>; 3],
    n: [Vec<f64>; 3],
    c: [Vec<f64>; 3],
}

impl Sites {
    fn new(points: &[Geodetic], cfg: &CoverageConfig, east_north: bool) -> Self {
        let len = points.len();
        let v = |n: usize| -> [Vec<f64>; 3] { std::array::from_fn(|_| Vec::with_capacity(n)) };
        let len_en = if east_north { len } else { 0 };
        let mut s = Sites {
            o: v(len),
            u: v(len),
            e: v(len_en),
            n: v(len_en),
            c: v(len),
        };
        for g in points {
            let t = Topocentric::new(*g, &cfg.ellipsoid);
            let r = t.ecef_to_enu;
            let o = [t.origin_m.x, t.origin_m.y, t.origin_m.z];
            let on = (o[0] * o[0] + o[1] * o[1] + o[2] * o[2]).sqrt();
            for k in 0..3 {
                s.o[k].push(o[k]);
                if east_north {
                    s.e[k].push(r[(0, k)]);
                    s.n[k].push(r[(1, k)]);
                }
                s.u[k].push(r[(2, k)]);
                s.c[k].push(o[k] / on);
            }
        }
        s
    }

    fn c(&self, p: usize) -> [f64; 3] {
        [self.c[0][p], self.c[1][p], self.c[2][p]]
    }

    fn u(&self, p: usize) -> [f64; 3] {
        [self.u[0][p], self.u[1][p], self.u[2][p]]
    }
}

/// Per-figure selector into [P, H, V, T, G] (or the position error).
fn kind_index(k: DopKind) -> usize {
    match k {
        DopKind::Pdop => 0,
        DopKind::Hdop => 1,
        DopKind::Vdop => 2,
        DopKind::Tdop => 3,
        DopKind::Gdop => 4,
        DopKind::PositionErrorM => 5,
    }
}

/// Everything a row needs, computed once per run.
pub(super) struct Plan<'a> {
    grid: &'a Grid,
    cfg: &'a CoverageConfig,
    /// Largest Earth-central angle between a site and a satellite above the lowest mask, rad
    /// (conservative); ≥ π disables the cull.
    psi_max_rad: f64,
    /// Per table entry: (cos ψ, sin ψ) of that satellite's own visibility cone (ψ ≤ ψ_max).
    psi_cs: Vec<(f64, f64)>,
    /// Per table entry: right ascension α (rad, ECEF), sin δ and cos δ of the satellite's
    /// geocentric direction.
    dir: Vec<(f64, f64, f64)>,
    /// System slots that occur in the table.
    slots: Vec<usize>,
    /// Constant mask: (sin² m, m ≥ 0); `None` for an azimuth-dependent mask.
    constant: Option<(f64, bool)>,
    /// sin² and sign of the lowest mask elevation (pre-test for the azimuthal path).
    lowest: (f64, bool),
    kinds: Vec<usize>,
    weighted: bool,
    /// Instruction-set level of the pair accumulation and of the row loop.
    isa: Isa,
    /// `Some(merge)` when the clock block is diagonal (`Common` when `merge`, else one clock per
    /// system) and the solve runs lane-wise (`solve_lanes`); `None` (a finite, non-zero
    /// inter-system-bias prior between several systems, or an invalid σ) solves point by point.
    lane_clock: Option<bool>,
}

/// Streamed statistics of one point apart from its figures (24 bytes).
#[derive(Clone, Copy)]
struct PointAcc {
    vis_sum: u32,
    vis_min: u16,
    vis_max: u16,
    sol: u32,
    avail: u32,
    cur_out: u32,
    max_out: u32,
}

impl PointAcc {
    const NEW: PointAcc = PointAcc {
        vis_sum: 0,
        vis_min: u16::MAX,
        vis_max: 0,
        sol: 0,
        avail: 0,
        cur_out: 0,
        max_out: 0,
    };
}

/// Streamed statistics of the figures of one lane group: exact sums and maxima, lane-wise
/// (index `f` = figure), updated for the W points at once; the quantile sketches are per point.
#[derive(Clone, Copy)]
struct FigLanes {
    sum: Lv,
    max: Lv,
}

impl FigLanes {
    const NEW: FigLanes = FigLanes {
        sum: [0.0; W],
        max: [f64::NEG_INFINITY; W],
    };

    /// Add `v` in the lanes where `ok`. A lane without a solution adds +0 to its sum (which
    /// starts at +0 and only grows, so no bit changes) and keeps its maximum: the same figures
    /// as adding the solved points one by one.
    #[inline(always)]
    fn add(&mut self, ok: [bool; W], v: Lv) {
        for l in 0..W {
            self.sum[l] += if ok[l] { v[l] } else { 0.0 };
            self.max[l] = if ok[l] {
                self.max[l].max(v[l])
            } else {
                self.max[l]
            };
        }
    }
}

/// Bytes of streamed state per grid point while its row is in flight, for `n_figures`
/// figures: 24 + 72 per figure (sum and maximum, 8 bytes each, and a 56-byte quantile sketch;
/// 240 for the default three).
pub(super) const fn state_bytes_per_point(n_figures: usize) -> usize {
    std::mem::size_of::<PointAcc>()
        + n_figures * (std::mem::size_of::<FigLanes>() / W + std::mem::size_of::<QuantileSketch>())
}

const _: () = assert!(state_bytes_per_point(3) <= 256);

/// Whether sin(el) = du/√d2 ≥ sin(m), without a square root: for m ≥ 0, du ≥ 0 and
/// du² ≥ sin²m·d2; for m < 0, du ≥ 0 or du² ≤ sin²m·d2.
#[inline(always)]
fn above<const NONNEG: bool>(du: f64, d2: f64, sin2: f64) -> bool {
    // Non-short-circuit `&`/`|`: both compares are cheap, a branch would mispredict.
    if NONNEG {
        (du >= 0.0) & (du * du >= sin2 * d2)
    } else {
        (du >= 0.0) | (du * du <= sin2 * d2)
    }
}

/// A cone on the unit sphere around direction `c` with angular radius β, as (cos β, sin β);
/// `None` when it cannot cull (ψ_max + β ≥ π, or a degenerate centre).
#[derive(Clone, Copy)]
struct Cone {
    c: [f64; 3],
    cs: Option<(f64, f64)>,
}

impl Cone {
    /// The smallest cone about the normalised mean direction that holds points p0..p1 (indices
    /// in the row of `sites`).
    fn of(sites: &Sites, p0: usize, p1: usize, psi_max_rad: f64) -> Self {
        let mut c = [0.0; 3];
        for p in p0..p1 {
            let d = sites.c(p);
            for k in 0..3 {
                c[k] += d[k];
            }
        }
        let cn = (c[0] * c[0] + c[1] * c[1] + c[2] * c[2]).sqrt();
        if cn.is_nan() || cn <= 0.0 {
            return Cone { c, cs: None };
        }
        for v in &mut c {
            *v /= cn;
        }
        let min_dot = (p0..p1)
            .map(|p| {
                let d = sites.c(p);
                d[0] * c[0] + d[1] * c[1] + d[2] * c[2]
            })
            .fold(1.0f64, f64::min);
        let beta = min_dot.clamp(-1.0, 1.0).acos() + 1e-9;
        Cone {
            c,
            cs: (psi_max_rad + beta < std::f64::consts::PI).then(|| (beta.cos(), beta.sin())),
        }
    }

    /// Whether a satellite in unit direction `d` with visibility cone (cos ψ, sin ψ) may be above
    /// the mask somewhere in the cone: angle(d, c) ≤ ψ + β, i.e.
    /// cos∠ ≥ cos(ψ + β) = cos ψ cos β − sin ψ sin β (ψ + β < π here).
    #[inline(always)]
    fn may_see(&self, d: [f64; 3], (cp, sp): (f64, f64)) -> bool {
        match self.cs {
            Some((cb, sb)) => {
                d[0] * self.c[0] + d[1] * self.c[1] + d[2] * self.c[2] >= cp * cb - sp * sb
            }
            None => true,
        }
    }
}

/// Points per SIMD lane group: sites and sums are stored as arrays of `[f64; W]` (four points
/// side by side), so the compiler maps each operation on a lane group to packed instructions.
const W: usize = 4;

/// Frames of W consecutive points of a row: origin and up vector, component-major.
#[derive(Clone, Copy, Default)]
struct LaneSite {
    o: [[f64; W]; 3],
    u: [[f64; W]; 3],
}

/// A uniform latitude row: points of one latitude and height at longitudes λ₀ + kΔ,
/// k = 0…n−1, (n − 1)Δ < 360°. All share the geocentric latitude φ_c, so a satellite with
/// geocentric direction (α, δ) is inside its visibility cone ψ from point k when
///
/// ```text
/// c_k · d = cos φ_c cos δ cos(λ_k − α) + sin φ_c sin δ ≥ cos ψ
///   ⟺  cos(λ_k − α) ≥ t = (cos ψ − sin φ_c sin δ) / (cos φ_c cos δ)
///   ⟺  |λ_k − α| ≤ h = acos t   (mod 2π)
/// ```
///
/// one interval of longitudes per satellite, row and epoch, instead of a cone test per block.
/// The interval is widened by 10⁻⁶ rad and one point at each end and rounded out to lane
/// groups; the exact elevation test is still made for every point in it.
struct RowArc {
    lon0_rad: f64,
    step_rad: f64,
    sin_phi: f64,
    cos_phi: f64,
    np: usize,
}

impl RowArc {
    /// `sites`: the row's frames (index = point in the row).
    fn of(grid: &Grid, sites: &Sites, row: std::ops::Range<usize>) -> Option<Self> {
        let pts = &grid.geodetic()[row.clone()];
        let np = pts.len();
        if np < 2 {
            return None;
        }
        // Longitudes compared modulo 360° (a row may cross the antimeridian).
        let (g0, step) = (pts[0], (pts[1].lon_deg - pts[0].lon_deg).rem_euclid(360.0));
        let uniform = step > 0.0
            && (np - 1) as f64 * step < 360.0 - 1e-6
            && pts.iter().enumerate().all(|(k, g)| {
                let off = (g.lon_deg - (g0.lon_deg + k as f64 * step)).rem_euclid(360.0);
                g.lat_deg == g0.lat_deg
                    && g.height_m == g0.height_m
                    && (off <= 1e-9 || off >= 360.0 - 1e-9)
            });
        if !uniform {
            return None;
        }
        let c = sites.c(0);
        Some(RowArc {
            lon0_rad: g0.lon_deg.to_radians(),
            step_rad: step.to_radians(),
            sin_phi: c[2],
            cos_phi: c[0].hypot(c[1]),
            np,
        })
    }

    /// Push the lane-group ranges of the row where satellite `i` (direction (α, sin δ, cos δ),
    /// cone (cos ψ, sin ψ)) may be visible, in increasing order and disjoint.
    fn ranges(
        &self,
        i: usize,
        (alpha, sin_d, cos_d): (f64, f64, f64),
        (cos_psi, _): (f64, f64),
        out: &mut Vec<(usize, usize, usize)>,
    ) {
        use std::f64::consts::{PI, TAU};
        let whole = (i, 0, self.np.div_ceil(W));
        let a = self.cos_phi * cos_d;
        let b = cos_psi - self.sin_phi * sin_d;
        // a cos(λ − α) ≥ b somewhere iff b ≤ a; everywhere iff b ≤ −a.
        if b > a + 1e-12 {
            return;
        }
        if b <= -a || a <= 1e-12 {
            out.push(whole);
            return;
        }
        let h = (b / a).min(1.0).acos() + 1e-6;
        if h >= PI - 2.0 * self.step_rad {
            out.push(whole);
            return;
        }
        let u = (alpha - self.lon0_rad).rem_euclid(TAU);
        let last = (self.np - 1) as f64;
        let start = out.len();
        for shift in [-TAU, 0.0, TAU] {
            let lo = (((u - h + shift) / self.step_rad).floor() - 1.0).max(0.0);
            let hi = (((u + h + shift) / self.step_rad).ceil() + 1.0).min(last);
            if lo <= hi {
                let (g0, g1) = (lo as usize / W, (hi as usize + 1).div_ceil(W));
                let n = out.len();
                match out.last_mut() {
                    Some(r) if n > start && r.2 >= g0 => r.2 = r.2.max(g1),
                    _ => out.push((i, g0, g1)),
                }
            }
        }
    }
}

/// Normal-matrix sums of W consecutive points: Σwℓℓᵀ (6), visible count (as f64, exact), and per
/// system slot Σwℓ (3) and Σw.
#[derive(Clone, Copy)]
struct LaneAcc {
    pp: [[f64; W]; 6],
    n: [f64; W],
    pc: [[[f64; W]; 4]; MAX_SYSTEMS],
}

impl LaneAcc {
    const ZERO: LaneAcc = LaneAcc {
        pp: [[0.0; W]; 6],
        n: [0.0; W],
        pc: [[[0.0; W]; 4]; MAX_SYSTEMS],
    };

    /// Zero the sums of the slots in use (the others stay zero).
    #[inline(always)]
    fn clear(&mut self, slots: &[usize]) {
        self.pp = [[0.0; W]; 6];
        self.n = [0.0; W];
        for &s in slots {
            self.pc[s] = [[0.0; W]; 4];
        }
    }

    /// The accumulator of point `l` of the lane group.
    #[inline(always)]
    fn get(&self, l: usize, slots: &[usize]) -> NormalAccumulator {
        let mut acc = NormalAccumulator::new();
        for j in 0..6 {
            acc.pp[j] = self.pp[j][l];
        }
        for &s in slots {
            let pc = &self.pc[s];
            acc.pc[s] = [pc[0][l], pc[1][l], pc[2][l]];
            acc.cc[s] = pc[3][l];
        }
        acc.used = self.n[l] as u16;
        acc
    }
}

/// A lane group's worth of one quantity (W points side by side).
type Lv = [f64; W];

/// Element-wise operations on lane values, written as fixed-length loops that the compiler maps
/// to packed instructions (SSE2 pairs in the scalar build, 256-bit vectors inside the v3
/// dispatch). No operation is fused, so every level rounds as the scalar path does.
#[inline(always)]
fn lv_map2(a: Lv, b: Lv, f: impl Fn(f64, f64) -> f64) -> Lv {
    let mut r = [0.0; W];
    for l in 0..W {
        r[l] = f(a[l], b[l]);
    }
    r
}

#[inline(always)]
fn lv_add(a: Lv, b: Lv) -> Lv {
    lv_map2(a, b, |x, y| x + y)
}

#[inline(always)]
fn lv_sub(a: Lv, b: Lv) -> Lv {
    lv_map2(a, b, |x, y| x - y)
}

#[inline(always)]
fn lv_mul(a: Lv, b: Lv) -> Lv {
    lv_map2(a, b, |x, y| x * y)
}

#[inline(always)]
fn lv_div(a: Lv, b: Lv) -> Lv {
    lv_map2(a, b, |x, y| x / y)
}

#[inline(always)]
fn lv_splat(x: f64) -> Lv {
    [x; W]
}

#[inline(always)]
fn lv_sqrt(a: Lv) -> Lv {
    let mut r = [0.0; W];
    for l in 0..W {
        r[l] = a[l].sqrt();
    }
    r
}

/// `t` where `m`, else 0.
#[inline(always)]
fn lv_select(m: [bool; W], t: Lv) -> Lv {
    let mut r = [0.0; W];
    for l in 0..W {
        r[l] = if m[l] { t[l] } else { 0.0 };
    }
    r
}

#[inline(always)]
fn lv_cmp(a: Lv, b: Lv, f: impl Fn(f64, f64) -> bool) -> [bool; W] {
    let mut r = [false; W];
    for l in 0..W {
        r[l] = f(a[l], b[l]);
    }
    r
}

#[inline(always)]
fn lv_and(a: [bool; W], b: [bool; W]) -> [bool; W] {
    let mut r = [false; W];
    for l in 0..W {
        r[l] = a[l] & b[l];
    }
    r
}

/// `x.is_finite()` as one compare (|x| ≤ max is false for ±∞ and NaN), which vectorises; the
/// checks `x ≥ 0 ∧ finite` are written `x ≥ 0 ∧ x ≤ max` for the same reason.
#[inline(always)]
fn finite(x: f64) -> bool {
    x.abs() <= f64::MAX
}

/// xᵀ Q x for W symmetric 3×3 matrices (xx, xy, xz, yy, yz, zz) at once, in the order of
/// [`crate::geometry`]'s per-point `quad`.
#[inline(always)]
fn lv_quad(q: &[Lv; 6], x: &[Lv; 3]) -> Lv {
    let [a, b, c] = *x;
    let r0 = lv_add(lv_add(lv_mul(q[0], a), lv_mul(q[1], b)), lv_mul(q[2], c));
    let r1 = lv_add(lv_add(lv_mul(q[1], a), lv_mul(q[3], b)), lv_mul(q[4], c));
    let r2 = lv_add(lv_add(lv_mul(q[2], a), lv_mul(q[4], b)), lv_mul(q[5], c));
    lv_add(lv_add(lv_mul(a, r0), lv_mul(b, r1)), lv_mul(c, r2))
}

/// The figures of W points solved together: [P, H, V, T, G]DOP and √tr Q_pos, and which points
/// have a solution.
struct LaneFigs {
    ok: [bool; W],
    figs: [Lv; 6],
}

/// The Schur-complement solve of [`NormalAccumulator::solve`] for a diagonal clock block
/// (`Common` when `merge`, else `PerConstellation`), W points at once: every step of the
/// per-point solve (`solve_diagonal`, `finish`, `NormalSolution::dops`) in the same order, with
/// the branches on absent systems and failed checks replaced by masks. Absent systems have
/// sums of exactly +0, so adding their masked terms leaves every sum bit-identical to the
/// per-point path (tested).
#[inline(always)]
fn solve_lanes(a: &LaneAcc, up: &[Lv; 3], slots: &[usize], merge: bool) -> LaneFigs {
    let zero = lv_splat(0.0);
    let one = lv_splat(1.0);
    let mut s = a.pp;
    let mut g = [[zero; 3]; MAX_SYSTEMS];
    let mut dinv = [zero; MAX_SYSTEMS];
    let mut k = zero;
    let mut ok;
    let mut merged = None;
    if merge {
        let (mut pc, mut cc) = ([zero; 3], zero);
        for &sl in slots {
            for j in 0..3 {
                pc[j] = lv_add(pc[j], a.pc[sl][j]);
            }
            cc = lv_add(cc, a.pc[sl][3]);
        }
        let any = lv_cmp(cc, zero, |x, y| x > y);
        let di = lv_select(any, lv_div(one, cc));
        let gm = [lv_mul(pc[0], di), lv_mul(pc[1], di), lv_mul(pc[2], di)];
        sub_outer_lanes(&mut s, &pc, &gm);
        k = lv_select(any, one);
        ok = any;
        merged = Some((di, gm));
    } else {
        for &sl in slots {
            let pc = &a.pc[sl];
            let present = lv_cmp(pc[3], zero, |x, y| x > y);
            let di = lv_select(present, lv_div(one, pc[3]));
            dinv[sl] = di;
            g[sl] = [lv_mul(pc[0], di), lv_mul(pc[1], di), lv_mul(pc[2], di)];
            sub_outer_lanes(&mut s, &[pc[0], pc[1], pc[2]], &g[sl]);
            k = lv_add(k, lv_select(present, one));
        }
        ok = lv_cmp(k, zero, |x, y| x > y);
    }
    ok = lv_and(ok, lv_cmp(a.n, lv_add(lv_splat(3.0), k), |x, y| x >= y));

    // Q_pos = S⁻¹ by the adjugate, with the per-point path's relative condition test.
    let [sa, sb, sc, sd, se, sf] = s;
    let c00 = lv_sub(lv_mul(sd, sf), lv_mul(se, se));
    let c01 = lv_sub(lv_mul(sc, se), lv_mul(sb, sf));
    let c02 = lv_sub(lv_mul(sb, se), lv_mul(sc, sd));
    let det = lv_add(lv_add(lv_mul(sa, c00), lv_mul(sb, c01)), lv_mul(sc, c02));
    let tr = lv_div(lv_add(lv_add(sa, sd), sf), lv_splat(3.0));
    let bound = lv_mul(lv_mul(lv_mul(lv_splat(1e-12), tr), tr), tr);
    ok = lv_and(ok, lv_cmp(det, zero, |x, _| finite(x)));
    ok = lv_and(ok, lv_cmp(tr, zero, |x, y| x > y));
    ok = lv_and(ok, lv_cmp(det, bound, |x, y| x > y));
    let c11 = lv_sub(lv_mul(sa, sf), lv_mul(sc, sc));
    let c12 = lv_sub(lv_mul(sb, sc), lv_mul(sa, se));
    let c22 = lv_sub(lv_mul(sa, sd), lv_mul(sb, sb));
    let r = lv_div(one, det);
    let q = [
        lv_mul(c00, r),
        lv_mul(c01, r),
        lv_mul(c02, r),
        lv_mul(c11, r),
        lv_mul(c12, r),
        lv_mul(c22, r),
    ];
    let pos_trace = lv_add(lv_add(q[0], q[3]), q[5]);
    let up_var = lv_quad(&q, up);

    // Clock variances (D⁻¹)_ss + G_s Q G_sᵀ of the systems present; their sum and count.
    let merged_var = merged.map(|(di, gm)| lv_add(di, lv_quad(&q, &gm)));
    let (mut sum_w, mut n_sys, mut t2) = (zero, zero, zero);
    for &sl in slots {
        let c = a.pc[sl][3];
        let present = lv_cmp(c, zero, |x, y| x > y);
        sum_w = lv_add(sum_w, c);
        n_sys = lv_add(n_sys, lv_select(present, one));
        let v = match merged_var {
            Some(v) => v,
            None => lv_add(dinv[sl], lv_quad(&q, &g[sl])),
        };
        let fine = lv_cmp(v, zero, |x, y| (x >= y) & (x <= f64::MAX));
        for l in 0..W {
            ok[l] &= !present[l] | fine[l];
        }
        t2 = lv_add(t2, lv_select(present, v));
    }
    let mean_w = lv_div(sum_w, a.n);
    ok = lv_and(
        ok,
        lv_cmp(pos_trace, zero, |x, y| (x > y) & (x <= f64::MAX)),
    );
    ok = lv_and(ok, lv_cmp(up_var, zero, |x, y| (x >= y) & (x <= f64::MAX)));
    ok = lv_and(ok, lv_cmp(mean_w, zero, |x, _| finite(x)));

    // NormalSolution::dops.
    let p2 = lv_mul(pos_trace, mean_w);
    let v2 = lv_map2(lv_mul(up_var, mean_w), p2, f64::min);
    let t2 = lv_mul(lv_div(t2, n_sys), mean_w);
    LaneFigs {
        ok,
        figs: [
            lv_sqrt(p2),
            lv_sqrt(lv_sub(p2, v2)),
            lv_sqrt(v2),
            lv_sqrt(t2),
            lv_sqrt(lv_add(p2, t2)),
            lv_sqrt(pos_trace),
        ],
    }
}

/// S −= b gᵀ (upper triangle) for W points, as the per-point `sub_outer`.
#[inline(always)]
fn sub_outer_lanes(s: &mut [Lv; 6], b: &[Lv; 3], g: &[Lv; 3]) {
    s[0] = lv_sub(s[0], lv_mul(b[0], g[0]));
    s[1] = lv_sub(s[1], lv_mul(b[0], g[1]));
    s[2] = lv_sub(s[2], lv_mul(b[0], g[2]));
    s[3] = lv_sub(s[3], lv_mul(b[1], g[1]));
    s[4] = lv_sub(s[4], lv_mul(b[1], g[2]));
    s[5] = lv_sub(s[5], lv_mul(b[2], g[2]));
}

/// One satellite of one epoch: ECEF position, weight, system slot.
#[derive(Clone, Copy)]
struct Sat {
    p: [f64; 3],
    w: f64,
    slot: usize,
}

impl<'a> Plan<'a> {
    pub(super) fn new(
        grid: &'a Grid,
        cfg: &'a CoverageConfig,
        table: &SatTable,
        weighted: bool,
        isa: Isa,
    ) -> Self {
        // Conservative visibility cone. With site radius ρ, satellite radius r and elevation el
        // above the geocentric horizon, the Earth-central angle is ψ = 90° − el − asin(ρ cos el / r)
        // (law of sines in the triangle centre–site–satellite); ψ grows with r and falls with ρ
        // and el. The geodetic vertical differs from the geocentric one by < 0.2°, so use
        // el = mask − 0.5°, the smallest ρ of the grid and the largest r of the run, + 0.1°.
        let lowest_deg = cfg.mask.lowest_deg();
        // (The minimum does not depend on the order: the same for any number of threads.)
        let rho_min = grid
            .geodetic()
            .par_iter()
            .map(|g| {
                let o = cfg.ellipsoid.to_ecef(g);
                (o.x * o.x + o.y * o.y + o.z * o.z).sqrt()
            })
            .reduce(|| f64::INFINITY, f64::min);
        let el = (lowest_deg - 0.5).to_radians();
        let psi_of = |r: f64| -> f64 {
            if lowest_deg - 0.5 <= -89.0
                || r.partial_cmp(&rho_min) != Some(std::cmp::Ordering::Greater)
            {
                std::f64::consts::PI
            } else {
                std::f64::consts::FRAC_PI_2 - el - (rho_min * el.cos() / r).asin()
                    + 0.1f64.to_radians()
            }
        };
        let mut psi_max_rad = 0.0f64;
        let psi_cs = (0..table.x.len())
            .map(|i| {
                let r =
                    (table.x[i] * table.x[i] + table.y[i] * table.y[i] + table.z[i] * table.z[i])
                        .sqrt();
                let psi = psi_of(r);
                psi_max_rad = psi_max_rad.max(psi);
                let (sp, cp) = psi.sin_cos();
                (cp, sp)
            })
            .collect();
        let dir = (0..table.x.len())
            .map(|i| {
                let (cx, cy, cz) = (table.cx[i], table.cy[i], table.cz[i]);
                (cy.atan2(cx), cz, cx.hypot(cy))
            })
            .collect();
        let mut slots: Vec<usize> = table.slot.iter().map(|&s| s as usize).collect();
        slots.sort_unstable();
        slots.dedup();
        let sin2 = |m: f64| {
            let s = m.to_radians().sin();
            (s * s, m >= 0.0)
        };
        let constant = match cfg.mask {
            ElevationMask::Constant { min_elevation_deg } => Some(sin2(min_elevation_deg)),
            ElevationMask::Azimuthal(_) => None,
        };
        let lane_clock = match cfg.clock {
            ClockModel::Common => Some(true),
            ClockModel::PerConstellation => Some(false),
            ClockModel::KnownOffsets { isb_sigma_m: sigma } => {
                if sigma == 0.0 {
                    Some(true)
                } else if sigma == f64::INFINITY || (sigma > 0.0 && slots.len() <= 1) {
                    // No prior (σ_isb = ∞), or one system: nothing for the prior to constrain.
                    Some(false)
                } else {
                    None
                }
            }
        };
        Plan {
            grid,
            cfg,
            psi_max_rad,
            psi_cs,
            dir,
            slots,
            constant,
            lowest: sin2(lowest_deg),
            kinds: cfg.dop_kinds.iter().map(|&k| kind_index(k)).collect(),
            weighted,
            isa,
            lane_clock,
        }
    }

    /// Run one row: its statistics into `out` (one per point of the row), its series returned.
    /// At [`Isa::V3`] the whole row loop is compiled for AVX2+FMA (inside pulp's run-time
    /// dispatch) and the pairs are accumulated with 256-bit fused multiply-adds.
    pub(super) fn run_row(
        &self,
        row: std::ops::Range<usize>,
        table: &SatTable,
        step_s: f64,
        out: &mut [PointStats],
    ) -> Vec<PointSeries> {
        match self.isa {
            Isa::Scalar => self.run_row_with(ScalarLanes, row, table, step_s, out),
            #[cfg(target_arch = "x86_64")]
            Isa::V3(simd) => <pulp::x86::V3 as pulp::Simd>::vectorize(
                simd,
                V3Row {
                    plan: self,
                    simd,
                    row,
                    table,
                    step_s,
                    out,
                },
            ),
            // AVX-512 enabled for the whole row loop; the pair lanes are the v3 ones (V4 derefs
            // to V3).
            #[cfg(target_arch = "x86_64")]
            Isa::V4(simd) => <pulp::x86::V4 as pulp::Simd>::vectorize(
                simd,
                V3Row {
                    plan: self,
                    simd: *simd,
                    row,
                    table,
                    step_s,
                    out,
                },
            ),
        }
    }

    /// The row loop, generic over the pair accumulation (inlined into each level's caller, so
    /// that it is compiled for that level).
    #[inline(always)]
    fn run_row_with<L: PairLanes>(
        &self,
        pairs: L,
        row: std::ops::Range<usize>,
        table: &SatTable,
        step_s: f64,
        out: &mut [PointStats],
    ) -> Vec<PointSeries> {
        let np = row.len();
        let nk = self.kinds.len();
        let ne = table.n_epochs();
        let r0 = row.start;

        let ng = np.div_ceil(W);
        // Where each satellite may be visible along the row: closed-form longitude intervals
        // on a uniform latitude row, else cones of blocks of BLOCK points (lane-group indices,
        // row-relative).
        let sites = Sites::new(
            &self.grid.geodetic()[row.clone()],
            self.cfg,
            self.constant.is_none(),
        );
        let arc = RowArc::of(self.grid, &sites, row.clone());
        let blocks: Vec<(usize, usize, Cone)> = if arc.is_some() {
            Vec::new()
        } else {
            (0..np.div_ceil(BLOCK))
                .map(|b| {
                    let (p0, p1) = (b * BLOCK, ((b + 1) * BLOCK).min(np));
                    let cone = Cone::of(&sites, p0, p1, self.psi_max_rad);
                    (p0 / W, p1.div_ceil(W), cone)
                })
                .collect()
        };
        let seg_len = SEG_BLOCKS * BLOCK / W;

        // Streamed statistics (index = point in the row; figure f of point q at q·nk + f).
        let mut pts = vec![PointAcc::NEW; np];
        let mut fig_lanes = vec![FigLanes::NEW; ng * nk];
        let mut sketches = vec![QuantileSketch::new(); np * nk];
        // Sketch keys of one lane group's figures (index = figure).
        let mut keys = vec![[0i32; W]; nk];
        let mut series: Vec<Option<Vec<EpochSample>>> = (row.clone())
            .map(|p| {
                self.cfg
                    .series_points
                    .contains(&p)
                    .then(|| Vec::with_capacity(ne))
            })
            .collect();

        // The row's frames in lane groups, the last one padded with copies of the last point
        // (finite values; their sums are never read).
        let lanes: Vec<LaneSite> = (0..np.div_ceil(W))
            .map(|g| {
                let mut ls = LaneSite::default();
                for l in 0..W {
                    let p = (g * W + l).min(np - 1);
                    for c in 0..3 {
                        ls.o[c][l] = sites.o[c][p];
                        ls.u[c][l] = sites.u[c][p];
                    }
                }
                ls
            })
            .collect();
        let slots = &self.slots[..];
        let mut acc = vec![LaneAcc::ZERO; seg_len];
        // (table entry, first lane group, end lane group) of the current epoch, in table order.
        let mut ranges: Vec<(usize, usize, usize)> =
            Vec::with_capacity(4 * table.x.len() / ne.max(1));
        let clock = self.cfg.clock;
        let pdop_max = self.cfg.availability_pdop_max;
        // Epochs, then segments of the row: a segment's sums stay in L1 while its satellites are
        // added one by one over the lane groups where they may be visible (in table order, so
        // every point sums its satellites in the same order whatever the segmentation).
        for j in 0..ne {
            ranges.clear();
            for i in table.epoch_start[j]..table.epoch_start[j + 1] {
                match &arc {
                    Some(arc) => arc.ranges(i, self.dir[i], self.psi_cs[i], &mut ranges),
                    None => {
                        let d = [table.cx[i], table.cy[i], table.cz[i]];
                        let mut run: Option<(usize, usize)> = None;
                        for &(b0, b1, cone) in &blocks {
                            if cone.may_see(d, self.psi_cs[i]) {
                                run = Some(match run {
                                    Some((g0, _)) => (g0, b1),
                                    None => (b0, b1),
                                });
                            } else if let Some((g0, g1)) = run.take() {
                                ranges.push((i, g0, g1));
                            }
                        }
                        if let Some((g0, g1)) = run {
                            ranges.push((i, g0, g1));
                        }
                    }
                }
            }
            for sg0 in (0..ng).step_by(seg_len) {
                let sg1 = (sg0 + seg_len).min(ng);
                let acc = &mut acc[..sg1 - sg0];
                for a in acc.iter_mut() {
                    a.clear(slots);
                }
                for &(i, g0, g1) in &ranges {
                    let (g0, g1) = (g0.max(sg0), g1.min(sg1));
                    if g0 < g1 {
                        let sat = Sat {
                            p: [table.x[i], table.y[i], table.z[i]],
                            w: table.w[i],
                            slot: table.slot[i] as usize,
                        };
                        self.accumulate(pairs, acc, sg0, g0, g1, sat, &lanes, &sites, np);
                    }
                }
                let (s0, s1) = (r0 + sg0 * W, r0 + (sg1 * W).min(np));
                for (gi, a) in acc.iter().enumerate() {
                    // The lane group's solve: W points at once for a diagonal clock block,
                    // else point by point.
                    let g = sg0 + gi;
                    let lf = match self.lane_clock {
                        Some(merge) => solve_lanes(a, &lanes[g].u, slots, merge),
                        None => {
                            let mut lf = LaneFigs {
                                ok: [false; W],
                                figs: [[0.0; W]; 6],
                            };
                            for l in 0..W {
                                let p = (s0 + gi * W + l).min(s1 - 1);
                                if let Some(s) = a.get(l, slots).solve(&clock, sites.u(p - r0)) {
                                    let d = s.dops();
                                    for f in 0..5 {
                                        lf.figs[f][l] = d[f];
                                    }
                                    lf.figs[5][l] = s.pos_trace.sqrt();
                                    lf.ok[l] = true;
                                }
                            }
                            lf
                        }
                    };
                    // Sketch keys of the lane group's figures, side by side.
                    for (f, &ki) in self.kinds.iter().enumerate() {
                        fig_lanes[g * nk + f].add(lf.ok, lf.figs[ki]);
                        keys[f] = QuantileSketch::keys0(lf.figs[ki]);
                    }
                    let pg0 = s0 + gi * W;
                    for (l, p) in (pg0..(pg0 + W).min(s1)).enumerate() {
                        let q = p - r0;
                        let nv = a.n[l] as u16;
                        let pa = &mut pts[q];
                        pa.vis_sum += nv as u32;
                        pa.vis_min = pa.vis_min.min(nv);
                        pa.vis_max = pa.vis_max.max(nv);
                        let ok = lf.ok[l];
                        let figs: [f64; 6] = std::array::from_fn(|f| lf.figs[f][l]);
                        let available = ok && figs[0] <= pdop_max;
                        if ok {
                            pa.sol += 1;
                            for (f, sk) in sketches[q * nk..(q + 1) * nk].iter_mut().enumerate() {
                                sk.add_key0(keys[f][l]);
                            }
                        }
                        if available {
                            pa.avail += 1;
                            pa.cur_out = 0;
                        } else {
                            pa.cur_out += 1;
                            pa.max_out = pa.max_out.max(pa.cur_out);
                        }
                        if let Some(ser) = &mut series[q] {
                            ser.push(EpochSample {
                                visible: nv,
                                dop: ok.then(|| {
                                    crate::geometry::DopFigures::from_lane_order([
                                        figs[0], figs[1], figs[2], figs[3], figs[4],
                                    ])
                                }),
                                position_error_m: (ok && self.weighted).then_some(figs[5]),
                            });
                        }
                    }
                }
            }
        }

        let kinds = &self.cfg.dop_kinds;
        for (p, out) in out.iter_mut().enumerate() {
            let pa = &pts[p];
            let n = pa.sol;
            // A point without a solution has no statistics (mean, quantiles and maximum are
            // all defined by the same n > 0 epochs).
            let mut dop = ByFigure::default();
            if n > 0 {
                for (q, &kind) in kinds.iter().enumerate() {
                    let fl = &fig_lanes[(p / W) * nk + q];
                    let (sum, max) = (fl.sum[p % W], fl.max[p % W]);
                    let sketch = &sketches[p * nk + q];
                    let [p50, p95] = sketch.quantiles(n, [0.50, 0.95], max);
                    dop.set(
                        kind,
                        DopStats {
                            mean: sum / n as f64,
                            p50,
                            p95,
                            max,
                            percentile_rel_error: sketch.rel_error(),
                        },
                    );
                }
            }
            *out = PointStats {
                site: self.grid.geodetic()[r0 + p],
                visible_mean: if ne > 0 {
                    pa.vis_sum as f64 / ne as f64
                } else {
                    0.0
                },
                visible_min: if ne > 0 { pa.vis_min } else { 0 },
                visible_max: pa.vis_max,
                solution_epochs: n,
                availability: if ne > 0 {
                    pa.avail as f64 / ne as f64
                } else {
                    0.0
                },
                longest_outage_s: pa.max_out as f64 * step_s,
                dop,
            };
        }
        series
            .into_iter()
            .enumerate()
            .filter_map(|(p, s)| {
                s.map(|samples| PointSeries {
                    point: r0 + p,
                    samples,
                })
            })
            .collect()
    }

    /// Add satellite `sat` to the sums of lane groups g0..g1 of the row (the segment's sums
    /// `acc` start at lane group sg0), where it is above the mask.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn accumulate<L: PairLanes>(
        &self,
        pairs: L,
        acc: &mut [LaneAcc],
        sg0: usize,
        g0: usize,
        g1: usize,
        sat: Sat,
        lanes: &[LaneSite],
        sites: &Sites,
        np: usize,
    ) {
        let a = &mut acc[g0 - sg0..g1 - sg0];
        match self.constant {
            Some((sin2, nonneg)) => {
                let pass = Pass {
                    lanes: &lanes[g0..g1],
                    sat,
                    sin2,
                };
                if nonneg {
                    pairs.constant::<true>(a, pass)
                } else {
                    pairs.constant::<false>(a, pass)
                }
            }
            None => self.accumulate_exact(sites, acc, sg0 * W, g0 * W, (g1 * W).min(np), sat),
        }
    }

    /// Exact path (azimuth-dependent mask): azimuth and elevation of the satellite from every
    /// point p0..p1 (indices in the row; `acc` starts at point s0) where it is above the lowest
    /// mask elevation, then the mask's own test.
    fn accumulate_exact(
        &self,
        st: &Sites,
        acc: &mut [LaneAcc],
        s0: usize,
        p0: usize,
        p1: usize,
        sat: Sat,
    ) {
        let (sin2, nonneg) = self.lowest;
        for p in p0..p1 {
            let (dx, dy, dz) = (
                sat.p[0] - st.o[0][p],
                sat.p[1] - st.o[1][p],
                sat.p[2] - st.o[2][p],
            );
            let du = dx * st.u[0][p] + dy * st.u[1][p] + dz * st.u[2][p];
            let d2 = dx * dx + dy * dy + dz * dz;
            let pre = if nonneg {
                above::<true>(du, d2, sin2)
            } else {
                above::<false>(du, d2, sin2)
            };
            if !pre {
                continue;
            }
            let de = dx * st.e[0][p] + dy * st.e[1][p] + dz * st.e[2][p];
            let dn = dx * st.n[0][p] + dy * st.n[1][p] + dz * st.n[2][p];
            let inv = 1.0 / d2.sqrt();
            let el_deg = (du * inv).clamp(-1.0, 1.0).asin().to_degrees();
            let az_deg = de.atan2(dn).to_degrees().rem_euclid(360.0);
            if self.cfg.mask.is_visible(az_deg, el_deg) {
                let (a, l) = (&mut acc[(p - s0) / W], (p - s0) % W);
                let u = [dx * inv, dy * inv, dz * inv];
                let w = sat.w;
                let (wx, wy, wz) = (w * u[0], w * u[1], w * u[2]);
                a.pp[0][l] += wx * u[0];
                a.pp[1][l] += wx * u[1];
                a.pp[2][l] += wx * u[2];
                a.pp[3][l] += wy * u[1];
                a.pp[4][l] += wy * u[2];
                a.pp[5][l] += wz * u[2];
                let pc = &mut a.pc[sat.slot];
                pc[0][l] += wx;
                pc[1][l] += wy;
                pc[2][l] += wz;
                pc[3][l] += w;
                a.n[l] += 1.0;
            }
        }
    }
}

/// Fast path (constant mask): one satellite over a run of lane groups, branch-free within a lane
/// group (a group where no point sees the satellite is skipped), with the
/// same operation on the W points of a group side by side so that the compiler emits packed
/// instructions (the square roots and divisions of two points share one SIMD instruction).
///
/// With d = s − o, ℓ = d/|d| and the effective weight w' = w·[visible]:
/// Σwℓℓᵀ += (w'/|d|²) d dᵀ, Σwℓ += (w'/|d|) d, Σw += w'. Points where the satellite is below
/// the mask add exact zeros.
#[inline(always)]
fn accumulate_constant<const NONNEG: bool>(acc: &mut [LaneAcc], pass: Pass<'_>) {
    let Pass { lanes, sat, sin2 } = pass;
    let [sx, sy, sz] = sat.p;
    let w = sat.w;
    let slot = sat.slot;
    assert!(slot < MAX_SYSTEMS); // once, so that the loop indexes `pc` without a check
    for (a, st) in acc.iter_mut().zip(lanes) {
        let mut d = [[0.0f64; W]; 3];
        let mut wv = [0.0f64; W];
        let mut one = [0.0f64; W];
        let mut r = [0.0f64; W];
        let mut q = [0.0f64; W];
        let mut any = false;
        for l in 0..W {
            let (dx, dy, dz) = (sx - st.o[0][l], sy - st.o[1][l], sz - st.o[2][l]);
            let du = dx * st.u[0][l] + dy * st.u[1][l] + dz * st.u[2][l];
            let d2 = dx * dx + dy * dy + dz * dz;
            let vis = above::<NONNEG>(du, d2, sin2);
            any |= vis;
            wv[l] = if vis { w } else { 0.0 };
            one[l] = if vis { 1.0 } else { 0.0 };
            let inv = 1.0 / d2.sqrt();
            r[l] = wv[l] * inv;
            q[l] = r[l] * inv;
            d[0][l] = dx;
            d[1][l] = dy;
            d[2][l] = dz;
        }
        // No lane sees the satellite: every term below is ±0 (w·0 products), and adding ±0 to
        // a sum that starts at +0 changes no bit, so the lane group is skipped.
        if !any {
            continue;
        }
        for l in 0..W {
            let (dx, dy, dz) = (d[0][l], d[1][l], d[2][l]);
            let (qx, qy, qz) = (q[l] * dx, q[l] * dy, q[l] * dz);
            a.pp[0][l] += qx * dx;
            a.pp[1][l] += qx * dy;
            a.pp[2][l] += qx * dz;
            a.pp[3][l] += qy * dy;
            a.pp[4][l] += qy * dz;
            a.pp[5][l] += qz * dz;
            a.n[l] += one[l];
        }
        let pc = &mut a.pc[slot];
        for l in 0..W {
            pc[0][l] += r[l] * d[0][l];
            pc[1][l] += r[l] * d[1][l];
            pc[2][l] += r[l] * d[2][l];
            pc[3][l] += wv[l];
        }
    }
}

/// One satellite's pass over a run of lane groups under a constant mask: the groups' sites,
/// the satellite, and sin² of the mask elevation.
#[derive(Clone, Copy)]
struct Pass<'a> {
    lanes: &'a [LaneSite],
    sat: Sat,
    sin2: f64,
}

/// The constant-mask pair accumulation at one instruction-set level.
trait PairLanes: Copy {
    /// Add one satellite to the sums of a run of lane groups (see [`accumulate_constant`]).
    fn constant<const NONNEG: bool>(self, acc: &mut [LaneAcc], pass: Pass<'_>);
}

/// The scalar reference: [`accumulate_constant`], separate multiplies and adds.
#[derive(Clone, Copy)]
struct ScalarLanes;

impl PairLanes for ScalarLanes {
    #[inline(always)]
    fn constant<const NONNEG: bool>(self, acc: &mut [LaneAcc], pass: Pass<'_>) {
        accumulate_constant::<NONNEG>(acc, pass)
    }
}

/// AVX2: one lane group is one 256-bit vector, with the scalar path's operations in the same
/// order, so that results are bit-identical between levels (and so between machines). Fused
/// multiply-adds in the sums were tried: they save about 10 of 50 instructions per lane group
/// but change DOPs of ill-conditioned epochs by up to 4e-12 relative (PDOP 35 on the 1° grid),
/// beyond the 1e-12 the results are held to against the scalar reference.
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
struct V3Lanes(pulp::x86::V3);

#[cfg(target_arch = "x86_64")]
impl PairLanes for V3Lanes {
    #[inline(always)]
    fn constant<const NONNEG: bool>(self, acc: &mut [LaneAcc], pass: Pass<'_>) {
        use pulp::bytemuck::cast;
        use pulp::f64x4;
        let Pass { lanes, sat, sin2 } = pass;
        let s = self.0;
        let v = |a: [f64; W]| -> f64x4 { cast(a) };
        let (sx, sy, sz) = (
            s.splat_f64x4(sat.p[0]),
            s.splat_f64x4(sat.p[1]),
            s.splat_f64x4(sat.p[2]),
        );
        let w = s.splat_f64x4(sat.w);
        let zero = s.splat_f64x4(0.0);
        let one = s.splat_f64x4(1.0);
        let sin2 = s.splat_f64x4(sin2);
        let slot = sat.slot;
        // Once per run of lane groups, so that the loop indexes `pc` without a check.
        assert!(slot < MAX_SYSTEMS);
        for (a, st) in acc.iter_mut().zip(lanes) {
            let dx = s.sub_f64x4(sx, v(st.o[0]));
            let dy = s.sub_f64x4(sy, v(st.o[1]));
            let dz = s.sub_f64x4(sz, v(st.o[2]));
            let du = s.add_f64x4(
                s.add_f64x4(s.mul_f64x4(dx, v(st.u[0])), s.mul_f64x4(dy, v(st.u[1]))),
                s.mul_f64x4(dz, v(st.u[2])),
            );
            let d2 = s.add_f64x4(
                s.add_f64x4(s.mul_f64x4(dx, dx), s.mul_f64x4(dy, dy)),
                s.mul_f64x4(dz, dz),
            );
            let up = s.cmp_ge_f64x4(du, zero);
            let (du2, m2) = (s.mul_f64x4(du, du), s.mul_f64x4(sin2, d2));
            let vis = if NONNEG {
                s.and_m64x4(up, s.cmp_ge_f64x4(du2, m2))
            } else {
                s.or_m64x4(up, s.cmp_le_f64x4(du2, m2))
            };
            // A lane group where no lane sees the satellite adds only zeros: skip it (the sums
            // are bit-identical either way, see `accumulate_constant`).
            let bits: [u64; W] = cast(vis);
            if (bits[0] | bits[1] | bits[2] | bits[3]) == 0 {
                continue;
            }
            let wv = s.select_f64x4(vis, w, zero);
            let n1 = s.select_f64x4(vis, one, zero);
            let inv = s.div_f64x4(one, s.sqrt_f64x4(d2));
            let r = s.mul_f64x4(wv, inv);
            let q = s.mul_f64x4(r, inv);
            let (qx, qy, qz) = (s.mul_f64x4(q, dx), s.mul_f64x4(q, dy), s.mul_f64x4(q, dz));
            // acc + x·y as a multiply then an add (not fused): see the type's notes.
            let fma = |x: f64x4, y: f64x4, acc: &mut [f64; W]| {
                *acc = cast(s.add_f64x4(v(*acc), s.mul_f64x4(x, y)));
            };
            fma(qx, dx, &mut a.pp[0]);
            fma(qx, dy, &mut a.pp[1]);
            fma(qx, dz, &mut a.pp[2]);
            fma(qy, dy, &mut a.pp[3]);
            fma(qy, dz, &mut a.pp[4]);
            fma(qz, dz, &mut a.pp[5]);
            a.n = cast(s.add_f64x4(v(a.n), n1));
            let pc = &mut a.pc[slot];
            fma(r, dx, &mut pc[0]);
            fma(r, dy, &mut pc[1]);
            fma(r, dz, &mut pc[2]);
            pc[3] = cast(s.add_f64x4(v(pc[3]), wv));
        }
    }
}

/// [`Plan::run_row_with`] at AVX2+FMA, run through pulp's dispatch (a function compiled with
/// those target features, entered only when the CPU has them).
#[cfg(target_arch = "x86_64")]
struct V3Row<'p, 'a, 't, 'o> {
    plan: &'p Plan<'a>,
    simd: pulp::x86::V3,
    row: std::ops::Range<usize>,
    table: &'t SatTable,
    step_s: f64,
    out: &'o mut [PointStats],
}

#[cfg(target_arch = "x86_64")]
impl pulp::WithSimd for V3Row<'_, '_, '_, '_> {
    type Output = Vec<PointSeries>;

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) -> Self::Output {
        self.plan.run_row_with(
            V3Lanes(self.simd),
            self.row,
            self.table,
            self.step_s,
            self.out,
        )
    }
}

const _: () = assert!(MAX_SYSTEMS <= u8::MAX as usize);
const _: () = assert!(BLOCK.is_multiple_of(W));

#[cfg(test)]
mod tests {
    use super::RowArc;
    use crate::coverage::test_constellation::WalkerSource;
    use crate::coverage::{self, CoverageConfig, Grid, GridLayout};
    use crate::id::Constellation;
    use crate::orbit::OrbitSource;
    use hifitime::{Epoch, TimeScale, Unit};

    /// The lane-wise solve gives bit for bit what the per-point solve gives (figures and
    /// whether there is a solution) for `Common` and `PerConstellation`, on random lane groups
    /// with 0–11 satellites per point over one to three systems: absent systems,
    /// under-determined points and degenerate geometry (all lines of sight in one plane).
    #[test]
    fn lane_solve_is_the_per_point_solve() {
        use super::{solve_lanes, LaneAcc, W};
        use crate::geometry::{ClockModel, NormalAccumulator};
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut rnd = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let slots = [0usize, 1, 3];
        let (mut solved, mut refused) = (0, 0);
        for case in 0..4000 {
            let mut pts = [NormalAccumulator::new(); W];
            let mut up = [[0.0; W]; 3];
            for (l, acc) in pts.iter_mut().enumerate() {
                let n = (rnd() * 12.0) as usize;
                let planar = case % 7 == 0;
                for _ in 0..n {
                    let (az, el) = (rnd() * std::f64::consts::TAU, rnd() * 1.5);
                    let el = if planar { 0.3 } else { el };
                    let v = [az.sin() * el.cos(), az.cos() * el.cos(), el.sin()];
                    let slot = slots[(rnd() * slots.len() as f64) as usize % (1 + case % 3)];
                    acc.add(v, slot, 0.5 + rnd());
                }
                let u = [rnd() - 0.5, rnd() - 0.5, 1.0];
                let un = (u[0] * u[0] + u[1] * u[1] + u[2] * u[2]).sqrt();
                for k in 0..3 {
                    up[k][l] = u[k] / un;
                }
            }
            let mut a = LaneAcc::ZERO;
            for (l, acc) in pts.iter().enumerate() {
                for j in 0..6 {
                    a.pp[j][l] = acc.pp[j];
                }
                for &s in &slots {
                    for j in 0..3 {
                        a.pc[s][j][l] = acc.pc[s][j];
                    }
                    a.pc[s][3][l] = acc.cc[s];
                }
                a.n[l] = acc.used as f64;
            }
            for (merge, clock) in [
                (true, ClockModel::Common),
                (false, ClockModel::PerConstellation),
            ] {
                let lf = solve_lanes(&a, &up, &slots, merge);
                for (l, acc) in pts.iter().enumerate() {
                    let u = [up[0][l], up[1][l], up[2][l]];
                    match acc.solve(&clock, u) {
                        Some(s) => {
                            solved += 1;
                            assert!(lf.ok[l], "case {case} lane {l} {clock:?}: no lane solution");
                            let d = s.dops();
                            for f in 0..5 {
                                assert_eq!(
                                    lf.figs[f][l].to_bits(),
                                    d[f].to_bits(),
                                    "case {case} lane {l} {clock:?} figure {f}"
                                );
                            }
                            assert_eq!(lf.figs[5][l].to_bits(), s.pos_trace.sqrt().to_bits());
                        }
                        None => {
                            refused += 1;
                            assert!(
                                !lf.ok[l],
                                "case {case} lane {l} {clock:?}: spurious solution"
                            );
                        }
                    }
                }
            }
        }
        assert!(
            solved > 10_000 && refused > 2_000,
            "{solved} solved, {refused} refused"
        );
    }

    /// The closed-form row intervals select the same visible satellites as the block cones:
    /// a global grid (uniform rows) and the same points listed column by column (rows that are
    /// not uniform, so culled by cones) give bit-identical statistics. Both sum each point's
    /// satellites in table order, so no tolerance is needed. Nodes include the pole rows.
    #[test]
    fn row_intervals_equal_block_cones() {
        let t0 = Epoch::from_gregorian_hms(2023, 1, 1, 0, 0, 0, TimeScale::GPST);
        let bds = WalkerSource::bds_like(t0);
        let glo = WalkerSource::glonass_like(t0);
        let srcs: [&dyn OrbitSource; 2] = [&bds, &glo];
        let mut cfg = CoverageConfig::new(
            vec![Constellation::BeiDou, Constellation::Glonass],
            t0,
            t0 + Unit::Hour * 6,
            Unit::Minute * 45,
        );
        // 1° bands (near the south pole, the equator, the north) and a coarse global grid of
        // nodes (pole rows); masks ≥ 0 and < 0.
        let band = |lat0: f64, lat1: f64, lon0: f64, lon1: f64| {
            Grid::regional(lat0, lat1, lon0, lon1, 1.0, GridLayout::CellCentres, 0.0).unwrap()
        };
        for (grid, mask) in [
            (band(-89.0, -84.0, -180.0, 180.0), 10.0),
            (band(-3.0, 3.0, -180.0, 180.0), 10.0),
            (band(55.0, 60.0, 150.0, 250.0), 5.0),
            (band(20.0, 24.0, -180.0, 180.0), -2.0),
            (Grid::global(7.5, GridLayout::Nodes, 0.0).unwrap(), 0.0),
        ] {
            cfg.mask = crate::geometry::ElevationMask::Constant {
                min_elevation_deg: mask,
            };
            let rows: Vec<_> = grid.rows().collect();
            assert!(rows.iter().all(|r| RowArc::of(
                &grid,
                &super::Sites::new(&grid.geodetic()[r.clone()], &cfg, false),
                r.clone()
            )
            .is_some()));
            // Column by column: point (row a, column b) at index b·n_rows + a.
            let ncol = rows[0].len();
            let cols: Vec<_> = (0..ncol)
                .flat_map(|b| rows.iter().map(move |r| r.start + b))
                .collect();
            let listed = Grid::points(cols.iter().map(|&p| grid.geodetic()[p]).collect()).unwrap();
            let a = coverage::run(&srcs, &grid, &cfg).unwrap();
            let b = coverage::run(&srcs, &listed, &cfg).unwrap();
            for (k, &p) in cols.iter().enumerate() {
                assert_eq!(a.points[p], b.points[k], "point {p}, mask {mask}°");
            }
        }
    }
}
