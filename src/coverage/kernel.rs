//! The grid × epoch kernel: block culling, exact visibility, normal-matrix accumulation and
//! streamed statistics for one row of the grid.
//!
//! Operation count per grid-point-epoch (constant mask, two systems, `PerConstellation`), with
//! N_c ≈ 24–27 candidates left by the cull out of 70 satellites (≈ 21 visible at 10°):
//!
//! | step | flops |
//! |---|---|
//! | block cull, 70 satellites per 8-point block and epoch: dot + cos(ψ+β) + compare | ≈ 70 |
//! | pass 1 per candidate: d = s − o (3), d·u (5), ‖d‖² (5), 2 compares, √, ÷, ℓ = d/‖d‖ (3) | 16 + √ + ÷ |
//! | pass 2 per candidate: wℓ (3), Σwℓℓᵀ (6 × 2), Σwℓ (3), Σw (1) | 19 |
//! | Schur solve: S = P − Σ B D⁻¹Bᵀ (2 × 15), 3×3 adjugate inverse (≈ 30 + ÷), uᵀQu and GᵀQG (3 × 15) | ≈ 110 + 3 ÷ |
//! | statistics: sums, min/max, one histogram bin per figure (bit shift, no logarithm) | ≈ 20 |
//!
//! ≈ 1,100–1,200 flops plus ≈ 25 square roots and divisions: in scalar SSE2 code about 0.2 µs per
//! grid-point-epoch per core. Horizon culling needs no square root (squared comparison with
//! sin² mask), site frames are computed once per point (not per epoch), satellite positions are
//! structure-of-arrays, and nothing is allocated inside the epoch loop.

#![allow(clippy::needless_range_loop)] // index loops mirror the matrix equations

use super::hist;
use super::{CoverageConfig, DopKind, DopStats, EpochSample, Grid, PointSeries, PointStats};
use crate::frames::{Geodetic, Topocentric};
use crate::geometry::{ElevationMask, NormalAccumulator, MAX_SYSTEMS};

/// A culling block: points b0..b1 of the row, centre direction, and (cos β, sin β) of its
/// angular radius (`None`: no cull).
type Block = (usize, usize, [f64; 3], Option<(f64, f64)>);

/// Points per culling block (consecutive points of a row).
const BLOCK: usize = 8;

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

/// A grid point's frame in ECEF: origin, up, east, north, and geocentric unit direction.
#[derive(Clone, Copy)]
struct Site {
    o: [f64; 3],
    u: [f64; 3],
    e: [f64; 3],
    n: [f64; 3],
    c: [f64; 3],
}

impl Site {
    fn new(g: &Geodetic, cfg: &CoverageConfig) -> Self {
        let t = Topocentric::new(*g, &cfg.ellipsoid);
        let r = t.ecef_to_enu;
        let o = [t.origin_m.x, t.origin_m.y, t.origin_m.z];
        let on = (o[0] * o[0] + o[1] * o[1] + o[2] * o[2]).sqrt();
        Site {
            o,
            e: [r[(0, 0)], r[(0, 1)], r[(0, 2)]],
            n: [r[(1, 0)], r[(1, 1)], r[(1, 2)]],
            u: [r[(2, 0)], r[(2, 1)], r[(2, 2)]],
            c: [o[0] / on, o[1] / on, o[2] / on],
        }
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
    sites: Vec<Site>,
    /// Largest Earth-central angle between a site and a satellite above the lowest mask, rad
    /// (conservative); ≥ π disables the block cull.
    psi_max_rad: f64,
    /// Per table entry: (cos ψ, sin ψ) of that satellite's own visibility cone (ψ ≤ ψ_max).
    psi_cs: Vec<(f64, f64)>,
    /// Constant mask: (sin² m, m ≥ 0); `None` for an azimuth-dependent mask.
    constant: Option<(f64, bool)>,
    /// sin² and sign of the lowest mask elevation (pre-test for the azimuthal path).
    lowest: (f64, bool),
    kinds: Vec<usize>,
    weighted: bool,
}

pub(super) struct RowOut {
    pub(super) stats: Vec<PointStats>,
    pub(super) series: Vec<PointSeries>,
}

/// Whether sin(el) = du/√d2 ≥ sin(m), without a square root: for m ≥ 0, du ≥ 0 and
/// du² ≥ sin²m·d2; for m < 0, du ≥ 0 or du² ≤ sin²m·d2.
#[inline(always)]
fn above(du: f64, d2: f64, sin2: f64, nonneg: bool) -> bool {
    // Non-short-circuit `&`/`|`: both compares are cheap, a branch would mispredict.
    if nonneg {
        (du >= 0.0) & (du * du >= sin2 * d2)
    } else {
        (du >= 0.0) | (du * du <= sin2 * d2)
    }
}

impl<'a> Plan<'a> {
    pub(super) fn new(
        grid: &'a Grid,
        cfg: &'a CoverageConfig,
        table: &SatTable,
        weighted: bool,
    ) -> Self {
        let sites: Vec<Site> = grid.geodetic().iter().map(|g| Site::new(g, cfg)).collect();
        // Conservative visibility cone. With site radius ρ, satellite radius r and elevation el
        // above the geocentric horizon, the Earth-central angle is ψ = 90° − el − asin(ρ cos el / r)
        // (law of sines in the triangle centre–site–satellite); ψ grows with r and falls with ρ
        // and el. The geodetic vertical differs from the geocentric one by < 0.2°, so use
        // el = mask − 0.5°, the smallest ρ of the grid and the largest r of the run, + 0.1°.
        let lowest_deg = cfg.mask.lowest_deg();
        let rho_min = sites
            .iter()
            .map(|s| (s.o[0] * s.o[0] + s.o[1] * s.o[1] + s.o[2] * s.o[2]).sqrt())
            .fold(f64::INFINITY, f64::min);
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
        let sin2 = |m: f64| {
            let s = m.to_radians().sin();
            (s * s, m >= 0.0)
        };
        let constant = match cfg.mask {
            ElevationMask::Constant { min_elevation_deg } => Some(sin2(min_elevation_deg)),
            ElevationMask::Azimuthal(_) => None,
        };
        Plan {
            grid,
            cfg,
            sites,
            psi_max_rad,
            psi_cs,
            constant,
            lowest: sin2(lowest_deg),
            kinds: cfg.dop_kinds.iter().map(|&k| kind_index(k)).collect(),
            weighted,
        }
    }

    pub(super) fn run_row(
        &self,
        row: std::ops::Range<usize>,
        table: &SatTable,
        step_s: f64,
    ) -> RowOut {
        let np = row.len();
        let nk = self.kinds.len();
        let ne = table.n_epochs();
        let sites = &self.sites[row.clone()];

        // Blocks of consecutive points: centre direction c and angular radius β (cos β, sin β);
        // `None` disables the cull (ψ_max + β ≥ π, or a degenerate centre).
        let mut blocks: Vec<Block> = Vec::new();
        let mut b0 = 0;
        while b0 < np {
            let b1 = (b0 + BLOCK).min(np);
            let mut c = [0.0; 3];
            for s in &sites[b0..b1] {
                for k in 0..3 {
                    c[k] += s.c[k];
                }
            }
            let cn = (c[0] * c[0] + c[1] * c[1] + c[2] * c[2]).sqrt();
            let cone = if cn > 0.0 {
                for v in &mut c {
                    *v /= cn;
                }
                let min_dot = sites[b0..b1]
                    .iter()
                    .map(|s| s.c[0] * c[0] + s.c[1] * c[1] + s.c[2] * c[2])
                    .fold(1.0f64, f64::min);
                let beta = min_dot.clamp(-1.0, 1.0).acos() + 1e-9;
                (self.psi_max_rad + beta < std::f64::consts::PI).then(|| (beta.cos(), beta.sin()))
            } else {
                None
            };
            blocks.push((b0, b1, c, cone));
            b0 = b1;
        }

        // Streamed statistics.
        let mut vis_sum = vec![0u64; np];
        let mut vis_min = vec![u16::MAX; np];
        let mut vis_max = vec![0u16; np];
        let mut sol = vec![0u32; np];
        let mut avail = vec![0u32; np];
        let mut cur_out = vec![0u32; np];
        let mut max_out = vec![0u32; np];
        let mut sum = vec![0.0f64; np * nk];
        let mut vmin = vec![f64::INFINITY; np * nk];
        let mut vmax = vec![f64::NEG_INFINITY; np * nk];
        let mut counts = vec![0u32; np * nk * hist::N_BINS];
        let mut series: Vec<Option<Vec<EpochSample>>> = (row.clone())
            .map(|p| {
                self.cfg
                    .series_points
                    .contains(&p)
                    .then(|| Vec::with_capacity(ne))
            })
            .collect();

        // Candidate buffers (reused; no allocation in the loops below).
        let cap = (0..ne)
            .map(|j| table.epoch_start[j + 1] - table.epoch_start[j])
            .max()
            .unwrap_or(0);
        let mut cx = vec![0.0f64; cap];
        let mut cy = vec![0.0f64; cap];
        let mut cz = vec![0.0f64; cap];
        let mut cw = vec![0.0f64; cap];
        let mut cs = vec![0u8; cap];
        let mut scratch = Scratch::new(cap);

        let clock = self.cfg.clock;
        let pdop_max = self.cfg.availability_pdop_max;
        // Block-major, then epochs: a block's histograms (8 points × figures × 7 kB) stay in
        // cache over the whole run while the satellite table streams through.
        for &(b0, b1, c, cone) in &blocks {
            for j in 0..ne {
                let (a, b) = (table.epoch_start[j], table.epoch_start[j + 1]);
                // Block cull: keep satellites within their own ψ + β of the block centre.
                // Candidates stay in slot order; bnd[s]..bnd[s + 1] are those of slot s.
                let mut m = 0;
                let mut bnd = [0usize; MAX_SYSTEMS + 1];
                for i in a..b {
                    // Keep when angle(sat, c) ≤ ψ_sat + β:
                    // cos∠ ≥ cos(ψ + β) = cos ψ cos β − sin ψ sin β (ψ + β < π here).
                    let keep = match cone {
                        Some((cb, sb)) => {
                            let d = table.cx[i] * c[0] + table.cy[i] * c[1] + table.cz[i] * c[2];
                            let (cp, sp) = self.psi_cs[i];
                            d >= cp * cb - sp * sb
                        }
                        None => true,
                    };
                    if keep {
                        cx[m] = table.x[i];
                        cy[m] = table.y[i];
                        cz[m] = table.z[i];
                        cw[m] = table.w[i];
                        cs[m] = table.slot[i];
                        bnd[table.slot[i] as usize + 1] += 1;
                        m += 1;
                    }
                }
                for s in 0..MAX_SYSTEMS {
                    bnd[s + 1] += bnd[s];
                }
                for p in b0..b1 {
                    let site = &sites[p];
                    let acc = match self.constant {
                        Some((sin2, nonneg)) => accumulate_constant(
                            site,
                            &cx[..m],
                            &cy[..m],
                            &cz[..m],
                            &cw[..m],
                            &bnd,
                            sin2,
                            nonneg,
                            &mut scratch,
                        ),
                        None => self.accumulate_exact(
                            site,
                            &cx[..m],
                            &cy[..m],
                            &cz[..m],
                            &cw[..m],
                            &cs[..m],
                        ),
                    };
                    let nv = acc.used;
                    vis_sum[p] += nv as u64;
                    vis_min[p] = vis_min[p].min(nv);
                    vis_max[p] = vis_max[p].max(nv);
                    let s = acc.solve(&clock, site.u);
                    let mut available = false;
                    let mut figs = [0.0f64; 6];
                    if let Some(s) = &s {
                        let d = s.dops();
                        figs[..5].copy_from_slice(&d);
                        figs[5] = s.pos_trace.sqrt();
                        sol[p] += 1;
                        available = d[0] <= pdop_max;
                        for (q, &ki) in self.kinds.iter().enumerate() {
                            let v = figs[ki];
                            let idx = p * nk + q;
                            sum[idx] += v;
                            vmin[idx] = vmin[idx].min(v);
                            vmax[idx] = vmax[idx].max(v);
                            counts[idx * hist::N_BINS + hist::bin_of(v)] += 1;
                        }
                    }
                    if available {
                        avail[p] += 1;
                        cur_out[p] = 0;
                    } else {
                        cur_out[p] += 1;
                        max_out[p] = max_out[p].max(cur_out[p]);
                    }
                    if let Some(ser) = &mut series[p] {
                        ser.push(EpochSample {
                            visible: nv,
                            dop: s
                                .as_ref()
                                .map(|_| [figs[0], figs[1], figs[2], figs[3], figs[4]]),
                            position_error_m: s.as_ref().filter(|_| self.weighted).map(|_| figs[5]),
                        });
                    }
                }
            }
        }

        let kinds = &self.cfg.dop_kinds;
        let stats = (0..np)
            .map(|p| {
                let n = sol[p];
                let dop = (0..nk)
                    .map(|q| {
                        let idx = p * nk + q;
                        let h = &counts[idx * hist::N_BINS..(idx + 1) * hist::N_BINS];
                        let (lo, hi) = (vmin[idx], vmax[idx]);
                        let some = |v: f64| (n > 0).then_some(v);
                        let [p50, p95] = if n > 0 {
                            hist::percentiles(h, n, [0.50, 0.95], lo, hi)
                        } else {
                            [0.0; 2]
                        };
                        DopStats {
                            kind: kinds[q],
                            mean: some(sum[idx] / n as f64),
                            p50: some(p50),
                            p95: some(p95),
                            max: some(hi),
                        }
                    })
                    .collect();
                PointStats {
                    site: self.grid.geodetic()[row.start + p],
                    visible_mean: if ne > 0 {
                        vis_sum[p] as f64 / ne as f64
                    } else {
                        0.0
                    },
                    visible_min: if ne > 0 { vis_min[p] } else { 0 },
                    visible_max: vis_max[p],
                    solution_epochs: n,
                    availability: if ne > 0 {
                        avail[p] as f64 / ne as f64
                    } else {
                        0.0
                    },
                    longest_outage_s: max_out[p] as f64 * step_s,
                    dop,
                }
            })
            .collect();
        let series = series
            .into_iter()
            .enumerate()
            .filter_map(|(p, s)| {
                s.map(|samples| PointSeries {
                    point: row.start + p,
                    samples,
                })
            })
            .collect();
        RowOut { stats, series }
    }

    /// Exact path (azimuth-dependent mask): azimuth and elevation of every candidate above the
    /// lowest mask elevation, then the mask's own test.
    fn accumulate_exact(
        &self,
        site: &Site,
        x: &[f64],
        y: &[f64],
        z: &[f64],
        w: &[f64],
        slot: &[u8],
    ) -> NormalAccumulator {
        let mut acc = NormalAccumulator::new();
        let [ox, oy, oz] = site.o;
        let [ux, uy, uz] = site.u;
        let (sin2, nonneg) = self.lowest;
        for i in 0..x.len() {
            let (dx, dy, dz) = (x[i] - ox, y[i] - oy, z[i] - oz);
            let du = dx * ux + dy * uy + dz * uz;
            let d2 = dx * dx + dy * dy + dz * dz;
            if !above(du, d2, sin2, nonneg) {
                continue;
            }
            let de = dx * site.e[0] + dy * site.e[1] + dz * site.e[2];
            let dn = dx * site.n[0] + dy * site.n[1] + dz * site.n[2];
            let inv = 1.0 / d2.sqrt();
            let el_deg = (du * inv).clamp(-1.0, 1.0).asin().to_degrees();
            let az_deg = de.atan2(dn).to_degrees().rem_euclid(360.0);
            if self.cfg.mask.is_visible(az_deg, el_deg) {
                acc.add([dx * inv, dy * inv, dz * inv], slot[i] as usize, w[i]);
            }
        }
        acc
    }
}

/// Scratch arrays of the fast path: unit lines of sight and effective weights of the candidates.
struct Scratch {
    lx: Vec<f64>,
    ly: Vec<f64>,
    lz: Vec<f64>,
    wv: Vec<f64>,
}

impl Scratch {
    fn new(cap: usize) -> Self {
        Scratch {
            lx: vec![0.0; cap],
            ly: vec![0.0; cap],
            lz: vec![0.0; cap],
            wv: vec![0.0; cap],
        }
    }
}

/// Fast path (constant mask), branch-free, in two passes over the candidates.
///
/// Pass 1 is a pure map (no loop-carried sums, so the compiler pairs the square roots and
/// divisions in SIMD registers): ℓ = d/|d| and w·[visible] for every candidate. Pass 2 sums per
/// system in two interleaved lanes, added in a fixed order at the end. Invisible candidates add
/// exact zeros, so the sums are those of the visible satellites.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn accumulate_constant(
    site: &Site,
    x: &[f64],
    y: &[f64],
    z: &[f64],
    w: &[f64],
    bnd: &[usize; MAX_SYSTEMS + 1],
    sin2: f64,
    nonneg: bool,
    sc: &mut Scratch,
) -> NormalAccumulator {
    let m = x.len();
    let (y, z, w) = (&y[..m], &z[..m], &w[..m]);
    let (lx, ly, lz, wv) = (
        &mut sc.lx[..m],
        &mut sc.ly[..m],
        &mut sc.lz[..m],
        &mut sc.wv[..m],
    );
    let [ox, oy, oz] = site.o;
    let [ux, uy, uz] = site.u;
    let mut used = 0u16;
    for i in 0..m {
        let (dx, dy, dz) = (x[i] - ox, y[i] - oy, z[i] - oz);
        let du = dx * ux + dy * uy + dz * uz;
        let d2 = dx * dx + dy * dy + dz * dz;
        let vis = above(du, d2, sin2, nonneg);
        let inv = 1.0 / d2.sqrt();
        lx[i] = dx * inv;
        ly[i] = dy * inv;
        lz[i] = dz * inv;
        wv[i] = if vis { w[i] } else { 0.0 };
        used += vis as u16;
    }
    let mut acc = NormalAccumulator::new();
    for s in 0..MAX_SYSTEMS {
        let (lo, hi) = (bnd[s], bnd[s + 1]);
        if lo == hi {
            continue;
        }
        let mut a = [[0.0f64; 2]; 10];
        let mut i = lo;
        while i + 2 <= hi {
            for l in 0..2 {
                let k = i + l;
                let (wx, wy, wz) = (wv[k] * lx[k], wv[k] * ly[k], wv[k] * lz[k]);
                a[0][l] += wx * lx[k];
                a[1][l] += wx * ly[k];
                a[2][l] += wx * lz[k];
                a[3][l] += wy * ly[k];
                a[4][l] += wy * lz[k];
                a[5][l] += wz * lz[k];
                a[6][l] += wx;
                a[7][l] += wy;
                a[8][l] += wz;
                a[9][l] += wv[k];
            }
            i += 2;
        }
        if i < hi {
            let (wx, wy, wz) = (wv[i] * lx[i], wv[i] * ly[i], wv[i] * lz[i]);
            a[0][0] += wx * lx[i];
            a[1][0] += wx * ly[i];
            a[2][0] += wx * lz[i];
            a[3][0] += wy * ly[i];
            a[4][0] += wy * lz[i];
            a[5][0] += wz * lz[i];
            a[6][0] += wx;
            a[7][0] += wy;
            a[8][0] += wz;
            a[9][0] += wv[i];
        }
        let a: [f64; 10] = std::array::from_fn(|j| a[j][0] + a[j][1]);
        for j in 0..6 {
            acc.pp[j] += a[j];
        }
        acc.pc[s] = [a[6], a[7], a[8]];
        acc.cc[s] = a[9];
    }
    acc.used = used;
    acc
}

const _: () = assert!(MAX_SYSTEMS <= u8::MAX as usize);
