//! Topocentric (local east-north-up) frames and azimuth/elevation/range.

use nalgebra::{Matrix3, Vector3};
use serde::{Deserialize, Serialize};

use super::{Ellipsoid, Geodetic};

/// Azimuth, elevation and range of a target seen from a site.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AzElRange {
    /// Azimuth from north, clockwise (towards east), degrees in [0, 360).
    pub azimuth_deg: f64,
    /// Elevation above the local horizon (normal to the ellipsoid), degrees.
    pub elevation_deg: f64,
    /// Slant range, m.
    pub range_m: f64,
}

/// A site on an ellipsoid with its ECEF position and the ECEF→ENU rotation.
///
/// Rows of the rotation are the unit vectors east, north and up expressed in ECEF:
/// e = (−sin λ, cos λ, 0), n = (−sin φ cos λ, −sin φ sin λ, cos φ),
/// u = (cos φ cos λ, cos φ sin λ, sin φ), with φ the geodetic latitude and λ the longitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Topocentric {
    /// Geodetic position of the site.
    pub site: Geodetic,
    /// ECEF position of the site, m.
    pub origin_m: Vector3<f64>,
    /// Rotation ECEF → ENU.
    pub ecef_to_enu: Matrix3<f64>,
}

impl Topocentric {
    /// The topocentric frame of a geodetic site on an ellipsoid.
    pub fn new(site: Geodetic, ellipsoid: &Ellipsoid) -> Self {
        let (sp, cp) = site.lat_deg.to_radians().sin_cos();
        let (sl, cl) = site.lon_deg.to_radians().sin_cos();
        let ecef_to_enu = Matrix3::new(
            -sl,
            cl,
            0.0, //
            -sp * cl,
            -sp * sl,
            cp, //
            cp * cl,
            cp * sl,
            sp,
        );
        Topocentric {
            site,
            origin_m: ellipsoid.to_ecef(&site),
            ecef_to_enu,
        }
    }

    /// ENU components (m) of an ECEF position relative to the site.
    pub fn enu_of(&self, target_ecef_m: &Vector3<f64>) -> Vector3<f64> {
        self.ecef_to_enu * (target_ecef_m - self.origin_m)
    }

    /// Azimuth, elevation and range of an ECEF target.
    ///
    /// ```
    /// use gnss_interop::frames::{Ellipsoid, Geodetic, Topocentric};
    /// use nalgebra::Vector3;
    /// let wgs84 = Ellipsoid::WGS84;
    /// // A geostationary satellite above 0°N 0°E is at the zenith of that point.
    /// let site = Topocentric::new(Geodetic::new(0.0, 0.0, 0.0), &wgs84);
    /// let geo = Vector3::new(42_164_000.0, 0.0, 0.0);
    /// let aer = site.az_el_range(&geo);
    /// assert!((aer.elevation_deg - 90.0).abs() < 1e-9);
    /// assert!((aer.range_m - (42_164_000.0 - 6_378_137.0)).abs() < 1e-6);
    /// // A point due east of the site, on its horizon: azimuth 90°, elevation 0°.
    /// let east = site.az_el_range(&Vector3::new(6_378_137.0, 1.0e6, 0.0));
    /// assert!((east.azimuth_deg - 90.0).abs() < 1e-9 && east.elevation_deg.abs() < 1e-9);
    /// ```
    pub fn az_el_range(&self, target_ecef_m: &Vector3<f64>) -> AzElRange {
        let enu = self.enu_of(target_ecef_m);
        let range = enu.norm();
        let horiz = enu.x.hypot(enu.y);
        let mut az = enu.x.atan2(enu.y).to_degrees();
        if az < 0.0 {
            az += 360.0;
        }
        if az >= 360.0 {
            az -= 360.0;
        }
        AzElRange {
            azimuth_deg: az,
            elevation_deg: enu.z.atan2(horiz).to_degrees(),
            range_m: range,
        }
    }
}
