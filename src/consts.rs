//! Physical constants of the reference systems, each with its source.
//!
//! SI units throughout; the unit is in every name.

/// Speed of light in vacuum, m/s (IAU/IERS conventions; also BDS SIS ICD §5.2.4.10).
pub const SPEED_OF_LIGHT_M_S: f64 = 299_792_458.0;

/// CGCS2000 / BeiDou constants (BDS SIS ICD, B1I v3.0, §3.2 and Table 5-11).
pub mod cgcs2000 {
    /// Semi-major axis of the CGCS2000 ellipsoid, m.
    pub const SEMI_MAJOR_AXIS_M: f64 = 6_378_137.0;
    /// Inverse flattening of the CGCS2000 ellipsoid.
    pub const INVERSE_FLATTENING: f64 = 298.257_222_101;
    /// Geocentric gravitational constant μ, m³/s².
    pub const GM_M3_S2: f64 = 3.986_004_418e14;
    /// Earth rotation rate Ω̇e, rad/s.
    pub const EARTH_ROTATION_RAD_S: f64 = 7.292_115_0e-5;
    /// Relativistic clock constant F = −2√μ/c², s/√m (BDS SIS ICD §5.2.4.10).
    pub const RELATIVISTIC_F_S_PER_SQRT_M: f64 = -4.442_807_309e-10;
}

/// PZ-90.11 / GLONASS constants (GLONASS ICD, edition 5.1 (2008) and the PZ-90.11
/// parameters of "Parametry Zemli 1990" (2014)).
pub mod pz90 {
    /// Semi-major axis of the PZ-90 ellipsoid, m.
    pub const SEMI_MAJOR_AXIS_M: f64 = 6_378_136.0;
    /// Inverse flattening of the PZ-90 ellipsoid.
    pub const INVERSE_FLATTENING: f64 = 298.257_84;
    /// Geocentric gravitational constant μ (PZ-90.11), m³/s².
    /// Older code and the 2008 ICD use 3.9860044e14.
    pub const GM_M3_S2: f64 = 3.986_004_418e14;
    /// Earth rotation rate ωE, rad/s.
    pub const EARTH_ROTATION_RAD_S: f64 = 7.292_115e-5;
    /// Second zonal harmonic J₂⁰ (= −C₂₀), dimensionless.
    pub const J2: f64 = 1.082_625_7e-3;
}

/// WGS84 constants (NGA.STND.0036 / TR8350.2).
pub mod wgs84 {
    /// Semi-major axis of the WGS84 ellipsoid, m.
    pub const SEMI_MAJOR_AXIS_M: f64 = 6_378_137.0;
    /// Inverse flattening of the WGS84 ellipsoid.
    pub const INVERSE_FLATTENING: f64 = 298.257_223_563;
    /// Geocentric gravitational constant μ, m³/s² (IS-GPS-200 value).
    pub const GM_M3_S2: f64 = 3.986_005e14;
    /// Earth rotation rate, rad/s.
    pub const EARTH_ROTATION_RAD_S: f64 = 7.292_115_146_7e-5;
}

/// Time constants (BDS SIS ICD §3.3; IS-GPS-200; GLONASS ICD §3.3.3).
pub mod time {
    /// Seconds in a GNSS week.
    pub const SECONDS_PER_WEEK: f64 = 604_800.0;
    /// Seconds in a day.
    pub const SECONDS_PER_DAY: f64 = 86_400.0;
    /// BDT = GPST − 14 s (BDS SIS ICD §3.3).
    pub const GPST_MINUS_BDT_S: f64 = 14.0;
    /// GPS week number at the BDT origin, 2006-01-01 00:00:00 UTC.
    pub const GPS_WEEK_AT_BDT_ORIGIN: u32 = 1356;
    /// GLONASS time = UTC(SU) + 3 h (GLONASS ICD §3.3.3).
    pub const GLONASST_MINUS_UTC_S: f64 = 10_800.0;
}
