//! GLONASS integration against independent values.
//!
//! * GLONASS CDMA general ICD, edition 1.0 (2016), worked example (as used by Orekit's
//!   `GLONASSNumericalPropagatorTest::testPerfectValues`): t_b = 11700 s on 2012-09-07
//!   (N4 = 5, N_T = 251), no broadcast accelerations, the ICD's computed luni-solar model.
//! * Broadcast accelerations: R01 record of 2023-01-01 00:15:00 UTC(SU) in
//!   `nav/BRDC00IGS_R_20230010000_01D_MN.rnx` (lines 59646–59649, typed in below) against
//!   the WUM MGEX final SP3 `sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3` at its 5-min epochs.

use gnss_interop::ephemeris::GlonassEphemeris;
use gnss_interop::frames::Frame;
use gnss_interop::orbit::glonass::{GlonassOptions, GlonassPropagator, LuniSolar};
use gnss_interop::orbit::{OrbitError, Propagator};
use hifitime::{Duration, Epoch, TimeScale};
use nalgebra::Vector3;
use proptest::prelude::*;

fn icd_example() -> GlonassEphemeris {
    GlonassEphemeris {
        sat: "R01".parse().unwrap(),
        // t_b = 11700 s Moscow time = 00:15:00 UTC(SU) on 2012-09-07.
        tb: Epoch::from_gregorian_utc(2012, 9, 7, 0, 15, 0, 0),
        position_m: Vector3::new(7003008.789, -12206626.953, 21280765.625),
        velocity_m_s: Vector3::new(783.5417, 2804.2530, 1352.5150),
        acceleration_m_s2: Vector3::zeros(),
        minus_tau_n_s: 0.0,
        gamma_n: 0.0,
        frame_time_s: 0.0,
        channel: 1,
        health: 0,
        age_days: 0.0,
        source_line: 0,
    }
}

#[test]
fn icd_worked_example_computed_luni_solar() {
    let opts = GlonassOptions {
        step_s: 10.0,
        luni_solar: LuniSolar::Computed,
    };
    let p = GlonassPropagator::new(icd_example(), 900.0, opts).unwrap();
    // 12300 s Moscow time = 00:25:00 UTC(SU).
    let s = p
        .state_at(Epoch::from_gregorian_utc(2012, 9, 7, 0, 25, 0, 0))
        .unwrap();
    assert_eq!(s.frame, Frame::Pz90_11);
    let r = Vector3::new(7523174.819, -10506961.965, 21999239.413);
    let v = Vector3::new(950.126007, 2855.687825, 1040.679862);
    let dr = (s.position_m - r).norm();
    let dv = (s.velocity_m_s - v).norm();
    eprintln!("ICD example: |Δr| = {dr:.6} m, |Δv| = {dv:.3e} m/s");
    // Tolerances of the issue and of Orekit's test: 1.1 mm and 3.3e-6 m/s (the ICD prints
    // the result to the millimetre and the micrometre per second).
    assert!(dr < 1.1e-3, "|Δr| = {dr} m");
    assert!(dv < 3.3e-6, "|Δv| = {dv} m/s");
}

#[test]
fn icd_example_luni_solar_term_matters() {
    // Without any luni-solar term the ICD result is missed by far more than the tolerance:
    // the perturbation is ≈ 3e-6 m/s², ½·a·t² over 600 s ≈ 0.5 m.
    let opts = GlonassOptions {
        step_s: 10.0,
        luni_solar: LuniSolar::None,
    };
    let p = GlonassPropagator::new(icd_example(), 900.0, opts).unwrap();
    let s = p
        .state_at(Epoch::from_gregorian_utc(2012, 9, 7, 0, 25, 0, 0))
        .unwrap();
    let dr = (s.position_m - Vector3::new(7523174.819, -10506961.965, 21999239.413)).norm();
    assert!(dr > 0.05, "{dr}");
}

fn r01_2023() -> GlonassEphemeris {
    GlonassEphemeris {
        sat: "R01".parse().unwrap(),
        tb: Epoch::from_gregorian_utc(2023, 1, 1, 0, 15, 0, 0),
        position_m: Vector3::new(1.855895410156e+04, -4.860471191406e+03, -1.680843750000e+04)
            * 1e3,
        velocity_m_s: Vector3::new(2.283813476562e+00, 3.012857437134e-01, 2.435156822205e+00)
            * 1e3,
        acceleration_m_s2: Vector3::new(0.0, 0.0, 2.793967723846e-09) * 1e3,
        minus_tau_n_s: 2.048350870609e-05,
        gamma_n: 0.0,
        frame_time_s: 0.0,
        channel: 1,
        health: 0,
        age_days: 0.0,
        source_line: 59646,
    }
}

#[test]
fn broadcast_accelerations_match_wum_sp3() {
    let p = GlonassPropagator::new(r01_2023(), 900.0, GlonassOptions::default()).unwrap();
    // WUM SP3 R01 positions (km) at GPST 00:00 … 00:30 (file lines after each `*` epoch);
    // GPST = UTC + 18 s in 2023, so 00:00 GPST is 918 s before t_b.
    let sp3 = [
        (0, [16345.075171, -5243.590503, -18866.529695]),
        (5, [17092.814450, -5094.332553, -18234.017299]),
        (10, [17817.802123, -4968.724407, -17562.091863]),
        (15, [18517.800130, -4865.932520, -16852.204470]),
        (20, [19190.651790, -4784.988808, -16105.888369]),
        (25, [19834.291210, -4724.796046, -15324.755671]),
        (30, [20446.752306, -4684.133876, -14510.493881]),
    ];
    let mut n = 0;
    for (min, km) in sp3 {
        let t = Epoch::from_gregorian(2023, 1, 1, 0, min, 0, 0, TimeScale::GPST);
        let Ok(s) = p.state_at(t) else {
            // 00:00 GPST is 918 s before t_b: outside the ±900 s window.
            assert_eq!(min, 0);
            continue;
        };
        let d = (s.position_m - Vector3::from(km) * 1e3).norm();
        eprintln!("R01 {min:02} min: {d:.3} m");
        // GLONASS broadcast vs WUM on this day: median 2.75 m, max 8.0 m over 1008 epochs
        // (data/SOURCES.md); PZ-90.11 vs ITRF differs by millimetres: 10 m.
        assert!(d < 10.0, "R01 at 00:{min:02} GPST: {d} m");
        n += 1;
    }
    assert_eq!(n, 6);
    // Clock: −τ_n + γ_n (t − t_b); γ_n = 0 here, so the RINEX clock bias itself.
    assert_eq!(
        p.clock_offset_s(r01_2023().tb + Duration::from_seconds(300.0)),
        2.048350870609e-05
    );
}

#[test]
fn rejects_bad_steps_and_windows() {
    let bad_step = GlonassOptions {
        step_s: 61.0,
        luni_solar: LuniSolar::Broadcast,
    };
    assert!(matches!(
        GlonassPropagator::new(r01_2023(), 900.0, bad_step),
        Err(OrbitError::InvalidElements { .. })
    ));
    assert!(GlonassPropagator::new(r01_2023(), -1.0, GlonassOptions::default()).is_err());
    let mut e = r01_2023();
    e.position_m.x = f64::NAN;
    assert!(GlonassPropagator::new(e, 900.0, GlonassOptions::default()).is_err());
    let p = GlonassPropagator::new(r01_2023(), 900.0, GlonassOptions::default()).unwrap();
    assert!(matches!(
        p.state_at(r01_2023().tb + Duration::from_seconds(901.0)),
        Err(OrbitError::OutsideValidity { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Velocity against the central difference of position (h = 0.5 s). The integrated
    /// state is continuous in t (fixed grid from t_b, one partial last step) and the
    /// truncation error of the difference is < 1e-5 m/s: tolerance 1 mm/s.
    #[test]
    fn velocity_matches_position_derivative(dt in -899.0f64..899.0, computed in any::<bool>()) {
        let opts = GlonassOptions {
            step_s: 30.0,
            luni_solar: if computed { LuniSolar::Computed } else { LuniSolar::Broadcast },
        };
        let p = GlonassPropagator::new(r01_2023(), 900.0, opts).unwrap();
        let t = r01_2023().tb + Duration::from_seconds(dt);
        let h = Duration::from_seconds(0.5);
        let s = p.state_at(t).unwrap();
        let fd = p.state_at(t + h).unwrap().position_m - p.state_at(t - h).unwrap().position_m;
        let err = (fd - s.velocity_m_s).norm();
        prop_assert!(err < 1e-3, "|v − Δr/Δt| = {} m/s at dt = {}", err, dt);
    }
}
