//! Layouts evaluated per second: exhaustive choice of 3 sites from 100 candidates
//! (161,700 layouts) over one day at 60 s for ≈70 satellites of a TEST constellation
//! (circular orbits, see tests/network_support), base = BDS domestic + GLONASS baseline.

#[path = "../tests/network_support/mod.rs"]
mod network_support;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gnss_interop::id::Constellation;
use gnss_interop::network::{
    lattice_candidates, LayoutProblem, Network, Objective, OrbitSamples, TimeSpan,
};
use hifitime::Unit;
use network_support::TestConstellation;

fn problem(min_stations: u16) -> LayoutProblem {
    let c = TestConstellation::bench_mix();
    let span = TimeSpan::new(
        network_support::t0(),
        24.0 * Unit::Hour,
        60.0 * Unit::Second,
    )
    .unwrap();
    let samples = OrbitSamples::new(&c, span).unwrap();
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
        cand.extend(
            lattice_candidates(
                (lat, lat),
                (-180.0, 144.0),
                36.0,
                &[Constellation::BeiDou, Constellation::Glonass],
            )
            .unwrap(),
        );
    }
    LayoutProblem::new(&samples, Some(&base), &cand, min_stations).unwrap()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("layouts");
    g.sample_size(10);
    let p1 = problem(1);
    assert_eq!(p1.candidates().len(), 100);
    assert!(p1.satellites().len() >= 69);
    g.throughput(Throughput::Elements(161_700));
    for (name, obj) in [
        ("mean_tracked", Objective::MeanTrackedFraction),
        ("longest_gap", Objective::LongestGap),
    ] {
        g.bench_with_input(
            BenchmarkId::new("exhaustive_3_of_100_m1", name),
            &obj,
            |b, &obj| b.iter(|| p1.exhaustive(3, obj, 10).unwrap()),
        );
    }
    let p2 = problem(2);
    g.bench_function("exhaustive_3_of_100_m2/mean_tracked", |b| {
        b.iter(|| {
            p2.exhaustive(3, Objective::MeanTrackedFraction, 10)
                .unwrap()
        })
    });
    g.throughput(Throughput::Elements(3 * 100));
    g.bench_function("greedy_3_of_100_m1/longest_gap", |b| {
        b.iter(|| p1.greedy(3, Objective::LongestGap).unwrap())
    });
    g.finish();
    let mut pre = c.benchmark_group("layouts_precompute");
    pre.sample_size(10);
    pre.bench_function("samples_and_visibility_1d_60s", |b| b.iter(|| problem(1)));
    pre.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
