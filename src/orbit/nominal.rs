//! Nominal constellations from published parameters: the embedded default orbit source
//! for runs without data (`data/constellations/*.toml`, each parameter with its source).
//!
//! Model (documented choices):
//! * circular orbits; the state is written in the Earth-fixed frame of the system
//!   (CGCS2000 for BeiDou, PZ-90.11 for GLONASS) from the ECEF longitude of the ascending
//!   node Ω_E and the argument of latitude u:
//!   `r = a·[cos u cos Ω_E − sin u cos i sin Ω_E, cos u sin Ω_E + sin u cos i cos Ω_E, sin u sin i]`,
//!   velocity `ṙ = u̇·∂r/∂u + Ω̇_E·(−y, x, 0)` (analytic);
//! * MEO (Walker groups): J₂ secular rates of a circular orbit (Vallado, *Fundamentals of
//!   Astrodynamics*, eqs. 9-41): n = √(μ/a³), Ω̇ = −3/2·n·J₂(R/a)²·cos i,
//!   u̇ = ω̇ + Ṁ = n·[1 + 3/4·J₂(R/a)²·(8 cos²i − 2)], and Ω̇_E = Ω̇ − ω_E;
//! * geosynchronous satellites (IGSO and GEO) are held exactly Earth-synchronous, as station
//!   keeping does: u̇ = ω_E and Ω̇_E = −ω_E, so the equator crossing stays at the published
//!   longitude (IGSO 118°E) and a GEO (i = 0) stays at its longitude;
//! * no clock (`clock_offset_s = None`).

use std::collections::BTreeMap;
use std::str::FromStr;

use hifitime::Epoch;
use nalgebra::Vector3;
use serde::Deserialize;

use crate::frames::Frame;
use crate::id::{Constellation, SatId};

use super::{OrbitError, OrbitSource, SatState};

/// The embedded BDS-3 parameter file.
pub const BDS3_TOML: &str = include_str!("../../data/constellations/bds3_nominal.toml");
/// The embedded GLONASS parameter file.
pub const GLONASS_TOML: &str = include_str!("../../data/constellations/glonass_nominal.toml");

/// Errors of reading a nominal-constellation file.
#[derive(Debug, thiserror::Error)]
pub enum NominalError {
    /// TOML syntax or schema error.
    #[error("nominal constellation '{name}': {source}")]
    Toml {
        /// File or label.
        name: String,
        /// Underlying error (with line and column).
        #[source]
        source: toml::de::Error,
    },
    /// A value is outside its meaningful range.
    #[error("nominal constellation '{name}': {what}")]
    Invalid {
        /// File or label.
        name: String,
        /// What is wrong, with the offending value.
        what: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Param<T> {
    value: T,
    #[allow(dead_code)]
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    name: String,
    constellation: String,
    frame: String,
    reference_epoch: Param<String>,
    gm_m3_s2: Param<f64>,
    j2: Param<f64>,
    equatorial_radius_m: Param<f64>,
    earth_rotation_rad_s: Param<f64>,
    #[serde(default)]
    walker: Vec<WalkerSpec>,
    #[serde(default)]
    synchronous: Vec<SynchronousSpec>,
    #[serde(default)]
    geo: Vec<GeoSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WalkerSpec {
    label: String,
    semi_major_axis_m: Param<f64>,
    inclination_deg: Param<f64>,
    planes: Param<u32>,
    node_longitude0_deg: Param<f64>,
    node_spacing_deg: Param<f64>,
    slot_spacing_deg: Param<f64>,
    plane_phasing_deg: Param<f64>,
    argument_of_latitude0_deg: Param<f64>,
    prns: Param<Vec<u8>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SynchronousSpec {
    #[allow(dead_code)]
    label: String,
    semi_major_axis_m: Param<f64>,
    inclination_deg: Param<f64>,
    node_longitude_deg: Param<f64>,
    phasing_deg: Param<f64>,
    prns: Param<Vec<u8>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GeoSpec {
    prn: u8,
    longitude_deg: Param<f64>,
    semi_major_axis_m: Param<f64>,
}

/// Mean circular elements of one nominal satellite, Earth-fixed angles at the reference epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NominalElements {
    /// Semi-major axis (= radius), m.
    pub semi_major_axis_m: f64,
    /// Inclination, rad.
    pub inclination_rad: f64,
    /// ECEF longitude of the ascending node at the reference epoch, rad.
    pub node_longitude0_rad: f64,
    /// Argument of latitude at the reference epoch, rad.
    pub argument_of_latitude0_rad: f64,
    /// Rate of the ECEF node longitude (Ω̇ − ω_E), rad/s.
    pub node_longitude_rate_rad_s: f64,
    /// Rate of the argument of latitude, rad/s.
    pub argument_of_latitude_rate_rad_s: f64,
    /// Frame of the states.
    pub frame: Frame,
}

impl NominalElements {
    /// Position and velocity (ECEF) at `dt_s` from the reference epoch.
    pub fn state(&self, dt_s: f64) -> (Vector3<f64>, Vector3<f64>) {
        let a = self.semi_major_axis_m;
        let u = self.argument_of_latitude0_rad + self.argument_of_latitude_rate_rad_s * dt_s;
        let node = self.node_longitude0_rad + self.node_longitude_rate_rad_s * dt_s;
        let (su, cu) = u.sin_cos();
        let (so, co) = node.sin_cos();
        let (si, ci) = self.inclination_rad.sin_cos();
        let r = a * Vector3::new(cu * co - su * ci * so, cu * so + su * ci * co, su * si);
        let dr_du = a * Vector3::new(-su * co - cu * ci * so, -su * so + cu * ci * co, cu * si);
        let v = dr_du * self.argument_of_latitude_rate_rad_s
            + Vector3::new(-r.y, r.x, 0.0) * self.node_longitude_rate_rad_s;
        (r, v)
    }
}

/// A nominal constellation (or several merged): an [`OrbitSource`] valid at any epoch.
#[derive(Debug, Clone)]
pub struct NominalConstellation {
    name: String,
    reference_epoch: Epoch,
    sats: Vec<SatId>,
    elements: Vec<NominalElements>,
    /// Reference epoch per satellite (merged constellations may differ).
    epochs: Vec<Epoch>,
}

impl NominalConstellation {
    /// The embedded BDS-3 nominal constellation (24 MEO, 3 IGSO, 3 GEO).
    ///
    /// ```
    /// use gnss_interop::frames::{Ellipsoid, Frame};
    /// use gnss_interop::orbit::nominal::NominalConstellation;
    /// use gnss_interop::orbit::OrbitSource;
    /// use hifitime::Epoch;
    /// let bds = NominalConstellation::bds3();
    /// assert_eq!(bds.satellites().len(), 30);
    /// // C59 is the GEO at 140°E (CSNO); it stays there at any epoch.
    /// let t = Epoch::from_gregorian_utc_hms(2024, 6, 1, 12, 0, 0);
    /// let s = bds.state_at("C59".parse()?, t)?;
    /// assert_eq!(s.frame, Frame::Cgcs2000);
    /// let g = Ellipsoid::CGCS2000.to_geodetic(&s.position_m);
    /// assert!((g.lon_deg - 140.0).abs() < 1e-6 && g.lat_deg.abs() < 1e-6);
    /// // Geostationary radius: a = 42 162 200 m (BDS-SIS-ICD-B1C §7.8 reference value).
    /// assert!((s.position_m.norm() - 42_162_200.0).abs() < 1e-3);
    /// # Ok::<(), gnss_interop::Error>(())
    /// ```
    pub fn bds3() -> Self {
        Self::from_toml_str(BDS3_TOML).expect("embedded BDS-3 parameters are valid")
    }

    /// The embedded GLONASS nominal constellation (24 slots).
    pub fn glonass() -> Self {
        Self::from_toml_str(GLONASS_TOML).expect("embedded GLONASS parameters are valid")
    }

    /// BDS-3 and GLONASS together.
    ///
    /// ```
    /// use gnss_interop::frames::Frame;
    /// use gnss_interop::id::Constellation;
    /// use gnss_interop::orbit::nominal::NominalConstellation;
    /// use gnss_interop::orbit::OrbitSource;
    /// use hifitime::Epoch;
    /// let both = NominalConstellation::both();
    /// let glonass = both
    ///     .satellites()
    ///     .iter()
    ///     .filter(|s| s.constellation() == Constellation::Glonass)
    ///     .count();
    /// assert_eq!((both.satellites().len(), glonass), (54, 24));
    /// // GLONASS states are in PZ-90.11, on circular orbits of a = 25 508 km: the radius of
    /// // the nominal draconic period 11 h 15 min 44 s (GLONASS ICD 5.1 §3.5).
    /// let t = Epoch::from_gregorian_utc_hms(2023, 1, 1, 0, 0, 0);
    /// let s = both.state_at("R01".parse()?, t)?;
    /// assert_eq!(s.frame, Frame::Pz90_11);
    /// assert!((s.position_m.norm() / 1e3 - 25_508.0).abs() < 1.0);
    /// # Ok::<(), gnss_interop::Error>(())
    /// ```
    pub fn both() -> Self {
        Self::bds3().merge(Self::glonass())
    }

    /// Merge two constellations (satellites of `other` replace equal identifiers).
    pub fn merge(self, other: NominalConstellation) -> Self {
        let mut map: BTreeMap<SatId, (NominalElements, Epoch)> = BTreeMap::new();
        for c in [self.clone(), other.clone()] {
            for ((s, e), t) in c.sats.iter().zip(&c.elements).zip(&c.epochs) {
                map.insert(*s, (*e, *t));
            }
        }
        NominalConstellation {
            name: format!("{} + {}", self.name, other.name),
            reference_epoch: self.reference_epoch,
            sats: map.keys().copied().collect(),
            elements: map.values().map(|v| v.0).collect(),
            epochs: map.values().map(|v| v.1).collect(),
        }
    }

    /// Elements of one satellite.
    pub fn elements(&self, sat: SatId) -> Option<&NominalElements> {
        self.sats
            .binary_search(&sat)
            .ok()
            .map(|i| &self.elements[i])
    }

    /// Reference epoch of the (first) parameter file.
    pub fn reference_epoch(&self) -> Epoch {
        self.reference_epoch
    }

    /// Parse a parameter file (schema of `data/constellations/*.toml`).
    pub fn from_toml_str(text: &str) -> Result<Self, NominalError> {
        let spec: FileSpec = toml::from_str(text).map_err(|source| NominalError::Toml {
            name: text
                .lines()
                .find(|l| l.starts_with("name"))
                .unwrap_or("?")
                .to_string(),
            source,
        })?;
        let name = spec.name.clone();
        let bad = |what: String| NominalError::Invalid {
            name: name.clone(),
            what,
        };
        let constellation = Constellation::from_str(&spec.constellation)
            .map_err(|e| bad(format!("constellation: {e}")))?;
        let frame = match spec.frame.as_str() {
            "CGCS2000" => Frame::Cgcs2000,
            "PZ-90.11" => Frame::Pz90_11,
            "WGS84" => Frame::Wgs84,
            "ITRF" => Frame::Itrf,
            f => return Err(bad(format!("unknown frame '{f}'"))),
        };
        let reference_epoch = Epoch::from_str(&spec.reference_epoch.value).map_err(|e| {
            bad(format!(
                "reference_epoch '{}': {e}",
                spec.reference_epoch.value
            ))
        })?;
        let gm = spec.gm_m3_s2.value;
        let j2 = spec.j2.value;
        let re = spec.equatorial_radius_m.value;
        let we = spec.earth_rotation_rad_s.value;
        for (n, v) in [
            ("gm_m3_s2", gm),
            ("equatorial_radius_m", re),
            ("earth_rotation_rad_s", we),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return Err(bad(format!("{n} must be positive, got {v}")));
            }
        }
        let check_a = |a: f64| {
            if a.is_finite() && a > re {
                Ok(a)
            } else {
                Err(bad(format!(
                    "semi-major axis {a} m is not above the Earth's surface"
                )))
            }
        };
        let sat = |prn: u8| SatId::new(constellation, prn).map_err(|e| bad(e.to_string()));
        let mut out: Vec<(SatId, NominalElements)> = Vec::new();
        for w in &spec.walker {
            let a = check_a(w.semi_major_axis_m.value)?;
            let i = w.inclination_deg.value.to_radians();
            let planes = w.planes.value as usize;
            let prns = &w.prns.value;
            if planes == 0 || prns.len() % planes != 0 {
                return Err(bad(format!(
                    "{}: {} PRNs do not fill {planes} planes equally",
                    w.label,
                    prns.len()
                )));
            }
            let per_plane = prns.len() / planes;
            // J₂ secular rates of a circular orbit (Vallado eq. 9-41):
            let n = (gm / (a * a * a)).sqrt();
            let k = j2 * (re / a).powi(2);
            let node_rate = -1.5 * n * k * i.cos();
            let u_rate = n * (1.0 + 0.75 * k * (8.0 * i.cos().powi(2) - 2.0));
            for (idx, &prn) in prns.iter().enumerate() {
                let (p, s) = (idx / per_plane, idx % per_plane);
                out.push((
                    sat(prn)?,
                    NominalElements {
                        semi_major_axis_m: a,
                        inclination_rad: i,
                        node_longitude0_rad: (w.node_longitude0_deg.value
                            + p as f64 * w.node_spacing_deg.value)
                            .to_radians(),
                        argument_of_latitude0_rad: (w.argument_of_latitude0_deg.value
                            + s as f64 * w.slot_spacing_deg.value
                            + p as f64 * w.plane_phasing_deg.value)
                            .to_radians(),
                        node_longitude_rate_rad_s: node_rate - we,
                        argument_of_latitude_rate_rad_s: u_rate,
                        frame,
                    },
                ));
            }
        }
        for g in &spec.synchronous {
            let a = check_a(g.semi_major_axis_m.value)?;
            for (k, &prn) in g.prns.value.iter().enumerate() {
                let u0 = (k as f64 * g.phasing_deg.value).to_radians();
                out.push((
                    sat(prn)?,
                    NominalElements {
                        semi_major_axis_m: a,
                        inclination_rad: g.inclination_deg.value.to_radians(),
                        // Equator crossing longitude λ = Ω_E + u at u = 0 mod 2π: Ω_E0 = λ − u0.
                        node_longitude0_rad: g.node_longitude_deg.value.to_radians() - u0,
                        argument_of_latitude0_rad: u0,
                        node_longitude_rate_rad_s: -we,
                        argument_of_latitude_rate_rad_s: we,
                        frame,
                    },
                ));
            }
        }
        for g in &spec.geo {
            out.push((
                sat(g.prn)?,
                NominalElements {
                    semi_major_axis_m: check_a(g.semi_major_axis_m.value)?,
                    inclination_rad: 0.0,
                    node_longitude0_rad: g.longitude_deg.value.to_radians(),
                    argument_of_latitude0_rad: 0.0,
                    node_longitude_rate_rad_s: -we,
                    argument_of_latitude_rate_rad_s: we,
                    frame,
                },
            ));
        }
        out.sort_by_key(|x| x.0);
        if let Some(w) = out.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(bad(format!("satellite {} defined twice", w[0].0)));
        }
        if out.is_empty() {
            return Err(bad("no satellites".to_string()));
        }
        Ok(NominalConstellation {
            name: spec.name,
            reference_epoch,
            sats: out.iter().map(|x| x.0).collect(),
            epochs: vec![reference_epoch; out.len()],
            elements: out.into_iter().map(|x| x.1).collect(),
        })
    }
}

impl OrbitSource for NominalConstellation {
    fn satellites(&self) -> &[SatId] {
        &self.sats
    }

    fn state_at(&self, sat: SatId, epoch: Epoch) -> Result<SatState, OrbitError> {
        let i = self
            .sats
            .binary_search(&sat)
            .map_err(|_| OrbitError::UnknownSatellite { sat })?;
        let el = &self.elements[i];
        let dt = (epoch - self.epochs[i]).to_seconds();
        let (position_m, velocity_m_s) = el.state(dt);
        Ok(SatState {
            sat,
            epoch,
            frame: el.frame,
            position_m,
            velocity_m_s,
            clock_offset_s: None,
        })
    }

    fn describe(&self) -> String {
        format!("{} ({} satellites)", self.name, self.sats.len())
    }
}
