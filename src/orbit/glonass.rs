//! GLONASS broadcast ephemeris propagation: 4th-order Runge–Kutta integration of the ICD
//! equations of motion from t_b (GLONASS ICD edition 5.1 (2008) §A.3.1.2; GLONASS CDMA
//! general ICD edition 1.0 (2016), appendix on the computation of the satellite's
//! centre-of-mass motion).
//!
//! The state at t_b (PZ-90.11, ECEF) is rotated into an inertial geocentric frame with the
//! sidereal angle S = GMST(JD₀) + ω_E·(t_b − 10800) (t_b in Moscow time, JD₀ the Julian date
//! of 0h of the Moscow calendar day, as the 2016 ICD), integrated there with
//!
//! ```text
//! dx/dt = v_x,  dv_x/dt = −μ̄ x̄ − 3/2 J₂⁰ μ̄ x̄ ρ² (1 − 5 z̄²) + j_x
//! dy/dt = v_y,  dv_y/dt = −μ̄ ȳ − 3/2 J₂⁰ μ̄ ȳ ρ² (1 − 5 z̄²) + j_y
//! dz/dt = v_z,  dv_z/dt = −μ̄ z̄ − 3/2 J₂⁰ μ̄ z̄ ρ² (3 − 5 z̄²) + j_z
//! μ̄ = μ/r², x̄ = x/r, ȳ = y/r, z̄ = z/r, ρ = a_e/r
//! ```
//!
//! and rotated back with S(t) = S(t_b) + ω_E(t − t_b). The luni-solar term j is either the
//! broadcast acceleration (constant in PZ-90.11 over the interval, as ICD 5.1's ECEF
//! equations treat it: rotated into the inertial frame with S(t) at each evaluation), or the
//! ICD's computed model with Sun and Moon directions evaluated once at t_b ([`super::lunisolar`]).
//!
//! Integration always starts at t_b on a fixed grid t_b + k·h and ends with one partial step,
//! so the state is a continuous function of time and identical for every caller (no cache).

use hifitime::{Epoch, TimeScale};
use nalgebra::Vector3;
use serde::{Deserialize, Serialize};

use crate::consts::{pz90, time::GLONASST_MINUS_UTC_S};
use crate::ephemeris::GlonassEphemeris;
use crate::frames::Frame;
use crate::id::{Constellation, SatId};
use crate::limits::{CLOSED, OPEN};

use super::lunisolar::{self, BodyDirection};
use super::{OrbitError, Propagator, SatState};

/// Which luni-solar accelerations enter the equations of motion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LuniSolar {
    /// The accelerations broadcast in the record (FDMA navigation message, RINEX fields).
    Broadcast,
    /// The ICD's computed Sun and Moon model (direction cosines at t_b).
    Computed,
    /// No luni-solar term (central body and J₂ only).
    None,
}

/// Options of the GLONASS integration.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GlonassOptions {
    /// RK4 step, s; must be in (0, 60] (ICD: steps not above 60 s keep the error sub-metre).
    pub step_s: f64,
    /// Luni-solar model.
    pub luni_solar: LuniSolar,
}

impl Default for GlonassOptions {
    /// 30 s steps (RK4 error well below a millimetre over ±15 min) and the broadcast
    /// accelerations, as a receiver uses them.
    fn default() -> Self {
        GlonassOptions {
            step_s: 30.0,
            luni_solar: LuniSolar::Broadcast,
        }
    }
}

/// A GLONASS broadcast record turned into states (PZ-90.11 ECEF, GLONASS clock).
///
/// The worked example of the GLONASS CDMA general ICD (2016), also Orekit's reference:
///
/// ```
/// use gnss_interop::ephemeris::GlonassEphemeris;
/// use gnss_interop::orbit::glonass::{GlonassOptions, GlonassPropagator, LuniSolar};
/// use gnss_interop::orbit::Propagator;
/// use hifitime::Epoch;
/// use nalgebra::Vector3;
///
/// let eph = GlonassEphemeris {
///     sat: "R01".parse()?,
///     // t_b = 11 700 s Moscow time on 2012-09-07 = 00:15:00 UTC(SU).
///     tb: Epoch::from_gregorian_utc_hms(2012, 9, 7, 0, 15, 0),
///     position_m: Vector3::new(7_003_008.789, -12_206_626.953, 21_280_765.625),
///     velocity_m_s: Vector3::new(783.5417, 2_804.2530, 1_352.5150),
///     acceleration_m_s2: Vector3::zeros(),
///     minus_tau_n_s: 0.0,
///     gamma_n: 0.0,
///     frame_time_s: 0.0,
///     channel: 1,
///     health: 0,
///     age_days: 0.0,
///     source_line: 0,
/// };
/// let opts = GlonassOptions { step_s: 10.0, luni_solar: LuniSolar::Computed };
/// let p = GlonassPropagator::new(eph, 900.0, opts)?;
/// // 12 300 s Moscow time = 00:25:00 UTC(SU); the ICD prints the result to the millimetre.
/// let s = p.state_at(Epoch::from_gregorian_utc_hms(2012, 9, 7, 0, 25, 0))?;
/// let icd = Vector3::new(7_523_174.819, -10_506_961.965, 21_999_239.413);
/// assert!((s.position_m - icd).norm() < 1.1e-3);
/// # Ok::<(), gnss_interop::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct GlonassPropagator {
    eph: GlonassEphemeris,
    half_window_s: f64,
    options: GlonassOptions,
    /// Sidereal angle S at t_b, rad.
    s_tb_rad: f64,
    /// Inertial position and velocity at t_b.
    r0: Vector3<f64>,
    v0: Vector3<f64>,
    sun: BodyDirection,
    moon: BodyDirection,
}

/// Earth rotation rate of the integration, rad/s: 7.2921151467e-5, the value of the GLONASS
/// CDMA general ICD (2016) and of its worked example (Orekit uses it too). The FDMA ICD 5.1
/// rounds it to 7.292115e-5 ([`pz90::EARTH_ROTATION_RAD_S`]); the 1.5e-13 rad/s difference
/// changes the inertial velocity by ω·|r| ≈ 4e-6 m/s and the ICD example by ≈ 2 mm.
const WE: f64 = 7.292_115_146_7e-5;

/// Rotation ECEF → inertial by the sidereal angle `s`: x_i = x cos s − y sin s, y_i = x sin s + y cos s.
fn to_inertial(v: &Vector3<f64>, s: f64) -> Vector3<f64> {
    let (sn, cs) = s.sin_cos();
    Vector3::new(v.x * cs - v.y * sn, v.x * sn + v.y * cs, v.z)
}

/// Rotation inertial → ECEF by `s` (the transpose of [`to_inertial`]).
fn to_ecef(v: &Vector3<f64>, s: f64) -> Vector3<f64> {
    let (sn, cs) = s.sin_cos();
    Vector3::new(v.x * cs + v.y * sn, -v.x * sn + v.y * cs, v.z)
}

/// Central-body plus J₂ acceleration (PZ-90.11 constants), any frame with z along the pole.
pub(crate) fn central_j2_acceleration(r: &Vector3<f64>, gm: f64, j2: f64, ae: f64) -> Vector3<f64> {
    let rn = r.norm();
    let mu_bar = gm / (rn * rn);
    let (x, y, z) = (r.x / rn, r.y / rn, r.z / rn);
    let rho = ae / rn;
    let k = 1.5 * j2 * mu_bar * rho * rho;
    let z2 = z * z;
    Vector3::new(
        -mu_bar * x - k * x * (1.0 - 5.0 * z2),
        -mu_bar * y - k * y * (1.0 - 5.0 * z2),
        -mu_bar * z - k * z * (3.0 - 5.0 * z2),
    )
}

impl GlonassPropagator {
    /// A propagator valid within `half_window_s` of t_b.
    ///
    /// Fails when the record is not GLONASS, values are not finite, the state is not a
    /// plausible orbit (|r| < 10,000 km), the window is not positive, or the step is not in
    /// (0, 60] s.
    pub fn new(
        eph: GlonassEphemeris,
        half_window_s: f64,
        options: GlonassOptions,
    ) -> Result<Self, OrbitError> {
        let sat = eph.sat;
        let invalid = |reason: String| OrbitError::InvalidElements { sat, reason };
        if sat.constellation() != Constellation::Glonass {
            return Err(invalid(format!("{sat} is not a GLONASS satellite")));
        }
        OrbitError::check_half_window(sat, half_window_s)?;
        OrbitError::check_range(
            sat,
            options.step_s,
            (0.0, OPEN),
            (60.0, CLOSED),
            "an RK4 step (s)",
        )?;
        let all = [
            eph.position_m,
            eph.velocity_m_s,
            eph.acceleration_m_s2,
            Vector3::new(eph.minus_tau_n_s, eph.gamma_n, 0.0),
        ];
        if all.iter().any(|v| v.iter().any(|c| !c.is_finite())) {
            return Err(invalid("non-finite value in the record".to_string()));
        }
        if eph.position_m.norm() < 1.0e7 {
            return Err(invalid(format!(
                "position {:?} m is not an orbit (|r| = {:.0} m)",
                eph.position_m,
                eph.position_m.norm()
            )));
        }
        // t_b in Moscow time: UTC(SU) + 3 h; JD₀ = Julian date of 0h of that calendar day.
        let tb_msk = eph.tb + hifitime::Duration::from_seconds(GLONASST_MINUS_UTC_S);
        let (y, mo, d, h, mi, s, ns) = tb_msk.to_gregorian(TimeScale::UTC);
        let tb_sod = h as f64 * 3600.0 + mi as f64 * 60.0 + s as f64 + ns as f64 * 1e-9;
        let jd0 = lunisolar::julian_date_0h(y, mo, d);
        // S = GMST(JD₀) + ω_E (t_b − 10800 s)
        let s_tb_rad = lunisolar::gmst_rad(jd0) + WE * (tb_sod - GLONASST_MINUS_UTC_S);
        // Inertial state at t_b: r_i = R(S) r, v_i = R(S) v + ω_E × r_i
        let r0 = to_inertial(&eph.position_m, s_tb_rad);
        let v0 =
            to_inertial(&eph.velocity_m_s, s_tb_rad) + Vector3::new(-WE * r0.y, WE * r0.x, 0.0);
        // Sun and Moon at t_b (ICD: computed once per record), T from J2000 in centuries.
        let t = lunisolar::centuries_since_j2000(jd0 + (tb_sod - GLONASST_MINUS_UTC_S) / 86_400.0);
        Ok(GlonassPropagator {
            eph,
            half_window_s,
            options,
            s_tb_rad,
            r0,
            v0,
            sun: lunisolar::sun(t),
            moon: lunisolar::moon(t),
        })
    }

    /// The record propagated.
    pub fn ephemeris(&self) -> &GlonassEphemeris {
        &self.eph
    }

    /// Options in use.
    pub fn options(&self) -> GlonassOptions {
        self.options
    }

    /// Satellite clock offset against GLONASS time at `epoch`, s: −τ_n + γ_n (t − t_b)
    /// (ICD §4.4; the relativistic effect is already included in τ_n).
    pub fn clock_offset_s(&self, epoch: Epoch) -> f64 {
        let dt = (epoch - self.eph.tb).to_seconds();
        self.eph.minus_tau_n_s + self.eph.gamma_n * dt
    }

    /// Acceleration in the inertial frame at `dt` seconds from t_b.
    fn acceleration(&self, dt: f64, r: &Vector3<f64>) -> Vector3<f64> {
        let mut a = central_j2_acceleration(r, pz90::GM_M3_S2, pz90::J2, pz90::SEMI_MAJOR_AXIS_M);
        match self.options.luni_solar {
            LuniSolar::Broadcast => {
                a += to_inertial(&self.eph.acceleration_m_s2, self.s_tb_rad + WE * dt);
            }
            LuniSolar::Computed => {
                a += lunisolar::third_body_acceleration(r, &self.sun, lunisolar::GM_SUN_M3_S2);
                a += lunisolar::third_body_acceleration(r, &self.moon, lunisolar::GM_MOON_M3_S2);
            }
            LuniSolar::None => {}
        }
        a
    }

    fn rk4_step(
        &self,
        t: f64,
        h: f64,
        r: &Vector3<f64>,
        v: &Vector3<f64>,
    ) -> (Vector3<f64>, Vector3<f64>) {
        let k1r = *v;
        let k1v = self.acceleration(t, r);
        let r2 = r + k1r * (h / 2.0);
        let k2r = v + k1v * (h / 2.0);
        let k2v = self.acceleration(t + h / 2.0, &r2);
        let r3 = r + k2r * (h / 2.0);
        let k3r = v + k2v * (h / 2.0);
        let k3v = self.acceleration(t + h / 2.0, &r3);
        let r4 = r + k3r * h;
        let k4r = v + k3v * h;
        let k4v = self.acceleration(t + h, &r4);
        (
            r + (k1r + 2.0 * k2r + 2.0 * k3r + k4r) * (h / 6.0),
            v + (k1v + 2.0 * k2v + 2.0 * k3v + k4v) * (h / 6.0),
        )
    }

    /// ECEF position and velocity at `dt` seconds from t_b.
    fn integrate(&self, dt: f64) -> (Vector3<f64>, Vector3<f64>) {
        let h = self.options.step_s.copysign(dt);
        let full = (dt / h).floor() as u64;
        let (mut r, mut v) = (self.r0, self.v0);
        let mut t = 0.0;
        for _ in 0..full {
            (r, v) = self.rk4_step(t, h, &r, &v);
            t += h;
        }
        let rest = dt - t;
        if rest != 0.0 {
            (r, v) = self.rk4_step(t, rest, &r, &v);
        }
        // Back to PZ-90.11: r = R(S)ᵀ r_i, v = R(S)ᵀ v_i − ω_E × r
        let s = self.s_tb_rad + WE * dt;
        let re = to_ecef(&r, s);
        let ve = to_ecef(&v, s) + Vector3::new(WE * re.y, -WE * re.x, 0.0);
        (re, ve)
    }
}

impl Propagator for GlonassPropagator {
    fn sat(&self) -> SatId {
        self.eph.sat
    }

    fn validity(&self) -> (Epoch, Epoch) {
        super::window(self.eph.tb, self.half_window_s)
    }

    fn state_at(&self, epoch: Epoch) -> Result<SatState, OrbitError> {
        let dt = super::offset_within(self.eph.sat, epoch, self.eph.tb, self.half_window_s)?;
        let (position_m, velocity_m_s) = self.integrate(dt);
        let st = SatState {
            sat: self.eph.sat,
            epoch,
            frame: Frame::Pz90_11,
            position_m,
            velocity_m_s,
            clock_offset_s: Some(self.clock_offset_s(epoch)),
        };
        super::plausible::check_state(&st)?;
        Ok(st)
    }
}
