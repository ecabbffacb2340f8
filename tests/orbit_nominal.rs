//! Nominal constellations: structure and orbit checks against the published parameters.

use gnss_interop::frames::{Ellipsoid, Frame};
use gnss_interop::id::{Constellation, SatId};
use gnss_interop::orbit::nominal::NominalConstellation;
use gnss_interop::orbit::OrbitSource;
use hifitime::{Duration, Epoch};
use proptest::prelude::*;

fn sat(s: &str) -> SatId {
    s.parse().unwrap()
}

#[test]
fn bds3_structure() {
    let c = NominalConstellation::bds3();
    assert_eq!(c.satellites().len(), 30);
    let t = c.reference_epoch();
    for s in c.satellites() {
        let st = c.state_at(*s, t).unwrap();
        assert_eq!(st.frame, Frame::Cgcs2000);
        assert_eq!(st.clock_offset_s, None);
    }
    // MEO period from Kepler's third law with the CGCS2000 μ (independent calculation):
    //   T = 2π √(a³/μ) = 2π √(27,906,100³ / 3.986004418e14)
    //     = 2π √(2.173153e22 / 3.986004418e14) = 2π √(5.451958e7) = 2π · 7383.75 s
    //     = 46,393.8 s = 12 h 53 min 14 s.
    // The nominal model adds the J₂ drift of u, 3/4·J₂(R/a)²(8cos²i − 2) ≈ 2.7e-5 of n, i.e.
    // ≈ 1.3 s per revolution: tolerance 5 s.
    let el = c.elements(sat("C20")).unwrap();
    let period = std::f64::consts::TAU / el.argument_of_latitude_rate_rad_s;
    assert!((period - 46_393.8).abs() < 5.0, "MEO period {period} s");
    assert!((el.inclination_rad.to_degrees() - 55.0).abs() < 1e-12);
}

#[test]
fn geo_stays_at_its_longitude() {
    let c = NominalConstellation::bds3();
    let ell = Ellipsoid::CGCS2000;
    for (s, lon) in [("C59", 140.0), ("C60", 80.0), ("C61", 110.5)] {
        for h in [0.0, 5.5, 12.0, 23.9, 240.0] {
            let t = c.reference_epoch() + Duration::from_seconds(h * 3600.0);
            let st = c.state_at(sat(s), t).unwrap();
            let g = ell.to_geodetic(&st.position_m);
            assert!(
                (g.lon_deg - lon).abs() < 1e-9,
                "{s} at +{h} h: {}",
                g.lon_deg
            );
            assert!(g.lat_deg.abs() < 1e-9);
            assert!(st.velocity_m_s.norm() < 1e-6, "a GEO is at rest in ECEF");
        }
    }
}

#[test]
fn igso_crosses_the_equator_at_118e() {
    let c = NominalConstellation::bds3();
    let ell = Ellipsoid::CGCS2000;
    for s in ["C38", "C39", "C40"] {
        let mut crossings = 0;
        let mut prev = c.state_at(sat(s), c.reference_epoch()).unwrap();
        for k in 1..=2 * 1440 {
            let t = c.reference_epoch() + Duration::from_seconds(k as f64 * 60.0);
            let st = c.state_at(sat(s), t).unwrap();
            if prev.position_m.z < 0.0 && st.position_m.z >= 0.0 {
                let f = -prev.position_m.z / (st.position_m.z - prev.position_m.z);
                let p = prev.position_m + (st.position_m - prev.position_m) * f;
                let lon = ell.to_geodetic(&p).lon_deg;
                assert!((lon - 118.0).abs() < 0.01, "{s} crosses at {lon}°");
                crossings += 1;
            }
            prev = st;
        }
        assert_eq!(crossings, 2, "{s}: one ascending crossing per sidereal day");
    }
}

#[test]
fn glonass_structure() {
    let c = NominalConstellation::glonass();
    assert_eq!(c.satellites().len(), 24);
    assert!(c
        .satellites()
        .iter()
        .all(|s| s.constellation() == Constellation::Glonass));
    // 8 per plane: same node within a plane, planes 120° apart, slots 45° apart, 15° shift.
    for p in 0..3u8 {
        let first = c.elements(sat(&format!("R{:02}", p * 8 + 1))).unwrap();
        assert!((first.inclination_rad.to_degrees() - 64.8).abs() < 1e-12);
        assert!((first.node_longitude0_rad.to_degrees() - 120.0 * p as f64).abs() < 1e-9);
        assert!((first.argument_of_latitude0_rad.to_degrees() - 15.0 * p as f64).abs() < 1e-9);
        for k in 1..8u8 {
            let e = c.elements(sat(&format!("R{:02}", p * 8 + 1 + k))).unwrap();
            assert_eq!(e.node_longitude0_rad, first.node_longitude0_rad);
            let du = (e.argument_of_latitude0_rad - first.argument_of_latitude0_rad).to_degrees();
            assert!((du - 45.0 * k as f64).abs() < 1e-9);
        }
    }
    // Period: the file's a is derived from the ICD draconic period 11 h 15 min 44 s
    // (40,544 s); the J₂ term here (i = 64.8°, 8cos²i − 2 = −0.55) shifts it by < 5 s.
    let period = std::f64::consts::TAU
        / c.elements(sat("R01"))
            .unwrap()
            .argument_of_latitude_rate_rad_s;
    assert!((period - 40_544.0).abs() < 5.0, "{period}");
    let st = c.state_at(sat("R01"), c.reference_epoch()).unwrap();
    assert_eq!(st.frame, Frame::Pz90_11);
    // |r| = a = 25,508 km, i.e. 19,130 km above the PZ-90 equator (ICD: "19,100 km").
    assert!((st.position_m.norm() - 6_378_136.0 - 19_100_000.0).abs() < 50_000.0);
}

#[test]
fn both_and_errors() {
    let b = NominalConstellation::both();
    assert_eq!(b.satellites().len(), 54);
    assert!(b.describe().contains("BDS-3") && b.describe().contains("GLONASS"));
    assert!(b
        .state_at(
            sat("C01"),
            Epoch::from_gregorian_utc_at_midnight(2023, 1, 1)
        )
        .is_err());
    let broken = gnss_interop::orbit::nominal::GLONASS_TOML.replace("64.8", "\"x\"");
    let e = NominalConstellation::from_toml_str(&broken).unwrap_err();
    assert!(e.to_string().contains("line"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Velocity against the central difference of position (h = 0.5 s; truncation
    /// h²/6·a·n³ < 1e-5 m/s): tolerance 1 mm/s.
    #[test]
    fn velocity_matches_position_derivative(dt in 0.0f64..864_000.0, idx in 0usize..54) {
        let c = NominalConstellation::both();
        let s = c.satellites()[idx];
        let t = c.reference_epoch() + Duration::from_seconds(dt);
        let h = Duration::from_seconds(0.5);
        let st = c.state_at(s, t).unwrap();
        let fd = c.state_at(s, t + h).unwrap().position_m - c.state_at(s, t - h).unwrap().position_m;
        prop_assert!((fd - st.velocity_m_s).norm() < 1e-3);
    }
}
