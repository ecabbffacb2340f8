//! Satellite identifiers, constellations and BeiDou orbit classes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A GNSS constellation. BeiDou and GLONASS are the subject of this crate; the others
/// exist so that mixed files can be read and their records skipped knowingly.
///
/// Parses from the RINEX system letter or the name, any case:
///
/// ```
/// use gnss_interop::id::Constellation;
/// let c: Constellation = "glonass".parse()?;
/// assert_eq!(c, Constellation::Glonass);
/// assert_eq!(c.letter(), 'R');
/// assert_eq!(Constellation::from_letter('C'), Some(Constellation::BeiDou));
/// // BeiDou PRNs run C01–C63 (BDS SIS ICD).
/// assert_eq!(Constellation::BeiDou.max_prn(), 63);
/// # Ok::<(), gnss_interop::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Constellation {
    /// BeiDou (RINEX letter `C`).
    BeiDou,
    /// GLONASS (RINEX letter `R`).
    Glonass,
    /// GPS (RINEX letter `G`).
    Gps,
    /// Galileo (RINEX letter `E`).
    Galileo,
    /// QZSS (RINEX letter `J`).
    Qzss,
}

impl Constellation {
    /// The RINEX system letter.
    pub fn letter(self) -> char {
        match self {
            Constellation::BeiDou => 'C',
            Constellation::Glonass => 'R',
            Constellation::Gps => 'G',
            Constellation::Galileo => 'E',
            Constellation::Qzss => 'J',
        }
    }

    /// The constellation for a RINEX system letter, if it is one of those known here.
    pub fn from_letter(c: char) -> Option<Self> {
        match c {
            'C' => Some(Constellation::BeiDou),
            'R' => Some(Constellation::Glonass),
            'G' => Some(Constellation::Gps),
            'E' => Some(Constellation::Galileo),
            'J' => Some(Constellation::Qzss),
            _ => None,
        }
    }

    /// Highest PRN / slot number accepted for the constellation.
    pub fn max_prn(self) -> u8 {
        match self {
            Constellation::BeiDou => 63,
            Constellation::Glonass => 27,
            Constellation::Gps => 32,
            Constellation::Galileo => 36,
            Constellation::Qzss => 10,
        }
    }

    /// Human-readable name.
    pub fn name(self) -> &'static str {
        match self {
            Constellation::BeiDou => "BeiDou",
            Constellation::Glonass => "GLONASS",
            Constellation::Gps => "GPS",
            Constellation::Galileo => "Galileo",
            Constellation::Qzss => "QZSS",
        }
    }
}

impl fmt::Display for Constellation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Constellation {
    type Err = IdError;
    /// Accepts the RINEX letter (`C`, `R`, …) or the name (`beidou`, `bds`, `glonass`, `glo`, …).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let mut chars = t.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Constellation::from_letter(c.to_ascii_uppercase())
                .ok_or_else(|| IdError::UnknownConstellation(t.to_string()));
        }
        match t.to_ascii_lowercase().as_str() {
            "beidou" | "bds" | "compass" => Ok(Constellation::BeiDou),
            "glonass" | "glo" => Ok(Constellation::Glonass),
            "gps" => Ok(Constellation::Gps),
            "galileo" | "gal" => Ok(Constellation::Galileo),
            "qzss" | "qzs" => Ok(Constellation::Qzss),
            _ => Err(IdError::UnknownConstellation(t.to_string())),
        }
    }
}

/// Errors of identifier parsing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdError {
    /// The text is not a satellite identifier such as `C01` or `R07`.
    #[error("'{0}' is not a satellite identifier (expected a system letter and a number, e.g. C01, R07)")]
    Malformed(String),
    /// The system letter or name is not known.
    #[error("unknown constellation '{0}' (expected C/BeiDou, R/GLONASS, G, E or J)")]
    UnknownConstellation(String),
    /// The number is outside the constellation's range.
    #[error("{constellation} has no satellite number {prn} (valid: 1..={max})")]
    PrnOutOfRange {
        /// Constellation of the identifier.
        constellation: Constellation,
        /// The offending number.
        prn: u16,
        /// The largest valid number.
        max: u8,
    },
}

/// A validated satellite identifier: constellation plus PRN (BeiDou) or slot (GLONASS).
///
/// Displays as the RINEX 3 identifier (`C01`, `R07`); parses from it, and also from the
/// RINEX 2 space-padded form (`C 1`).
///
/// ```
/// use gnss_interop::id::{Constellation, SatId};
/// let sat: SatId = "C 1".parse()?;
/// assert_eq!(sat.to_string(), "C01");
/// assert_eq!(sat, SatId::new(Constellation::BeiDou, 1)?);
/// // C01–C05 and C59–C63 are the PRNs the BDS ICD gives to GEO satellites.
/// assert!(sat.is_bds_geo_prn());
/// let r07: SatId = "R07".parse()?;
/// assert_eq!((r07.constellation(), r07.prn()), (Constellation::Glonass, 7));
/// assert!("C00".parse::<SatId>().is_err());
/// # Ok::<(), gnss_interop::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SatId {
    constellation: Constellation,
    prn: u8,
}

impl SatId {
    /// A satellite identifier, checked against the constellation's PRN range.
    pub fn new(constellation: Constellation, prn: u8) -> Result<Self, IdError> {
        if prn == 0 || prn > constellation.max_prn() {
            return Err(IdError::PrnOutOfRange {
                constellation,
                prn: prn as u16,
                max: constellation.max_prn(),
            });
        }
        Ok(SatId { constellation, prn })
    }

    /// The constellation.
    pub fn constellation(self) -> Constellation {
        self.constellation
    }

    /// PRN (BeiDou, GPS, …) or orbital slot (GLONASS).
    pub fn prn(self) -> u8 {
        self.prn
    }

    /// Whether the BeiDou PRN is one the ICD assigns to geostationary satellites
    /// (C01–C05, C59–C63). Use [`BdsOrbitClass::from_orbit`] to decide from the orbit itself.
    pub fn is_bds_geo_prn(self) -> bool {
        self.constellation == Constellation::BeiDou && (self.prn <= 5 || self.prn >= 59)
    }
}

impl fmt::Display for SatId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:02}", self.constellation.letter(), self.prn)
    }
}

impl FromStr for SatId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let mut chars = t.chars();
        let letter = chars
            .next()
            .ok_or_else(|| IdError::Malformed(s.to_string()))?;
        let rest = chars.as_str().trim();
        if rest.is_empty() || rest.len() > 3 || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Malformed(s.to_string()));
        }
        let constellation = Constellation::from_letter(letter.to_ascii_uppercase())
            .ok_or_else(|| IdError::UnknownConstellation(letter.to_string()))?;
        let prn: u16 = rest
            .parse()
            .map_err(|_| IdError::Malformed(s.to_string()))?;
        if prn == 0 || prn > constellation.max_prn() as u16 {
            return Err(IdError::PrnOutOfRange {
                constellation,
                prn,
                max: constellation.max_prn(),
            });
        }
        SatId::new(constellation, prn as u8)
    }
}

impl TryFrom<String> for SatId {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<SatId> for String {
    fn from(s: SatId) -> String {
        s.to_string()
    }
}

/// Orbit class of a BeiDou satellite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BdsOrbitClass {
    /// Geostationary orbit (inclination near 0°, synchronous).
    Geo,
    /// Inclined geosynchronous orbit (synchronous, inclined ≈55°).
    Igso,
    /// Medium Earth orbit (a ≈ 27,906 km).
    Meo,
}

impl BdsOrbitClass {
    /// Class decided from the orbit: semi-major axis above 35,000 km is geosynchronous,
    /// then inclination below 20° is GEO, otherwise IGSO; anything lower is MEO.
    ///
    /// (BDS-3 reference values: MEO a = 27,906,100 m, IGSO/GEO a = 42,162,200 m.)
    pub fn from_orbit(semi_major_axis_m: f64, inclination_rad: f64) -> Self {
        if semi_major_axis_m > 35_000_000.0 {
            if inclination_rad.to_degrees().abs() < 20.0 {
                BdsOrbitClass::Geo
            } else {
                BdsOrbitClass::Igso
            }
        } else {
            BdsOrbitClass::Meo
        }
    }

    /// Short label used in tables (`GEO`, `IGSO`, `MEO`).
    pub fn label(self) -> &'static str {
        match self {
            BdsOrbitClass::Geo => "GEO",
            BdsOrbitClass::Igso => "IGSO",
            BdsOrbitClass::Meo => "MEO",
        }
    }
}

impl fmt::Display for BdsOrbitClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_display() {
        let s: SatId = "C01".parse().unwrap();
        assert_eq!(s.to_string(), "C01");
        assert!(s.is_bds_geo_prn());
        let r: SatId = "R 7".parse().unwrap();
        assert_eq!(r.to_string(), "R07");
        assert_eq!(r.constellation(), Constellation::Glonass);
        assert!("C00".parse::<SatId>().is_err());
        assert!("C64".parse::<SatId>().is_err());
        assert!("R28".parse::<SatId>().is_err());
        assert!("X01".parse::<SatId>().is_err());
        assert!("".parse::<SatId>().is_err());
        assert!("C".parse::<SatId>().is_err());
        assert!("C1x".parse::<SatId>().is_err());
    }

    #[test]
    fn orbit_class() {
        // BDS-3 reference semi-major axes (B-CNAV reference values, BDS ICD B1C §7).
        assert_eq!(
            BdsOrbitClass::from_orbit(42_162_200.0, 0.02),
            BdsOrbitClass::Geo
        );
        assert_eq!(
            BdsOrbitClass::from_orbit(42_162_200.0, 55f64.to_radians()),
            BdsOrbitClass::Igso
        );
        assert_eq!(
            BdsOrbitClass::from_orbit(27_906_100.0, 55f64.to_radians()),
            BdsOrbitClass::Meo
        );
    }
}
