//! **Test constellations**, not the nominal model: circular Walker constellations with analytic
//! positions, for tests and benchmarks of the coverage engine (the nominal BDS-3/GLONASS
//! constellations live in `orbit`).
//!
//! Circular orbit of radius a, inclination i, right ascension Ω, argument of latitude
//! u(t) = u₀ + n t, n = √(GM/a³), in an inertial frame aligned with ECEF at t = 0:
//!
//! ```text
//! r_I = a (cos u cos Ω − sin u cos i sin Ω,  cos u sin Ω + sin u cos i cos Ω,  sin u sin i)
//! r_E = R_z(−ωe t) r_I,   v_E = R_z(−ωe t) v_I − ωe × r_E
//! ```
//!
//! Walker T/P/F: plane p has Ω = p·360°/P, satellite q of plane p has u₀ = q·360°/(T/P) + p·F·360°/T.
//! Geostationary satellites sit at fixed ECEF positions a_GEO (cos λ, sin λ, 0).

use hifitime::Epoch;
use nalgebra::Vector3;

use crate::consts;
use crate::frames::Frame;
use crate::id::{Constellation, SatId};
use crate::orbit::{OrbitError, OrbitSource, SatState};

/// Geostationary radius used for the test GEO satellites, m (√³(GM/ωe²) with CGCS2000 constants).
pub const GEO_RADIUS_M: f64 = 42_164_170.0;

#[derive(Debug, Clone, Copy)]
enum Orbit {
    Circular {
        a_m: f64,
        incl_rad: f64,
        raan_rad: f64,
        u0_rad: f64,
    },
    Geostationary {
        lon_rad: f64,
    },
}

/// A test constellation of circular orbits (see the module documentation).
#[derive(Debug, Clone)]
pub struct WalkerSource {
    sats: Vec<SatId>,
    orbits: Vec<Orbit>,
    frames: Vec<Frame>,
    t0: Epoch,
    /// (satellite, from, to): the source fails for the satellite inside [from, to).
    gaps: Vec<(SatId, Epoch, Epoch)>,
    label: String,
}

impl WalkerSource {
    /// An empty test source with reference epoch `t0` (ECEF and inertial frames aligned at t0).
    pub fn empty(t0: Epoch, label: &str) -> Self {
        WalkerSource {
            sats: Vec::new(),
            orbits: Vec::new(),
            frames: Vec::new(),
            t0,
            gaps: Vec::new(),
            label: label.to_string(),
        }
    }

    /// Add a Walker T/P/F constellation with PRNs `first_prn`, `first_prn + 1`, ….
    #[allow(clippy::too_many_arguments)]
    pub fn with_walker(
        mut self,
        system: Constellation,
        first_prn: u8,
        total: usize,
        planes: usize,
        phasing: usize,
        incl_deg: f64,
        a_m: f64,
    ) -> Self {
        let per_plane = total / planes;
        for p in 0..planes {
            for q in 0..per_plane {
                let prn = first_prn + (p * per_plane + q) as u8;
                let Ok(sat) = SatId::new(system, prn) else {
                    continue;
                };
                let raan = (p as f64 * 360.0 / planes as f64).to_radians();
                let u0 = (q as f64 * 360.0 / per_plane as f64
                    + (p * phasing) as f64 * 360.0 / total as f64)
                    .to_radians();
                self.push(
                    sat,
                    Orbit::Circular {
                        a_m,
                        incl_rad: incl_deg.to_radians(),
                        raan_rad: raan,
                        u0_rad: u0,
                    },
                );
            }
        }
        self
    }

    /// Add geostationary satellites at the given longitudes (degrees).
    pub fn with_geo(mut self, system: Constellation, first_prn: u8, lons_deg: &[f64]) -> Self {
        for (k, lon) in lons_deg.iter().enumerate() {
            if let Ok(sat) = SatId::new(system, first_prn + k as u8) {
                self.push(
                    sat,
                    Orbit::Geostationary {
                        lon_rad: lon.to_radians(),
                    },
                );
            }
        }
        self
    }

    /// Make the source fail for `sat` at epochs in [from, to) (to test missing records).
    pub fn with_gap(mut self, sat: SatId, from: Epoch, to: Epoch) -> Self {
        self.gaps.push((sat, from, to));
        self
    }

    fn push(&mut self, sat: SatId, orbit: Orbit) {
        let frame = match sat.constellation() {
            Constellation::Glonass => Frame::Pz90_11,
            Constellation::BeiDou => Frame::Cgcs2000,
            _ => Frame::Wgs84,
        };
        let pos = self.sats.partition_point(|s| *s < sat);
        if self.sats.get(pos) == Some(&sat) {
            self.orbits[pos] = orbit;
            return;
        }
        self.sats.insert(pos, sat);
        self.orbits.insert(pos, orbit);
        self.frames.insert(pos, frame);
    }

    /// BDS-like **test** constellation: Walker 24/3/1 at 55°, a = 27,906,100 m (C19…C42), plus
    /// 3 geostationary satellites at 80°E, 110.5°E, 140°E (C59…C61).
    pub fn bds_like(t0: Epoch) -> Self {
        WalkerSource::empty(t0, "test constellation: BDS-like Walker 24/3/1 55° + 3 GEO")
            .with_walker(Constellation::BeiDou, 19, 24, 3, 1, 55.0, 27_906_100.0)
            .with_geo(Constellation::BeiDou, 59, &[80.0, 110.5, 140.0])
    }

    /// GLONASS-like **test** constellation: Walker 24/3/1 at 64.8°, a = 25,510,000 m (R01…R24;
    /// adjacent planes shifted by 15° in argument of latitude).
    pub fn glonass_like(t0: Epoch) -> Self {
        WalkerSource::empty(t0, "test constellation: GLONASS-like Walker 24/3/1 64.8°").with_walker(
            Constellation::Glonass,
            1,
            24,
            3,
            1,
            64.8,
            25_510_000.0,
        )
    }

    fn state(&self, idx: usize, epoch: Epoch) -> SatState {
        let we = consts::cgcs2000::EARTH_ROTATION_RAD_S;
        let t = (epoch - self.t0).to_seconds();
        let (pos, vel) = match self.orbits[idx] {
            Orbit::Geostationary { lon_rad } => {
                let (s, c) = lon_rad.sin_cos();
                (
                    Vector3::new(GEO_RADIUS_M * c, GEO_RADIUS_M * s, 0.0),
                    Vector3::zeros(),
                )
            }
            Orbit::Circular {
                a_m,
                incl_rad,
                raan_rad,
                u0_rad,
            } => {
                let n = (consts::cgcs2000::GM_M3_S2 / (a_m * a_m * a_m)).sqrt();
                let (su, cu) = (u0_rad + n * t).sin_cos();
                let (si, ci) = incl_rad.sin_cos();
                let (so, co) = raan_rad.sin_cos();
                let ri = Vector3::new(cu * co - su * ci * so, cu * so + su * ci * co, su * si);
                // dr_I/du
                let di = Vector3::new(-su * co - cu * ci * so, -su * so + cu * ci * co, cu * si);
                let th = -we * t;
                let re = crate::frames::rotate_z(&(ri * a_m), th);
                let vi = crate::frames::rotate_z(&(di * (a_m * n)), th);
                let omega = Vector3::new(0.0, 0.0, we);
                (re, vi - omega.cross(&re))
            }
        };
        SatState {
            sat: self.sats[idx],
            epoch,
            frame: self.frames[idx],
            position_m: pos,
            velocity_m_s: vel,
            clock_offset_s: None,
        }
    }
}

impl OrbitSource for WalkerSource {
    fn satellites(&self) -> &[SatId] {
        &self.sats
    }

    fn state_at(&self, sat: SatId, epoch: Epoch) -> Result<SatState, OrbitError> {
        let idx = self
            .sats
            .binary_search(&sat)
            .map_err(|_| OrbitError::UnknownSatellite { sat })?;
        for &(s, from, to) in &self.gaps {
            if s == sat && epoch >= from && epoch < to {
                return Err(OrbitError::Interpolation {
                    sat,
                    epoch,
                    reason: "test gap".to_string(),
                });
            }
        }
        Ok(self.state(idx, epoch))
    }

    fn describe(&self) -> String {
        self.label.clone()
    }
}
