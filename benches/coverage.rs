//! Coverage throughput: 1° global grid (64,800 cell centres), BDS+GLONASS test load of 70
//! satellites, 10° mask, `PerConstellation`, PDOP/HDOP/VDOP statistics, 1 and 2 threads, at each
//! kernel instruction-set level the machine offers (`scalar`, `v3` = AVX2+FMA), in
//! grid-point-epochs per second (`Throughput::Elements`); the benchmark ids are
//! `{level}/threads/{n}`, so the scalar-to-vector ratio reads off one run.
//!
//! The satellites are the *test* Walker constellations (not the nominal model): BDS-like 24/3/1
//! MEO + 3 GEO, plus 3 IGSO and a 16/2/1 MEO shell standing in for the rest of a ≈46-satellite
//! BeiDou, and the GLONASS-like 24/3/1.
//!
//! Two one-shot modes, selected by environment variables, replace the Criterion run:
//! - `COVERAGE_FULL_DAY=1`: a full day at 60 s (1,440 epochs, 93.3 M grid-point-epochs) on the
//!   same grid, timed once with 1 and once with 2 threads per level, with the ratio to scalar;
//! - `COVERAGE_PROFILE=1`: a small single-threaded run for instruction counts (e.g. under
//!   `valgrind --tool=callgrind`): the northern half of the 1° grid (same 360-point rows as
//!   the global grid, 32,400 points) over 30 epochs (972,000 grid-point-epochs), at the level
//!   `GNSS_INTEROP_ISA` names (default: the widest available).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gnss_interop::coverage::test_constellation::{WalkerSource, GEO_RADIUS_M};
use gnss_interop::coverage::{self, CoverageConfig, Grid, GridLayout, IsaLevel};
use gnss_interop::id::Constellation;
use gnss_interop::orbit::OrbitSource;
use hifitime::{Epoch, TimeScale, Unit};
use std::time::Instant;

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

fn config(epochs: i64) -> CoverageConfig {
    CoverageConfig::new(
        vec![Constellation::BeiDou, Constellation::Glonass],
        t0(),
        t0() + Unit::Minute * (epochs - 1),
        Unit::Minute * 1,
    )
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
                let pdop = r.summary(None).unwrap().dop[0].mean.unwrap();
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
    if std::env::var_os("COVERAGE_PROFILE").is_some() {
        let grid =
            Grid::regional(0.0, 90.0, -180.0, 180.0, 1.0, GridLayout::CellCentres, 0.0).unwrap();
        let cfg = config(30);
        let level = cfg.isa.resolve().unwrap();
        let t = Instant::now();
        let r = pool(1).install(|| coverage::run(&srcs, &grid, &cfg).unwrap());
        let pdop = r.summary(None).unwrap().dop[0].mean.unwrap();
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

fn bench_coverage(c: &mut Criterion) {
    if one_shot() {
        return;
    }
    let (bds, glo) = sources();
    let srcs: [&dyn OrbitSource; 2] = [&bds, &glo];
    let grid = Grid::global(1.0, GridLayout::CellCentres, 0.0).unwrap();
    let epochs = 60i64; // one hour at 60 s: per-point set-up amortised as in a day-long run
    let mut g = c.benchmark_group("coverage_1deg_global");
    g.sample_size(10);
    g.throughput(Throughput::Elements((grid.len() as i64 * epochs) as u64));
    for level in IsaLevel::available() {
        let cfg = config(epochs).with_isa(level);
        for threads in [1usize, 2] {
            let pool = pool(threads);
            let id = BenchmarkId::new(format!("{}/threads", level.name()), threads);
            g.bench_with_input(id, &threads, |b, _| {
                b.iter(|| pool.install(|| coverage::run(&srcs, &grid, &cfg).unwrap()))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench_coverage);
criterion_main!(benches);
