//! DOP: closed-form geometries, identities, invariances, clock-model limits, weights, and the
//! ENU rotation at sites where latitude ≠ longitude.
//!
//! Expected values are derived in the comments from the normal equations
//! N = Σ aᵢaᵢᵀ, aᵢ = (−ℓᵢ, 1) (Kaplan & Hegarty, Understanding GPS/GNSS 3rd ed. §11.2);
//! tolerances are rounding only (1e-12 relative) unless stated.

use approx::assert_relative_eq;
use gnss_interop::frames::{Ellipsoid, Geodetic, Topocentric};
use gnss_interop::geometry::{dop, ClockModel, LineOfSight};
use gnss_interop::id::Constellation::{self, BeiDou, Glonass};
use nalgebra::Vector3;
use proptest::prelude::*;

fn los(az: f64, el: f64, sys: Constellation) -> LineOfSight {
    LineOfSight::from_az_el(az, el, sys)
}

/// Zenith + 3 satellites at elevation 0°, azimuths 0/120/240°.
///
/// Rows a = (−sinα, −cosα, 0, 1) and (0, 0, −1, 1). Σsin²α = Σcos²α = 3/2, Σ sinα cosα = Σ sinα
/// = Σ cosα = 0, so N = diag-block: EE = NN = 3/2 → Q_EE = Q_NN = 2/3, HDOP² = 4/3.
/// U/clock block [[1, −1], [−1, 4]], det 3, inverse (1/3)[[4, 1], [1, 1]] → VDOP² = 4/3,
/// TDOP² = 1/3, PDOP² = 8/3, GDOP² = 3.
fn zenith_plus_three(sys: Constellation) -> Vec<LineOfSight> {
    vec![
        los(0.0, 90.0, sys),
        los(0.0, 0.0, sys),
        los(120.0, 0.0, sys),
        los(240.0, 0.0, sys),
    ]
}

#[test]
fn zenith_plus_three_on_horizon() {
    let d = dop(&zenith_plus_three(BeiDou), &ClockModel::Common, None).unwrap();
    assert_relative_eq!(d.gdop, 3f64.sqrt(), max_relative = 1e-12);
    assert_relative_eq!(d.pdop, (8.0f64 / 3.0).sqrt(), max_relative = 1e-12);
    assert_relative_eq!(d.hdop, (4.0f64 / 3.0).sqrt(), max_relative = 1e-12);
    assert_relative_eq!(d.vdop, (4.0f64 / 3.0).sqrt(), max_relative = 1e-12);
    assert_relative_eq!(d.tdop, (1.0f64 / 3.0).sqrt(), max_relative = 1e-12);
    assert_eq!(d.used, 4);
    assert_eq!(d.tdop_per_system, vec![(BeiDou, (1.0f64 / 3.0).sqrt())]);
    assert!(d.position_error_m.is_none());
}

/// Zenith + n satellites at elevation ε equally spaced in azimuth (n ≥ 3).
///
/// EE = NN = n cos²ε / 2 → HDOP² = 4 / (n cos²ε). U/clock block
/// [[1 + n sin²ε, −(1 + n sinε)], [−(1 + n sinε), n + 1]], Δ = (1 + n s²)(n + 1) − (1 + n s)²,
/// VDOP² = (n + 1)/Δ, TDOP² = (1 + n s²)/Δ.
#[test]
fn zenith_plus_ring_closed_form() {
    for &(n, eps) in &[(3usize, 0.0f64), (4, 30.0), (6, 15.0), (8, 45.0)] {
        let mut v = vec![los(17.0, 90.0, Glonass)];
        for k in 0..n {
            v.push(los(10.0 + k as f64 * 360.0 / n as f64, eps, Glonass));
        }
        let d = dop(&v, &ClockModel::Common, None).unwrap();
        let (s, c) = eps.to_radians().sin_cos();
        let nf = n as f64;
        let delta = (1.0 + nf * s * s) * (nf + 1.0) - (1.0 + nf * s).powi(2);
        assert_relative_eq!(d.hdop, (4.0 / (nf * c * c)).sqrt(), max_relative = 1e-11);
        assert_relative_eq!(d.vdop, ((nf + 1.0) / delta).sqrt(), max_relative = 1e-11);
        assert_relative_eq!(
            d.tdop,
            ((1.0 + nf * s * s) / delta).sqrt(),
            max_relative = 1e-11
        );
    }
}

/// System A: zenith + 3 on the horizon; system B: one satellite at the zenith, own clock.
/// B's single satellite only fixes its clock: the position block is A's alone (PDOP² = 8/3), and
/// c_B = ρ_B + ℓ_B·x gives var(c_B) = 1 + ℓ_Bᵀ Q ℓ_B = 1 + Q_UU = 7/3. Scalar TDOP is the RMS of
/// the systems' TDOPs: √((1/3 + 7/3)/2) = √(4/3).
#[test]
fn per_constellation_closed_form() {
    let mut v = zenith_plus_three(BeiDou);
    v.push(los(0.0, 90.0, Glonass));
    let d = dop(&v, &ClockModel::PerConstellation, None).unwrap();
    assert_relative_eq!(d.pdop, (8.0f64 / 3.0).sqrt(), max_relative = 1e-12);
    assert_relative_eq!(d.vdop, (4.0f64 / 3.0).sqrt(), max_relative = 1e-12);
    assert_eq!(d.tdop_per_system.len(), 2);
    assert_eq!(d.tdop_per_system[0].0, BeiDou);
    assert_relative_eq!(
        d.tdop_per_system[0].1,
        (1.0f64 / 3.0).sqrt(),
        max_relative = 1e-12
    );
    assert_eq!(d.tdop_per_system[1].0, Glonass);
    assert_relative_eq!(
        d.tdop_per_system[1].1,
        (7.0f64 / 3.0).sqrt(),
        max_relative = 1e-12
    );
    assert_relative_eq!(d.tdop, (4.0f64 / 3.0).sqrt(), max_relative = 1e-12);
    assert_relative_eq!(
        d.gdop,
        (8.0f64 / 3.0 + 4.0 / 3.0).sqrt(),
        max_relative = 1e-12
    );
}

/// Zenith σ = 2 m, three on the horizon σ = 1 m. Weighted normal matrix: EE = NN = 3/2,
/// U/clock [[1/4, −1/4], [−1/4, 13/4]], det 3/4 → Q_UU = 13/3 m², Q_EE = Q_NN = 2/3 m²:
/// position error √(17/3) m. σ_ref: 1/σ_ref² = mean(w) = (3 + 1/4)/4 = 13/16, PDOP = √(17/3 · 13/16).
#[test]
fn weighted_closed_form() {
    let v = zenith_plus_three(BeiDou);
    let d = dop(&v, &ClockModel::Common, Some(&[2.0, 1.0, 1.0, 1.0])).unwrap();
    assert_relative_eq!(
        d.position_error_m.unwrap(),
        (17.0f64 / 3.0).sqrt(),
        max_relative = 1e-12
    );
    assert_relative_eq!(
        d.pdop,
        (17.0f64 / 3.0 * 13.0 / 16.0).sqrt(),
        max_relative = 1e-12
    );
}

#[test]
fn equal_weights_give_unweighted_dop_and_error_scales() {
    let mut v = zenith_plus_three(BeiDou);
    v.push(los(60.0, 35.0, Glonass));
    v.push(los(200.0, 50.0, Glonass));
    v.push(los(300.0, 20.0, Glonass));
    let u = dop(&v, &ClockModel::PerConstellation, None).unwrap();
    let w = dop(&v, &ClockModel::PerConstellation, Some(&[2.5; 7])).unwrap();
    assert_relative_eq!(u.pdop, w.pdop, max_relative = 1e-12);
    assert_relative_eq!(u.tdop, w.tdop, max_relative = 1e-12);
    assert_relative_eq!(
        w.position_error_m.unwrap(),
        2.5 * u.pdop,
        max_relative = 1e-12
    );
}

#[test]
fn under_determined_and_singular_give_none() {
    let v = zenith_plus_three(BeiDou);
    // 3 satellites, 4 unknowns.
    assert!(dop(&v[..3], &ClockModel::Common, None).is_none());
    assert!(dop(&[], &ClockModel::Common, None).is_none());
    // Two systems need 5 satellites with their own clocks.
    let mut two = v[..3].to_vec();
    two.push(los(45.0, 45.0, Glonass));
    assert!(dop(&two, &ClockModel::PerConstellation, None).is_none());
    assert!(dop(&two, &ClockModel::Common, None).is_some());
    // All satellites on one cone (same elevation): the up and clock columns are proportional.
    let cone: Vec<_> = (0..6).map(|k| los(k as f64 * 60.0, 30.0, BeiDou)).collect();
    assert!(dop(&cone, &ClockModel::Common, None).is_none());
    // Bad σ.
    assert!(dop(&v, &ClockModel::Common, Some(&[1.0, f64::NAN, 1.0, 1.0])).is_none());
    assert!(dop(&v, &ClockModel::Common, Some(&[1.0, 0.0, 1.0, 1.0])).is_none());
    assert!(dop(&v, &ClockModel::Common, Some(&[1.0; 3])).is_none());
    assert!(dop(&v, &ClockModel::KnownOffsets { isb_sigma_m: -1.0 }, None).is_none());
}

fn mixed() -> Vec<LineOfSight> {
    vec![
        los(10.0, 70.0, BeiDou),
        los(100.0, 25.0, BeiDou),
        los(220.0, 40.0, BeiDou),
        los(300.0, 15.0, BeiDou),
        los(50.0, 30.0, Glonass),
        los(170.0, 60.0, Glonass),
        los(260.0, 12.0, Glonass),
    ]
}

fn close(a: &gnss_interop::geometry::Dop, b: &gnss_interop::geometry::Dop, tol: f64) {
    assert_relative_eq!(a.gdop, b.gdop, max_relative = tol);
    assert_relative_eq!(a.pdop, b.pdop, max_relative = tol);
    assert_relative_eq!(a.hdop, b.hdop, max_relative = tol);
    assert_relative_eq!(a.vdop, b.vdop, max_relative = tol);
    assert_relative_eq!(a.tdop, b.tdop, max_relative = tol);
    assert_eq!(a.tdop_per_system.len(), b.tdop_per_system.len());
    for (x, y) in a.tdop_per_system.iter().zip(&b.tdop_per_system) {
        assert_eq!(x.0, y.0);
        assert_relative_eq!(x.1, y.1, max_relative = tol);
    }
}

/// σ_isb → 0 is Common, σ_isb → ∞ is PerConstellation. The prior perturbs the normal matrix by
/// 1/σ² against entries of order 1: σ = 1e-4 m leaves a 1e-8 relative difference (plus rounding
/// amplified by the condition number 1e8, ≈1e-8), σ = 1e5 m a 1e-10 one; tolerance 1e-6.
#[test]
fn known_offsets_limits() {
    let v = mixed();
    let common = dop(&v, &ClockModel::Common, None).unwrap();
    let per = dop(&v, &ClockModel::PerConstellation, None).unwrap();
    let tight = dop(&v, &ClockModel::KnownOffsets { isb_sigma_m: 1e-4 }, None).unwrap();
    let zero = dop(&v, &ClockModel::KnownOffsets { isb_sigma_m: 0.0 }, None).unwrap();
    let loose = dop(&v, &ClockModel::KnownOffsets { isb_sigma_m: 1e5 }, None).unwrap();
    let inf = dop(
        &v,
        &ClockModel::KnownOffsets {
            isb_sigma_m: f64::INFINITY,
        },
        None,
    )
    .unwrap();
    close(&tight, &common, 1e-6);
    close(&zero, &common, 1e-15);
    close(&loose, &per, 1e-6);
    close(&inf, &per, 1e-15);
    // In between, the prior can only help: Common ≤ KnownOffsets ≤ PerConstellation.
    assert!(common.pdop < per.pdop);
    let mut prev = common.pdop;
    for s in [0.1, 0.5, 1.0, 3.0, 10.0, 100.0] {
        let d = dop(&v, &ClockModel::KnownOffsets { isb_sigma_m: s }, None).unwrap();
        assert!(
            d.pdop >= prev - 1e-12 && d.pdop <= per.pdop + 1e-12,
            "σ {s}: {}",
            d.pdop
        );
        prev = d.pdop;
    }
}

fn arb_los() -> impl Strategy<Value = Vec<(f64, f64, bool)>> {
    prop::collection::vec((0.0f64..360.0, 5.0f64..90.0, any::<bool>()), 7..24)
}

fn build(v: &[(f64, f64, bool)], rot: f64) -> Vec<LineOfSight> {
    v.iter()
        .map(|&(az, el, g)| los(az + rot, el, if g { Glonass } else { BeiDou }))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// GDOP² = PDOP² + TDOP² and PDOP² = HDOP² + VDOP², for every clock model.
    #[test]
    fn identities(v in arb_los(), sigma in 0.01f64..100.0) {
        let l = build(&v, 0.0);
        for c in [ClockModel::Common, ClockModel::PerConstellation, ClockModel::KnownOffsets { isb_sigma_m: sigma }] {
            if let Some(d) = dop(&l, &c, None) {
                prop_assert!((d.gdop * d.gdop - d.pdop * d.pdop - d.tdop * d.tdop).abs() <= 1e-9 * d.gdop * d.gdop);
                prop_assert!((d.pdop * d.pdop - d.hdop * d.hdop - d.vdop * d.vdop).abs() <= 1e-9 * d.pdop * d.pdop);
                prop_assert!(d.gdop.is_finite() && d.hdop.is_finite());
            }
        }
    }

    /// Order of satellites and a common azimuth rotation change nothing but rounding.
    #[test]
    fn invariances(v in arb_los(), rot in 0.0f64..360.0, shift in 0usize..7) {
        let l = build(&v, 0.0);
        let mut r = l.clone();
        r.reverse();
        let n = r.len();
        r.rotate_left(shift % n);
        let rotated = build(&v, rot);
        for c in [ClockModel::Common, ClockModel::PerConstellation, ClockModel::KnownOffsets { isb_sigma_m: 2.0 }] {
            match (dop(&l, &c, None), dop(&r, &c, None), dop(&rotated, &c, None)) {
                (Some(a), Some(b), Some(z)) => {
                    prop_assert!((a.pdop - b.pdop).abs() <= 1e-9 * a.pdop);
                    prop_assert!((a.gdop - b.gdop).abs() <= 1e-9 * a.gdop);
                    prop_assert!((a.vdop - z.vdop).abs() <= 1e-9 * a.vdop);
                    prop_assert!((a.pdop - z.pdop).abs() <= 1e-9 * a.pdop);
                    prop_assert!((a.hdop - z.hdop).abs() <= 1e-9 * a.hdop);
                    prop_assert!((a.tdop - z.tdop).abs() <= 1e-9 * a.tdop);
                }
                (None, None, None) => {}
                (a, b, z) => prop_assert!(false, "solution existence differs: {:?} {:?} {:?}", a.is_some(), b.is_some(), z.is_some()),
            }
        }
    }

    /// PerConstellation (and KnownOffsets) with one system equal Common.
    #[test]
    fn one_system_models_agree(v in arb_los()) {
        let l: Vec<_> = v.iter().map(|&(az, el, _)| los(az, el, Glonass)).collect();
        let a = dop(&l, &ClockModel::Common, None);
        let b = dop(&l, &ClockModel::PerConstellation, None);
        let c = dop(&l, &ClockModel::KnownOffsets { isb_sigma_m: 1.0 }, None);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(&a, &c);
    }
}

/// The ENU rotation, checked against directions built from the ellipsoid itself (not from the
/// rotation matrix): up = ∂r/∂h, north ∝ ∂r/∂φ, east ∝ ∂r/∂λ, by finite differences of
/// `Ellipsoid::to_ecef`. Sites with lat ≠ lon, southern hemisphere and longitudes past 180°; a
/// swap of latitude and longitude in the rotation moves these directions by tens of degrees.
/// Tolerance 1e-4° on az/el (finite differences with 1 m / 1e-7 rad steps).
#[test]
fn enu_rotation_at_asymmetric_sites() {
    let ell = Ellipsoid::CGCS2000;
    let sites = [
        Geodetic::new(-33.9, 151.2, 50.0),
        Geodetic::new(40.0, 250.0, 1500.0),
        Geodetic::new(-45.0, -170.0, 0.0),
        Geodetic::new(62.0, 8.0, 0.0),
        Geodetic::new(-77.8, 166.7, 20.0),
    ];
    for g in sites {
        let topo = Topocentric::new(g, &ell);
        let o = ell.to_ecef(&g);
        let up =
            (ell.to_ecef(&Geodetic::new(g.lat_deg, g.lon_deg, g.height_m + 1.0)) - o).normalize();
        let dn = 1e-7f64.to_degrees();
        let north = (ell.to_ecef(&Geodetic::new(g.lat_deg + dn, g.lon_deg, g.height_m))
            - ell.to_ecef(&Geodetic::new(g.lat_deg - dn, g.lon_deg, g.height_m)))
        .normalize();
        let east = (ell.to_ecef(&Geodetic::new(g.lat_deg, g.lon_deg + dn, g.height_m))
            - ell.to_ecef(&Geodetic::new(g.lat_deg, g.lon_deg - dn, g.height_m)))
        .normalize();
        let cases = [(0.0, 30.0), (90.0, 10.0), (200.0, 55.0), (315.0, 80.0)];
        let mut from_ecef = Vec::new();
        let mut from_azel = Vec::new();
        for (k, &(az, el)) in cases.iter().enumerate() {
            let (sa, ca) = f64::to_radians(az).sin_cos();
            let (se, ce) = f64::to_radians(el).sin_cos();
            let dir: Vector3<f64> = east * (sa * ce) + north * (ca * ce) + up * se;
            let sat = o + dir * 2.0e7;
            let sys = if k % 2 == 0 { BeiDou } else { Glonass };
            let l = LineOfSight::from_ecef(&topo, &sat, sys).unwrap();
            let daz = (l.azimuth_deg - az + 540.0).rem_euclid(360.0) - 180.0;
            assert!(daz.abs() < 1e-4, "{g:?}: az {} vs {az}", l.azimuth_deg);
            assert!(
                (l.elevation_deg - el).abs() < 1e-4,
                "{g:?}: el {} vs {el}",
                l.elevation_deg
            );
            from_ecef.push(LineOfSight {
                system: BeiDou,
                ..l
            });
            from_azel.push(los(az, el, BeiDou));
        }
        from_ecef.push(LineOfSight::from_ecef(&topo, &(o + up * 2.0e7), BeiDou).unwrap());
        from_azel.push(los(0.0, 90.0, BeiDou));
        let a = dop(&from_ecef, &ClockModel::Common, None).unwrap();
        let b = dop(&from_azel, &ClockModel::Common, None).unwrap();
        assert_relative_eq!(a.vdop, b.vdop, max_relative = 1e-5);
        assert_relative_eq!(a.hdop, b.hdop, max_relative = 1e-5);
    }
}
