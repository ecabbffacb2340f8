//! The coverage kernel at every instruction-set level this machine offers agrees with the scalar
//! reference path, and each level is bit-identical for any number of threads.
//!
//! Grid and load as the flagship scenario (`data/scenarios/agreement_2022.toml`): the 1° global
//! grid of cell centres, nominal BDS-3 + GLONASS, 10° mask, one clock per system; 6 epochs over
//! 5 hours (the kernel's arithmetic per point-epoch does not depend on the span).
//!
//! Tolerance: 1e-12 relative on every DOP (per-epoch values of the series points; per-point mean
//! and maximum over all points), visible counts exact; a sketch percentile may land in the
//! neighbouring bucket when a value sits on a bucket edge (error bound `percentile_rel_error`).
//! The vector level performs the scalar path's operations in the same order (no fused
//! multiply-add, see `coverage::isa`), so the results are in fact required to be bit-identical.

use gnss_interop::coverage::{self, CoverageConfig, CoverageResult, Grid, GridLayout, IsaLevel};
use gnss_interop::geometry::ClockModel;
use gnss_interop::id::Constellation;
use gnss_interop::orbit::nominal::NominalConstellation;
use gnss_interop::orbit::OrbitSource;
use hifitime::{Epoch, Unit};

const REL_TOL: f64 = 1e-12;

fn run(grid: &Grid, level: IsaLevel, threads: usize) -> CoverageResult {
    run_clock(grid, level, threads, ClockModel::PerConstellation)
}

fn run_clock(grid: &Grid, level: IsaLevel, threads: usize, clock: ClockModel) -> CoverageResult {
    let orbits = NominalConstellation::both();
    let t0 = Epoch::from_gregorian_utc_hms(2023, 1, 1, 0, 0, 0);
    // Series points spread over the grid (every 997th point: all latitudes and longitudes).
    let series: Vec<usize> = (0..grid.len()).step_by(997).collect();
    let cfg = CoverageConfig::new(
        vec![Constellation::BeiDou, Constellation::Glonass],
        t0,
        t0 + Unit::Hour * 5,
        Unit::Hour * 1,
    )
    .with_mask_deg(10.0)
    .unwrap()
    .with_series_points(series)
    .with_isa(level);
    let cfg = CoverageConfig { clock, ..cfg };
    let sources: [&dyn OrbitSource; 1] = [&orbits];
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| {
            let mut r = coverage::run(&sources, grid, &cfg).unwrap();
            // The recorded configuration names the level; the numbers are compared.
            assert_eq!(r.config.as_deref(), Some(&cfg));
            r.config = None;
            r
        })
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= REL_TOL * a.abs().max(b.abs())
}

#[test]
fn every_level_agrees_with_the_scalar_reference_and_is_thread_invariant() {
    let grid = Grid::global(1.0, GridLayout::CellCentres, 0.0).unwrap();
    let levels = IsaLevel::available();
    eprintln!("levels on this machine: {levels:?}");
    assert_eq!(levels[0], IsaLevel::Scalar);
    let reference = run(&grid, IsaLevel::Scalar, 1);
    for &level in &levels {
        let one = run(&grid, level, 1);
        let two = run(&grid, level, 2);
        assert!(one == two, "{level:?}: 1 and 2 threads differ");
        if level == IsaLevel::Scalar {
            assert!(one == reference, "scalar run not reproducible");
            continue;
        }
        let (mut max_rel, mut bucket_moves, mut n_values) = (0.0f64, 0usize, 0usize);
        for (i, (p, r)) in one.points.iter().zip(&reference.points).enumerate() {
            assert_eq!(p.visible_min, r.visible_min, "{level:?} point {i}");
            assert_eq!(p.visible_max, r.visible_max, "{level:?} point {i}");
            assert_eq!(p.visible_mean, r.visible_mean, "{level:?} point {i}");
            assert_eq!(p.solution_epochs, r.solution_epochs, "{level:?} point {i}");
            assert_eq!(p.availability, r.availability, "{level:?} point {i}");
            let kinds = |q: &gnss_interop::coverage::PointStats| {
                q.dop.iter().map(|(k, _)| k).collect::<Vec<_>>()
            };
            assert_eq!(kinds(p), kinds(r), "{level:?} point {i}");
            for ((kind, d), (_, e)) in p.dop.iter().zip(r.dop.iter()) {
                for (x, y) in [(d.mean, e.mean), (d.max, e.max)] {
                    n_values += 1;
                    max_rel = max_rel.max((x - y).abs() / y.abs());
                    assert!(close(x, y), "{level:?} point {i} {kind:?}: {x} vs {y}");
                }
                for (x, y) in [(d.p50, e.p50), (d.p95, e.p95)] {
                    if !close(x, y) {
                        bucket_moves += 1;
                        let bound = 2.0 * e.percentile_rel_error;
                        assert!(
                            (x - y).abs() <= bound * y.abs(),
                            "{level:?} point {i} {kind:?} percentile: {x} vs {y}"
                        );
                    }
                }
            }
        }
        for (s, t) in one.series.iter().zip(&reference.series) {
            assert_eq!(s.point, t.point);
            for (k, (a, b)) in s.samples.iter().zip(&t.samples).enumerate() {
                assert_eq!(
                    a.visible, b.visible,
                    "{level:?} point {} epoch {k}",
                    s.point
                );
                let (da, db) = (a.dop.unwrap(), b.dop.unwrap());
                let figures = |d: gnss_interop::geometry::DopFigures| {
                    [d.gdop, d.pdop, d.hdop, d.vdop, d.tdop]
                };
                for (x, y) in figures(da).iter().zip(&figures(db)) {
                    n_values += 1;
                    max_rel = max_rel.max((x - y).abs() / y.abs());
                    assert!(
                        close(*x, *y),
                        "{level:?} point {} epoch {k}: {da:?} vs {db:?}",
                        s.point
                    );
                }
            }
        }
        eprintln!(
            "{level:?}: {n_values} DOP values, largest relative difference to scalar \
             {max_rel:.2e}; {bucket_moves} percentiles in a neighbouring sketch bucket"
        );
        // Percentile bucket moves are edge cases, not the rule.
        assert!(
            bucket_moves * 1000 < n_values,
            "{bucket_moves} of {n_values}"
        );
        // Same operations in the same order: bit for bit.
        assert!(
            one == reference,
            "{level:?}: not bit-identical to the scalar path"
        );
    }
}

/// The other clock models: `Common` (merged clock column, solved lane-wise) and `KnownOffsets`
/// with a finite prior (solved point by point): every level bit-identical to the scalar path, for
/// 1 and 2 threads, on the flagship grid.
#[test]
fn other_clock_models_agree_across_levels() {
    let grid = Grid::global(1.0, GridLayout::CellCentres, 0.0).unwrap();
    for clock in [
        ClockModel::Common,
        ClockModel::KnownOffsets { isb_sigma_m: 6.0 },
    ] {
        let reference = run_clock(&grid, IsaLevel::Scalar, 1, clock);
        assert!(reference.points.iter().all(|p| p.solution_epochs > 0));
        for level in IsaLevel::available() {
            for threads in [1, 2] {
                let r = run_clock(&grid, level, threads, clock);
                assert!(
                    r == reference,
                    "{clock:?}, {level:?}, {threads} thread(s): differs from the scalar path"
                );
            }
        }
    }
}

/// Every level has a name; a level the CPU lacks (AVX-512 on most machines) is a typed error,
/// never a fallback or a crash.
#[test]
fn levels_parse_and_an_absent_level_is_refused() {
    for level in [IsaLevel::Auto, IsaLevel::Scalar, IsaLevel::V3, IsaLevel::V4] {
        assert_eq!(IsaLevel::from_name(level.name()), Some(level));
    }
    assert_eq!(IsaLevel::from_name(" V4 "), Some(IsaLevel::V4));
    let available = IsaLevel::available();
    for level in [IsaLevel::V3, IsaLevel::V4] {
        match level.resolve() {
            Ok(l) => {
                assert_eq!(l, level);
                assert!(available.contains(&level));
            }
            Err(e) => {
                assert!(!available.contains(&level));
                assert!(
                    matches!(e, coverage::CoverageError::IsaUnavailable { level: l } if l == level),
                    "{e}"
                );
            }
        }
    }
    // Auto resolves to the widest available level.
    if std::env::var_os("GNSS_INTEROP_ISA").is_none() {
        assert_eq!(
            IsaLevel::Auto.resolve().unwrap(),
            *available.last().unwrap()
        );
    }
}

#[test]
fn a_level_is_forced_through_the_environment() {
    let bin = env!("CARGO_BIN_EXE_gnss-interop");
    let scratch = tempfile::Builder::new()
        .prefix("gnss-interop-isa-")
        .tempdir()
        .unwrap();
    // Absent until the command creates it.
    let dir = scratch.path().join("out");
    let args = [
        "coverage",
        "--nominal",
        "--systems",
        "C,R",
        "--start",
        "2023-01-01T00:00:00",
        "--end",
        "2023-01-01T00:00:00",
        "--step",
        "60",
        "--grid-step",
        "30",
    ];
    let out = std::process::Command::new(bin)
        .args(args)
        .arg("--out")
        .arg(&dir)
        .env("GNSS_INTEROP_ISA", "avx9000")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("GNSS_INTEROP_ISA"), "{err}");
    let out = std::process::Command::new(bin)
        .args(args)
        .arg("--out")
        .arg(&dir)
        .env("GNSS_INTEROP_ISA", "scalar")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
