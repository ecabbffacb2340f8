//! Layouts evaluated per second: exhaustive choice of 3 sites from 100 candidates
//! (C(100, 3) = 161,700 layouts) over one day at 60 s (1,440 epochs), base = BDS domestic +
//! GLONASS baseline, on
//! - the nominal BDS-3 + GLONASS constellations (30 + 24 = 54 satellites), and
//! - the satellites of the real 2023-01-01 IGS broadcast file (BDS + GLONASS; skipped when the
//!   data directory is absent),
//!
//! each on 1 and 2 threads. Throughput is in layouts. A greedy search and the precomputation
//! (sampling + visibility) are measured once on the nominal set.

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gnss_interop::id::Constellation;
use gnss_interop::network::{
    lattice_candidates, LayoutProblem, Network, Objective, OrbitSamples, TimeSpan,
};
use gnss_interop::orbit::open::{open, OrbitSpec};
use gnss_interop::orbit::OrbitSource;
use hifitime::{Epoch, TimeScale, Unit};

const BOTH: [Constellation; 2] = [Constellation::BeiDou, Constellation::Glonass];

fn problem(source: &dyn OrbitSource, min_stations: u16) -> LayoutProblem {
    let span = TimeSpan::new(
        Epoch::from_gregorian(2023, 1, 1, 0, 0, 0, 0, TimeScale::UTC),
        24.0 * Unit::Hour,
        60.0 * Unit::Second,
    )
    .unwrap();
    let samples = OrbitSamples::new(source, span).unwrap();
    let base = Network::merged(
        "base",
        &[
            &Network::builtin("bds-domestic").unwrap(),
            &Network::builtin("glonass-baseline").unwrap(),
        ],
    )
    .unwrap();
    // 10 × 10 lattice (latitudes −45°…45° every 10°, longitudes −180°…144° every 36°):
    // 100 candidates tracking both systems.
    let mut cand = Vec::new();
    for i in 0..10 {
        let lat = -45.0 + 10.0 * i as f64;
        cand.extend(lattice_candidates((lat, lat), (-180.0, 144.0), 36.0, &BOTH).unwrap());
    }
    LayoutProblem::new(&samples, Some(&base), &cand, min_stations).unwrap()
}

fn pool(n: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let nominal = open(&OrbitSpec::Nominal, &BOTH).unwrap();
    let mut sets: Vec<(&str, Box<dyn OrbitSource>)> = vec![("nominal54", nominal)];
    if let Some(p) = common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx") {
        sets.push((
            "brdc20230101",
            open(&OrbitSpec::Nav(vec![p]), &BOTH).unwrap(),
        ));
    }
    let mut g = c.benchmark_group("layouts");
    g.sample_size(10);
    g.throughput(Throughput::Elements(161_700));
    for (name, src) in &sets {
        let p = problem(src.as_ref(), 1);
        assert_eq!(p.candidates().len(), 100);
        eprintln!(
            "{name}: {} satellites in the objective",
            p.satellites().len()
        );
        for threads in [1usize, 2] {
            let tp = pool(threads);
            g.bench_with_input(
                BenchmarkId::new(format!("exhaustive_3_of_100_m1_{name}"), threads),
                &threads,
                |b, _| {
                    b.iter(|| {
                        tp.install(|| p.exhaustive(3, Objective::MeanTrackedFraction, 10))
                            .unwrap()
                    })
                },
            );
        }
    }
    let p = problem(sets[0].1.as_ref(), 1);
    g.bench_function("exhaustive_3_of_100_m1_nominal54_longest_gap/2", |b| {
        let tp = pool(2);
        b.iter(|| {
            tp.install(|| p.exhaustive(3, Objective::LongestGap, 10))
                .unwrap()
        })
    });
    g.throughput(Throughput::Elements(3 * 100));
    g.bench_function("greedy_3_of_100_m1_nominal54/2", |b| {
        b.iter(|| p.greedy(3, Objective::LongestGap).unwrap())
    });
    g.finish();
    let mut pre = c.benchmark_group("layouts_precompute");
    pre.sample_size(10);
    pre.bench_function("nominal54_samples_and_visibility_1d_60s", |b| {
        b.iter(|| problem(sets[0].1.as_ref(), 1))
    });
    pre.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
