//! BeiDou broadcast propagation against independent values.
//!
//! Vectors:
//! * C07 (IGSO), Orekit `BeidouPropagatorTest::testPosition` (CS-SI/Orekit): IGS broadcast
//!   elements, expected position from the WUM SP3 `WUM0MGXULA_20192470700_01D_05M_ORB.SP3`.
//! * C20 (BDS-3 MEO) and C01 (GEO): the 2023-01-01 00:00 BDT records of
//!   `nav/BRDC00IGS_R_20230010000_01D_MN.rnx` (file lines 3169–3176 and 97–104, values typed
//!   in below) against `sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3` at 00:00:00 GPST (lines
//!   128 and 112), an IGS MGEX final product.

use approx::assert_abs_diff_eq;
use gnss_interop::ephemeris::{BdsEphemeris, BdsMessage};
use gnss_interop::frames::Frame;
use gnss_interop::id::{BdsOrbitClass, SatId};
use gnss_interop::orbit::bds::BdsPropagator;
use gnss_interop::orbit::{OrbitError, Propagator};
use hifitime::{Duration, Epoch, TimeScale};
use nalgebra::Vector3;
use proptest::prelude::*;

fn bdt(week: u32, sow: f64) -> Epoch {
    Epoch::from_time_of_week(week, (sow * 1e9) as u64, TimeScale::BDT)
}

#[allow(clippy::too_many_arguments)]
fn eph(
    sat: &str,
    week: u32,
    toe: f64,
    el: [f64; 16],
    clock: [f64; 3],
    tgd: [f64; 2],
) -> BdsEphemeris {
    let [sqrt_a, e, dn, i0, idot, om0, omdot, w, m0, cuc, cus, crc, crs, cic, cis, _] = el;
    BdsEphemeris {
        sat: sat.parse().unwrap(),
        message: BdsMessage::D1D2,
        toc: bdt(week, toe),
        toe: bdt(week, toe),
        toe_sow_s: toe,
        bdt_week: week,
        sqrt_a_sqrt_m: sqrt_a,
        a_dot_m_s: 0.0,
        e,
        i0_rad: i0,
        omega0_rad: om0,
        omega_rad: w,
        m0_rad: m0,
        delta_n_rad_s: dn,
        delta_n_dot_rad_s2: 0.0,
        idot_rad_s: idot,
        omega_dot_rad_s: omdot,
        cuc_rad: cuc,
        cus_rad: cus,
        crc_m: crc,
        crs_m: crs,
        cic_rad: cic,
        cis_rad: cis,
        af0_s: clock[0],
        af1_s_s: clock[1],
        af2_s_s2: clock[2],
        tgd1_s: tgd[0],
        tgd2_s: tgd[1],
        aode: 1,
        aodc: 0,
        sv_accuracy_m: 2.0,
        health: 0,
        source_line: 0,
    }
}

/// Orekit BeidouPropagatorTest::testPosition, C07, BDT week 713, t_oe 284400 s.
fn c07() -> BdsEphemeris {
    eph(
        "C07",
        713,
        284_400.0,
        [
            6492.84515953064,
            0.00728036486543715,
            2.1815194404696853E-9,
            0.9065628903946735,
            0.0,
            -0.6647664535282437,
            -3.136916379444212E-9,
            -2.6584351442773304,
            0.9614806010234702,
            7.306225597858429E-6,
            -6.314832717180252E-6,
            406.96875,
            225.9375,
            -7.450580596923828E-9,
            -1.4062970876693726E-7,
            0.0,
        ],
        [0.0, 0.0, 0.0],
        [0.0, 0.0],
    )
}

/// BRDC00IGS 2023-001, C20 record of 2023-01-01 00:00:00 BDT (lines 3169–3176).
fn c20() -> BdsEphemeris {
    eph(
        "C20",
        887,
        0.0,
        [
            5.282621576310e+03,
            5.230836104600e-04,
            3.755156417340e-09,
            9.720324930780e-01,
            3.414427938910e-10,
            8.250990361150e-02,
            -6.726708765850e-09,
            -6.260952439970e-01,
            -1.193699883760e+00,
            -2.295710146430e-07,
            7.139053195710e-06,
            2.232656250000e+02,
            -6.765625000000e+00,
            -5.122274160390e-08,
            -5.122274160390e-09,
            0.0,
        ],
        [7.850804831830e-04, -1.426858631250e-11, 0.0],
        [1.959999984540e-08, 1.960000000000e-08],
    )
}

/// BRDC00IGS 2023-001, C01 (GEO) record of 2023-01-01 00:00:00 BDT (lines 97–104).
fn c01() -> BdsEphemeris {
    eph(
        "C01",
        887,
        0.0,
        [
            6.493338190080e+03,
            6.316911894830e-04,
            -3.762656729760e-09,
            6.570690847650e-02,
            -3.578720496640e-10,
            -3.015315086420e+00,
            4.905561479180e-09,
            -1.199303693870e+00,
            4.538029886590e-01,
            1.247832551600e-05,
            -5.510635674000e-06,
            1.617343750000e+02,
            3.817968750000e+02,
            -5.448237061500e-08,
            2.421438694000e-08,
            0.0,
        ],
        [9.237574413420e-04, -3.637090628670e-12, 0.0],
        [-4.699999944790e-09, -1.000000000000e-08],
    )
}

#[test]
fn igso_c07_matches_orekit_sp3_vector() {
    let p = BdsPropagator::new(c07(), 7200.0).unwrap();
    assert_eq!(p.orbit_class(), BdsOrbitClass::Igso);
    // Orekit evaluates at t_oe − 14 s, i.e. the SP3 epoch in GPST (GPST = BDT + 14 s).
    let s = p
        .state_at(bdt(713, 284_400.0) - Duration::from_seconds(14.0))
        .unwrap();
    assert_eq!(s.frame, Frame::Cgcs2000);
    let expected = Vector3::new(-10260690.520, 24061180.795, -32837341.074);
    // Orekit asserts 3.1 m: broadcast vs precise orbit (antenna phase centre vs centre of
    // mass, broadcast orbit error); CGCS2000 vs ITRF adds only centimetres.
    let d = (s.position_m - expected).norm();
    eprintln!("C07 vs SP3: {d:.3} m");
    assert!(d < 3.1, "C07 3-D difference {d} m");
}

/// GPST 2023-01-01 00:00:00, the first epoch of the WUM SP3.
fn sp3_epoch() -> Epoch {
    Epoch::from_gregorian(2023, 1, 1, 0, 0, 0, 0, TimeScale::GPST)
}

#[test]
fn meo_c20_matches_wum_sp3() {
    let p = BdsPropagator::new(c20(), 3600.0).unwrap();
    assert_eq!(p.orbit_class(), BdsOrbitClass::Meo);
    let s = p.state_at(sp3_epoch()).unwrap();
    let expected = Vector3::new(-5658.233670, -15756.237070, -22319.634882) * 1e3;
    // BDS-3 MEO broadcast vs WUM: ≈1.3 m RMS, 90 % below 2.2 m on this day (data/SOURCES.md),
    // plus the uncorrected antenna offset (≈1–2 m): 5 m.
    let d = (s.position_m - expected).norm();
    eprintln!("C20 vs SP3: {d:.3} m");
    assert!(d < 5.0, "C20 3-D difference {d} m");
}

#[test]
fn geo_c01_matches_wum_sp3() {
    let p = BdsPropagator::new(c01(), 3600.0).unwrap();
    assert_eq!(p.orbit_class(), BdsOrbitClass::Geo);
    let s = p.state_at(sp3_epoch()).unwrap();
    let expected = Vector3::new(-34321.045372, 24448.023199, 257.018216) * 1e3;
    // GEO broadcast orbits are worse: ≈15 m RMS against WUM (docs DOMAIN.md, measured with
    // RTKLIB); 30 m. Without the −5° rotation (or rotating by 5 rad) the error is thousands
    // of kilometres, so the test discriminates the branch.
    let d = (s.position_m - expected).norm();
    eprintln!("C01 vs SP3: {d:.3} m");
    assert!(d < 30.0, "C01 3-D difference {d} m");
    // In ECEF a GEO of inclination i oscillates north–south with amplitude a·ω_e·sin i
    // (C01: i = 0.0657 rad → 42.16e6 · 7.292e-5 · 0.0657 ≈ 202 m/s); 250 m/s bounds it.
    assert!(s.velocity_m_s.norm() < 250.0, "{}", s.velocity_m_s.norm());
}

#[test]
fn clock_includes_relativistic_term_and_exposes_tgd() {
    let e = c20();
    let p = BdsPropagator::new(e.clone(), 3600.0).unwrap();
    let t = bdt(887, 600.0);
    // Δt_r = F e √A sin E_k with F = −4.442807309e-10 s/√m (ICD §5.2.4.10) is bounded by
    // |F| e √A = 1.23e-9 s for C20; the polynomial part is a0 + a1·600.
    let poly = e.af0_s + e.af1_s_s * 600.0;
    let dtr = p.clock_offset_s(t) - poly;
    assert!(dtr.abs() <= 4.442807309e-10 * e.e * e.sqrt_a_sqrt_m + 1e-15);
    assert!(dtr.abs() > 1e-12, "relativistic term missing: {dtr}");
    assert_eq!(p.tgd1_s(), 1.959999984540e-08);
    assert_eq!(p.tgd2_s(), 1.96e-08);
    assert_eq!(
        p.state_at(t).unwrap().clock_offset_s,
        Some(p.clock_offset_s(t))
    );
}

#[test]
fn class_is_checked_against_prn() {
    // GEO elements under a MEO PRN, and MEO elements under a GEO PRN, are refused.
    let mut e = c01();
    e.sat = "C20".parse::<SatId>().unwrap();
    assert!(matches!(
        BdsPropagator::new(e, 3600.0),
        Err(OrbitError::InvalidElements { .. })
    ));
    let mut e = c20();
    e.sat = "C60".parse::<SatId>().unwrap();
    assert!(matches!(
        BdsPropagator::new(e, 3600.0),
        Err(OrbitError::InvalidElements { .. })
    ));
    let mut e = c20();
    e.e = 1.2;
    assert!(BdsPropagator::new(e, 3600.0).is_err());
    let mut e = c20();
    e.sqrt_a_sqrt_m = f64::NAN;
    assert!(BdsPropagator::new(e, 3600.0).is_err());
}

#[test]
fn refuses_epochs_outside_window() {
    let p = BdsPropagator::new(c20(), 3600.0).unwrap();
    let (a, b) = p.validity();
    assert_eq!(b - a, Duration::from_seconds(7200.0));
    assert!(p.state_at(bdt(887, 3600.0)).is_ok());
    assert!(matches!(
        p.state_at(bdt(887, 3601.0)),
        Err(OrbitError::OutsideValidity { .. })
    ));
}

/// Velocity against the central difference of position, h = 0.5 s: truncation error
/// h²/6·|d³r/dt³| ≈ 0.04 · (n²·v) < 1e-5 m/s, rounding ≈ 1e-8 m/s; tolerance 1 mm/s.
fn check_velocity(p: &BdsPropagator, t: Epoch) {
    let h = Duration::from_seconds(0.5);
    let s = p.state_at(t).unwrap();
    let a = p.state_at(t - h).unwrap();
    let b = p.state_at(t + h).unwrap();
    let fd = (b.position_m - a.position_m) / 1.0;
    let err = (fd - s.velocity_m_s).norm();
    assert!(err < 1e-3, "{} at {t}: |v − Δr/Δt| = {err} m/s", p.sat());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn velocity_matches_position_derivative(dt in -3599.0f64..3599.0) {
        for (e, toe) in [(c20(), bdt(887, 0.0)), (c01(), bdt(887, 0.0)), (c07(), bdt(713, 284_400.0))] {
            let p = BdsPropagator::new(e, 3600.0).unwrap();
            check_velocity(&p, toe + Duration::from_seconds(dt));
        }
    }
}

#[test]
fn geo_velocity_is_not_rotated_by_radians() {
    // Explicit check on the GEO branch at the window edges, where a wrong dR_Z/dt or R_X(−5 rad)
    // shows most.
    let p = BdsPropagator::new(c01(), 3600.0).unwrap();
    for dt in [-3599.0, -1800.0, 0.0, 1800.0, 3599.0] {
        check_velocity(&p, bdt(887, 0.0) + Duration::from_seconds(dt));
    }
    assert_abs_diff_eq!(
        p.state_at(bdt(887, 0.0)).unwrap().position_m.norm(),
        42.16e6,
        epsilon = 0.1e6
    );
}
