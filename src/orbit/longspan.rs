//! Long-span propagation: numerical integration from any state (for example the last
//! broadcast state of a satellite) so that a scenario can run for days beyond its data.
//!
//! Equations in the rotating Earth-fixed frame of the state (ω = ω_E ẑ):
//!
//! ```text
//! r̈ = a_J2(r) − 2 ω × ṙ − ω × (ω × r) [+ a_Sun + a_Moon]
//! ```
//!
//! with a_J2 the central term plus J₂ (GLONASS ICD form, [`super::glonass`]) and, as an
//! option, Sun and Moon as point masses at the positions of the GLONASS ICD's low-precision
//! model rotated into the Earth-fixed frame with GMST (UT1 ≈ UTC), third-body form
//! μ_b[(r_b − r)/|r_b − r|³ − r_b/|r_b|³]. Precession–nutation, polar motion, higher
//! harmonics and solar radiation pressure are ignored.
//!
//! Integration: classical RK4 with a fixed step (default 60 s). All nodes are computed at
//! construction; [`Propagator::state_at`] interpolates between the two neighbouring nodes
//! with a cubic Hermite polynomial in position and velocity (error h⁴/384·|r⁗| ≈ 0.3 mm for
//! MEO at 60 s), so states are immutable and thread-safe.
//!
//! Expected drift against a precise orbit (`tests/orbit_longspan.rs`, WUM SP3 of 2023-01-01,
//! start 00:00, 24 h, maximum 3-D difference at hourly checks): J₂ only, the neglected
//! luni-solar tides (≈ 7e-6 m/s² at MEO) dominate — measured 1.2 km (C30), 0.74 km (R01),
//! 8 km (C39, IGSO); with Sun and Moon the remainder is solar radiation pressure
//! (≈ 1e-7 m/s²), the error of the low-precision Moon (≈ 2e-7 m/s²) and the start velocity
//! interpolated at the edge of the SP3 table — measured 0.31 km (C30), 0.39 km (R01), 1 km
//! (C39); starting one hour into the table (a centred interpolation window) 0.1 km for C30 and
//! R01. One BDS-3 MEO (C20) drifts 1.3–1.5 km with either model. Use it for geometry (DOP,
//! visibility), not for ranging.
//!
//! Seeded from broadcast ([`LongSpanSource`], `tests/orbit_validation.rs`): BRDC00IGS states at
//! 2023-01-01 06:00 GPST, 60 s steps, hourly checks against WUM up to 23:55 (18 h), median /
//! maximum 3-D by group — J₂ only: BDS GEO 2.1 / 12.7 km, IGSO 1.5 / 6.1 km, MEO 0.70 / 2.9 km,
//! GLONASS 0.60 / 3.6 km; J₂ + Sun + Moon: GEO 84 / 549 m, IGSO 144 / 896 m, MEO 125 / 635 m,
//! GLONASS 162 / 639 m. The broadcast seed's velocity error (≈ mm/s) adds an along-track drift
//! of ≈ 3·δv·t on top of the force-model error; the test asserts 1.1 km for every group with
//! Sun and Moon (derivation there). Expect ≈ 1 km per day of extension, growing roughly
//! quadratically: after several days the positions are for coverage geometry only.

use hifitime::{Duration, Epoch};
use nalgebra::Vector3;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::consts::{cgcs2000, pz90};
use crate::frames::Frame;
use crate::id::{Constellation, SatId};
use crate::limits::{in_range, OutOfRange, CLOSED, OPEN};

use super::broadcast::BroadcastSource;
use super::glonass::central_j2_acceleration;
use super::lunisolar;
use super::{OrbitError, OrbitSource, Propagator, SatState};

/// J₂ of CGCS2000: −√5·C̄₂₀ with C̄₂₀ = −4.84166774985e-4 (CGCS2000 definition).
pub const CGCS2000_J2: f64 = 1.082_629_83e-3;

/// Options of the long-span integration.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LongSpanOptions {
    /// RK4 step and node spacing, s (1 … 300).
    pub step_s: f64,
    /// Add Sun and Moon point-mass attraction.
    pub sun_moon: bool,
}

impl Default for LongSpanOptions {
    /// 60 s steps, J₂ only.
    fn default() -> Self {
        LongSpanOptions {
            step_s: 60.0,
            sun_moon: false,
        }
    }
}

/// Earth model of the integration.
#[derive(Debug, Clone, Copy)]
struct EarthModel {
    gm: f64,
    j2: f64,
    ae: f64,
    we: f64,
}

impl EarthModel {
    fn of(frame: Frame) -> Self {
        match frame {
            Frame::Pz90_11 => EarthModel {
                gm: pz90::GM_M3_S2,
                j2: pz90::J2,
                ae: pz90::SEMI_MAJOR_AXIS_M,
                we: pz90::EARTH_ROTATION_RAD_S,
            },
            // CGCS2000, ITRF and WGS84 share GM, a and ω_E to the digits that matter here.
            Frame::Cgcs2000 | Frame::Itrf | Frame::Wgs84 => EarthModel {
                gm: cgcs2000::GM_M3_S2,
                j2: CGCS2000_J2,
                ae: cgcs2000::SEMI_MAJOR_AXIS_M,
                we: cgcs2000::EARTH_ROTATION_RAD_S,
            },
        }
    }
}

/// A satellite integrated from one state over a span, tabulated at construction.
#[derive(Debug, Clone)]
pub struct LongSpanPropagator {
    sat: SatId,
    frame: Frame,
    start: Epoch,
    step_s: f64,
    /// Node positions and velocities at start + k·step.
    nodes: Vec<(Vector3<f64>, Vector3<f64>)>,
    end: Epoch,
}

/// The longest span integrated from one state, days: beyond it the J₂ + Sun + Moon model's
/// drift is not characterised (the figures in the module notes reach 60 days). Every door
/// (`--longspan-days`, scenario `longspan_days`) is held to it.
pub const MAX_SPAN_DAYS: u32 = 60;

/// [`MAX_SPAN_DAYS`] in seconds.
const MAX_SPAN_S: f64 = MAX_SPAN_DAYS as f64 * 86_400.0;

/// `span` in seconds when in (0, 60 days].
fn check_span(span: Duration) -> Result<f64, OutOfRange> {
    in_range(
        span.to_seconds(),
        (0.0, OPEN),
        (MAX_SPAN_S, CLOSED),
        "a span (s)",
    )
}

impl LongSpanPropagator {
    /// Integrate from `state` forward over `span` (positive, at most 60 days).
    pub fn from_state(
        state: SatState,
        span: Duration,
        options: LongSpanOptions,
    ) -> Result<Self, OrbitError> {
        let span_s = check_span(span).map_err(|e| OrbitError::InvalidElements {
            sat: state.sat,
            reason: e.to_string(),
        })?;
        let sat = state.sat;
        let invalid = |reason: String| OrbitError::InvalidElements { sat, reason };
        OrbitError::check_range(
            sat,
            options.step_s,
            (1.0, CLOSED),
            (300.0, CLOSED),
            "a step (s)",
        )?;
        let (r0, v0) = (state.position_m, state.velocity_m_s);
        if r0.iter().chain(v0.iter()).any(|c| !c.is_finite()) || r0.norm() < 6.6e6 {
            return Err(invalid(format!(
                "state {r0:?} m, {v0:?} m/s is not an orbit"
            )));
        }
        let model = EarthModel::of(state.frame);
        let n = (span_s / options.step_s).ceil() as usize;
        let h = options.step_s;
        let jd0 = state.epoch.to_jde_utc_days();
        let accel = |t: f64, r: &Vector3<f64>, v: &Vector3<f64>| -> Vector3<f64> {
            let w = model.we;
            let mut a = central_j2_acceleration(r, model.gm, model.j2, model.ae);
            // −2ω×v − ω×(ω×r) for ω = ω ẑ
            a += Vector3::new(
                2.0 * w * v.y + w * w * r.x,
                -2.0 * w * v.x + w * w * r.y,
                0.0,
            );
            if options.sun_moon {
                let jd = jd0 + t / 86_400.0;
                let tc = lunisolar::centuries_since_j2000(jd);
                let g = lunisolar::gmst_rad(jd);
                for (body, gm) in [
                    (lunisolar::sun(tc), lunisolar::GM_SUN_M3_S2),
                    (lunisolar::moon(tc), lunisolar::GM_MOON_M3_S2),
                ] {
                    let (s, c) = g.sin_cos();
                    let u = body.unit;
                    let unit = Vector3::new(u.x * c + u.y * s, -u.x * s + u.y * c, u.z);
                    let b = lunisolar::BodyDirection {
                        unit,
                        distance_m: body.distance_m,
                    };
                    a += lunisolar::third_body_acceleration(r, &b, gm);
                }
            }
            a
        };
        let mut nodes = Vec::with_capacity(n + 1);
        let (mut r, mut v) = (r0, v0);
        nodes.push((r, v));
        for k in 0..n {
            let t = k as f64 * h;
            let k1v = accel(t, &r, &v);
            let k1r = v;
            let k2r = v + k1v * (h / 2.0);
            let k2v = accel(t + h / 2.0, &(r + k1r * (h / 2.0)), &k2r);
            let k3r = v + k2v * (h / 2.0);
            let k3v = accel(t + h / 2.0, &(r + k2r * (h / 2.0)), &k3r);
            let k4r = v + k3v * h;
            let k4v = accel(t + h, &(r + k3r * h), &k4r);
            r += (k1r + 2.0 * k2r + 2.0 * k3r + k4r) * (h / 6.0);
            v += (k1v + 2.0 * k2v + 2.0 * k3v + k4v) * (h / 6.0);
            if r.norm() < 6.4e6 || !r.norm().is_finite() {
                return Err(invalid(format!(
                    "integration left the orbit regime after {t} s (|r| = {} m)",
                    r.norm()
                )));
            }
            nodes.push((r, v));
        }
        Ok(LongSpanPropagator {
            sat,
            frame: state.frame,
            start: state.epoch,
            step_s: h,
            nodes,
            end: state.epoch + span,
        })
    }
}

impl Propagator for LongSpanPropagator {
    fn sat(&self) -> SatId {
        self.sat
    }

    fn validity(&self) -> (Epoch, Epoch) {
        (self.start, self.end)
    }

    fn state_at(&self, epoch: Epoch) -> Result<SatState, OrbitError> {
        let t = (epoch - self.start).to_seconds();
        if !t.is_finite() || epoch < self.start || epoch > self.end {
            return Err(OrbitError::OutsideValidity {
                sat: self.sat,
                epoch,
                start: self.start,
                end: self.end,
            });
        }
        let h = self.step_s;
        let i = ((t / h).floor() as usize).min(self.nodes.len() - 2);
        let s = (t - i as f64 * h) / h;
        let (p0, v0) = self.nodes[i];
        let (p1, v1) = self.nodes[i + 1];
        // Cubic Hermite: p(s) = h00 p0 + h10 h v0 + h01 p1 + h11 h v1, s ∈ [0, 1]
        let (s2, s3) = (s * s, s * s * s);
        let pos = p0 * (2.0 * s3 - 3.0 * s2 + 1.0)
            + v0 * (h * (s3 - 2.0 * s2 + s))
            + p1 * (-2.0 * s3 + 3.0 * s2)
            + v1 * (h * (s3 - s2));
        let vel = p0 * ((6.0 * s2 - 6.0 * s) / h)
            + v0 * (3.0 * s2 - 4.0 * s + 1.0)
            + p1 * ((-6.0 * s2 + 6.0 * s) / h)
            + v1 * (3.0 * s2 - 2.0 * s);
        Ok(SatState {
            sat: self.sat,
            epoch,
            frame: self.frame,
            position_m: pos,
            velocity_m_s: vel,
            clock_offset_s: None,
        })
    }
}

/// A satellite left out of a [`LongSpanSource`], with the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedSatellite {
    /// Satellite.
    pub sat: SatId,
    /// Why it has no long-span orbit.
    pub reason: String,
}

/// Many satellites integrated forward from broadcast states: an [`OrbitSource`] that spans
/// days beyond a navigation file.
///
/// Seeding: for each satellite of the broadcast source, the *last valid broadcast state at or
/// before the seed epoch* — the broadcast state at the seed epoch when a record is valid there,
/// else the state at the end of the latest validity window that closes before it (records as
/// chosen by the source's [`crate::ephemeris::SelectionPolicy`]). Each satellite is then
/// integrated ([`LongSpanPropagator`]) from its seed state up to `seed + span`; states are
/// available from the satellite's seed-state epoch to that end. Satellites without any valid
/// state before the seed, or whose integration fails, are listed in
/// [`LongSpanSource::skipped`].
///
/// Integration runs in parallel over satellites at construction (deterministic: each satellite
/// is independent); afterwards the source is immutable.
#[derive(Debug, Clone)]
pub struct LongSpanSource {
    sats: Vec<SatId>,
    props: Vec<LongSpanPropagator>,
    skipped: Vec<SkippedSatellite>,
    seed: Epoch,
    end: Epoch,
    label: String,
}

impl LongSpanSource {
    /// Seed every satellite of `broadcast` at `seed` (see the type's documentation) and
    /// integrate forward to `seed + span`.
    ///
    /// Errors: a span or step that [`LongSpanPropagator::from_state`] refuses, or no satellite
    /// seeded at all ([`OrbitError::EmptySelection`], with the first reason).
    pub fn from_broadcast(
        broadcast: &BroadcastSource,
        seed: Epoch,
        span: Duration,
        options: LongSpanOptions,
    ) -> Result<Self, OrbitError> {
        let span_s = check_span(span).map_err(|e| OrbitError::EmptySelection {
            reason: format!("long-span: {e}"),
        })?;
        let end = seed + span;
        let results: Vec<Result<LongSpanPropagator, SkippedSatellite>> = broadcast
            .satellites()
            .par_iter()
            .map(|&sat| {
                let skip = |reason: String| SkippedSatellite { sat, reason };
                let state = last_valid_state(broadcast, sat, seed).map_err(skip)?;
                LongSpanPropagator::from_state(state, end - state.epoch, options)
                    .map_err(|e| skip(e.to_string()))
            })
            .collect();
        let mut props = Vec::new();
        let mut skipped = Vec::new();
        for r in results {
            match r {
                Ok(p) => props.push(p),
                Err(s) => skipped.push(s),
            }
        }
        if props.is_empty() {
            return Err(OrbitError::EmptySelection {
                reason: match skipped.first() {
                    Some(s) => format!("no satellite could be seeded ({}: {})", s.sat, s.reason),
                    None => "the broadcast source has no satellites".to_string(),
                },
            });
        }
        let label = format!(
            "long-span from {} seeded at {} + {:.2} d ({}, {} s step)",
            broadcast.describe(),
            seed,
            span_s / 86_400.0,
            if options.sun_moon {
                "J2+Sun+Moon"
            } else {
                "J2"
            },
            options.step_s
        );
        Ok(LongSpanSource {
            sats: props.iter().map(|p| p.sat()).collect(),
            props,
            skipped,
            seed,
            end,
            label,
        })
    }

    /// Seed at the end of the navigation data — the latest reference time (t_oe, t_b) of any
    /// usable record of the source's satellites — and integrate `span` beyond it.
    pub fn from_broadcast_end(
        broadcast: &BroadcastSource,
        span: Duration,
        options: LongSpanOptions,
    ) -> Result<Self, OrbitError> {
        let seed = last_reference_epoch(broadcast).ok_or_else(|| OrbitError::EmptySelection {
            reason: format!("{} has no usable record", broadcast.describe()),
        })?;
        Self::from_broadcast(broadcast, seed, span, options)
    }

    /// Satellites left out, with the reason.
    pub fn skipped(&self) -> &[SkippedSatellite] {
        &self.skipped
    }

    /// The seed epoch and the end of the integrated span.
    pub fn span(&self) -> (Epoch, Epoch) {
        (self.seed, self.end)
    }

    /// The propagator of one satellite.
    pub fn propagator(&self, sat: SatId) -> Option<&LongSpanPropagator> {
        self.sats.binary_search(&sat).ok().map(|i| &self.props[i])
    }
}

impl OrbitSource for LongSpanSource {
    fn satellites(&self) -> &[SatId] {
        &self.sats
    }

    fn state_at(&self, sat: SatId, epoch: Epoch) -> Result<SatState, OrbitError> {
        self.propagator(sat)
            .ok_or(OrbitError::UnknownSatellite { sat })?
            .state_at(epoch)
    }

    fn describe(&self) -> String {
        self.label.clone()
    }

    fn served_intervals(&self, sat: SatId) -> Option<Vec<(Epoch, Epoch)>> {
        Some(
            self.propagator(sat)
                .map(|p| vec![p.validity()])
                .unwrap_or_default(),
        )
    }
}

/// Reference times (t_oe / t_b) of the usable records of `sat`, with their half-window.
fn usable_references(broadcast: &BroadcastSource, sat: SatId) -> (Vec<Epoch>, f64) {
    let policy = broadcast.options().policy;
    let nav = broadcast.nav();
    let ok = |health: u32| policy.allow_unhealthy || health == 0;
    match sat.constellation() {
        Constellation::BeiDou => (
            nav.bds
                .get(&sat)
                .map(|v| v.iter().filter(|r| ok(r.health)).map(|r| r.toe).collect())
                .unwrap_or_default(),
            policy.bds_half_window_s,
        ),
        Constellation::Glonass => (
            nav.glonass
                .get(&sat)
                .map(|v| v.iter().filter(|r| ok(r.health)).map(|r| r.tb).collect())
                .unwrap_or_default(),
            policy.glonass_half_window_s,
        ),
        _ => (Vec::new(), 0.0),
    }
}

fn last_reference_epoch(broadcast: &BroadcastSource) -> Option<Epoch> {
    broadcast
        .satellites()
        .iter()
        .flat_map(|&s| usable_references(broadcast, s).0)
        .max()
}

/// The last valid broadcast state of `sat` at or before `seed`.
fn last_valid_state(
    broadcast: &BroadcastSource,
    sat: SatId,
    seed: Epoch,
) -> Result<SatState, String> {
    let (refs, half_s) = usable_references(broadcast, sat);
    let half = Duration::from_seconds(half_s);
    // Candidate epochs: the seed itself when inside a window, else each window's end.
    let mut candidates: Vec<Epoch> = refs
        .iter()
        .filter(|&&r| r - half <= seed)
        .map(|&r| if r + half < seed { r + half } else { seed })
        .collect();
    candidates.sort();
    candidates.dedup();
    let mut last_err = None;
    for &t in candidates.iter().rev() {
        match broadcast.state_at(sat, t) {
            Ok(s) => return Ok(s),
            Err(e) => last_err = Some(e),
        }
    }
    Err(match last_err {
        Some(e) => format!("no valid broadcast state at or before {seed}: {e}"),
        None => format!("no usable broadcast record at or before {seed}"),
    })
}
