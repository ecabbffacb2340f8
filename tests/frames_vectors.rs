//! Test vectors for `frames`: geodetic ⇄ ECEF, topocentric az/el/range and the
//! PZ-90.11 ⇄ ITRF2008 Helmert transformation. Every expected value says where it comes from.
//!
//! Literals are kept exactly as printed by the reference tools, hence the lint allowance.
#![allow(clippy::excessive_precision)]

use approx::assert_abs_diff_eq;
use gnss_interop::frames::{
    itrf2008_to_pz90_11, pz90_11_to_itrf2008, transform, Ellipsoid, Frame, Geodetic, Helmert,
    Topocentric,
};
use nalgebra::Vector3;
use proptest::prelude::*;

/// Requested accuracy of the conversions (issue "Foundation"): 1e-9 deg and 1e-6 m.
const TOL_DEG: f64 = 1e-9;
const TOL_M: f64 = 1e-6;

/// (lat_deg, lon_deg, h_m) → (X, Y, Z) m on WGS84, from GeographicLib 2.1.2 `CartConvert -p 9`
/// (Karney's GeographicLib, an independent implementation; its forward and reverse conversions
/// are accurate to a few nanometres). Longitude 200° is printed back by GeographicLib as −160°.
/// Heights cover the surface, GLONASS/BDS MEO (≈20,000 km), GEO altitude (35,786 km) and a
/// point 42,164 km above the ellipsoid; latitudes cover both hemispheres and both poles.
const WGS84_VECTORS: &[(f64, f64, f64, [f64; 3])] = &[
    // GeographicLib's own Geocentric example point (Mt Everest)
    (
        27.99,
        86.93,
        8820.0,
        [302271.432713799, 5635928.367498535, 2979666.134902528],
    ),
    (
        -33.8688,
        151.2093,
        58.0,
        [-4646093.477288304, 2553229.535817070, -3534404.710910369],
    ),
    (
        45.0,
        -120.5,
        20_000_000.0,
        [-9470527.042413859, -16077764.480486393, 18629484.032596868],
    ),
    (
        -12.3456,
        200.0,
        20_200_000.0,
        [-24398639.955544215, -8880378.700396152, -5673694.405873188],
    ),
    (
        38.0,
        110.5,
        35_786_000.0,
        [-11638155.484323772, 31127660.808034707, 25937505.524423108],
    ),
    (
        -67.5,
        -170.25,
        42_164_000.0,
        [-18314859.301780023, -3147068.406017851, -44824433.914915070],
    ),
    (
        89.9999,
        -45.0,
        100.0,
        [7.898080450, -7.898080450, 6356852.314235432],
    ),
    (
        -89.99999,
        120.0,
        0.0,
        [-0.558469898, 0.967298238, -6356752.314245082],
    ),
    (0.0, 0.0, 0.0, [6378137.0, 0.0, 0.0]),
];

/// Same points on the PZ-90 ellipsoid (a = 6378136 m, 1/f = 298.25784), from
/// `CartConvert -p 9 -e 6378136 1/298.25784`.
const PZ90_VECTORS: &[(f64, f64, f64, [f64; 3])] = &[
    (
        27.99,
        86.93,
        8820.0,
        [302271.384927537, 5635927.476511424, 2979665.705226725],
    ),
    (
        45.0,
        -120.5,
        20_000_000.0,
        [-9470526.674983723, -16077763.856713803, 18629483.375897624],
    ),
    (
        -67.5,
        -170.25,
        42_164_000.0,
        [-18314858.909238920, -3147068.338566953, -44824433.041411705],
    ),
    (
        -89.99999,
        120.0,
        0.0,
        [-0.558469807, 0.967298079, -6356751.361795589],
    ),
];

/// (X, Y, Z) m → (lat_deg, lon_deg, h_m), from GeographicLib 2.1.2 `CartConvert -r -p 12`
/// on WGS84 and on CGCS2000 (`-e 6378137 1/298.257222101`). Arbitrary points at 14,000 km,
/// 35,000 km and 32,000 km height, and one 43 km above the North Pole.
const REVERSE_VECTORS: &[([f64; 3], [f64; 3], [f64; 3])] = &[
    (
        [1_000_000.0, -2_000_000.0, 20_000_000.0],
        [83.634069786062952, -63.434948822922010, 13767595.5910321139],
        [83.634069786128805, -63.434948822922010, 13767595.5911356434],
    ),
    (
        [-30_000_000.0, 25_000_000.0, -15_000_000.0],
        [
            -21.031911833260633,
            140.194428907734817,
            35457612.2133147493,
        ],
        [
            -21.031911833356652,
            140.194428907734817,
            35457612.2133282125,
        ],
    ),
    (
        [12345678.9, -9876543.2, 35_000_000.0],
        [65.714324097186648, -38.659808480478297, 32044854.5449434705],
        [65.714324097304072, -38.659808480478297, 32044854.5450305119],
    ),
    (
        [0.5, 0.3, 6_400_000.0],
        [89.999994814571423, 30.963756532073521, 43247.6857548467],
        [89.999994814571423, 30.963756532073521, 43247.6858596710],
    ),
];

fn wrap_lon(lon_deg: f64) -> f64 {
    let l = (lon_deg + 180.0).rem_euclid(360.0) - 180.0;
    if l == -180.0 {
        180.0
    } else {
        l
    }
}

fn check_forward_and_reverse(ell: &Ellipsoid, vectors: &[(f64, f64, f64, [f64; 3])]) {
    for &(lat, lon, h, xyz) in vectors {
        let r = ell.to_ecef(&Geodetic::new(lat, lon, h));
        for k in 0..3 {
            assert_abs_diff_eq!(r[k], xyz[k], epsilon = TOL_M);
        }
        // Reverse from GeographicLib's printed ECEF (9 decimals, so ≤ 5e-10 m of rounding).
        let g = ell.to_geodetic(&Vector3::from(xyz));
        assert_abs_diff_eq!(g.lat_deg, lat, epsilon = TOL_DEG);
        // Near the poles longitude is ill-conditioned: a longitude error is acceptable when the
        // horizontal displacement it makes is within the 5e-10 m rounding of each printed
        // coordinate (2e-9 m).
        let horiz_m = xyz[0].hypot(xyz[1]);
        let dlon_deg = (g.lon_deg - wrap_lon(lon)).abs();
        assert!(
            dlon_deg <= TOL_DEG || dlon_deg.to_radians() * horiz_m <= 2e-9,
            "lon {} vs {lon}",
            g.lon_deg
        );
        assert!((-180.0..=180.0).contains(&g.lon_deg));
        assert_abs_diff_eq!(g.height_m, h, epsilon = TOL_M);
    }
}

#[test]
fn wgs84_geodetic_ecef_matches_geographiclib() {
    check_forward_and_reverse(&Ellipsoid::WGS84, WGS84_VECTORS);
}

#[test]
fn pz90_geodetic_ecef_matches_geographiclib() {
    check_forward_and_reverse(&Ellipsoid::PZ90, PZ90_VECTORS);
}

#[test]
fn reverse_matches_geographiclib_wgs84_and_cgcs2000() {
    for (xyz, wgs, cgcs) in REVERSE_VECTORS {
        for (ell, exp) in [(Ellipsoid::WGS84, wgs), (Ellipsoid::CGCS2000, cgcs)] {
            let g = ell.to_geodetic(&Vector3::from(*xyz));
            assert_abs_diff_eq!(g.lat_deg, exp[0], epsilon = TOL_DEG);
            assert_abs_diff_eq!(g.lon_deg, exp[1], epsilon = TOL_DEG);
            assert_abs_diff_eq!(g.height_m, exp[2], epsilon = TOL_M);
        }
    }
}

#[test]
fn poles_and_axes_are_finite() {
    // Exactly on the axes: the answer follows from the definition of the ellipsoid
    // (b = a(1 − f) at the poles, a on the equator).
    let ell = Ellipsoid::CGCS2000;
    let b = ell.semi_major_axis_m * (1.0 - ell.flattening());
    for (z, lat) in [(b + 1000.0, 90.0), (-(b + 1000.0), -90.0)] {
        let g = ell.to_geodetic(&Vector3::new(0.0, 0.0, z));
        assert_abs_diff_eq!(g.lat_deg, lat, epsilon = 1e-12);
        assert_abs_diff_eq!(g.height_m, 1000.0, epsilon = TOL_M);
    }
    let g = ell.to_geodetic(&Vector3::new(0.0, -ell.semi_major_axis_m - 5.0, 0.0));
    assert_abs_diff_eq!(g.lat_deg, 0.0, epsilon = 1e-12);
    assert_abs_diff_eq!(g.lon_deg, -90.0, epsilon = 1e-12);
    assert_abs_diff_eq!(g.height_m, 5.0, epsilon = TOL_M);
    // Deep inside the Earth (outside Vermeille's domain): finite, self-consistent answer.
    for p in [
        Vector3::new(1000.0, 2000.0, 3000.0),
        Vector3::new(0.0, 0.0, 0.0),
        Vector3::new(30_000.0, 0.0, 10.0),
    ] {
        let g = ell.to_geodetic(&p);
        assert!(g.lat_deg.is_finite() && g.lon_deg.is_finite() && g.height_m.is_finite());
    }
}

/// Parametry Zemli 1990 (2014) test vector, as tested by Orekit (`FramesFactoryTest`/
/// `GLONASSNumericalPropagatorTest.testFromITRF2008ToPZ90`, tolerance 1e-4 m) and by PHPCoord
/// (EPSG "PZ-90.11 to ITRF2008 (1)", tolerance 1e-4 m). The published coordinates have 0.1 mm
/// resolution, hence the 0.1 mm tolerance.
#[test]
fn helmert_pz90_11_itrf2008_reference_vector() {
    let itrf = Vector3::new(2845455.9753, 2160954.3073, 5265993.2656);
    let pz_expected = Vector3::new(2845455.9772, 2160954.3078, 5265993.2664);
    let pz = itrf2008_to_pz90_11().apply(&itrf);
    for k in 0..3 {
        assert_abs_diff_eq!(pz[k], pz_expected[k], epsilon = 1e-4);
    }
    // The EPSG dataset's forward example (PHPCoord test): the same input taken as PZ-90.11
    // gives ITRF2008 (2845455.9734, 2160954.3068, 5265993.2648) m.
    let itrf_expected = Vector3::new(2845455.9734, 2160954.3068, 5265993.2648);
    let out = pz90_11_to_itrf2008().apply(&itrf);
    for k in 0..3 {
        assert_abs_diff_eq!(out[k], itrf_expected[k], epsilon = 1e-4);
    }
    // Same via the frame-level function.
    let via = transform(&itrf, Frame::Itrf, Frame::Pz90_11);
    assert_abs_diff_eq!((via - pz).norm(), 0.0, epsilon = 1e-12);
}

#[test]
fn helmert_round_trip_and_frame_identities() {
    // Exactness of the first-order inverse: second order in the parameters (< 1e-9 m at GEO).
    let x = Vector3::new(-18_314_859.3, -3_147_068.4, -44_824_433.9);
    let h = pz90_11_to_itrf2008();
    assert_abs_diff_eq!(
        (h.inverse().apply(&h.apply(&x)) - x).norm(),
        0.0,
        epsilon = 1e-9
    );
    // A pure translation and a pure scale, by definition of the transformation.
    let t = Helmert {
        tx_m: 1.0,
        ty_m: -2.0,
        tz_m: 3.0,
        ..Helmert::IDENTITY
    };
    assert_eq!(t.apply(&Vector3::zeros()), Vector3::new(1.0, -2.0, 3.0));
    let s = Helmert {
        scale_ppb: 1000.0,
        ..Helmert::IDENTITY
    };
    assert_abs_diff_eq!(
        s.apply(&Vector3::new(1e7, 0.0, 0.0)).x,
        1e7 + 10.0,
        epsilon = 1e-8
    );
    // CGCS2000, WGS84 and ITRF are treated as identical (documented cm-level approximation).
    for (a, b) in [
        (Frame::Cgcs2000, Frame::Itrf),
        (Frame::Wgs84, Frame::Cgcs2000),
    ] {
        assert_eq!(transform(&x, a, b), x);
    }
    // PZ-90.11 → CGCS2000 → PZ-90.11 closes, and the PZ-90.11 offset is millimetric.
    let c = transform(&x, Frame::Pz90_11, Frame::Cgcs2000);
    assert!((c - x).norm() < 0.05);
    assert_abs_diff_eq!(
        (transform(&c, Frame::Cgcs2000, Frame::Pz90_11) - x).norm(),
        0.0,
        epsilon = 1e-9
    );
}

/// Local ENU and az/el/range, from GeographicLib 2.1.2 `CartConvert -l 45 10 100`
/// (local cartesian, x east, y north, z up) on WGS84:
/// point (45.1, 10.2, 20000) → (15791.159613050, 11167.664807510, 19870.782920810) m.
#[test]
fn topocentric_matches_geographiclib_local_cartesian() {
    let ell = Ellipsoid::WGS84;
    let topo = Topocentric::new(Geodetic::new(45.0, 10.0, 100.0), &ell);
    let target = ell.to_ecef(&Geodetic::new(45.1, 10.2, 20_000.0));
    let enu = topo.enu_of(&target);
    let expected = [LOCAL_E, LOCAL_N, LOCAL_U];
    for k in 0..3 {
        assert_abs_diff_eq!(enu[k], expected[k], epsilon = 1e-5);
    }
    let aer = topo.az_el_range(&target);
    // Azimuth/elevation/range from the same ENU triple by definition
    // (az = atan2(e, n) clockwise from north, el = atan2(u, √(e²+n²))).
    let az = LOCAL_E.atan2(LOCAL_N).to_degrees();
    let el = LOCAL_U.atan2(LOCAL_E.hypot(LOCAL_N)).to_degrees();
    assert_abs_diff_eq!(aer.azimuth_deg, az, epsilon = 1e-9);
    assert_abs_diff_eq!(aer.elevation_deg, el, epsilon = 1e-9);
    let range = (LOCAL_E * LOCAL_E + LOCAL_N * LOCAL_N + LOCAL_U * LOCAL_U).sqrt();
    assert_abs_diff_eq!(aer.range_m, range, epsilon = 1e-5);
}

const LOCAL_E: f64 = 15791.159613050;
const LOCAL_N: f64 = 11167.664807510;
const LOCAL_U: f64 = 19870.782920810;

#[test]
fn azimuth_quadrants_and_zenith() {
    // Site in the southern hemisphere past the antimeridian; targets placed by construction
    // along the local axes, so the expected angles follow from the definition of ENU.
    let ell = Ellipsoid::CGCS2000;
    let site = Geodetic::new(-35.0, 190.0, 500.0);
    let topo = Topocentric::new(site, &ell);
    let rot_t = topo.ecef_to_enu.transpose();
    for (enu, az, el) in [
        (Vector3::new(0.0, 1000.0, 0.0), 0.0, 0.0),
        (Vector3::new(1000.0, 0.0, 0.0), 90.0, 0.0),
        (Vector3::new(0.0, -1000.0, 1000.0), 180.0, 45.0),
        (Vector3::new(-1000.0, 0.0, -1000.0), 270.0, -45.0),
    ] {
        let target = topo.origin_m + rot_t * enu;
        let aer = topo.az_el_range(&target);
        assert!((0.0..360.0).contains(&aer.azimuth_deg));
        // Compare azimuths modulo 360° (359.999999999993° is 0° within rounding).
        let daz = (aer.azimuth_deg - az + 540.0).rem_euclid(360.0) - 180.0;
        assert_abs_diff_eq!(daz, 0.0, epsilon = 1e-9);
        assert_abs_diff_eq!(aer.elevation_deg, el, epsilon = 1e-9);
        assert_abs_diff_eq!(aer.range_m, enu.norm(), epsilon = 1e-6);
    }
    // Straight up along the ellipsoid normal: elevation 90°.
    let up = ell.to_ecef(&Geodetic::new(site.lat_deg, site.lon_deg, 20_000_000.0));
    let aer = topo.az_el_range(&up);
    assert_abs_diff_eq!(aer.elevation_deg, 90.0, epsilon = 1e-9);
    assert_abs_diff_eq!(aer.range_m, 20_000_000.0 - 500.0, epsilon = 1e-6);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    /// Round trip geodetic → ECEF → geodetic from the surface to 40,000 km on each ellipsoid.
    #[test]
    fn round_trip_surface_to_40000_km(
        lat in -90.0f64..=90.0,
        lon in -540.0f64..540.0,
        h in prop_oneof![0.0f64..10_000.0, 0.0f64..40_000_000.0],
        which in 0usize..3,
    ) {
        let ell = [Ellipsoid::WGS84, Ellipsoid::CGCS2000, Ellipsoid::PZ90][which];
        let r = ell.to_ecef(&Geodetic::new(lat, lon, h));
        let g = ell.to_geodetic(&r);
        prop_assert!((g.lat_deg - lat).abs() <= TOL_DEG, "lat {} vs {}", g.lat_deg, lat);
        prop_assert!((g.height_m - h).abs() <= TOL_M, "h {} vs {}", g.height_m, h);
        // Longitude: compare the horizontal arc it spans, which is what matters at the poles.
        let dlon = (g.lon_deg - wrap_lon(lon) + 540.0).rem_euclid(360.0) - 180.0;
        prop_assert!(dlon.abs() * lat.to_radians().cos() <= TOL_DEG, "lon {} vs {}", g.lon_deg, lon);
        // And back to the same ECEF position.
        let r2 = ell.to_ecef(&g);
        prop_assert!((r2 - r).norm() <= TOL_M);
    }
}
