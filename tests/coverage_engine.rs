//! Coverage engine: grids, agreement with the single-site DOP, determinism across thread
//! counts, missing satellites, filters and weights, masks, statistics and errors.
//!
//! Orbits come from the *test* Walker constellations of `coverage::test_constellation` (analytic
//! circular orbits; not the nominal model). The reference for the kernel is the independent
//! single-site path: `Topocentric` + `LineOfSight::from_ecef` + `ElevationMask::is_visible` +
//! `geometry::dop`, which does not use the block cull, the ECEF accumulation or the squared
//! elevation test.

use approx::assert_relative_eq;
use gnss_interop::coverage::test_constellation::WalkerSource;
use gnss_interop::coverage::{
    self, satellite_list, CoverageConfig, CoverageError, DopKind, Grid, GridLayout, PointStats,
};
use gnss_interop::frames::{Geodetic, Topocentric};
use gnss_interop::geometry::{dop, AzimuthMask, ClockModel, ElevationMask, LineOfSight};
use gnss_interop::id::{Constellation, SatId};
use gnss_interop::orbit::OrbitSource;
use hifitime::{Epoch, Unit};

fn t0() -> Epoch {
    Epoch::from_gregorian_hms(2023, 1, 1, 0, 0, 0, hifitime::TimeScale::GPST)
}

fn sources() -> (WalkerSource, WalkerSource) {
    (
        WalkerSource::bds_like(t0()),
        WalkerSource::glonass_like(t0()),
    )
}

fn cfg(minutes: i64, step_min: i64) -> CoverageConfig {
    CoverageConfig::new(
        vec![Constellation::BeiDou, Constellation::Glonass],
        t0(),
        t0() + Unit::Minute * minutes,
        Unit::Minute * step_min,
    )
}

#[test]
fn grids_shape_weights_and_errors() {
    let g = Grid::global(1.0, GridLayout::CellCentres, 0.0).unwrap();
    assert_eq!(g.len(), 180 * 360);
    assert_eq!(g.n_rows(), 180);
    assert_eq!(g.geodetic()[0].lat_deg, -89.5);
    assert_eq!(g.geodetic()[0].lon_deg, -179.5);
    // Cell-centre weights ∝ cos φ (cell area 2 sin(h) cos φ on the unit sphere).
    let w = g.weights();
    let r = w[90 * 360] / w[0];
    assert_relative_eq!(
        r,
        0.5f64.to_radians().cos() / 89.5f64.to_radians().cos(),
        max_relative = 1e-12
    );
    // Total area of the sphere in units of step² steradian-equivalents: Σw·Δλ = 2·2π·… → Σ w · Δλ = 4π.
    let total: f64 = w.iter().sum::<f64>() * 1f64.to_radians();
    assert_relative_eq!(total, 4.0 * std::f64::consts::PI, max_relative = 1e-12);

    let n = Grid::global(1.0, GridLayout::Nodes, 0.0).unwrap();
    assert_eq!(n.len(), 181 * 360);
    assert_eq!(n.geodetic().last().unwrap().lat_deg, 90.0);
    assert_eq!(n.geodetic().last().unwrap().lon_deg, 179.0);
    let total: f64 = n.weights().iter().sum::<f64>() * 1f64.to_radians();
    assert_relative_eq!(total, 4.0 * std::f64::consts::PI, max_relative = 1e-12);

    // Regional across 180°: 170…190 at 5° nodes → 170, 175, 180, −175, −170.
    let r = Grid::regional(-10.0, 10.0, 170.0, 190.0, 5.0, GridLayout::Nodes, 100.0).unwrap();
    assert_eq!(r.len(), 5 * 5);
    let lons: Vec<f64> = r.geodetic()[..5].iter().map(|p| p.lon_deg).collect();
    assert_eq!(lons, vec![170.0, 175.0, 180.0, -175.0, -170.0]);

    assert_eq!(
        Grid::global(0.0, GridLayout::Nodes, 0.0),
        Err(CoverageError::InvalidStep { step_deg: 0.0 })
    );
    assert!(matches!(
        Grid::global(-1.0, GridLayout::Nodes, 0.0),
        Err(CoverageError::InvalidStep { .. })
    ));
    assert!(matches!(
        Grid::global(91.0, GridLayout::Nodes, 0.0),
        Err(CoverageError::InvalidStep { .. })
    ));
    assert!(matches!(
        Grid::global(f64::NAN, GridLayout::Nodes, 0.0),
        Err(CoverageError::InvalidStep { .. })
    ));
    assert_eq!(
        Grid::regional(-95.0, 10.0, 0.0, 10.0, 1.0, GridLayout::Nodes, 0.0),
        Err(CoverageError::LatitudeOutOfRange { lat_deg: -95.0 })
    );
    assert!(matches!(
        Grid::regional(10.0, 10.5, 0.0, 10.0, 1.0, GridLayout::CellCentres, 0.0),
        Err(CoverageError::EmptyRegion { .. })
    ));
    assert!(matches!(
        Grid::regional(10.0, 0.0, 0.0, 10.0, 1.0, GridLayout::Nodes, 0.0),
        Err(CoverageError::EmptyRegion { .. })
    ));
    assert_eq!(Grid::points(vec![]), Err(CoverageError::EmptyPointList));
    assert!(matches!(
        Grid::points(vec![Geodetic::new(91.0, 0.0, 0.0)]),
        Err(CoverageError::LatitudeOutOfRange { .. })
    ));
}

/// Sites with lat ≠ lon, both hemispheres, longitudes past 180°, a pole and a high site.
fn sites() -> Vec<Geodetic> {
    vec![
        Geodetic::new(-33.9, 151.2, 50.0),
        Geodetic::new(40.0, 250.0, 1500.0),
        Geodetic::new(-45.0, -170.0, 0.0),
        Geodetic::new(62.0, 8.0, 0.0),
        Geodetic::new(0.0, 110.5, 0.0),
        Geodetic::new(-90.0, 0.0, 0.0),
        Geodetic::new(55.1, 36.6, 200.0),
        Geodetic::new(12.0, -60.0, 9000.0),
    ]
}

/// The single-site reference at one point and epoch.
fn reference(
    srcs: &[&dyn OrbitSource],
    site: &Geodetic,
    t: Epoch,
    c: &CoverageConfig,
) -> (u16, Option<gnss_interop::geometry::Dop>) {
    let topo = Topocentric::new(*site, &c.ellipsoid);
    let mut l = Vec::new();
    for sat in satellite_list(srcs, &c.systems) {
        let src = srcs.iter().find(|s| s.satellites().contains(&sat)).unwrap();
        let Ok(st) = src.state_at(sat, t) else {
            continue;
        };
        let los = LineOfSight::from_ecef(&topo, &st.position_m, sat.constellation()).unwrap();
        if c.mask.is_visible(los.azimuth_deg, los.elevation_deg) {
            l.push(los);
        }
    }
    (l.len() as u16, dop(&l, &c.clock, None))
}

/// The kernel's per-epoch series equal the single-site path (same visible count; DOPs to 1e-9
/// relative: the kernel accumulates in ECEF and rotates only the up vector, the reference in ENU).
#[test]
fn kernel_matches_single_site_dop() {
    let (b, g) = sources();
    let srcs: [&dyn OrbitSource; 2] = [&b, &g];
    let grid = Grid::points(sites()).unwrap();
    for (clock, mask) in [
        (
            ClockModel::PerConstellation,
            ElevationMask::Constant {
                min_elevation_deg: 10.0,
            },
        ),
        (
            ClockModel::Common,
            ElevationMask::Constant {
                min_elevation_deg: 0.0,
            },
        ),
        (
            ClockModel::KnownOffsets { isb_sigma_m: 1.5 },
            ElevationMask::Constant {
                min_elevation_deg: -2.0,
            },
        ),
        (
            ClockModel::PerConstellation,
            ElevationMask::Azimuthal(
                AzimuthMask::new(vec![(0.0, 5.0), (90.0, 25.0), (200.0, 15.0)]).unwrap(),
            ),
        ),
    ] {
        let mut c = cfg(720, 37);
        c.clock = clock;
        c.mask = mask;
        c.series_points = (0..grid.len()).collect();
        let res = coverage::run(&srcs, &grid, &c).unwrap();
        assert_eq!(res.series.len(), grid.len());
        let mut solutions = 0;
        for s in &res.series {
            for (j, sample) in s.samples.iter().enumerate() {
                let (nv, d) = reference(&srcs, &grid.geodetic()[s.point], res.epochs[j], &c);
                assert_eq!(sample.visible, nv, "point {} epoch {j}", s.point);
                match (sample.dop, d) {
                    (Some(k), Some(d)) => {
                        solutions += 1;
                        for (x, y) in [k.pdop, k.hdop, k.vdop, k.tdop, k.gdop]
                            .iter()
                            .zip([d.pdop, d.hdop, d.vdop, d.tdop, d.gdop])
                        {
                            assert_relative_eq!(*x, y, max_relative = 1e-9);
                        }
                    }
                    (None, None) => {}
                    (k, d) => panic!(
                        "point {} epoch {j}: kernel {k:?} vs reference {d:?}",
                        s.point
                    ),
                }
            }
        }
        assert!(solutions > 100);
    }
}

/// Bit-identical results with 1, 2 and 3 threads.
#[test]
fn deterministic_across_thread_counts() {
    let (b, g) = sources();
    let srcs: [&dyn OrbitSource; 2] = [&b, &g];
    let grid = Grid::global(10.0, GridLayout::CellCentres, 0.0).unwrap();
    let mut c = cfg(360, 10);
    c.dop_kinds = vec![
        DopKind::Gdop,
        DopKind::Pdop,
        DopKind::Hdop,
        DopKind::Vdop,
        DopKind::Tdop,
    ];
    c.series_points = vec![5, 300];
    let run_n = |n: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
            .install(|| coverage::run(&srcs, &grid, &c).unwrap())
    };
    let one = run_n(1);
    assert_eq!(one, run_n(2));
    assert_eq!(one, run_n(3));
    assert_eq!(one.summary(None), run_n(2).summary(None));
}

/// A satellite missing from the source for part of the run is absent there and counted.
#[test]
fn misses_are_counted_not_fatal() {
    let sat: SatId = "R05".parse().unwrap();
    let b = WalkerSource::bds_like(t0());
    let g = WalkerSource::glonass_like(t0()).with_gap(
        sat,
        t0() + Unit::Minute * 30,
        t0() + Unit::Minute * 90,
    );
    let srcs: [&dyn OrbitSource; 2] = [&b, &g];
    let grid = Grid::global(30.0, GridLayout::CellCentres, 0.0).unwrap();
    let c = cfg(120, 10); // epochs 0, 10, …, 120 min: 30…80 are in the gap (6 epochs)
    let res = coverage::run(&srcs, &grid, &c).unwrap();
    assert_eq!(res.epochs.len(), 13);
    let rep = res.satellites.iter().find(|r| r.sat == sat).unwrap();
    assert_eq!(rep.missing_epochs, 6);
    assert!(rep.first_error.as_deref().unwrap().contains("R05"));
    assert!(res
        .satellites
        .iter()
        .filter(|r| r.sat != sat)
        .all(|r| r.missing_epochs == 0));
}

/// A filter excluding GLONASS equals a BeiDou-only run; equal σ give the unweighted DOP and a
/// position error of σ·PDOP (sketch percentiles: within the two points' reported bounds).
#[test]
fn filters_and_weights_reuse_the_engine() {
    let (b, g) = sources();
    let srcs: [&dyn OrbitSource; 2] = [&b, &g];
    let grid = Grid::global(20.0, GridLayout::CellCentres, 0.0).unwrap();
    let c = cfg(240, 20);
    let sats = satellite_list(&srcs, &c.systems);
    let only_bds =
        |i: usize, _j: usize| (sats[i].constellation() == Constellation::BeiDou).then_some(1.0);
    let filtered = coverage::run_with(&srcs, &grid, &c, Some(&only_bds), None).unwrap();
    let mut cb = c.clone();
    cb.systems = vec![Constellation::BeiDou];
    let bds = coverage::run(&srcs, &grid, &cb).unwrap();
    assert_eq!(filtered.points, bds.points);
    let glo = filtered
        .satellites
        .iter()
        .filter(|r| r.sat.constellation() == Constellation::Glonass);
    assert!(glo.clone().all(|r| r.filtered_epochs == 13));

    let mut cw = c.clone();
    cw.dop_kinds = vec![DopKind::Pdop, DopKind::PositionErrorM];
    let sigma = |_i: usize, _j: usize| Some(2.0);
    let w = coverage::run_with(&srcs, &grid, &cw, Some(&sigma), None).unwrap();
    let u = coverage::run(&srcs, &grid, &c).unwrap();
    for (pw, pu) in w.points.iter().zip(&u.points) {
        let (wp, we) = (pw.dop.pdop.unwrap(), pw.dop.position_error_m.unwrap());
        let up = pu.dop.pdop.unwrap();
        assert_relative_eq!(wp.mean, up.mean, max_relative = 1e-12);
        assert_relative_eq!(we.max, 2.0 * up.max, max_relative = 1e-12);
        assert_relative_eq!(
            we.p50,
            2.0 * wp.p50,
            max_relative = we.percentile_rel_error + wp.percentile_rel_error
        );
    }
    // Invalid σ excludes and is reported.
    let bad = |i: usize, _j: usize| if i == 0 { Some(f64::NAN) } else { Some(1.0) };
    let r = coverage::run_with(&srcs, &grid, &c, Some(&bad), None).unwrap();
    assert_eq!(r.satellites[0].invalid_sigma_epochs, 13);
}

/// Statistics against the series of the same run: visible mean/min/max exactly, availability
/// and longest outage by counting, percentiles within the bound each point reports (the sketch's, ≤ 1.56 % unless its values
/// span more than a factor 1.7).
#[test]
fn statistics_match_the_series() {
    let (b, g) = sources();
    let srcs: [&dyn OrbitSource; 2] = [&b, &g];
    let grid = Grid::points(sites()).unwrap();
    let mut c = cfg(1440, 15);
    c.mask = ElevationMask::Constant {
        min_elevation_deg: 30.0,
    }; // makes outages happen
    c.availability_pdop_max = 4.0;
    c.dop_kinds = vec![
        DopKind::Pdop,
        DopKind::Hdop,
        DopKind::Vdop,
        DopKind::Tdop,
        DopKind::Gdop,
    ];
    c.series_points = (0..grid.len()).collect();
    let res = coverage::run(&srcs, &grid, &c).unwrap();
    let mut saw_outage = false;
    for (s, p) in res.series.iter().zip(&res.points) {
        check_point(s, p, &c, res.step_s);
        saw_outage |= p.longest_outage_s > 0.0;
    }
    assert!(saw_outage);
}

fn check_point(s: &coverage::PointSeries, p: &PointStats, c: &CoverageConfig, step_s: f64) {
    let n = s.samples.len();
    let vis: Vec<u16> = s.samples.iter().map(|x| x.visible).collect();
    assert_eq!(p.visible_min, *vis.iter().min().unwrap());
    assert_eq!(p.visible_max, *vis.iter().max().unwrap());
    assert_relative_eq!(
        p.visible_mean,
        vis.iter().map(|&v| v as f64).sum::<f64>() / n as f64,
        max_relative = 1e-12
    );
    let ok: Vec<bool> = s
        .samples
        .iter()
        .map(|x| x.dop.is_some_and(|d| d.pdop <= c.availability_pdop_max))
        .collect();
    assert_relative_eq!(
        p.availability,
        ok.iter().filter(|&&b| b).count() as f64 / n as f64,
        max_relative = 1e-12
    );
    let (mut run, mut longest) = (0, 0);
    for &b in &ok {
        run = if b { 0 } else { run + 1 };
        longest = longest.max(run);
    }
    assert_eq!(p.longest_outage_s, longest as f64 * step_s);
    for &kind in &c.dop_kinds {
        let mut v: Vec<f64> = s.samples.iter().filter_map(|x| x.get(kind)).collect();
        assert_eq!(v.len() as u32, p.solution_epochs);
        let Some(stats) = p.get(kind) else {
            assert!(
                v.is_empty(),
                "{kind:?}: statistics absent at a point with solutions"
            );
            continue;
        };
        assert!(
            !v.is_empty(),
            "{kind:?}: statistics at a point without solutions"
        );
        v.sort_by(f64::total_cmp);
        let rank = |q: f64| v[((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
        assert_eq!(stats.max, *v.last().unwrap());
        assert_relative_eq!(
            stats.p50,
            rank(0.5),
            max_relative = stats.percentile_rel_error
        );
        assert_relative_eq!(
            stats.p95,
            rank(0.95),
            max_relative = stats.percentile_rel_error
        );
        // The bound is the sketch's at the level it reached (≤ 1 at any level).
        let e = stats.percentile_rel_error;
        assert!((coverage::sketch::REL_ERROR..=1.0).contains(&e));
        if v[v.len() - 1] < 1.7 * v[0] {
            assert_eq!(e, coverage::sketch::REL_ERROR);
        }
        assert_relative_eq!(
            stats.mean,
            v.iter().sum::<f64>() / v.len() as f64,
            max_relative = 1e-9
        );
    }
}

/// A one-entry azimuth table (exact path) gives what the constant mask (fast path) gives.
#[test]
fn azimuthal_path_equals_constant_path() {
    let (b, g) = sources();
    let srcs: [&dyn OrbitSource; 2] = [&b, &g];
    let grid = Grid::global(15.0, GridLayout::Nodes, 0.0).unwrap();
    let c = cfg(180, 30);
    let mut ca = c.clone();
    ca.mask = ElevationMask::Azimuthal(AzimuthMask::new(vec![(0.0, c.mask.lowest_deg())]).unwrap());
    let a = coverage::run(&srcs, &grid, &c).unwrap();
    let z = coverage::run(&srcs, &grid, &ca).unwrap();
    for (p, q) in a.points.iter().zip(&z.points) {
        assert_eq!(p.visible_min, q.visible_min);
        assert_eq!(p.visible_max, q.visible_max);
        assert_relative_eq!(
            p.dop.pdop.unwrap().mean,
            q.dop.pdop.unwrap().mean,
            max_relative = 1e-9
        );
    }
}

#[test]
fn summaries_progress_and_errors() {
    let (b, g) = sources();
    let srcs: [&dyn OrbitSource; 2] = [&b, &g];
    let grid = Grid::global(10.0, GridLayout::CellCentres, 0.0).unwrap();
    let c = cfg(60, 30);
    let calls = std::sync::Mutex::new(Vec::new());
    let hook = |d: usize, t: usize| calls.lock().unwrap().push((d, t));
    let res = coverage::run_with(&srcs, &grid, &c, None, Some(&hook)).unwrap();
    let calls = calls.into_inner().unwrap();
    assert_eq!(calls.len(), grid.n_rows());
    assert!(calls.iter().all(|&(_, t)| t == grid.n_rows()));
    assert_eq!(calls.iter().map(|&(d, _)| d).max(), Some(grid.n_rows()));

    let s = res.summary(None).unwrap();
    assert_eq!(s.points, grid.len());
    // The area-weighted mean lies between the extremes of the per-point means.
    let lo = res
        .points
        .iter()
        .map(|p| p.visible_mean)
        .fold(f64::INFINITY, f64::min);
    let hi = res
        .points
        .iter()
        .map(|p| p.visible_mean)
        .fold(0.0, f64::max);
    assert!(s.visible_mean >= lo && s.visible_mean <= hi);
    let region = coverage::Region {
        lat_min_deg: -60.0,
        lat_max_deg: 60.0,
        lon_min_deg: 50.0,
        lon_max_deg: 170.0,
    };
    let r = res.summary(Some(&region)).unwrap();
    assert_eq!(r.points, 12 * 12);
    let across = coverage::Region {
        lat_min_deg: -10.0,
        lat_max_deg: 10.0,
        lon_min_deg: 170.0,
        lon_max_deg: -170.0,
    };
    assert_eq!(res.summary(Some(&across)).unwrap().points, 2 * 2);
    let world = coverage::Region {
        lat_min_deg: -90.0,
        lat_max_deg: 90.0,
        lon_min_deg: -180.0,
        lon_max_deg: 180.0,
    };
    assert_eq!(res.summary(Some(&world)).unwrap(), s);

    let mut bad = c.clone();
    bad.end = bad.start - Unit::Minute * 1;
    assert!(matches!(
        coverage::run(&srcs, &grid, &bad),
        Err(CoverageError::InvalidTimeSpan { .. })
    ));
    let mut bad = c.clone();
    bad.step = Unit::Second * 0;
    assert!(matches!(
        coverage::run(&srcs, &grid, &bad),
        Err(CoverageError::InvalidTimeSpan { .. })
    ));
    let mut bad = c.clone();
    bad.series_points = vec![grid.len()];
    assert!(matches!(
        coverage::run(&srcs, &grid, &bad),
        Err(CoverageError::SeriesPointOutOfRange { .. })
    ));
    let mut bad = c.clone();
    bad.systems = vec![Constellation::Gps];
    assert!(matches!(
        coverage::run(&srcs, &grid, &bad),
        Err(CoverageError::NoSatellites { .. })
    ));
    let mut bad = c.clone();
    bad.dop_kinds = vec![DopKind::PositionErrorM];
    assert_eq!(
        coverage::run(&srcs, &grid, &bad),
        Err(CoverageError::PositionErrorWithoutWeights)
    );
    let mut bad = c.clone();
    bad.mask = ElevationMask::Constant {
        min_elevation_deg: 95.0,
    };
    assert!(matches!(
        coverage::run(&srcs, &grid, &bad),
        Err(CoverageError::Mask(_))
    ));
    let mut bad = c;
    bad.clock = ClockModel::KnownOffsets { isb_sigma_m: -1.0 };
    assert!(matches!(
        coverage::run(&srcs, &grid, &bad),
        Err(CoverageError::InvalidIsbSigma { .. })
    ));
}

/// Weighted kernel against the weighted single-site DOP: σ varies with satellite and epoch
/// (1 m + 0.1 m × (index mod 7) + 0.05 m × (epoch mod 3)), some satellites excluded; DOPs and the
/// position error agree to 1e-9 relative. The filter is called exactly once per (satellite, epoch).
#[test]
fn weighted_kernel_matches_single_site() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (b, g) = sources();
    let srcs: [&dyn OrbitSource; 2] = [&b, &g];
    let grid = Grid::points(sites()).unwrap();
    let mut c = cfg(600, 40);
    c.clock = ClockModel::KnownOffsets { isb_sigma_m: 0.7 };
    c.series_points = (0..grid.len()).collect();
    let sats = satellite_list(&srcs, &c.systems);
    let sigma = |i: usize, j: usize| -> Option<f64> {
        (i % 11 != 3).then_some(1.0 + 0.1 * (i % 7) as f64 + 0.05 * (j % 3) as f64)
    };
    let calls = AtomicUsize::new(0);
    let counted = |i: usize, j: usize| {
        calls.fetch_add(1, Ordering::Relaxed);
        sigma(i, j)
    };
    let res = coverage::run_with(&srcs, &grid, &c, Some(&counted), None).unwrap();
    assert_eq!(calls.load(Ordering::Relaxed), sats.len() * res.epochs.len());
    let mut checked = 0;
    for s in &res.series {
        let site = grid.geodetic()[s.point];
        let topo = Topocentric::new(site, &c.ellipsoid);
        for (j, sample) in s.samples.iter().enumerate() {
            let t = res.epochs[j];
            let (mut l, mut sig) = (Vec::new(), Vec::new());
            for (i, &sat) in sats.iter().enumerate() {
                let Some(sg) = sigma(i, j) else { continue };
                let src = srcs.iter().find(|x| x.satellites().contains(&sat)).unwrap();
                let st = src.state_at(sat, t).unwrap();
                let los =
                    LineOfSight::from_ecef(&topo, &st.position_m, sat.constellation()).unwrap();
                if c.mask.is_visible(los.azimuth_deg, los.elevation_deg) {
                    l.push(los);
                    sig.push(sg);
                }
            }
            assert_eq!(sample.visible as usize, l.len());
            let d = dop(&l, &c.clock, Some(&sig));
            match (sample.dop, d) {
                (Some(k), Some(d)) => {
                    checked += 1;
                    for (x, y) in [k.pdop, k.hdop, k.vdop, k.tdop, k.gdop]
                        .iter()
                        .zip([d.pdop, d.hdop, d.vdop, d.tdop, d.gdop])
                    {
                        assert_relative_eq!(*x, y, max_relative = 1e-9);
                    }
                    assert_relative_eq!(
                        sample.position_error_m.unwrap(),
                        d.position_error_m.unwrap(),
                        max_relative = 1e-9
                    );
                }
                (None, None) => {}
                (k, d) => panic!("kernel {k:?} vs reference {d:?}"),
            }
        }
    }
    assert!(checked > 50);
}
