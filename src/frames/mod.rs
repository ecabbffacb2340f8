//! Reference frames: ellipsoids, geodetic ⇄ ECEF, topocentric ENU and az/el/range,
//! and Helmert transformations between PZ-90.11, ITRF and CGCS2000.
//!
//! For coverage studies CGCS2000, PZ-90.11, WGS84(G1762+) and ITRF agree at the
//! centimetre level, far below what changes a DOP value; the transformations are provided
//! for users who compare positions at that level.
//!
//! ## How [`transform`] treats each frame
//!
//! Every frame is taken to ITRF (ITRF2008 axes) and back:
//!
//! | frame | to ITRF | accuracy of that step |
//! |---|---|---|
//! | PZ-90.11 | Helmert [`pz90_11_to_itrf2008`] (Parametry Zemli 1990, 2014) | ≈ 1 mm (the published parameters) |
//! | CGCS2000 | identity | cm level: CGCS2000 is ITRF97 at epoch 2000.0; BeiDou's realisation (BDCS) is kept aligned with ITRF |
//! | WGS84 | identity | cm level for WGS84 (G1762) and later realisations (NGA) |
//! | ITRF | identity | ITRF2008/2014/2020 differ by a few mm at current epochs; no rates are applied |
//!
//! The identity steps are a deliberate simplification for geocentric positions (satellites,
//! grids). Station coordinates *published* in CGCS2000 are frozen at epoch 2000.0 and differ
//! from current-epoch ITRF coordinates by plate motion (up to several decimetres after 20 years);
//! that is an epoch propagation of the station, not a frame transformation, and is not done here.

use nalgebra::Vector3;
use serde::{Deserialize, Serialize};

use crate::consts;

mod ellipsoid;
mod helmert;
pub mod region;
mod topocentric;

pub use ellipsoid::{Ellipsoid, Geodetic};
pub use helmert::{itrf2008_to_pz90_11, pz90_11_to_itrf2008, Helmert, MAS_TO_RAD};
pub use region::{lattice_axis, normalise_lon_deg, Region};
pub use topocentric::{AzElRange, Topocentric};

/// A terrestrial (Earth-centred, Earth-fixed) reference frame in which a position is expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Frame {
    /// China Geodetic Coordinate System 2000 (BeiDou broadcast orbits).
    Cgcs2000,
    /// Parametry Zemli 1990.11 (GLONASS broadcast orbits).
    Pz90_11,
    /// WGS84 (GPS broadcast orbits).
    Wgs84,
    /// An ITRF realisation (IGS SP3 products: IGS14, IGS20, ITRF2014, …).
    Itrf,
}

impl Frame {
    /// The ellipsoid conventionally associated with the frame.
    pub fn ellipsoid(self) -> Ellipsoid {
        match self {
            Frame::Cgcs2000 => Ellipsoid::CGCS2000,
            Frame::Pz90_11 => Ellipsoid::PZ90,
            Frame::Wgs84 | Frame::Itrf => Ellipsoid::WGS84,
        }
    }

    /// Short label (`CGCS2000`, `PZ-90.11`, `WGS84`, `ITRF`).
    pub fn label(self) -> &'static str {
        match self {
            Frame::Cgcs2000 => "CGCS2000",
            Frame::Pz90_11 => "PZ-90.11",
            Frame::Wgs84 => "WGS84",
            Frame::Itrf => "ITRF",
        }
    }
}

impl std::fmt::Display for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Transform an ECEF position (m) from one frame to another through ITRF (see the module
/// documentation for the accuracy of each step). Same frame in and out returns the input.
///
/// ```
/// use gnss_interop::frames::{transform, Frame};
/// use nalgebra::Vector3;
/// // Test vector of "Parametry Zemli 1990" (2014): ITRF2008 → PZ-90.11, given to 0.1 mm.
/// let itrf = Vector3::new(2_845_455.9753, 2_160_954.3073, 5_265_993.2656);
/// let pz90 = transform(&itrf, Frame::Itrf, Frame::Pz90_11);
/// let expected = Vector3::new(2_845_455.9772, 2_160_954.3078, 5_265_993.2664);
/// assert!((pz90 - expected).norm() < 2e-4);
/// // CGCS2000 and ITRF are the same axes here (cm-level agreement, see above).
/// assert_eq!(transform(&itrf, Frame::Itrf, Frame::Cgcs2000), itrf);
/// ```
pub fn transform(position_m: &Vector3<f64>, from: Frame, to: Frame) -> Vector3<f64> {
    if from == to {
        return *position_m;
    }
    // from → ITRF
    let itrf = match from {
        Frame::Pz90_11 => pz90_11_to_itrf2008().apply(position_m),
        Frame::Cgcs2000 | Frame::Wgs84 | Frame::Itrf => *position_m,
    };
    // ITRF → to
    match to {
        Frame::Pz90_11 => itrf2008_to_pz90_11().apply(&itrf),
        Frame::Cgcs2000 | Frame::Wgs84 | Frame::Itrf => itrf,
    }
}

/// Earth rotation rate used when rotating ECEF vectors for a signal travel time, rad/s.
pub const EARTH_ROTATION_RAD_S: f64 = consts::cgcs2000::EARTH_ROTATION_RAD_S;

/// Rotate an ECEF vector about the Z axis by `angle_rad` (positive: counter-clockwise seen from +Z).
pub fn rotate_z(v: &Vector3<f64>, angle_rad: f64) -> Vector3<f64> {
    let (s, c) = angle_rad.sin_cos();
    Vector3::new(c * v.x - s * v.y, s * v.x + c * v.y, v.z)
}
