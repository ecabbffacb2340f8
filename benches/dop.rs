//! DOP kernel cost against the number of satellites (6…70), two systems, `PerConstellation`.
//! Lines of sight come from a seeded generator (half BeiDou, half GLONASS, elevations 5…90°).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gnss_interop::geometry::{dop, ClockModel, LineOfSight};
use gnss_interop::id::Constellation;
use std::hint::black_box;

/// xorshift64*: deterministic, seeded.
fn rng(seed: &mut u64) -> f64 {
    *seed ^= *seed >> 12;
    *seed ^= *seed << 25;
    *seed ^= *seed >> 27;
    (seed.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
}

fn lines(n: usize) -> Vec<LineOfSight> {
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    (0..n)
        .map(|i| {
            let sys = if i % 2 == 0 {
                Constellation::BeiDou
            } else {
                Constellation::Glonass
            };
            LineOfSight::from_az_el(360.0 * rng(&mut s), 5.0 + 85.0 * rng(&mut s), sys)
        })
        .collect()
}

fn bench_dop(c: &mut Criterion) {
    let mut g = c.benchmark_group("dop");
    for n in [6usize, 10, 20, 40, 70] {
        let l = lines(n);
        g.throughput(Throughput::Elements(1));
        for (name, clock) in [
            ("common", ClockModel::Common),
            ("per_constellation", ClockModel::PerConstellation),
            (
                "known_offsets",
                ClockModel::KnownOffsets { isb_sigma_m: 1.0 },
            ),
        ] {
            g.bench_with_input(BenchmarkId::new(name, n), &l, |b, l| {
                b.iter(|| dop(black_box(l), &clock, None))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench_dop);
criterion_main!(benches);
