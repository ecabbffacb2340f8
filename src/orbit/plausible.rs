//! Plausibility of every derived satellite state, whatever produced it: a position inside the
//! orbit band of its constellation, a speed consistent with that radius, a finite clock within
//! the range a broadcast or precise clock can hold. A state that fails is a corrupted input
//! that slipped through the record checks (a combination of individually legal fields, say);
//! it is refused with [`OrbitError::Implausible`] rather than used.
//!
//! The radius bands and the clock range are defined once, in [`crate::ephemeris::limits`]
//! (they also check SP3 nodes as they are read).

use super::{OrbitError, SatState};
use crate::consts::wgs84::{EARTH_ROTATION_RAD_S, GM_M3_S2};
use crate::ephemeris::limits::radius_outside_bands;

/// v²·r/μ in the inertial frame is 1 ± e for an orbit of eccentricity e: accept e ≤ 0.2.
const VIS_VIVA_RANGE: (f64, f64) = (0.8, 1.2);
pub use crate::ephemeris::limits::MAX_CLOCK_OFFSET_S;

/// `Ok(())` when the state is physically possible for its satellite (see the module notes);
/// otherwise [`OrbitError::Implausible`] naming the satellite, epoch and what is wrong.
pub fn check_state(st: &SatState) -> Result<(), OrbitError> {
    let fail = |reason: String| OrbitError::Implausible {
        sat: st.sat,
        epoch: st.epoch,
        reason,
    };
    let r = st.position_m;
    let v = st.velocity_m_s;
    if !r.iter().chain(v.iter()).all(|x| x.is_finite()) {
        return Err(fail(format!(
            "non-finite position {r:?} m or velocity {v:?} m/s"
        )));
    }
    let radius_m = r.norm();
    if let Some(reason) = radius_outside_bands(st.sat.constellation(), radius_m) {
        return Err(fail(reason));
    }
    // Every frame of this crate is Earth-fixed: inertial velocity = v + ω × r.
    let w = EARTH_ROTATION_RAD_S;
    let vi = nalgebra::Vector3::new(v.x - w * r.y, v.y + w * r.x, v.z);
    let q = vi.norm_squared() * radius_m / GM_M3_S2;
    if !(VIS_VIVA_RANGE.0..=VIS_VIVA_RANGE.1).contains(&q) {
        return Err(fail(format!(
            "speed {:.1} m/s (inertial {:.1} m/s) does not fit an orbit of radius {:.0} km \
             (v²r/μ = {q:.3}, expected {}–{})",
            v.norm(),
            vi.norm(),
            radius_m / 1e3,
            VIS_VIVA_RANGE.0,
            VIS_VIVA_RANGE.1
        )));
    }
    if let Some(c) = st.clock_offset_s {
        if !c.is_finite() || c.abs() > MAX_CLOCK_OFFSET_S {
            return Err(fail(format!(
                "clock offset {c:e} s outside ±{MAX_CLOCK_OFFSET_S} s"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frames::Frame;
    use nalgebra::Vector3;

    fn state(sat: &str, r_km: [f64; 3], v_km_s: [f64; 3], clock_s: Option<f64>) -> SatState {
        SatState {
            sat: sat.parse().unwrap(),
            epoch: hifitime::Epoch::from_gpst_seconds(1.3e9),
            frame: Frame::Cgcs2000,
            position_m: Vector3::from(r_km) * 1e3,
            velocity_m_s: Vector3::from(v_km_s) * 1e3,
            clock_offset_s: clock_s,
        }
    }

    #[test]
    fn bands_speed_and_clock() {
        // GEO at rest in the Earth-fixed frame: inertial speed ω·r = 3.075 km/s = circular.
        assert!(check_state(&state("C01", [42_164.0, 0.0, 0.0], [0.0; 3], Some(1e-4))).is_ok());
        // MEO: 27,906 km, circular speed 3.78 km/s inertial.
        let w = EARTH_ROTATION_RAD_S * 27_906.0;
        let ok = state("C20", [27_906.0, 0.0, 0.0], [0.0, 3.779 - w, 0.0], None);
        assert!(check_state(&ok).is_ok());
        // 85,000 km and 1e20 km (bad-input campaign) and a 1e39 m/s velocity are refused.
        for r in [85_000.0, 1e20] {
            let e = check_state(&state("C20", [r, 0.0, 0.0], [0.0; 3], None)).unwrap_err();
            assert!(e.to_string().contains("radius"), "{e}");
        }
        let e = check_state(&state("R01", [25_510.0, 0.0, 0.0], [0.0, 1e36, 0.0], None));
        assert!(e.unwrap_err().to_string().contains("speed"));
        let e = check_state(&state(
            "C01",
            [42_164.0, 0.0, 0.0],
            [0.0; 3],
            Some(f64::INFINITY),
        ));
        assert!(e.unwrap_err().to_string().contains("clock"));
    }
}
