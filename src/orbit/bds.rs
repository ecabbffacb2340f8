//! BeiDou broadcast ephemeris propagation (BDS-SIS-ICD-B1I-3.0 §5.2.4.12, Table 5-11 and
//! 5-12; B-CNAV1 ICD §7.8.2 for the Ȧ / Δṅ terms).
//!
//! One record becomes one immutable [`BdsPropagator`]. The orbit class (GEO/IGSO/MEO) is
//! decided from the elements (semi-major axis and inclination, [`BdsOrbitClass::from_orbit`])
//! and checked against the PRN (C01–C05 and C59–C63 are GEO in the ICD); the GEO branch
//! applies the ICD rotation R_Z(Ω_e·t_k)·R_X(−5°) to position *and* velocity.

use hifitime::Epoch;
use nalgebra::{Matrix3, Vector3};

use crate::consts::cgcs2000;
use crate::ephemeris::BdsEphemeris;
use crate::frames::Frame;
use crate::id::{BdsOrbitClass, Constellation, SatId};

use super::{OrbitError, Propagator, SatState};

/// GEO inclination offset of the ICD's GEO branch: −5°, in radians (BDS-SIS-ICD §5.2.4.12).
const GEO_TILT_RAD: f64 = -5.0 * std::f64::consts::PI / 180.0;

/// A BeiDou broadcast record turned into states (CGCS2000 ECEF, BDT clock).
#[derive(Debug, Clone)]
pub struct BdsPropagator {
    eph: BdsEphemeris,
    half_window_s: f64,
    class: BdsOrbitClass,
}

/// Intermediate Keplerian quantities at one epoch (shared by position, velocity, clock).
struct Kepler {
    e_k: f64,
}

impl BdsPropagator {
    /// A propagator valid within `half_window_s` of t_oe.
    ///
    /// Fails when the record is not a BeiDou record, the elements do not describe a bound
    /// orbit (√A ≤ 0, e ∉ [0, 1), non-finite values), the window is not positive, or the
    /// orbit class derived from the elements contradicts the PRN's ICD class.
    pub fn new(eph: BdsEphemeris, half_window_s: f64) -> Result<Self, OrbitError> {
        let sat = eph.sat;
        let invalid = |reason: String| OrbitError::InvalidElements { sat, reason };
        if sat.constellation() != Constellation::BeiDou {
            return Err(invalid(format!("{sat} is not a BeiDou satellite")));
        }
        OrbitError::check_half_window(sat, half_window_s)?;
        let values = [
            ("sqrt_a", eph.sqrt_a_sqrt_m),
            ("a_dot", eph.a_dot_m_s),
            ("e", eph.e),
            ("i0", eph.i0_rad),
            ("omega0", eph.omega0_rad),
            ("omega", eph.omega_rad),
            ("m0", eph.m0_rad),
            ("delta_n", eph.delta_n_rad_s),
            ("delta_n_dot", eph.delta_n_dot_rad_s2),
            ("idot", eph.idot_rad_s),
            ("omega_dot", eph.omega_dot_rad_s),
            ("cuc", eph.cuc_rad),
            ("cus", eph.cus_rad),
            ("crc", eph.crc_m),
            ("crs", eph.crs_m),
            ("cic", eph.cic_rad),
            ("cis", eph.cis_rad),
            ("af0", eph.af0_s),
            ("af1", eph.af1_s_s),
            ("af2", eph.af2_s_s2),
        ];
        if let Some((name, v)) = values.iter().find(|(_, v)| !v.is_finite()) {
            return Err(invalid(format!("{name} is not finite ({v})")));
        }
        if eph.sqrt_a_sqrt_m <= 0.0 {
            return Err(invalid(format!(
                "√A = {} √m is not positive",
                eph.sqrt_a_sqrt_m
            )));
        }
        if !(0.0..1.0).contains(&eph.e) {
            return Err(invalid(format!("eccentricity {} is outside [0, 1)", eph.e)));
        }
        let a_m = eph.sqrt_a_sqrt_m * eph.sqrt_a_sqrt_m;
        let class = BdsOrbitClass::from_orbit(a_m, eph.i0_rad);
        let prn_geo = sat.is_bds_geo_prn();
        if prn_geo != (class == BdsOrbitClass::Geo) {
            return Err(invalid(format!(
                "orbit class from the elements is {class} (a = {a_m:.0} m, i = {:.2}°) but the \
                 PRN is {} in the ICD",
                eph.i0_rad.to_degrees(),
                if prn_geo { "GEO" } else { "non-GEO" }
            )));
        }
        Ok(BdsPropagator {
            eph,
            half_window_s,
            class,
        })
    }

    /// Orbit class derived from the elements (and checked against the PRN).
    pub fn orbit_class(&self) -> BdsOrbitClass {
        self.class
    }

    /// The record propagated.
    pub fn ephemeris(&self) -> &BdsEphemeris {
        &self.eph
    }

    /// Group delay TGD1 (B1I; B1Cp for CNAV1), s. The clock of [`Propagator::state_at`] refers
    /// to B3I (D1/D2); a B1I single-frequency user subtracts this (ICD §5.2.4.10).
    pub fn tgd1_s(&self) -> f64 {
        self.eph.tgd1_s
    }

    /// Group delay TGD2 (B2I; B2ap for CNAV2), s.
    pub fn tgd2_s(&self) -> f64 {
        self.eph.tgd2_s
    }

    // Mean anomaly and eccentric anomaly at t_k (ICD Table 5-12):
    //   A_k = A₀ + Ȧ·t_k,  n₀ = √(μ/A₀³),  n_A = n₀ + Δn₀ + ½Δṅ₀·t_k
    //   M_k = M₀ + n_A·t_k,  M_k = E_k − e·sin E_k (Newton iteration)
    fn kepler(&self, tk: f64) -> Kepler {
        let e = self.eph.e;
        let a0 = self.eph.sqrt_a_sqrt_m * self.eph.sqrt_a_sqrt_m;
        let n0 = (cgcs2000::GM_M3_S2 / (a0 * a0 * a0)).sqrt();
        let n = n0 + self.eph.delta_n_rad_s + 0.5 * self.eph.delta_n_dot_rad_s2 * tk;
        let m = self.eph.m0_rad + n * tk;
        let mut ek = m;
        for _ in 0..30 {
            let f = ek - e * ek.sin() - m;
            let d = f / (1.0 - e * ek.cos());
            ek -= d;
            if d.abs() < 1e-15 {
                break;
            }
        }
        Kepler { e_k: ek }
    }

    /// Satellite clock offset at `epoch`, s (B3I reference): polynomial in t − t_oc plus the
    /// relativistic term Δt_r = F·e·√A·sin E_k (ICD §5.2.4.10). TGD not applied.
    pub fn clock_offset_s(&self, epoch: Epoch) -> f64 {
        let tk = (epoch - self.eph.toe).to_seconds();
        self.clock_at(epoch, self.kepler(tk).e_k)
    }

    fn clock_at(&self, epoch: Epoch, e_k: f64) -> f64 {
        let dt = (epoch - self.eph.toc).to_seconds();
        let dtr =
            cgcs2000::RELATIVISTIC_F_S_PER_SQRT_M * self.eph.e * self.eph.sqrt_a_sqrt_m * e_k.sin();
        self.eph.af0_s + self.eph.af1_s_s * dt + self.eph.af2_s_s2 * dt * dt + dtr
    }

    /// Position and velocity (CGCS2000 ECEF) at t_k seconds from t_oe, and E_k.
    fn pos_vel(&self, tk: f64) -> (Vector3<f64>, Vector3<f64>, f64) {
        let p = &self.eph;
        let we = cgcs2000::EARTH_ROTATION_RAD_S;
        let e = p.e;
        let a0 = p.sqrt_a_sqrt_m * p.sqrt_a_sqrt_m;
        let a = a0 + p.a_dot_m_s * tk;
        let n0 = (cgcs2000::GM_M3_S2 / (a0 * a0 * a0)).sqrt();
        let n = n0 + p.delta_n_rad_s + 0.5 * p.delta_n_dot_rad_s2 * tk;
        let ek = self.kepler(tk).e_k;
        let (sin_e, cos_e) = ek.sin_cos();
        let one_m_ecos = 1.0 - e * cos_e;
        // True anomaly: v_k = atan2(√(1−e²)·sin E, cos E − e); argument of latitude φ_k = v_k + ω
        let sq = (1.0 - e * e).sqrt();
        let vk = (sq * sin_e).atan2(cos_e - e);
        let phi = vk + p.omega_rad;
        let (s2, c2) = (2.0 * phi).sin_cos();
        // Harmonic corrections: δu = C_us sin2φ + C_uc cos2φ, δr = C_rs sin2φ + C_rc cos2φ,
        // δi = C_is sin2φ + C_ic cos2φ
        let du = p.cus_rad * s2 + p.cuc_rad * c2;
        let dr = p.crs_m * s2 + p.crc_m * c2;
        let di = p.cis_rad * s2 + p.cic_rad * c2;
        let u = phi + du;
        let r = a * one_m_ecos + dr;
        let i = p.i0_rad + p.idot_rad_s * tk + di;
        // Rates (time derivatives of the above; not in the ICD tables, standard differentiation):
        //   Ė = n/(1 − e cos E),  φ̇ = v̇ = √(1−e²)·Ė/(1 − e cos E)
        //   u̇ = φ̇(1 + 2(C_us cos2φ − C_uc sin2φ)),  ṙ = A e sin E·Ė + Ȧ(1 − e cos E) + 2φ̇(C_rs cos2φ − C_rc sin2φ)
        //   i̇ = IDOT + 2φ̇(C_is cos2φ − C_ic sin2φ)
        let e_dot = n / one_m_ecos;
        let phi_dot = sq * e_dot / one_m_ecos;
        let u_dot = phi_dot * (1.0 + 2.0 * (p.cus_rad * c2 - p.cuc_rad * s2));
        let r_dot = a * e * sin_e * e_dot
            + p.a_dot_m_s * one_m_ecos
            + 2.0 * phi_dot * (p.crs_m * c2 - p.crc_m * s2);
        let i_dot = p.idot_rad_s + 2.0 * phi_dot * (p.cis_rad * c2 - p.cic_rad * s2);
        // Position in the orbital plane: x' = r cos u, y' = r sin u
        let (su, cu) = u.sin_cos();
        let xp = r * cu;
        let yp = r * su;
        let xp_dot = r_dot * cu - r * u_dot * su;
        let yp_dot = r_dot * su + r * u_dot * cu;
        // Longitude of the ascending node:
        //   MEO/IGSO: Ω_k = Ω₀ + (Ω̇ − Ω̇_e)·t_k − Ω̇_e·t_oe   (ECEF directly)
        //   GEO:      Ω_k = Ω₀ + Ω̇·t_k − Ω̇_e·t_oe           (inertial-like, rotated below)
        let geo = self.class == BdsOrbitClass::Geo;
        let node_rate = if geo {
            p.omega_dot_rad_s
        } else {
            p.omega_dot_rad_s - we
        };
        let big_omega = p.omega0_rad + node_rate * tk - we * p.toe_sow_s;
        let (so, co) = big_omega.sin_cos();
        let (si, ci) = i.sin_cos();
        // X = x' cosΩ − y' cos i sinΩ,  Y = x' sinΩ + y' cos i cosΩ,  Z = y' sin i
        let pos = Vector3::new(xp * co - yp * ci * so, xp * so + yp * ci * co, yp * si);
        let vel = Vector3::new(
            xp_dot * co - yp_dot * ci * so + yp * si * i_dot * so - pos.y * node_rate,
            xp_dot * so + yp_dot * ci * co - yp * si * i_dot * co + pos.x * node_rate,
            yp_dot * si + yp * ci * i_dot,
        );
        if !geo {
            return (pos, vel, ek);
        }
        // GEO: [X Y Z]ᵀ = R_Z(Ω̇_e t_k)·R_X(−5°)·[X_GK Y_GK Z_GK]ᵀ with
        //   R_X(φ) = [[1,0,0],[0,cosφ,sinφ],[0,−sinφ,cosφ]], R_Z(φ) = [[cosφ,sinφ,0],[−sinφ,cosφ,0],[0,0,1]]
        // and velocity V = R_Z R_X V_GK + (dR_Z/dt) R_X P_GK (the tilt is 5 degrees, not radians).
        let (sf, cf) = GEO_TILT_RAD.sin_cos();
        let rx = Matrix3::new(1.0, 0.0, 0.0, 0.0, cf, sf, 0.0, -sf, cf);
        let (sz, cz) = (we * tk).sin_cos();
        let rz = Matrix3::new(cz, sz, 0.0, -sz, cz, 0.0, 0.0, 0.0, 1.0);
        let rz_dot = we * Matrix3::new(-sz, cz, 0.0, -cz, -sz, 0.0, 0.0, 0.0, 0.0);
        let pt = rx * pos;
        (rz * pt, rz * (rx * vel) + rz_dot * pt, ek)
    }
}

impl Propagator for BdsPropagator {
    fn sat(&self) -> SatId {
        self.eph.sat
    }

    fn validity(&self) -> (Epoch, Epoch) {
        super::window(self.eph.toe, self.half_window_s)
    }

    fn state_at(&self, epoch: Epoch) -> Result<SatState, OrbitError> {
        // t_k = t − t_oe, an absolute difference (hifitime subtracts in TAI), so any input
        // scale is accepted and week crossovers cannot occur.
        let tk = super::offset_within(self.eph.sat, epoch, self.eph.toe, self.half_window_s)?;
        let (position_m, velocity_m_s, ek) = self.pos_vel(tk);
        let st = SatState {
            sat: self.eph.sat,
            epoch,
            frame: Frame::Cgcs2000,
            position_m,
            velocity_m_s,
            clock_offset_s: Some(self.clock_at(epoch, ek)),
        };
        super::plausible::check_state(&st)?;
        Ok(st)
    }
}
