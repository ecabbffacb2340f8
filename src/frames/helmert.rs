//! Seven-parameter (Helmert) similarity transformations between terrestrial frames.
//!
//! Convention: **coordinate-frame rotation** (EPSG method 1032 / 1056, IERS Conventions
//! 2010 §4.2.5 with the sign of the rotations of the EPSG "coordinate frame" form), small angles:
//!
//! ```text
//! X_t = T + (1 + s) · R · X_s,      T = (tx, ty, tz),  s = scale_ppb · 1e-9
//!
//!          ┌  1    rz  −ry ┐
//!      R = │ −rz   1    rx │
//!          └  ry  −rx   1  ┘
//! ```
//!
//! (The "position vector" convention used by some tools has the opposite signs of the three
//! rotations; the PZ-90.11 parameters below are given in the coordinate-frame form by the
//! EPSG dataset and reproduce the Parametry Zemli 1990 (2014) test vector with that form.)

use nalgebra::{Matrix3, Vector3};
use serde::{Deserialize, Serialize};

/// Milliarcseconds to radians: 1 mas = π / (180 · 3600 · 1000) rad.
pub const MAS_TO_RAD: f64 = std::f64::consts::PI / (180.0 * 3600.0 * 1000.0);

/// A seven-parameter Helmert transformation (coordinate-frame rotation convention, small angles).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Helmert {
    /// Translation along X, m.
    pub tx_m: f64,
    /// Translation along Y, m.
    pub ty_m: f64,
    /// Translation along Z, m.
    pub tz_m: f64,
    /// Rotation about X, rad (coordinate-frame convention).
    pub rx_rad: f64,
    /// Rotation about Y, rad (coordinate-frame convention).
    pub ry_rad: f64,
    /// Rotation about Z, rad (coordinate-frame convention).
    pub rz_rad: f64,
    /// Scale difference, parts per billion (1 ppb = 1e-9).
    pub scale_ppb: f64,
}

impl Helmert {
    /// The identity transformation.
    pub const IDENTITY: Helmert = Helmert {
        tx_m: 0.0,
        ty_m: 0.0,
        tz_m: 0.0,
        rx_rad: 0.0,
        ry_rad: 0.0,
        rz_rad: 0.0,
        scale_ppb: 0.0,
    };

    /// The small-angle coordinate-frame rotation matrix R (see the module documentation).
    pub fn rotation(&self) -> Matrix3<f64> {
        let (rx, ry, rz) = (self.rx_rad, self.ry_rad, self.rz_rad);
        Matrix3::new(
            1.0, rz, -ry, //
            -rz, 1.0, rx, //
            ry, -rx, 1.0,
        )
    }

    /// Transform an ECEF position (m) from the source frame to the target frame:
    /// X_t = T + (1 + s) · R · X_s.
    pub fn apply(&self, position_m: &Vector3<f64>) -> Vector3<f64> {
        let t = Vector3::new(self.tx_m, self.ty_m, self.tz_m);
        let scale = 1.0 + self.scale_ppb * 1e-9;
        t + self.rotation() * position_m * scale
    }

    /// The inverse transformation (target → source), with all seven parameters negated.
    ///
    /// This is the conventional first-order inverse. Its error against the exact inverse is of
    /// second order in the parameters: |Δ| ≲ (θ² + s² + θ·s)·|X| + θ·|T| with θ the largest
    /// rotation. For the PZ-90.11 ⇄ ITRF2008 parameters (θ ≈ 2·10⁻¹⁰ rad, |T| ≈ 3 mm) that is
    /// below 10⁻¹² m at GEO radius.
    pub fn inverse(&self) -> Helmert {
        Helmert {
            tx_m: -self.tx_m,
            ty_m: -self.ty_m,
            tz_m: -self.tz_m,
            rx_rad: -self.rx_rad,
            ry_rad: -self.ry_rad,
            rz_rad: -self.rz_rad,
            scale_ppb: -self.scale_ppb,
        }
    }
}

/// PZ-90.11 → ITRF2008 at epoch 2010.0 (no rates).
///
/// Parameters (coordinate-frame rotation convention): tx = −0.003 m, ty = −0.001 m,
/// tz = 0.000 m, rx = +0.019 mas, ry = −0.042 mas, rz = +0.002 mas, scale 0.000 ppm.
///
/// Source: "Parametry Zemli 1990" (PZ-90.11) reference document, Military Topographic
/// Department of the General Staff of the Armed Forces of the Russian Federation, Moscow,
/// 2014; as carried in the EPSG dataset (transformation "PZ-90.11 to ITRF2008 (1)", epoch
/// 2010.0, coordinate-frame rotation). The same document's test vector, ITRF2008
/// (2845455.9753, 2160954.3073, 5265993.2656) m → PZ-90.11 (2845455.9772, 2160954.3078,
/// 5265993.2664) m, is reproduced to 0.1 mm (see `tests/frames_vectors.rs`; Orekit's
/// `PZ90.11` frame test uses the same vector).
///
/// The shift between the frames is a few millimetres: far below anything that matters for
/// broadcast-orbit, DOP or coverage work, where it may be ignored.
pub fn pz90_11_to_itrf2008() -> Helmert {
    Helmert {
        tx_m: -0.003,
        ty_m: -0.001,
        tz_m: 0.0,
        rx_rad: 0.019 * MAS_TO_RAD,
        ry_rad: -0.042 * MAS_TO_RAD,
        rz_rad: 0.002 * MAS_TO_RAD,
        scale_ppb: 0.0,
    }
}

/// ITRF2008 → PZ-90.11 at epoch 2010.0: the inverse of [`pz90_11_to_itrf2008`].
pub fn itrf2008_to_pz90_11() -> Helmert {
    pz90_11_to_itrf2008().inverse()
}
