//! Station catalogues, network editing, file loading and typed errors.

mod common;

use gnss_interop::frames::Geodetic;
use gnss_interop::id::Constellation;
use gnss_interop::network::{lattice_candidates, Network, NetworkError, Station, BUILTIN_NETWORKS};

#[test]
fn every_builtin_loads_with_a_source_per_station() {
    for name in BUILTIN_NETWORKS {
        let n = Network::builtin(name).unwrap();
        assert!(!n.is_empty(), "{name}");
        for s in n.stations() {
            let src = s.source.as_deref().unwrap_or("");
            assert!(src.len() > 10, "{name}/{}: no source", s.id);
            assert_eq!(s.elevation_mask_deg, 5.0);
        }
    }
}

#[test]
fn catalogue_contents_match_published_descriptions() {
    // BDS monitoring stations are on Chinese territory only (Remote Sens. 16(3) 484):
    // check every site lies inside China's bounding box (18–54°N, 73–135°E).
    for s in Network::builtin("bds-domestic").unwrap().stations() {
        assert!((18.0..=54.0).contains(&s.position.lat_deg), "{}", s.id);
        assert!((73.0..=135.0).contains(&s.position.lon_deg), "{}", s.id);
        assert_eq!(s.systems, vec![Constellation::BeiDou]);
    }
    // GLONASS abroad: Brazil, Antarctica and South Africa are all south of the equator.
    let abroad = Network::builtin("glonass-abroad").unwrap();
    assert_eq!(abroad.len(), 9);
    assert!(abroad.stations().iter().all(|s| s.position.lat_deg < 0.0));
    // 27 Sep 2022 contracts: city coordinates from the gazetteer table of the project's domain
    // notes (Changchun 43.8°N 125.3°E, …). The catalogue uses IGS stations in those cities,
    // which lie within 0.3° of the city centres: tolerance 0.3°.
    let expect = [
        ("glonass-china-2022", "Changchun", 43.8, 125.3),
        ("glonass-china-2022", "Shanghai", 31.2, 121.5),
        ("glonass-china-2022", "Urumqi", 43.8, 87.6),
        ("bds-russia-2022", "Obninsk", 55.1, 36.6),
        ("bds-russia-2022", "Irkutsk", 52.3, 104.3),
        ("bds-russia-2022", "Petropavlovsk-Kamchatsky", 53.0, 158.6),
    ];
    for (cat, city, lat, lon) in expect {
        let n = Network::builtin(cat).unwrap();
        let s = n.stations().iter().find(|s| s.name == city).unwrap();
        assert!((s.position.lat_deg - lat).abs() < 0.3, "{city}");
        assert!((s.position.lon_deg - lon).abs() < 0.3, "{city}");
    }
    let aug = Network::builtin("glonass-augmented").unwrap();
    let base = Network::builtin("glonass-baseline").unwrap();
    assert_eq!(aug.len(), base.len() + 3);
    assert_eq!(
        Network::builtin("bds-augmented").unwrap().len(),
        Network::builtin("bds-domestic").unwrap().len() + 3
    );
}

#[test]
fn editing_returns_new_values() {
    let n = Network::builtin("bds-domestic").unwrap();
    let s = Station::new(
        "TEST",
        "Test",
        Geodetic::new(10.0, 20.0, 0.0),
        &[Constellation::BeiDou],
    )
    .unwrap();
    let m = n.with_station(s.clone()).unwrap();
    assert_eq!(m.len(), n.len() + 1);
    assert_eq!(n.len(), 12);
    let back = m.without_station("TEST").unwrap();
    assert_eq!(back, n);
    assert!(matches!(
        m.with_station(s),
        Err(NetworkError::DuplicateStation { .. })
    ));
}

#[test]
fn typed_errors() {
    let n = Network::builtin("bds-domestic").unwrap();
    match n.without_station("NOPE") {
        Err(NetworkError::UnknownStation { id, .. }) => assert_eq!(id, "NOPE"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Network::new("empty", vec![]),
        Err(NetworkError::EmptyNetwork { .. })
    ));
    match Station::new(
        "X",
        "X",
        Geodetic::new(91.0, 0.0, 0.0),
        &[Constellation::Glonass],
    ) {
        Err(NetworkError::BadCoordinates { lat_deg, .. }) => assert_eq!(lat_deg, 91.0),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Station::new(
            "X",
            "X",
            Geodetic::new(f64::NAN, 0.0, 0.0),
            &[Constellation::Glonass]
        ),
        Err(NetworkError::BadCoordinates { .. })
    ));
    let s = Station::new(
        "X",
        "X",
        Geodetic::new(0.0, 0.0, 0.0),
        &[Constellation::Glonass],
    )
    .unwrap();
    assert!(matches!(
        s.with_mask_deg(95.0),
        Err(NetworkError::BadMask { .. })
    ));
    assert!(matches!(
        Network::builtin("gps-domestic"),
        Err(NetworkError::UnknownCatalog { .. })
    ));
    let one = Network::new(
        "one",
        vec![Station::new(
            "A",
            "A",
            Geodetic::new(0.0, 0.0, 0.0),
            &[Constellation::BeiDou],
        )
        .unwrap()],
    )
    .unwrap();
    assert!(matches!(
        one.without_station("A"),
        Err(NetworkError::EmptyNetwork { .. })
    ));
    let bad_toml =
        "name = \"x\"\n[[station]]\nid = \"A\"\nlat_deg = 95.0\nlon_deg = 0.0\nsystems = [\"C\"]\n";
    assert!(matches!(
        Network::from_toml_str(bad_toml, "inline"),
        Err(NetworkError::BadCoordinates { .. })
    ));
    let bad_sys =
        "name = \"x\"\n[[station]]\nid = \"A\"\nlat_deg = 5.0\nlon_deg = 0.0\nsystems = [\"Z\"]\n";
    assert!(matches!(
        Network::from_toml_str(bad_sys, "inline"),
        Err(NetworkError::Parse { .. })
    ));
    let e = Network::from_toml_file(std::path::Path::new("no/such/file.toml")).unwrap_err();
    assert!(matches!(e, NetworkError::Io { .. }));
    // Crate-level error wraps it.
    let _: gnss_interop::Error = e.into();
}

#[test]
fn csv_and_lattice() {
    let text = "id,name,lat_deg,lon_deg,height_m,systems,source\nA,Alpha,10,20,0,C+R,here\nB,Beta,-10,30,5,,there\n";
    let n = Network::from_csv_str(text, "csv", &[Constellation::Glonass], "inline").unwrap();
    assert_eq!(
        n.stations()[0].systems,
        vec![Constellation::BeiDou, Constellation::Glonass]
    );
    assert_eq!(n.stations()[1].systems, vec![Constellation::Glonass]);
    assert_eq!(n.station("B").unwrap().position.height_m, 5.0);
    let l = lattice_candidates((-10.0, 10.0), (0.0, 30.0), 10.0, &[Constellation::BeiDou]).unwrap();
    assert_eq!(l.len(), 3 * 4);
    assert!(
        lattice_candidates((10.0, -10.0), (0.0, 30.0), 10.0, &[Constellation::BeiDou]).is_err()
    );
}

#[test]
fn reads_the_shared_candidate_list() {
    let Some(p) = common::data_file("stations/candidates.csv") else {
        return;
    };
    let n = Network::from_csv_file(&p, &[Constellation::BeiDou, Constellation::Glonass]).unwrap();
    // SOURCES.md: 50 rows.
    assert_eq!(n.len(), 50);
    // SOURCES.md: candidates.csv lat/lon were computed from the XYZ on WGS84; our geodetic
    // → ECEF of the row must give the XYZ back to the 1e-6° rounding of the file (≈ 0.1 m),
    // plus the 1 mm rounding of heights: tolerance 0.5 m.
    let s = n.station("URUM00CHN").unwrap();
    let xyz = s.ecef_m();
    assert!((xyz - nalgebra::Vector3::new(193030.076, 4606851.258, 4393311.474)).norm() < 0.5);
}
