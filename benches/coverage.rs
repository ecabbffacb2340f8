//! Coverage throughput: 1° global grid (64,800 cell centres), BDS+GLONASS test load of 70
//! satellites, 10° mask, `PerConstellation`, PDOP/HDOP/VDOP statistics, 1 and 2 threads, in
//! grid-point-epochs per second (`Throughput::Elements`).
//!
//! The satellites are the *test* Walker constellations (not the nominal model): BDS-like 24/3/1
//! MEO + 3 GEO, plus 3 IGSO and a 16/2/1 MEO shell standing in for the rest of a ≈46-satellite
//! BeiDou, and the GLONASS-like 24/3/1.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gnss_interop::coverage::test_constellation::{WalkerSource, GEO_RADIUS_M};
use gnss_interop::coverage::{self, CoverageConfig, Grid, GridLayout};
use gnss_interop::id::Constellation;
use gnss_interop::orbit::OrbitSource;
use hifitime::{Epoch, TimeScale, Unit};

fn bench_coverage(c: &mut Criterion) {
    let t0 = Epoch::from_gregorian_hms(2023, 1, 1, 0, 0, 0, TimeScale::GPST);
    let bds = WalkerSource::bds_like(t0)
        .with_walker(Constellation::BeiDou, 6, 3, 3, 1, 55.0, GEO_RADIUS_M)
        .with_walker(Constellation::BeiDou, 43, 16, 2, 1, 55.0, 27_906_100.0);
    let glo = WalkerSource::glonass_like(t0);
    assert_eq!(bds.satellites().len() + glo.satellites().len(), 70);
    let srcs: [&dyn OrbitSource; 2] = [&bds, &glo];
    let grid = Grid::global(1.0, GridLayout::CellCentres, 0.0).unwrap();
    let epochs = 60i64; // one hour at 60 s: per-point set-up amortised as in a day-long run
    let cfg = CoverageConfig::new(
        vec![Constellation::BeiDou, Constellation::Glonass],
        t0,
        t0 + Unit::Minute * (epochs - 1),
        Unit::Minute * 1,
    );
    let mut g = c.benchmark_group("coverage_1deg_global");
    g.sample_size(10);
    g.throughput(Throughput::Elements((grid.len() as i64 * epochs) as u64));
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        g.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, _| {
            b.iter(|| pool.install(|| coverage::run(&srcs, &grid, &cfg).unwrap()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_coverage);
criterion_main!(benches);
