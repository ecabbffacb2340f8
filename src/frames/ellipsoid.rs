//! Reference ellipsoids and geodetic ⇄ ECEF conversion.

use nalgebra::Vector3;
use serde::{Deserialize, Serialize};

use crate::consts;

/// A reference ellipsoid given by semi-major axis and inverse flattening.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ellipsoid {
    /// Semi-major axis, m.
    pub semi_major_axis_m: f64,
    /// Inverse flattening 1/f.
    pub inverse_flattening: f64,
}

impl Ellipsoid {
    /// WGS84 (NGA TR8350.2).
    pub const WGS84: Ellipsoid = Ellipsoid {
        semi_major_axis_m: consts::wgs84::SEMI_MAJOR_AXIS_M,
        inverse_flattening: consts::wgs84::INVERSE_FLATTENING,
    };
    /// CGCS2000 (BDS SIS ICD).
    pub const CGCS2000: Ellipsoid = Ellipsoid {
        semi_major_axis_m: consts::cgcs2000::SEMI_MAJOR_AXIS_M,
        inverse_flattening: consts::cgcs2000::INVERSE_FLATTENING,
    };
    /// PZ-90 (GLONASS ICD; unchanged in PZ-90.11).
    pub const PZ90: Ellipsoid = Ellipsoid {
        semi_major_axis_m: consts::pz90::SEMI_MAJOR_AXIS_M,
        inverse_flattening: consts::pz90::INVERSE_FLATTENING,
    };

    /// Flattening f.
    pub fn flattening(&self) -> f64 {
        1.0 / self.inverse_flattening
    }

    /// First eccentricity squared e² = f(2 − f).
    pub fn e2(&self) -> f64 {
        let f = self.flattening();
        f * (2.0 - f)
    }

    /// ECEF position (m) of a geodetic point on this ellipsoid.
    pub fn to_ecef(&self, g: &Geodetic) -> Vector3<f64> {
        let a = self.semi_major_axis_m;
        let e2 = self.e2();
        let (slat, clat) = g.lat_deg.to_radians().sin_cos();
        let (slon, clon) = g.lon_deg.to_radians().sin_cos();
        // N = a / √(1 − e² sin²φ)
        let n = a / (1.0 - e2 * slat * slat).sqrt();
        Vector3::new(
            (n + g.height_m) * clat * clon,
            (n + g.height_m) * clat * slon,
            (n * (1.0 - e2) + g.height_m) * slat,
        )
    }

    /// Geodetic coordinates of an ECEF position (m).
    ///
    /// Vermeille's exact closed form (J. Geodesy 76, 2002, "Direct transformation from
    /// geocentric coordinates to geodetic coordinates"), valid everywhere outside a small
    /// region around the Earth's centre (|r| < ~43 km), so from the surface to beyond GEO
    /// altitude; followed by one Newton step on the latitude to polish rounding.
    pub fn to_geodetic(&self, r: &Vector3<f64>) -> Geodetic {
        let a = self.semi_major_axis_m;
        let e2 = self.e2();
        let e4 = e2 * e2;
        let (x, y, z) = (r.x, r.y, r.z);
        let rho = x.hypot(y);
        let lon = y.atan2(x);
        let p = (x * x + y * y) / (a * a);
        let q = (1.0 - e2) / (a * a) * z * z;
        let rr = (p + q - e4) / 6.0;
        let s = e4 * p * q / (4.0 * rr * rr * rr);
        let t = (1.0 + s + (s * (2.0 + s)).sqrt()).cbrt();
        let u = rr * (1.0 + t + 1.0 / t);
        let v = (u * u + e4 * q).sqrt();
        let w = e2 * (u + v - q) / (2.0 * v);
        let k = (u + v + w * w).sqrt() - w;
        let d = k * rho / (k + e2);
        let mut lat = 2.0 * z.atan2(d + (d * d + z * z).sqrt());
        let h = (k + e2 - 1.0) / k * (d * d + z * z).sqrt();
        // Polish: h and φ from the foot point (Bowring-style fixed point, one pass).
        let (slat, clat) = lat.sin_cos();
        let n = a / (1.0 - e2 * slat * slat).sqrt();
        let h_polished = if clat.abs() > 1e-3 {
            rho / clat - n
        } else {
            z.abs() / slat.abs() - n * (1.0 - e2)
        };
        let lat_polished = z.atan2(rho * (1.0 - e2 * n / (n + h_polished)));
        if lat_polished.is_finite() {
            lat = lat_polished;
        }
        let height = if h_polished.is_finite() { h_polished } else { h };
        Geodetic {
            lat_deg: lat.to_degrees(),
            lon_deg: lon.to_degrees(),
            height_m: height,
        }
    }
}

/// Geodetic coordinates: latitude and longitude in degrees, ellipsoidal height in metres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Geodetic {
    /// Geodetic latitude, degrees, −90…90.
    pub lat_deg: f64,
    /// Longitude, degrees (east positive), normally −180…180.
    pub lon_deg: f64,
    /// Height above the ellipsoid, m.
    pub height_m: f64,
}

impl Geodetic {
    /// A geodetic point.
    pub fn new(lat_deg: f64, lon_deg: f64, height_m: f64) -> Self {
        Geodetic {
            lat_deg,
            lon_deg,
            height_m,
        }
    }
}
