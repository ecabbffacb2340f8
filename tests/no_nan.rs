//! No NaN or infinity leaves the library: a property test over the public computations that
//! return numbers. Each is fed arbitrary inputs — epochs over three centuries, positions from
//! the geocentre to 10¹² m, degenerate geometries — and must return an error (or `None`) or
//! finite numbers. The expectations are physical, not the code's own output: an ellipsoidal
//! height of a finite point is finite, a DOP is a finite positive number or absent, a satellite
//! state is a finite vector or an error.

mod common;

use gnss_interop::ephemeris::{NavData, Sp3Product};
use gnss_interop::frames::{Ellipsoid, Geodetic, Topocentric};
use gnss_interop::geometry::dop::{dop, ClockModel, LineOfSight};
use gnss_interop::id::Constellation;
use gnss_interop::orbit::broadcast::{BroadcastOptions, BroadcastSource};
use gnss_interop::orbit::nominal::NominalConstellation;
use gnss_interop::orbit::sp3::{Sp3Options, Sp3Source};
use gnss_interop::orbit::{OrbitSource, SatState};
use gnss_interop::time::{calendar_in, glonass_n4_nt_tod, gnss_week_sow, nominal_offset_s, Scale};
use hifitime::{Duration, Epoch};
use nalgebra::Vector3;
use proptest::prelude::*;

fn finite_state(s: &SatState) -> bool {
    s.position_m
        .iter()
        .chain(s.velocity_m_s.iter())
        .all(|v| v.is_finite())
        && s.clock_offset_s.is_none_or(f64::is_finite)
}

/// An epoch between 1900 and 2200 (TAI seconds since 1900).
fn any_epoch() -> impl Strategy<Value = Epoch> {
    (0.0..300.0 * 365.25 * 86_400.0).prop_map(Epoch::from_tai_seconds)
}

fn any_coordinate() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1e12..1e12f64,
        -1e7..1e7f64,
        Just(0.0),
        Just(1e-300),
        Just(-6_378_137.0)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn time_conversions_are_finite_or_errors(t in any_epoch()) {
        for s in Scale::ALL {
            if let Ok(c) = calendar_in(s, t) {
                prop_assert!(c.second <= 60, "{c:?}");
            }
            for b in Scale::ALL {
                // Whole seconds: an integer, or an error before a scale's origin.
                let _ = nominal_offset_s(s, b, t);
            }
        }
        for s in [Scale::Gpst, Scale::Bdt] {
            if let Ok((_, sow)) = gnss_week_sow(t, s) {
                prop_assert!(sow.is_finite() && (0.0..604_800.0).contains(&sow), "{sow}");
            }
        }
        if let Ok((_, _, tod)) = glonass_n4_nt_tod(t) {
            prop_assert!(tod.is_finite() && (0.0..86_401.0).contains(&tod), "{tod}");
        }
    }

    #[test]
    fn frames_are_finite(x in any_coordinate(), y in any_coordinate(), z in any_coordinate(),
                         lat in -90.0..=90.0f64, lon in -1e4..1e4f64, h in -6e6..1e9f64) {
        for e in [Ellipsoid::WGS84, Ellipsoid::CGCS2000, Ellipsoid::PZ90] {
            let g = e.to_geodetic(&Vector3::new(x, y, z));
            prop_assert!(g.lat_deg.is_finite() && g.lon_deg.is_finite() && g.height_m.is_finite(),
                "to_geodetic({x}, {y}, {z}) = {g:?}");
            prop_assert!((-90.0..=90.0).contains(&g.lat_deg));
            let r = e.to_ecef(&Geodetic::new(lat, lon, h));
            prop_assert!(r.iter().all(|v| v.is_finite()), "to_ecef({lat}, {lon}, {h}) = {r:?}");
            // A target anywhere, the site itself included: azimuth, elevation and range finite.
            let topo = Topocentric::new(Geodetic::new(lat, lon, h), &e);
            for target in [Vector3::new(x, y, z), r] {
                let a = topo.az_el_range(&target);
                prop_assert!(a.azimuth_deg.is_finite() && a.elevation_deg.is_finite()
                    && a.range_m.is_finite(), "az_el_range({target:?}) from {lat},{lon},{h}: {a:?}");
            }
        }
    }

    #[test]
    fn dop_is_finite_positive_or_absent(
        sats in prop::collection::vec((0.0..360.0f64, -90.0..=90.0f64, prop::bool::ANY), 0..12),
        duplicate in prop::bool::ANY,
        sigma_m in prop_oneof![Just(0.0), 1e-9..1e9f64, Just(f64::INFINITY)],
    ) {
        let mut los: Vec<LineOfSight> = sats
            .iter()
            .map(|&(az, el, bds)| {
                let c = if bds { Constellation::BeiDou } else { Constellation::Glonass };
                LineOfSight::from_az_el(az, el, c)
            })
            .collect();
        if duplicate && !los.is_empty() {
            // The same direction several times: a singular geometry.
            let first = los[0];
            los.extend(std::iter::repeat_n(first, 5));
        }
        for clock in [
            ClockModel::Common,
            ClockModel::PerConstellation,
            ClockModel::KnownOffsets { isb_sigma_m: sigma_m },
        ] {
            if let Some(d) = dop(&los, &clock, None) {
                for v in [d.gdop, d.pdop, d.hdop, d.vdop] {
                    prop_assert!(v.is_finite() && v > 0.0, "{clock:?} {los:?}: {d:?}");
                }
            }
        }
    }

    #[test]
    fn nominal_states_are_finite(t in any_epoch()) {
        let c = NominalConstellation::both();
        for &sat in c.satellites() {
            if let Ok(s) = c.state_at(sat, t) {
                prop_assert!(finite_state(&s), "{sat} at {t}: {s:?}");
            }
        }
    }
}

/// Broadcast and SP3 states of the real 2023-01-01 files at arbitrary instants from ten days
/// before to ten days after the data: finite states or errors, never NaN.
#[test]
fn real_sources_are_finite_or_errors_at_any_instant() {
    let (Some(nav), Some(sp3)) = (
        common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx"),
        common::data_file("sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3"),
    ) else {
        return;
    };
    let nav = NavData::from_file(nav).unwrap();
    let broadcast = BroadcastSource::new(
        nav,
        &[Constellation::BeiDou, Constellation::Glonass],
        BroadcastOptions::default(),
    );
    let sp3 = Sp3Source::with_options(Sp3Product::from_file(sp3).unwrap(), Sp3Options::default())
        .unwrap();
    let start = Epoch::from_gregorian_utc_hms(2022, 12, 22, 0, 0, 0);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(64));
    let ok = std::cell::Cell::new(0usize);
    let refused = std::cell::Cell::new(0usize);
    runner
        .run(&(0.0..21.0 * 86_400.0f64), |dt_s| {
            let t = start + Duration::from_seconds(dt_s);
            for src in [&broadcast as &dyn OrbitSource, &sp3] {
                for &sat in src.satellites() {
                    match src.state_at(sat, t) {
                        Ok(s) => {
                            prop_assert!(finite_state(&s), "{sat} at {t}: {s:?}");
                            ok.set(ok.get() + 1);
                        }
                        Err(_) => refused.set(refused.get() + 1),
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    let (ok, refused) = (ok.get(), refused.get());
    eprintln!("real sources at random instants: {ok} finite states, {refused} errors");
    assert!(ok > 0 && refused > 0);
}
