//! TEST CONSTELLATIONS for the network tests and benches: analytic circular orbits, not real
//! satellites. Shapes follow the published nominal designs (BDS-3: Walker 24/3/1 at 55°,
//! a = 27,906,100 m, 3 IGSO at 55° crossing 118°E, 3 GEO at 80°, 110.5°, 140°E; GLONASS:
//! 24/3/1 at 64.8°, a = 25,510,000 m — BDS ICD / GLONASS ICD as summarised in the project's
//! domain notes), but phases and nodes are arbitrary.
#![allow(dead_code)]

use gnss_interop::frames::Frame;
use gnss_interop::id::{Constellation, SatId};
use gnss_interop::orbit::{OrbitError, OrbitSource, SatState};
use hifitime::Epoch;
use nalgebra::Vector3;

/// μ (CGCS2000 / PZ-90.11 value), m³/s².
pub const GM: f64 = 3.986_004_418e14;
/// Earth rotation, rad/s.
pub const OMEGA_E: f64 = 7.292_115e-5;

/// A circular orbit: node longitude and argument of latitude are given at `t0`, in the
/// inertial frame aligned with ECEF at `t0`.
#[derive(Debug, Clone, Copy)]
pub struct Circular {
    pub a_m: f64,
    pub inc_deg: f64,
    pub raan_deg: f64,
    pub u0_deg: f64,
}

/// Semi-major axis of a synchronous orbit (n = ωe): (μ/ωe²)^(1/3) ≈ 42,164 km.
pub fn a_sync_m() -> f64 {
    (GM / (OMEGA_E * OMEGA_E)).cbrt()
}

/// A labelled test constellation of circular orbits.
#[derive(Debug, Clone)]
pub struct TestConstellation {
    pub t0: Epoch,
    pub sats: Vec<SatId>,
    pub orbits: Vec<Circular>,
}

pub fn t0() -> Epoch {
    Epoch::from_gregorian_utc_at_midnight(2023, 1, 1)
}

fn sid(c: Constellation, prn: u8) -> SatId {
    SatId::new(c, prn).unwrap()
}

impl TestConstellation {
    pub fn new(list: Vec<(SatId, Circular)>) -> Self {
        let mut list = list;
        list.sort_by_key(|x| x.0);
        TestConstellation {
            t0: t0(),
            sats: list.iter().map(|x| x.0).collect(),
            orbits: list.iter().map(|x| x.1).collect(),
        }
    }

    /// One geostationary satellite above `lon_deg`.
    pub fn single_geo(prn: u8, lon_deg: f64) -> Self {
        Self::new(vec![(sid(Constellation::BeiDou, prn), geo(lon_deg))])
    }

    /// BDS-3-like: 24 MEO (Walker 24/3/1, 55°), 3 IGSO (55°, crossing 118°E), 3 GEO.
    pub fn bds_like() -> Self {
        let mut v = Vec::new();
        let meo_prns: Vec<u8> = (19..=37).chain(41..=45).collect();
        for (k, prn) in meo_prns.into_iter().enumerate() {
            let (plane, slot) = (k / 8, k % 8);
            v.push((
                sid(Constellation::BeiDou, prn),
                Circular {
                    a_m: 27_906_100.0,
                    inc_deg: 55.0,
                    raan_deg: 120.0 * plane as f64,
                    u0_deg: 45.0 * slot as f64 + 15.0 * plane as f64,
                },
            ));
        }
        for (j, prn) in [38u8, 39, 40].into_iter().enumerate() {
            v.push((sid(Constellation::BeiDou, prn), igso(118.0, j)));
        }
        for (prn, lon) in [(59u8, 140.0), (60, 80.0), (61, 110.5)] {
            v.push((sid(Constellation::BeiDou, prn), geo(lon)));
        }
        Self::new(v)
    }

    /// GLONASS-like: 24 satellites, Walker 24/3/1 at 64.8°, a = 25,510,000 m.
    pub fn glonass_like() -> Self {
        let mut v = Vec::new();
        for k in 0..24usize {
            let (plane, slot) = (k / 8, k % 8);
            v.push((
                sid(Constellation::Glonass, (k + 1) as u8),
                Circular {
                    a_m: 25_510_000.0,
                    inc_deg: 64.8,
                    raan_deg: 120.0 * plane as f64,
                    u0_deg: 45.0 * slot as f64 + 15.0 * plane as f64,
                },
            ));
        }
        Self::new(v)
    }

    /// ≈70 satellites for the benchmark: BDS-3-like + BDS-2-like extras (5 GEO, 7 IGSO on two
    /// tracks, 3 MEO) + GLONASS-like.
    pub fn bench_mix() -> Self {
        let mut v: Vec<(SatId, Circular)> = Vec::new();
        let b = Self::bds_like();
        v.extend(b.sats.iter().copied().zip(b.orbits.iter().copied()));
        let g = Self::glonass_like();
        v.extend(g.sats.iter().copied().zip(g.orbits.iter().copied()));
        for (prn, lon) in [(1u8, 140.0), (2, 80.0), (3, 110.5), (4, 160.0), (5, 58.75)] {
            v.push((sid(Constellation::BeiDou, prn), geo(lon)));
        }
        for (j, prn) in [6u8, 7, 8, 9, 10, 13, 16].into_iter().enumerate() {
            let lon = if j < 5 { 118.0 } else { 95.0 };
            let mut o = igso(lon, j % 3);
            o.u0_deg += 20.0 * (j / 3) as f64;
            v.push((sid(Constellation::BeiDou, prn), o));
        }
        for (j, prn) in [11u8, 12, 14].into_iter().enumerate() {
            v.push((
                sid(Constellation::BeiDou, prn),
                Circular {
                    a_m: 27_906_100.0,
                    inc_deg: 55.0,
                    raan_deg: 60.0 + 120.0 * j as f64,
                    u0_deg: 30.0 * j as f64,
                },
            ));
        }
        Self::new(v)
    }

    /// The same constellation rotated by `dlon_deg` about the Earth's axis.
    pub fn rotated(&self, dlon_deg: f64) -> Self {
        let mut c = self.clone();
        for o in &mut c.orbits {
            o.raan_deg += dlon_deg;
        }
        c
    }
}

/// Geostationary orbit above `lon_deg`.
pub fn geo(lon_deg: f64) -> Circular {
    Circular {
        a_m: a_sync_m(),
        inc_deg: 0.0,
        raan_deg: 0.0,
        u0_deg: lon_deg,
    }
}

/// The `j`-th of three IGSO (55°) sharing a ground track whose node is at `lon_deg`:
/// Ω = λ + 120° j and u₀ = −120° j, so each crosses the node when ωe·t = 120° j.
pub fn igso(lon_deg: f64, j: usize) -> Circular {
    Circular {
        a_m: a_sync_m(),
        inc_deg: 55.0,
        raan_deg: lon_deg + 120.0 * j as f64,
        u0_deg: -120.0 * j as f64,
    }
}

impl OrbitSource for TestConstellation {
    fn satellites(&self) -> &[SatId] {
        &self.sats
    }

    fn state_at(&self, sat: SatId, epoch: Epoch) -> Result<SatState, OrbitError> {
        let k = self
            .sats
            .iter()
            .position(|s| *s == sat)
            .ok_or(OrbitError::UnknownSatellite { sat })?;
        let o = self.orbits[k];
        let dt = (epoch - self.t0).to_seconds();
        let n = (GM / o.a_m.powi(3)).sqrt();
        let u = o.u0_deg.to_radians() + n * dt;
        let (su, cu) = u.sin_cos();
        let (si, ci) = o.inc_deg.to_radians().sin_cos();
        let (sw, cw) = o.raan_deg.to_radians().sin_cos();
        // r = a·Rz(Ω)·Rx(i)·(cos u, sin u, 0); v = ṙ with u̇ = n.
        let r_i = o.a_m * Vector3::new(cu * cw - su * ci * sw, cu * sw + su * ci * cw, su * si);
        let v_i =
            o.a_m * n * Vector3::new(-su * cw - cu * ci * sw, -su * sw + cu * ci * cw, cu * si);
        // ECEF = Rz(−ωe·dt)·inertial; v_ecef = Rz(−θ)·v_i − ω × r_ecef.
        let th = OMEGA_E * dt;
        let (st, ct) = th.sin_cos();
        let rot = |v: Vector3<f64>| Vector3::new(ct * v.x + st * v.y, -st * v.x + ct * v.y, v.z);
        let r = rot(r_i);
        let w = Vector3::new(0.0, 0.0, OMEGA_E);
        let v = rot(v_i) - w.cross(&r);
        Ok(SatState {
            sat,
            epoch,
            frame: if sat.constellation() == Constellation::Glonass {
                Frame::Pz90_11
            } else {
                Frame::Cgcs2000
            },
            position_m: r,
            velocity_m_s: v,
            clock_offset_s: None,
        })
    }

    fn describe(&self) -> String {
        format!("TEST constellation of {} circular orbits", self.sats.len())
    }
}
