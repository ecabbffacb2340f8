//! Low-precision Sun and Moon directions of the GLONASS ICD (GLONASS CDMA general ICD,
//! edition 1.0 (2016), appendix "algorithm of computing the luni-solar accelerations"; the
//! same model as Orekit's `GLONASSNumericalPropagator`), and Greenwich mean sidereal time.
//!
//! Directions are in the inertial geocentric frame of date (x towards the mean equinox,
//! z towards the mean pole); accuracy is of the order of 0.01° (Sun) to 0.1° (Moon), ample
//! for perturbations of 10⁻⁶ m/s².

use nalgebra::Vector3;

/// Gravitational parameter of the Moon, m³/s² (JPL DE; the value Orekit uses in its ICD test).
pub const GM_MOON_M3_S2: f64 = 4.902_800_066e12;
/// Gravitational parameter of the Sun, m³/s² (IAU 2009 / JPL DE).
pub const GM_SUN_M3_S2: f64 = 1.327_124_400_18e20;

/// Julian date of the J2000 reference epoch (2000-01-01 12:00).
const JD_J2000: f64 = 2_451_545.0;

/// Unit direction and distance of a perturbing body.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BodyDirection {
    /// Direction cosines (ξ, η, ψ) in the inertial frame of date.
    pub unit: Vector3<f64>,
    /// Distance from the geocentre, m.
    pub distance_m: f64,
}

impl BodyDirection {
    /// Position of the body, m.
    pub fn position_m(&self) -> Vector3<f64> {
        self.unit * self.distance_m
    }
}

fn eccentric_anomaly(m: f64, e: f64) -> f64 {
    let m = m.rem_euclid(std::f64::consts::TAU);
    let mut ek = m;
    for _ in 0..30 {
        let d = (ek - e * ek.sin() - m) / (1.0 - e * ek.cos());
        ek -= d;
        if d.abs() < 1e-14 {
            break;
        }
    }
    ek
}

fn true_anomaly(ek: f64, e: f64) -> f64 {
    ((1.0 - e * e).sqrt() * ek.sin()).atan2(ek.cos() - e)
}

/// Moon direction at `t_centuries` Julian centuries (of 36525 days) from J2000.
///
/// ICD: a_m = 3.84385243e8 m, e_m = 0.054900489, i_m = 0.0898041080 rad;
/// ε = 0.4090926006 − 0.0002270711 T; Γ' = 1.4547885346 + 71.0176852437 T − 0.0001801481 T²;
/// Ω_m = 2.1824391966 − 33.7570459536 T + 0.0000362262 T²;
/// q_m = 2.3555557435 + 8328.6914257190 T + 0.0001545547 T²;
/// ξ* = 1 − cos²Ω_m(1 − cos i_m), η* = sinΩ_m sin i_m, ζ* = cosΩ_m sin i_m,
/// ξ11 = sinΩ_m cosΩ_m(1 − cos i_m), ξ12 = 1 − sin²Ω_m(1 − cos i_m),
/// η11 = ξ* cos ε − ζ* sin ε, η12 = ξ11 cos ε + η* sin ε,
/// ζ11 = ξ* sin ε + ζ* cos ε, ζ12 = ξ11 sin ε − η* cos ε,
/// ξ_m = ξ11 sin(ν+Γ') + ξ12 cos(ν+Γ'), likewise η_m, ζ_m; r_m = a_m(1 − e_m cos E).
pub fn moon(t_centuries: f64) -> BodyDirection {
    let t = t_centuries;
    let t2 = t * t;
    let (am, em, im) = (3.843_852_43e8, 0.054_900_489, 0.089_804_108_0);
    let eps = 0.409_092_600_6 - 0.000_227_071_1 * t;
    let gamma = 1.454_788_534_6 + 71.017_685_243_7 * t - 0.000_180_148_1 * t2;
    let node = 2.182_439_196_6 - 33.757_045_953_6 * t + 0.000_036_226_2 * t2;
    let q = 2.355_555_743_5 + 8_328.691_425_719_0 * t + 0.000_154_554_7 * t2;
    let (so, co) = node.sin_cos();
    let (si, ci) = f64::sin_cos(im);
    let (se, ce) = eps.sin_cos();
    let zeta_star = co * si;
    let eta_star = so * si;
    let xi_star = 1.0 - co * co * (1.0 - ci);
    let xi11 = so * co * (1.0 - ci);
    let xi12 = 1.0 - so * so * (1.0 - ci);
    let eta11 = xi_star * ce - zeta_star * se;
    let eta12 = xi11 * ce + eta_star * se;
    let zeta11 = xi_star * se + zeta_star * ce;
    let zeta12 = xi11 * se - eta_star * ce;
    let ek = eccentric_anomaly(q, em);
    let nu = true_anomaly(ek, em);
    let (sa, ca) = (nu + gamma).sin_cos();
    BodyDirection {
        unit: Vector3::new(
            xi11 * sa + xi12 * ca,
            eta11 * sa + eta12 * ca,
            zeta11 * sa + zeta12 * ca,
        ),
        distance_m: am * (1.0 - em * ek.cos()),
    }
}

/// Sun direction at `t_centuries` from J2000.
///
/// ICD: a_s = 1.49598e11 m, e_s = 0.016719; ω_s = −7.6281824375 + 0.0300101976 T + 0.0000079741 T²;
/// q_s = 6.2400601269 + 628.3019551714 T − 0.0000026820 T²;
/// ξ_s = cos(ν+ω_s), η_s = sin(ν+ω_s) cos ε, ζ_s = sin(ν+ω_s) sin ε; r_s = a_s(1 − e_s cos E).
pub fn sun(t_centuries: f64) -> BodyDirection {
    let t = t_centuries;
    let t2 = t * t;
    let (a_s, e_s) = (1.495_98e11, 0.016_719);
    let eps = 0.409_092_600_6 - 0.000_227_071_1 * t;
    let ws = -7.628_182_437_5 + 0.030_010_197_6 * t + 0.000_007_974_1 * t2;
    let q = 6.240_060_126_9 + 628.301_955_171_4 * t - 0.000_002_682_0 * t2;
    let ek = eccentric_anomaly(q, e_s);
    let nu = true_anomaly(ek, e_s);
    let (sl, cl) = (nu + ws).sin_cos();
    let (se, ce) = eps.sin_cos();
    BodyDirection {
        unit: Vector3::new(cl, sl * ce, sl * se),
        distance_m: a_s * (1.0 - e_s * ek.cos()),
    }
}

/// Julian centuries from J2000 at Julian date `jd`.
pub fn centuries_since_j2000(jd: f64) -> f64 {
    (jd - JD_J2000) / 36_525.0
}

/// Greenwich mean sidereal time at Julian date `jd` (UT1, taken as UTC here), rad.
///
/// GLONASS ICD (2016): ERA = 2π(0.7790572732640 + 1.00273781191135448·(JD − 2451545.0)),
/// GMST = ERA + 0.0000000703270726 + 0.0223603658710194 T + 0.0000067465784654 T²
///        − 0.0000000000021332 T³ − 0.0000000001452308 T⁴ − 0.0000000000001784 T⁵.
pub fn gmst_rad(jd: f64) -> f64 {
    let d = jd - JD_J2000;
    let era = std::f64::consts::TAU * (0.779_057_273_264_0 + 1.002_737_811_911_354_5 * d);
    let t = d / 36_525.0;
    let (t2, t3) = (t * t, t * t * t);
    era + 7.032_707_26e-8 + 2.236_036_587_101_94e-2 * t + 6.746_578_465_4e-6 * t2
        - 2.1332e-12 * t3
        - 1.452_308e-10 * t2 * t2
        - 1.784e-13 * t2 * t3
}

/// Acceleration of a satellite at `r_m` (inertial, m) by a body of parameter `gm` at
/// `body` (same frame): μ_b·[(r_b − r)/|r_b − r|³ − r_b/|r_b|³] (ICD form: μ̄(ξ − x̄)/Δ³ − μ̄ξ).
pub fn third_body_acceleration(r_m: &Vector3<f64>, body: &BodyDirection, gm: f64) -> Vector3<f64> {
    let rb = body.distance_m;
    let gm_bar = gm / (rb * rb);
    let xb = r_m / rb;
    let d = body.unit - xb;
    let d3 = d.norm().powi(3);
    gm_bar * (d / d3 - body.unit)
}

/// Julian date at 0h UTC of a Gregorian calendar date (Fliegel & Van Flandern).
pub fn julian_date_0h(year: i32, month: u8, day: u8) -> f64 {
    let (y, m, d) = (year as i64, month as i64, day as i64);
    let a = (14 - m) / 12;
    let yy = y + 4800 - a;
    let mm = m + 12 * a - 3;
    let jdn = d + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - yy / 100 + yy / 400 - 32045;
    jdn as f64 - 0.5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn julian_date_known_values() {
        // Meeus, Astronomical Algorithms, ch. 7: 2000-01-01 0h = JD 2451544.5;
        // 1957-10-04 0h = JD 2436115.5 (Sputnik example, 19.81 h → 2436116.31).
        assert_eq!(julian_date_0h(2000, 1, 1), 2_451_544.5);
        assert_eq!(julian_date_0h(1957, 10, 4), 2_436_115.5);
    }

    #[test]
    fn gmst_meeus_example() {
        // Meeus ex. 12.a: 1987-04-10 0h UT, θ0 = 13h10m46.3668s = 197.693195°.
        let g = gmst_rad(julian_date_0h(1987, 4, 10))
            .to_degrees()
            .rem_euclid(360.0);
        assert!((g - 197.693_195).abs() < 1e-4, "{g}");
    }

    #[test]
    fn sun_direction_meeus() {
        // Meeus ex. 25.a: 1992-10-13 0h TD, apparent RA 198.38083°, Dec −7.78507°,
        // R = 0.99766 AU. The ICD model is mean, low precision: tolerance 0.05°, 1e-4 AU.
        let t = centuries_since_j2000(2_448_908.5);
        let s = sun(t);
        let ra = s.unit.y.atan2(s.unit.x).to_degrees().rem_euclid(360.0);
        let dec = s.unit.z.asin().to_degrees();
        assert!((ra - 198.380_83).abs() < 0.05, "{ra}");
        assert!((dec + 7.785_07).abs() < 0.05, "{dec}");
        assert!((s.distance_m / 1.495_978_707e11 - 0.997_66).abs() < 1e-4);
    }

    #[test]
    fn moon_direction_meeus() {
        // Meeus ex. 47.a: 1992-04-12 0h TD, apparent RA 134.688470°, Dec 13.768368°,
        // distance 368409.7 km. The ICD model is a Kepler ellipse on mean elements: it omits
        // evection (1.274°), variation (0.658°) and the annual equation (0.186°), ≤ 2.2° in all,
        // and evection's ≈ 3,700 km in distance: tolerance 2.5° and 6,000 km.
        let t = centuries_since_j2000(2_448_724.5);
        let m = moon(t);
        let ra = m.unit.y.atan2(m.unit.x).to_degrees().rem_euclid(360.0);
        let dec = m.unit.z.asin().to_degrees();
        assert!((ra - 134.688_47).abs() < 2.5, "{ra}");
        assert!((dec - 13.768_368).abs() < 2.5, "{dec}");
        assert!(
            (m.distance_m - 368_409.7e3).abs() < 6.0e6,
            "{}",
            m.distance_m
        );
    }
}
