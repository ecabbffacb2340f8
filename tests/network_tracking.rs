//! Tracking, station geometry and age/σ tables on hand-checkable test constellations.

mod common;
mod network_support;

use std::sync::OnceLock;

use approx::assert_relative_eq;
use gnss_interop::frames::Geodetic;
use gnss_interop::id::{BdsOrbitClass, Constellation};
use gnss_interop::network::{
    compare, station_dop, EpochBits, MonitoringTable, Network, NetworkAnalysis, OrbitSamples,
    RangeErrorModels, SatelliteKind, Station, TimeSpan,
};
use hifitime::Unit;
use nalgebra::Vector3;
use network_support::TestConstellation;
use proptest::prelude::*;

fn span(hours: f64, step_s: f64) -> TimeSpan {
    TimeSpan::new(
        network_support::t0(),
        hours * Unit::Hour,
        step_s * Unit::Second,
    )
    .unwrap()
}

fn st(id: &str, lat: f64, lon: f64, sys: Constellation) -> Station {
    Station::new(id, id, Geodetic::new(lat, lon, 0.0), &[sys]).unwrap()
}

fn net(stations: Vec<Station>) -> Network {
    Network::new("test", stations).unwrap()
}

#[test]
fn geo_above_equatorial_station_is_always_tracked() {
    let c = TestConstellation::single_geo(59, 100.0);
    let samples = OrbitSamples::new(&c, span(24.0, 600.0)).unwrap();
    let a = NetworkAnalysis::new(
        &samples,
        &net(vec![st("EQ", 0.0, 100.0, Constellation::BeiDou)]),
    );
    let r = a.tracking(1).unwrap();
    let t = &r.satellites[0];
    assert_eq!(t.kind, SatelliteKind::BeiDou(BdsOrbitClass::Geo));
    assert_eq!(t.fraction_ge1, 1.0);
    assert_eq!(t.fraction_ge2, 0.0);
    assert_eq!(t.longest_gap_s, 0.0);
    assert_eq!(t.mean_gap_s, None);
    assert_eq!(t.passes, 1);
}

#[test]
fn geo_never_seen_from_the_pole_and_the_visibility_edge() {
    // Elevation of a synchronous satellite in the equatorial plane from an equatorial
    // station at central angle γ (spherical look-angle geometry, e.g. Pratt, Bostian &
    // Allnutt, "Satellite Communications", §2.2): tan el = (cos γ − R/r)/sin γ with
    // R/r = 6378137/42164170 = 0.15127: γ = 75° → el = 6.35°, γ = 78° → el = 3.31°,
    // both clear of the 5° mask by > 1°. From latitudes above ≈ 81° the GEO is below the
    // horizon.
    let c = TestConstellation::new(vec![
        ("C59".parse().unwrap(), network_support::geo(0.0)),
        ("C60".parse().unwrap(), network_support::geo(75.0)),
        ("C61".parse().unwrap(), network_support::geo(78.0)),
    ]);
    let samples = OrbitSamples::new(&c, span(24.0, 900.0)).unwrap();
    let pole = NetworkAnalysis::new(
        &samples,
        &net(vec![
            st("NP", 90.0, 0.0, Constellation::BeiDou),
            st("N85", 85.0, 0.0, Constellation::BeiDou),
        ]),
    )
    .tracking(1)
    .unwrap();
    for t in &pole.satellites {
        assert_eq!(t.fraction_ge1, 0.0, "{}", t.sat);
        assert_eq!(t.longest_gap_s, 24.0 * 3600.0);
        assert_eq!(t.passes, 0);
    }
    let eq = NetworkAnalysis::new(
        &samples,
        &net(vec![st("EQ", 0.0, 0.0, Constellation::BeiDou)]),
    )
    .tracking(1)
    .unwrap();
    let f: Vec<f64> = eq.satellites.iter().map(|t| t.fraction_ge1).collect();
    assert_eq!(f, vec![1.0, 1.0, 0.0]);
    // A station of the other system never counts.
    let glo = NetworkAnalysis::new(
        &samples,
        &net(vec![st("EQ", 0.0, 0.0, Constellation::Glonass)]),
    )
    .tracking(1)
    .unwrap();
    assert!(glo.satellites.iter().all(|t| t.fraction_ge1 == 0.0));
}

#[test]
fn rotating_network_and_constellation_together_changes_nothing() {
    let c = TestConstellation::glonass_like();
    let sp = span(24.0, 300.0);
    let n0 = net(vec![
        st("A", 55.0, 37.0, Constellation::Glonass),
        st("B", -15.0, -48.0, Constellation::Glonass),
        st("C", 62.0, 130.0, Constellation::Glonass),
    ]);
    let d = 47.0;
    let n1 = net(n0
        .stations()
        .iter()
        .map(|s| {
            st(
                &s.id,
                s.position.lat_deg,
                s.position.lon_deg + d,
                Constellation::Glonass,
            )
        })
        .collect());
    let s0 = OrbitSamples::new(&c, sp).unwrap();
    let s1 = OrbitSamples::new(&c.rotated(d), sp).unwrap();
    let r0 = NetworkAnalysis::new(&s0, &n0).tracking(1).unwrap();
    let r1 = NetworkAnalysis::new(&s1, &n1).tracking(1).unwrap();
    // Identical up to a rounding flip of one epoch exactly at the mask: tolerance 1/n.
    let tol = 1.0 / sp.n_epochs as f64 + 1e-12;
    for (a, b) in r0.satellites.iter().zip(&r1.satellites) {
        assert!((a.fraction_ge1 - b.fraction_ge1).abs() <= tol, "{}", a.sat);
        assert!((a.fraction_ge2 - b.fraction_ge2).abs() <= tol, "{}", a.sat);
        assert!(
            (a.longest_gap_s - b.longest_gap_s).abs() <= sp.step_s(),
            "{}",
            a.sat
        );
    }
}

#[test]
fn station_dop_of_a_regular_tetrahedron() {
    // Closed form: for unit vectors at the vertices of a regular tetrahedron Σe = 0 and
    // Σeeᵀ = (4/3)I, so GᵀG = diag(4/3, 4/3, 4/3, 4) and Q = diag(3/4, 3/4, 3/4, 1/4):
    // PDOP = √(9/4) = 1.5, TDOP = 0.5, GDOP = √2.5. Tolerance 1e-12 (rounding only).
    let sat = Vector3::new(1.0e7, -2.0e6, 3.0e6);
    let dirs = [
        Vector3::new(1.0, 1.0, 1.0),
        Vector3::new(1.0, -1.0, -1.0),
        Vector3::new(-1.0, 1.0, -1.0),
        Vector3::new(-1.0, -1.0, 1.0),
    ];
    let dists = [2.0e7, 2.2e7, 2.5e7, 2.1e7];
    let st: Vec<_> = dirs
        .iter()
        .zip(dists)
        .map(|(d, r)| sat + d.normalize() * r)
        .collect();
    let d = station_dop(&sat, &st).unwrap();
    assert_relative_eq!(d.pdop, 1.5, max_relative = 1e-12);
    assert_relative_eq!(d.tdop, 0.5, max_relative = 1e-12);
    assert_relative_eq!(d.gdop, 2.5f64.sqrt(), max_relative = 1e-12);
    assert_eq!(d.used, 4);
    assert!(station_dop(&sat, &st[..3]).is_none());
    // Four stations in one direction: singular, None rather than NaN.
    let same: Vec<_> = (0..4).map(|k| sat + dirs[0] * (1.0e7 + k as f64)).collect();
    assert!(station_dop(&sat, &same).is_none());
}

#[test]
fn station_geometry_report_on_a_network() {
    let c = TestConstellation::bds_like();
    let samples = OrbitSamples::new(&c, span(12.0, 600.0)).unwrap();
    let a = NetworkAnalysis::new(&samples, &Network::builtin("bds-domestic").unwrap());
    let g = a.station_geometry();
    let tr = a.tracking(1).unwrap();
    for (s, t) in g.satellites.iter().zip(&tr.satellites) {
        // Epochs with a solution are exactly those with ≥ 4 stations (the domestic sites are
        // never coplanar with a satellite).
        let solved = s.per_epoch.iter().filter(|d| d.is_some()).count();
        assert_relative_eq!(solved as f64 / 72.0, s.fraction_ge4, epsilon = 1e-12);
        assert!(s.fraction_ge4 <= t.fraction_ge1);
        if let (Some(m), Some(p)) = (s.gdop_median, s.gdop_p95) {
            assert!(m >= 1.0 && p >= m);
        }
    }
    // The GEOs over China are always seen by ≥ 4 domestic stations.
    let geo = g
        .satellites
        .iter()
        .find(|s| s.sat.to_string() == "C61")
        .unwrap();
    assert_eq!(geo.fraction_ge4, 1.0);
}

#[test]
fn ages_and_sigmas_by_hand() {
    // Tracked at epochs 2..=3 and 7 of 10, step 600 s.
    let sp = span(10.0 * 600.0 / 3600.0, 600.0);
    let mut b = EpochBits::zeros(10);
    for i in [2, 3, 7] {
        b.set(i);
    }
    let t = MonitoringTable::from_tracked(
        sp,
        1,
        vec!["C20".parse().unwrap()],
        vec![SatelliteKind::BeiDou(BdsOrbitClass::Meo)],
        vec![b],
    );
    let ages: Vec<Option<f64>> = (0..10).map(|i| t.age_s(0, i)).collect();
    let h = |k: f64| Some(k * 600.0);
    assert_eq!(
        ages,
        vec![
            None,
            None,
            h(0.0),
            h(0.0),
            h(1.0),
            h(2.0),
            h(3.0),
            h(0.0),
            h(1.0),
            h(2.0)
        ]
    );
    let models = RangeErrorModels::default();
    let s = t.sigma_table(&models);
    assert_eq!(s.sigma_m(0, 0), Some(models.bds_meo.sigma_max_m));
    assert_eq!(s.sigma_m(0, 2), Some(0.5));
    // Ages ≤ 30 min are within the 2.35 h grace: σ₀.
    assert_eq!(s.sigma_m(0, 6), Some(0.5));
}

#[test]
fn augmented_networks_improve_tracking_and_compare_prints() {
    let c = TestConstellation::bds_like();
    let samples = OrbitSamples::new(&c, span(24.0, 600.0)).unwrap();
    let base = NetworkAnalysis::new(&samples, &Network::builtin("bds-baseline").unwrap());
    let aug = NetworkAnalysis::new(&samples, &Network::builtin("bds-augmented").unwrap());
    let cmp = compare(&base.tracking(1).unwrap(), &aug.tracking(1).unwrap()).unwrap();
    let bds = &cmp.per_system[0];
    assert!(bds.mean_tracked_fraction.1 > bds.mean_tracked_fraction.0);
    assert!(bds.max_longest_gap_s.1 <= bds.max_longest_gap_s.0);
    let text = cmp.to_string();
    assert!(text.contains("BeiDou") && text.contains("C19"));
    let t2 = aug.tracking(2).unwrap();
    assert!(compare(&base.tracking(1).unwrap(), &t2).is_err());
    let table = aug.monitoring_table(1).unwrap();
    assert_eq!(table.satellites().len(), 30);
    assert!(aug.monitoring_table(0).is_err());
}

fn glonass_samples() -> &'static OrbitSamples {
    static S: OnceLock<OrbitSamples> = OnceLock::new();
    S.get_or_init(|| {
        OrbitSamples::new(&TestConstellation::glonass_like(), span(24.0, 900.0)).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Adding a station never lowers a tracked fraction nor lengthens a gap.
    #[test]
    fn adding_a_station_is_monotone(
        pts in proptest::collection::vec((-85.0f64..85.0, -180.0f64..180.0), 2..4),
        extra in (-85.0f64..85.0, -180.0f64..180.0),
    ) {
        let samples = glonass_samples();
        let stations: Vec<Station> = pts
            .iter()
            .enumerate()
            .map(|(i, p)| st(&format!("S{i}"), p.0, p.1, Constellation::Glonass))
            .collect();
        let n0 = net(stations);
        let n1 = n0.with_station(st("X", extra.0, extra.1, Constellation::Glonass)).unwrap();
        for k in [1u16, 2] {
            let r0 = NetworkAnalysis::new(samples, &n0).tracking(k).unwrap();
            let r1 = NetworkAnalysis::new(samples, &n1).tracking(k).unwrap();
            for (a, b) in r0.satellites.iter().zip(&r1.satellites) {
                prop_assert!(b.fraction_ge1 >= a.fraction_ge1);
                prop_assert!(b.fraction_ge2 >= a.fraction_ge2);
                prop_assert!(b.fraction_ge4 >= a.fraction_ge4);
                prop_assert!(b.longest_gap_s <= a.longest_gap_s);
            }
        }
    }
}

/// The table of one network keeps the satellites of the systems its stations track: a GEO
/// above an equatorial BeiDou station is kept, always tracked (the same geometry as
/// `geo_above_equatorial_station_is_always_tracked`); a GLONASS-only network keeps nothing,
/// an error naming the network.
#[test]
fn network_tracking_keeps_the_systems_the_network_tracks() {
    let c = TestConstellation::single_geo(59, 100.0);
    let samples = OrbitSamples::new(&c, span(6.0, 600.0)).unwrap();
    let bds = net(vec![st("EQ", 0.0, 100.0, Constellation::BeiDou)]);
    let t = NetworkAnalysis::new(&samples, &bds)
        .network_tracking(1)
        .unwrap();
    let rows = t.rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].sat.as_str(), rows[0].kind.as_str()),
        ("C59", "BDS GEO")
    );
    assert_eq!(rows[0].tracked_fraction, 1.0);
    assert_eq!(rows[0].longest_gap_h, 0.0);
    // One station: no station geometry (a DOP needs four).
    assert_eq!(rows[0].station_gdop_median, None);
    assert_eq!(t.least_tracked(8), vec!["C59".parse().unwrap()]);
    let glo = net(vec![st("EQ", 0.0, 100.0, Constellation::Glonass)]);
    let e = NetworkAnalysis::new(&samples, &glo)
        .network_tracking(1)
        .unwrap_err();
    assert!(
        e.to_string().starts_with("network 'test' tracks none"),
        "{e}"
    );
}
