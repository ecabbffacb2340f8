//! Elevation masks: constant, azimuth tables with wrap-around, the boundary, and errors.
//! Expected values are linear interpolation worked by hand in the comments.

use approx::assert_relative_eq;
use gnss_interop::geometry::{AzimuthMask, ElevationMask, GeometryError};

#[test]
fn constant_mask_boundary_is_inclusive() {
    let m = ElevationMask::constant(10.0).unwrap();
    assert!(m.is_visible(123.0, 10.0));
    assert!(!m.is_visible(123.0, 9.999_999));
    assert_eq!(m.min_elevation_deg(-400.0), 10.0);
    assert!(ElevationMask::constant(91.0).is_err());
    assert!(ElevationMask::constant(f64::NAN).is_err());
}

#[test]
fn azimuth_table_interpolates_and_wraps() {
    // Entries given out of order on purpose.
    let t = AzimuthMask::new(vec![(180.0, 10.0), (0.0, 10.0), (90.0, 20.0), (270.0, 5.0)]).unwrap();
    let m = ElevationMask::Azimuthal(t);
    // 45°: halfway 0→90, 10→20 = 15.
    assert_relative_eq!(m.min_elevation_deg(45.0), 15.0, max_relative = 1e-15);
    // 315°: halfway 270→360(=0), 5→10 = 7.5.
    assert_relative_eq!(m.min_elevation_deg(315.0), 7.5, max_relative = 1e-15);
    // −45° = 315°; 405° = 45°.
    assert_relative_eq!(m.min_elevation_deg(-45.0), 7.5, max_relative = 1e-15);
    assert_relative_eq!(m.min_elevation_deg(405.0), 15.0, max_relative = 1e-15);
    // Exactly on entries.
    assert_eq!(m.min_elevation_deg(90.0), 20.0);
    assert_eq!(m.min_elevation_deg(270.0), 5.0);
    assert_eq!(m.lowest_deg(), 5.0);
    assert!(m.is_visible(90.0, 20.0));
    assert!(!m.is_visible(90.0, 19.9));

    // A table whose first entry is not at 0°: before it, interpolate from the last entry − 360°.
    // Entries (30°, 0°), (300°, 30°): at 0°, 30° of 90° from 300°(−60°) to 30° → 30 − 30·(60/90) = 10.
    let t = AzimuthMask::new(vec![(30.0, 0.0), (300.0, 30.0)]).unwrap();
    assert_relative_eq!(t.min_elevation_deg(0.0), 10.0, max_relative = 1e-14);
    // Single entry: constant.
    let t = AzimuthMask::new(vec![(100.0, 7.0)]).unwrap();
    assert_eq!(t.min_elevation_deg(3.0), 7.0);
}

#[test]
fn bad_tables_are_typed_errors() {
    assert_eq!(AzimuthMask::new(vec![]), Err(GeometryError::EmptyMask));
    assert_eq!(
        AzimuthMask::new(vec![(360.0, 5.0)]),
        Err(GeometryError::InvalidAzimuth { azimuth_deg: 360.0 })
    );
    assert_eq!(
        AzimuthMask::new(vec![(10.0, -95.0)]),
        Err(GeometryError::InvalidElevation {
            elevation_deg: -95.0
        })
    );
    assert_eq!(
        AzimuthMask::new(vec![(10.0, 5.0), (10.0, 6.0)]),
        Err(GeometryError::RepeatedAzimuth { azimuth_deg: 10.0 })
    );
    assert!(ElevationMask::Constant {
        min_elevation_deg: 100.0
    }
    .validate()
    .is_err());
}
