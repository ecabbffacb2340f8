//! Plausibility of decoded broadcast values: the range each field of a BeiDou or GLONASS
//! navigation message can hold, from the bit widths and scale factors of the ICDs, checked in
//! one place for every record however it was read (this crate's reader or a conversion from
//! another crate's values). A value outside its range cannot have been broadcast: it is a
//! corrupted file, and the record is refused with the field and value.
//!
//! Sources (RINEX writes angles in radians, so semicircle ranges are multiplied by π):
//! * BeiDou D1/D2: BDS-SIS-ICD-B1I-3.0 §5.2.4, Tables 5-7 to 5-11 (bits × scale factor).
//! * BeiDou B-CNAV1/B-CNAV2: BDS-SIS-ICD-B1C-1.0 §7.2–7.6 and B2a-1.0 (clock a0 25 bits ×
//!   2⁻³⁴ s, TGD/ISC 12 bits × 2⁻³⁴ s, Ȧ 25 bits × 2⁻²¹ m/s, Δṅ₀ 23 bits × 2⁻⁵⁷ sc/s²).
//! * GLONASS FDMA: GLONASS ICD Edition 5.1 (2008) Table 4.5 (x, ẋ, ẍ, τn, γn ranges).
//!
//! A margin of one part in 10⁶ absorbs the decimal rounding of RINEX.

use std::f64::consts::PI;

/// Relative margin on every ICD range (decimal rounding in RINEX).
const MARGIN: f64 = 1.0 + 1e-6;

/// One field's symmetric range: |value| ≤ `max`.
struct Limit {
    /// Field name as in error messages.
    name: &'static str,
    /// Largest |value| the message can encode, in the record's unit.
    max: f64,
    /// Unit for the message.
    unit: &'static str,
}

const fn lim(name: &'static str, max: f64, unit: &'static str) -> Limit {
    Limit { name, max, unit }
}

/// 2^k for integer k (const-friendly).
const fn p2(k: i32) -> f64 {
    let mut v = 1.0;
    let mut i = 0;
    if k >= 0 {
        while i < k {
            v *= 2.0;
            i += 1;
        }
    } else {
        while i < -k {
            v /= 2.0;
            i += 1;
        }
    }
    v
}

/// BeiDou D1/D2 (and the common orbit fields of CNAV records as RINEX writes them).
const BDS_ORBIT: [Limit; 11] = [
    // Crs, Crc: 18 bits × 2⁻⁶ m.
    lim("Crs", p2(17 - 6), "m"),
    lim("Crc", p2(17 - 6), "m"),
    // Cuc, Cus, Cic, Cis: 18 bits × 2⁻³¹ rad.
    lim("Cuc", p2(17 - 31), "rad"),
    lim("Cus", p2(17 - 31), "rad"),
    lim("Cic", p2(17 - 31), "rad"),
    lim("Cis", p2(17 - 31), "rad"),
    // Δn: 16 bits × 2⁻⁴³ sc/s (D1); CNAV Δn₀ 17 bits × 2⁻⁴⁴ sc/s has the same range.
    lim("Δn", p2(15 - 43) * PI, "rad/s"),
    // Ω̇: 24 bits × 2⁻⁴³ sc/s (CNAV: 19 bits × 2⁻⁴⁴ sc/s relative to a reference, within it).
    lim("OmegaDot", p2(23 - 43) * PI, "rad/s"),
    // IDOT: 14 bits × 2⁻⁴³ sc/s (CNAV 15 bits × 2⁻⁴⁴, same range).
    lim("IDOT", p2(13 - 43) * PI, "rad/s"),
    // M0, ω: 32 bits of semicircles, ±π; 2π admits writers that normalise to [0, 2π).
    lim("M0", 2.0 * PI, "rad"),
    lim("omega", 2.0 * PI, "rad"),
];

/// Ω0 (±π, or [0, 2π) by some writers) and i0 (±π: 32 bits of semicircles).
const BDS_ANGLES_2PI: [Limit; 2] = [lim("Omega0", 2.0 * PI, "rad"), lim("i0", PI, "rad")];

/// BeiDou clock terms: a0 24 bits × 2⁻³³ s (D1; CNAV 25 bits × 2⁻³⁴ s, same range),
/// a1 22 bits × 2⁻⁵⁰ s/s, a2 11 bits × 2⁻⁶⁶ s/s².
const BDS_CLOCK: [Limit; 3] = [
    lim("a0", p2(23 - 33), "s"),
    lim("a1", p2(21 - 50), "s/s"),
    lim("a2", p2(10 - 66), "s/s²"),
];

/// BeiDou √A: 32 bits unsigned × 2⁻¹⁹ m^½, effective range 2530–8192 m^½ (D1 Table 5-11).
pub(crate) const BDS_SQRT_A_RANGE: (f64, f64) = (2530.0, 8192.0);
/// BeiDou e: 32 bits unsigned × 2⁻³³: [0, 0.5].
pub(crate) const BDS_E_MAX: f64 = 0.5;
/// BeiDou TGD: D1 10 bits × 0.1 ns (±51.2 ns); CNAV 12 bits × 2⁻³⁴ s (±119 ns). The wider.
const BDS_TGD: Limit = lim("TGD", p2(11 - 34), "s");
/// CNAV Ȧ: 25 bits × 2⁻²¹ m/s.
const BDS_A_DOT: Limit = lim("A_DOT", p2(24 - 21), "m/s");
/// CNAV Δṅ₀: 23 bits × 2⁻⁵⁷ sc/s².
const BDS_DELTA_N_DOT: Limit = lim("Δn0 rate", p2(22 - 57) * PI, "rad/s²");

/// GLONASS: x, y, z ±2.7·10⁴ km; ẋ, ẏ, ż ±4.3 km/s; ẍ, ÿ, z̈ ±6.2·10⁻⁹ km/s² (27, 24, 5 bits);
/// τn ±2⁻⁹ s (22 bits × 2⁻³⁰); γn ±2⁻³⁰ (11 bits × 2⁻⁴⁰). In the record's units (m, m/s, m/s²).
const GLONASS_POSITION_M: f64 = 2.7e7;
const GLONASS_VELOCITY_M_S: f64 = 4.3e3;
const GLONASS_ACCELERATION_M_S2: f64 = 6.2e-6;
const GLONASS_TAU_N_S: f64 = p2(-9);
const GLONASS_GAMMA_N: f64 = p2(-30);
/// GLONASS message frame time: seconds of the day (RINEX 2) or of the week (RINEX 3/4), or the
/// 0.999999999999e9 "unknown" value some writers put there; anything larger is corrupt.
const GLONASS_FRAME_TIME_S: f64 = 1e9;

/// Checks |value| against a limit; the message names field, value and range.
fn check(l: &Limit, v: f64) -> Result<(), String> {
    if v.is_finite() && v.abs() <= l.max * MARGIN {
        Ok(())
    } else {
        Err(format!(
            "{} = {v:e} {} is outside what the message can hold (|{}| ≤ {:e} {})",
            l.name, l.unit, l.name, l.max, l.unit
        ))
    }
}

/// The BeiDou fields (RINEX units: m, rad, rad/s, s) against the ICD ranges. `orbit` in the
/// order of [`BDS_ORBIT`], `angles` Ω0 and i0, `clock` a0 a1 a2, `tgd` TGD1/TGD2 (or the CNAV
/// TGDs), `cnav` Ȧ and Δṅ₀ for CNAV records.
pub(crate) fn check_bds(
    orbit: [f64; 11],
    angles: [f64; 2],
    clock: [f64; 3],
    tgd: [f64; 2],
    cnav: Option<[f64; 2]>,
) -> Result<(), String> {
    for (l, v) in BDS_ORBIT.iter().zip(orbit) {
        check(l, v)?;
    }
    for (l, v) in BDS_ANGLES_2PI.iter().zip(angles) {
        check(l, v)?;
    }
    for (l, v) in BDS_CLOCK.iter().zip(clock) {
        check(l, v)?;
    }
    for v in tgd {
        check(&BDS_TGD, v)?;
    }
    if let Some([a_dot, dn_dot]) = cnav {
        check(&BDS_A_DOT, a_dot)?;
        check(&BDS_DELTA_N_DOT, dn_dot)?;
    }
    Ok(())
}

/// The GLONASS fields (m, m/s, m/s², s) against the ICD ranges, per component.
pub(crate) fn check_glonass(
    position_m: [f64; 3],
    velocity_m_s: [f64; 3],
    acceleration_m_s2: [f64; 3],
    tau_n_s: f64,
    gamma_n: f64,
    frame_time_s: f64,
) -> Result<(), String> {
    let axes = ["X", "Y", "Z"];
    for (k, axis) in axes.iter().enumerate() {
        check(&lim(axis, GLONASS_POSITION_M, "m"), position_m[k])?;
        check(&lim(axis, GLONASS_VELOCITY_M_S, "m/s"), velocity_m_s[k])
            .map_err(|m| format!("velocity {m}"))?;
        check(
            &lim(axis, GLONASS_ACCELERATION_M_S2, "m/s²"),
            acceleration_m_s2[k],
        )
        .map_err(|m| format!("acceleration {m}"))?;
    }
    check(&lim("tau_n", GLONASS_TAU_N_S, "s"), tau_n_s)?;
    check(&lim("gamma_n", GLONASS_GAMMA_N, ""), gamma_n)?;
    check(&lim("frame time", GLONASS_FRAME_TIME_S, "s"), frame_time_s)?;
    Ok(())
}

/// Radius bands (m) of each constellation's orbits, for broadcast-derived states and SP3 nodes
/// alike. Nominal values: BDS-OS-PS-3.0 §2.2, GLONASS ICD 5.1 §3.1; GLONASS a = 25,510 km,
/// BeiDou MEO a = 27,906 km, IGSO/GEO a = 42,164 km with e ≤ 0.005 in practice, so ±2 % of a
/// covers every real orbit with margin.
const GLONASS_BAND_M: [(f64, f64); 1] = [(24_500e3, 26_500e3)];
const BDS_BANDS_M: [(f64, f64); 2] = [(26_500e3, 29_500e3), (40_000e3, 44_500e3)];
/// Any other GNSS: GPS 26,560 km, Galileo 29,600 km, QZSS IGSO 42,164 km with e ≈ 0.075 (apogee
/// 45,330 km, IS-QZSS-PNT-005 §3.1).
const ANY_GNSS_BAND_M: [(f64, f64); 1] = [(20_000e3, 46_500e3)];

/// The radius bands (m) a satellite of constellation `c` can occupy.
pub fn orbit_radius_bands_m(c: crate::id::Constellation) -> &'static [(f64, f64)] {
    use crate::id::Constellation;
    match c {
        Constellation::Glonass => &GLONASS_BAND_M,
        Constellation::BeiDou => &BDS_BANDS_M,
        _ => &ANY_GNSS_BAND_M,
    }
}

/// `None` when `radius_m` lies in one of the bands of `c`, else the reason (radius and bands).
pub fn radius_outside_bands(c: crate::id::Constellation, radius_m: f64) -> Option<String> {
    let bands = orbit_radius_bands_m(c);
    if radius_m.is_finite() && bands.iter().any(|&(lo, hi)| (lo..=hi).contains(&radius_m)) {
        return None;
    }
    let text: Vec<String> = bands
        .iter()
        .map(|(lo, hi)| format!("{:.0}–{:.0} km", lo / 1e3, hi / 1e3))
        .collect();
    let km = radius_m / 1e3;
    let km = if km.abs() < 1e6 {
        format!("{km:.0}")
    } else {
        crate::limits::brief(km)
    };
    Some(format!(
        "orbit radius {km} km outside the {c} band(s) {}",
        text.join(", ")
    ))
}

/// Largest |clock offset| of a satellite against its system (or product) time, s: BeiDou a0
/// ±0.98 ms, GLONASS τn ±1.95 ms (ICDs); 10 ms leaves margin for drift over a validity window
/// and for the system offset a precise product's clocks include.
pub const MAX_CLOCK_OFFSET_S: f64 = 1e-2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icd_ranges() {
        // BDS-SIS-ICD-B1I-3.0: a0 ±9.7656e-4 s, Crs ±2048 m, Cuc ±6.1035e-5 rad.
        assert_eq!(BDS_CLOCK[0].max, 9.765625e-4);
        assert_eq!(BDS_ORBIT[0].max, 2048.0);
        assert!((BDS_ORBIT[2].max - 6.1035e-5).abs() < 1e-9);
        // GLONASS ICD: τn ±1.953e-3 s, γn ±9.31e-10.
        assert!((GLONASS_TAU_N_S - 1.953e-3).abs() < 1e-6);
        assert!((GLONASS_GAMMA_N - 9.31e-10).abs() < 1e-12);
        assert!(check(&BDS_CLOCK[0], f64::NAN).is_err());
        assert!(check(&BDS_CLOCK[0], 1e308).is_err());
        assert!(check(&BDS_CLOCK[0], -9.765625e-4).is_ok());
    }
}
