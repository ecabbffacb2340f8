//! Broadcast source on the real 2023-01-01 IGS BRDC file against the WUM precise orbit.
//!
//! Expected level (DOMAIN.md, `data/SOURCES.md`, measured independently with RTKLIB and a
//! throw-away Lagrange script): 3-D broadcast − precise about 1.3 m median for BDS MEO/IGSO
//! and 2.7 m for GLONASS, antenna-phase-centre offset included.

mod common;

use std::sync::OnceLock;

use gnss_interop::ephemeris::{EphemerisError, SelectionPolicy, Sp3Product};
use gnss_interop::id::{Constellation, SatId};
use gnss_interop::orbit::broadcast::{BroadcastOptions, BroadcastSource};
use gnss_interop::orbit::sp3::Sp3Source;
use gnss_interop::orbit::{OrbitError, OrbitSource};
use hifitime::{Duration, Epoch, TimeScale};
use proptest::prelude::*;

/// The IGS file as a broadcast source, read once for this test binary.
fn brdc() -> Option<&'static BroadcastSource> {
    static S: OnceLock<Option<BroadcastSource>> = OnceLock::new();
    S.get_or_init(|| {
        common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx").map(|p| {
            BroadcastSource::from_file(
                p,
                &[Constellation::BeiDou, Constellation::Glonass],
                BroadcastOptions::default(),
            )
            .unwrap()
        })
    })
    .as_ref()
}

/// Reference times of the healthy records of `sat` and the policy's half-window.
fn windows(b: &BroadcastSource, sat: SatId) -> (Vec<Epoch>, f64) {
    let pol = SelectionPolicy::default();
    let nav = b.nav();
    match sat.constellation() {
        Constellation::BeiDou => (
            nav.bds[&sat]
                .iter()
                .filter(|r| r.health == 0)
                .map(|r| r.toe)
                .collect(),
            pol.bds_half_window_s,
        ),
        _ => (
            nav.glonass[&sat]
                .iter()
                .filter(|r| r.health == 0)
                .map(|r| r.tb)
                .collect(),
            pol.glonass_half_window_s,
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Over random epochs from 3 h before to 3 h after the file's day and random satellites:
    /// a state is given only inside the validity window of a healthy record (and inside the
    /// validity of the propagator that produced it), at the epoch asked for; outside every
    /// window the error is `NoValidRecord` (brute-force check over the records).
    #[test]
    fn broadcast_states_only_inside_windows(
        offset_s in -10_800.0f64..(86_400.0 + 10_800.0),
        k in 0usize..68,
    ) {
        let Some(b) = brdc() else { return Ok(()) };
        let epoch = Epoch::from_gregorian(2023, 1, 1, 0, 0, 0, 0, TimeScale::GPST)
            + Duration::from_seconds(offset_s);
        let sats = b.satellites();
        let sat = sats[k % sats.len()];
        let (refs, half) = windows(b, sat);
        let inside = refs.iter().any(|t| (epoch - *t).to_seconds().abs() <= half);
        match b.state_at(sat, epoch) {
            Ok(s) => {
                prop_assert!(inside, "{sat} state at {epoch} outside every window");
                prop_assert_eq!(s.sat, sat);
                prop_assert_eq!(s.epoch, epoch);
                let p = b.propagator_at(sat, epoch).unwrap();
                let (a, z) = p.validity();
                prop_assert!(a <= epoch && epoch <= z);
            }
            Err(OrbitError::Ephemeris(EphemerisError::NoValidRecord { sat: s, epoch: e, .. })) => {
                prop_assert!(!inside, "{sat} refused at {epoch} inside a window");
                prop_assert_eq!(s, sat);
                prop_assert_eq!(e, epoch);
            }
            Err(other) => prop_assert!(false, "{sat} at {epoch}: unexpected error {other}"),
        }
    }

    /// A selected record's propagator refuses epochs beyond its own window with
    /// `OutsideValidity` (no quiet extrapolation even when called directly).
    #[test]
    fn propagators_refuse_epochs_outside_their_validity(
        offset_s in 0.0f64..86_400.0,
        k in 0usize..68,
        beyond_s in 1.0f64..20_000.0,
        after in any::<bool>(),
    ) {
        let Some(b) = brdc() else { return Ok(()) };
        let epoch = Epoch::from_gregorian(2023, 1, 1, 0, 0, 0, 0, TimeScale::GPST)
            + Duration::from_seconds(offset_s);
        let sats = b.satellites();
        let sat = sats[k % sats.len()];
        let Ok(p) = b.propagator_at(sat, epoch) else { return Ok(()) };
        let (a, z) = p.validity();
        let t = if after { z + Duration::from_seconds(beyond_s) } else { a - Duration::from_seconds(beyond_s) };
        let refused = matches!(p.state_at(t), Err(OrbitError::OutsideValidity { .. }));
        prop_assert!(refused, "{sat}: propagator valid {a}–{z} answered at {t}");
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[test]
fn broadcast_matches_precise_on_2023_01_01() {
    let (Some(nav), Some(sp3)) = (
        common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx"),
        common::data_file("sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3"),
    ) else {
        return;
    };
    let brdc = BroadcastSource::from_file(
        &nav,
        &[Constellation::BeiDou, Constellation::Glonass],
        BroadcastOptions::default(),
    )
    .unwrap();
    let precise = Sp3Source::new(Sp3Product::from_file(&sp3).unwrap(), 9).unwrap();
    let (mut meo_igso, mut glo) = (Vec::new(), Vec::new());
    let t0 = Epoch::from_gregorian(2023, 1, 1, 1, 0, 0, 0, TimeScale::GPST);
    for k in 0..22 {
        let t = t0 + Duration::from_seconds(3600.0 * k as f64 + 900.0);
        for &sat in precise.satellites() {
            let (Ok(b), Ok(p)) = (brdc.state_at(sat, t), precise.state_at(sat, t)) else {
                continue;
            };
            let d = (b.position_m - p.position_m).norm();
            match sat.constellation() {
                Constellation::Glonass => glo.push(d),
                Constellation::BeiDou if !sat.is_bds_geo_prn() => meo_igso.push(d),
                _ => {}
            }
        }
    }
    assert!(
        meo_igso.len() > 500 && glo.len() > 300,
        "{} {}",
        meo_igso.len(),
        glo.len()
    );
    let (m_c, m_r) = (median(&mut meo_igso), median(&mut glo));
    eprintln!("median 3-D: BDS MEO/IGSO {m_c:.2} m, GLONASS {m_r:.2} m");
    // Thresholds a little above the independent figures (1.3 m, 2.7 m).
    assert!(m_c < 1.8, "BDS MEO/IGSO median {m_c}");
    assert!(m_r < 3.5, "GLONASS median {m_r}");
}
