//! Coverage throughput: 1° global grid (64,800 cell centres), BDS+GLONASS test load of 70
//! satellites, 10° mask, `PerConstellation`, PDOP/HDOP/VDOP statistics, 1 and 2 threads, at each
//! kernel instruction-set level the machine offers (`scalar`, `v3` = AVX2, `v4` = AVX-512), in
//! grid-point-epochs per second (`Throughput::Elements`); the benchmark ids are
//! `{level}/threads/{n}`, so the ratios read off one run. The same group runs `plain/threads/{n}`:
//! a straightforward scalar implementation of the same maths kept in this file (per point and
//! epoch: build the design matrix G of the visible satellites, GᵀG, invert it, DOPs; mean and
//! maximum per point), checked against the engine before timing; a summary of the speed-ups
//! (engine at each level ÷ plain) is printed at the end.
//!
//! Before the Criterion run, a memory measurement: a counting global allocator (this bench binary
//! only) records the peak of live heap bytes of a one-epoch run on the 1° and 0.5° global grids
//! and prints the peak bytes per grid point, whole run (result included) and of the engine's
//! streamed state (`coverage::state_bytes_per_point`).
//!
//! The satellites are the *test* Walker constellations (not the nominal model): BDS-like 24/3/1
//! MEO + 3 GEO, plus 3 IGSO and a 16/2/1 MEO shell standing in for the rest of a ≈46-satellite
//! BeiDou, and the GLONASS-like 24/3/1.
//!
//! Three one-shot modes, selected by environment variables, replace the Criterion run:
//! - `COVERAGE_FULL_DAY=1`: a full day at 60 s (1,440 epochs, 93.3 M grid-point-epochs) on the
//!   same grid, timed once with 1 and once with 2 threads per level, with the ratio to scalar;
//! - `COVERAGE_PROFILE=1`: a small single-threaded run for instruction counts (e.g. under
//!   `valgrind --tool=callgrind`): the northern half of the 1° grid (same 360-point rows as
//!   the global grid, 32,400 points) over 30 epochs (972,000 grid-point-epochs), at the level
//!   `GNSS_INTEROP_ISA` names (default: the widest available);
//! - `COVERAGE_MEMORY=1`: only the memory measurement.

#![allow(clippy::needless_range_loop)] // index loops mirror the matrix equations

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gnss_interop::coverage::test_constellation::{WalkerSource, GEO_RADIUS_M};
use gnss_interop::coverage::{self, CoverageConfig, DopKind, Grid, GridLayout, IsaLevel};
use gnss_interop::frames::{Ellipsoid, Topocentric};
use gnss_interop::id::Constellation;
use gnss_interop::orbit::OrbitSource;
use hifitime::{Epoch, TimeScale, Unit};
use peak_alloc::PeakAlloc;
use rayon::prelude::*;
use std::time::Instant;

/// Counting global allocator (the `peak_alloc` crate: the system allocator plus live and peak
/// heap byte counters) for this binary only.
#[global_allocator]
static GLOBAL: PeakAlloc = PeakAlloc;

fn t0() -> Epoch {
    Epoch::from_gregorian_hms(2023, 1, 1, 0, 0, 0, TimeScale::GPST)
}

/// The 70-satellite test load.
fn sources() -> (WalkerSource, WalkerSource) {
    let bds = WalkerSource::bds_like(t0())
        .with_walker(Constellation::BeiDou, 6, 3, 3, 1, 55.0, GEO_RADIUS_M)
        .with_walker(Constellation::BeiDou, 43, 16, 2, 1, 55.0, 27_906_100.0);
    let glo = WalkerSource::glonass_like(t0());
    assert_eq!(bds.satellites().len() + glo.satellites().len(), 70);
    (bds, glo)
}

/// Elevation mask of every run here (set explicitly: the library default may differ).
const MASK_DEG: f64 = 10.0;

fn config(epochs: i64) -> CoverageConfig {
    CoverageConfig::new(
        vec![Constellation::BeiDou, Constellation::Glonass],
        t0(),
        t0() + Unit::Minute * (epochs - 1),
        Unit::Minute * 1,
    )
    .with_mask_deg(MASK_DEG)
    .unwrap()
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

/// One-shot timed runs (see the module documentation); returns true when one was asked for.
fn one_shot() -> bool {
    let (bds, glo) = sources();
    let srcs: [&dyn OrbitSource; 2] = [&bds, &glo];
    if std::env::var_os("COVERAGE_FULL_DAY").is_some() {
        let grid = Grid::global(1.0, GridLayout::CellCentres, 0.0).unwrap();
        let n = grid.len() as f64 * 1440.0;
        for threads in [1usize, 2] {
            let mut scalar_s = None;
            for level in IsaLevel::available() {
                let cfg = config(1440).with_isa(level);
                let t = Instant::now();
                let r = pool(threads).install(|| coverage::run(&srcs, &grid, &cfg).unwrap());
                let s = t.elapsed().as_secs_f64();
                let base = *scalar_s.get_or_insert(s);
                let pdop = r.summary(None).unwrap().get(DopKind::Pdop).unwrap().mean;
                println!(
                    "full day, 1° global, {} kernel, {threads} thread(s): {s:.2} s, {:.2} M \
                     grid-point-epochs/s, {:.2}× scalar (area-mean PDOP {pdop:.6})",
                    level.name(),
                    n / s / 1e6,
                    base / s
                );
            }
        }
        return true;
    }
    if std::env::var_os("COVERAGE_MEMORY").is_some() {
        memory(&srcs);
        return true;
    }
    if std::env::var_os("COVERAGE_PROFILE").is_some() {
        let grid =
            Grid::regional(0.0, 90.0, -180.0, 180.0, 1.0, GridLayout::CellCentres, 0.0).unwrap();
        let cfg = config(30);
        let level = cfg.isa.resolve().unwrap();
        let t = Instant::now();
        let r = pool(1).install(|| coverage::run(&srcs, &grid, &cfg).unwrap());
        let pdop = r.summary(None).unwrap().get(DopKind::Pdop).unwrap().mean;
        println!(
            "profile run ({} kernel): {} points × 30 epochs in {:.3} s (area-mean PDOP {pdop:.6})",
            level.name(),
            grid.len(),
            t.elapsed().as_secs_f64()
        );
        return true;
    }
    false
}

/// The plain scalar reference of the same maths, per point and epoch (no culling, no lanes, no
/// sketch): satellite positions from the sources, the site's ENU frame, the mask test on the
/// elevation, the design matrix G (rows −ℓᵀ and a 1 in the column of the satellite's system
/// clock, systems without a visible satellite dropped), N = GᵀG, N⁻¹ by Gauss–Jordan, then
/// PDOP, HDOP, VDOP; per point the mean and maximum of each over the epochs with a solution.
struct Plain {
    /// Per epoch: (ECEF position, system column) of every satellite.
    sats: Vec<Vec<([f64; 3], usize)>>,
    sites: Vec<Topocentric>,
    sin_mask: f64,
}

/// Per point: sum and maximum of PDOP, HDOP, VDOP and the number of solutions.
#[derive(Clone, Copy, Default)]
struct PlainStats {
    sum: [f64; 3],
    max: [f64; 3],
    n: u32,
}

impl Plain {
    fn new(srcs: &[&dyn OrbitSource], grid: &Grid, cfg: &CoverageConfig, mask_deg: f64) -> Self {
        let sats = cfg
            .epochs()
            .unwrap()
            .iter()
            .map(|&t| {
                srcs.iter()
                    .flat_map(|s| s.satellites().iter().map(move |&id| (s, id)))
                    .filter_map(|(s, id)| {
                        let col = cfg.systems.iter().position(|&c| c == id.constellation())?;
                        let p = s.state_at(id, t).ok()?.position_m;
                        Some(([p.x, p.y, p.z], col))
                    })
                    .collect()
            })
            .collect();
        let sites = grid
            .geodetic()
            .iter()
            .map(|g| Topocentric::new(*g, &Ellipsoid::CGCS2000))
            .collect();
        Plain {
            sats,
            sites,
            sin_mask: mask_deg.to_radians().sin(),
        }
    }

    /// One point over every epoch.
    fn point(&self, site: &Topocentric, n_systems: usize) -> PlainStats {
        let mut st = PlainStats::default();
        let mut g: Vec<[f64; 8]> = Vec::with_capacity(64);
        for sats in &self.sats {
            g.clear();
            let mut seen = [false; 5];
            for &(p, col) in sats {
                let d = nalgebra::Vector3::new(p[0], p[1], p[2]) - site.origin_m;
                let enu = site.ecef_to_enu * d;
                let l = enu / enu.norm();
                if l.z >= self.sin_mask {
                    let mut row = [0.0; 8];
                    row[0] = -l.x;
                    row[1] = -l.y;
                    row[2] = -l.z;
                    row[3 + col] = 1.0;
                    seen[col] = true;
                    g.push(row);
                }
            }
            // Columns: position, then the clocks of the systems seen.
            let cols: Vec<usize> = (0..3)
                .chain((0..n_systems).filter(|&c| seen[c]).map(|c| 3 + c))
                .collect();
            let m = cols.len();
            if g.len() < m {
                continue;
            }
            let mut n = vec![vec![0.0; 2 * m]; m];
            for row in &g {
                for (a, &ca) in cols.iter().enumerate() {
                    for (b, &cb) in cols.iter().enumerate() {
                        n[a][b] += row[ca] * row[cb];
                    }
                }
            }
            for (a, r) in n.iter_mut().enumerate() {
                r[m + a] = 1.0;
            }
            // Gauss–Jordan with partial pivoting on [N | I].
            let mut singular = false;
            for c in 0..m {
                let piv = (c..m)
                    .max_by(|&x, &y| n[x][c].abs().total_cmp(&n[y][c].abs()))
                    .unwrap();
                if n[piv][c].abs() < 1e-12 {
                    singular = true;
                    break;
                }
                n.swap(c, piv);
                let inv = 1.0 / n[c][c];
                for v in n[c].iter_mut() {
                    *v *= inv;
                }
                for r in 0..m {
                    if r != c {
                        let f = n[r][c];
                        if f != 0.0 {
                            for k in 0..2 * m {
                                n[r][k] -= f * n[c][k];
                            }
                        }
                    }
                }
            }
            if singular {
                continue;
            }
            let q = |a: usize, b: usize| n[a][m + b];
            let (h2, v2) = (q(0, 0) + q(1, 1), q(2, 2));
            let dops = [(h2 + v2).sqrt(), h2.sqrt(), v2.sqrt()];
            for k in 0..3 {
                st.sum[k] += dops[k];
                st.max[k] = st.max[k].max(dops[k]);
            }
            st.n += 1;
        }
        st
    }

    /// Every point, in parallel over points on the current rayon pool.
    fn run(&self, n_systems: usize) -> Vec<PlainStats> {
        self.sites
            .par_iter()
            .map(|s| self.point(s, n_systems))
            .collect()
    }
}

/// The plain reference agrees with the engine: mean and maximum PDOP, HDOP, VDOP per point
/// within 1e-9 relative (different operation order; same model), same solution counts.
fn check_plain(plain: &Plain, r: &coverage::CoverageResult) {
    let ps = plain.run(2);
    let mut worst = 0.0f64;
    for (p, e) in ps.iter().zip(&r.points) {
        assert_eq!(p.n, e.solution_epochs, "{:?}", e.site);
        for (k, kind) in [DopKind::Pdop, DopKind::Hdop, DopKind::Vdop]
            .iter()
            .enumerate()
        {
            let d = e.get(*kind).unwrap();
            for (x, y) in [(p.sum[k] / p.n as f64, d.mean), (p.max[k], d.max)] {
                let rel = (x - y).abs() / y.abs();
                worst = worst.max(rel);
                assert!(rel < 1e-9, "{:?} {kind:?}: plain {x} vs engine {y}", e.site);
            }
        }
    }
    println!(
        "plain scalar reference agrees with the engine: largest relative difference {worst:.1e}"
    );
}

/// Peak heap bytes per grid point of one-epoch runs (1 thread), printed.
fn memory(srcs: &[&dyn OrbitSource]) {
    for step in [1.0, 0.5] {
        let grid = Grid::global(step, GridLayout::CellCentres, 0.0).unwrap();
        let cfg = config(1);
        let base = GLOBAL.current_usage();
        GLOBAL.reset_peak_usage();
        let r = pool(1).install(|| coverage::run(srcs, &grid, &cfg).unwrap());
        let peak = GLOBAL.peak_usage() - base;
        let n = grid.len() as f64;
        // The figures are held inline: no allocation per point.
        let result = r.points.len() * std::mem::size_of::<coverage::PointStats>();
        drop(r);
        println!(
            "memory, one epoch, {step}° global grid ({} points): peak heap {:.0} B per point \
             ({:.1} MB), of which the returned result {:.0} B per point; streamed state {} B per \
             point (3 figures)",
            grid.len(),
            peak as f64 / n,
            peak as f64 / 1e6,
            result as f64 / n,
            coverage::state_bytes_per_point(3)
        );
    }
}

fn bench_coverage(c: &mut Criterion) {
    if one_shot() {
        return;
    }
    let (bds, glo) = sources();
    let srcs: [&dyn OrbitSource; 2] = [&bds, &glo];
    memory(&srcs);
    let grid = Grid::global(1.0, GridLayout::CellCentres, 0.0).unwrap();
    let epochs = 60i64; // one hour at 60 s: per-point set-up amortised as in a day-long run
    let plain = Plain::new(&srcs, &grid, &config(epochs), MASK_DEG);
    check_plain(
        &plain,
        &coverage::run(&srcs, &grid, &config(epochs)).unwrap(),
    );
    let elements = (grid.len() as i64 * epochs) as u64;
    let mut g = c.benchmark_group("coverage_1deg_global");
    g.sample_size(10);
    g.throughput(Throughput::Elements(elements));
    // Mean time per run of each id, for the ratios printed at the end.
    let mut timed: Vec<(String, usize, f64)> = Vec::new();
    let mut time = |name: &str, threads: usize, f: &dyn Fn()| {
        let t = Instant::now();
        f();
        timed.push((name.to_string(), threads, t.elapsed().as_secs_f64()));
    };
    for threads in [1usize, 2] {
        let pool = pool(threads);
        let id = BenchmarkId::new("plain/threads", threads);
        g.bench_with_input(id, &threads, |b, _| {
            b.iter(|| pool.install(|| plain.run(2)))
        });
        time("plain", threads, &|| {
            pool.install(|| plain.run(2));
        });
    }
    for level in IsaLevel::available() {
        let cfg = config(epochs).with_isa(level);
        for threads in [1usize, 2] {
            let pool = pool(threads);
            let id = BenchmarkId::new(format!("{}/threads", level.name()), threads);
            g.bench_with_input(id, &threads, |b, _| {
                b.iter(|| pool.install(|| coverage::run(&srcs, &grid, &cfg).unwrap()))
            });
            time(level.name(), threads, &|| {
                pool.install(|| coverage::run(&srcs, &grid, &cfg).unwrap());
            });
        }
    }
    g.finish();
    println!("speed-up over the plain scalar reference (one timed run each after Criterion's):");
    for (name, threads, s) in &timed {
        let plain_s = timed
            .iter()
            .find(|(n, t, _)| n == "plain" && t == threads)
            .map(|x| x.2)
            .unwrap();
        println!(
            "  {name:>6}, {threads} thread(s): {:.2} M grid-point-epochs/s, {:.1}× plain",
            elements as f64 / s / 1e6,
            plain_s / s
        );
    }
}

criterion_group!(benches, bench_coverage);
criterion_main!(benches);
