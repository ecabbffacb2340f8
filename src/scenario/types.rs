//! Values of a scenario file that carry their own validation: each type is read with
//! `#[serde(try_from = …)]`, so a value that deserializes is in range, and an out-of-range
//! value is refused with one message naming what is expected. The loader reports that
//! message at the key path and line where the value was written.
//!
//! ```
//! use gnss_interop::scenario::types::{LatDeg, StepS};
//! assert_eq!(LatDeg::try_from(55.75).unwrap().get(), 55.75);
//! let e = LatDeg::try_from(100.0).unwrap_err();
//! assert_eq!(e, "100 is out of range; expected a latitude (degrees) in [-90, 90]");
//! assert!(StepS::try_from(0.0).is_err());
//! ```

use hifitime::Epoch;
use serde::Deserialize;

use crate::frames::Region;
use crate::id::{Constellation, SatId};
use crate::limits::{in_range, End, CLOSED, OPEN};
use crate::orbit::longspan::MAX_SPAN_DAYS;
use crate::time::{Scale, TimeError};

/// `v` when finite and within `lo … hi` ([`crate::limits::in_range`]), else its message
/// ("`v` is out of range; expected `what` in `[lo, hi]`", "`v` is not allowed; expected
/// `what` > `lo`").
fn bounded(v: f64, lo: End, hi: End, what: &str) -> Result<f64, String> {
    in_range(v, lo, hi, what).map_err(|e| e.to_string())
}

/// Defines a range-checked `f64` newtype read from a TOML number.
macro_rules! bounded_f64 {
    ($(#[$doc:meta])* $name:ident, $lo:expr, $hi:expr, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Deserialize)]
        #[serde(try_from = "f64")]
        pub struct $name(f64);

        impl TryFrom<f64> for $name {
            type Error = String;
            fn try_from(v: f64) -> Result<Self, String> {
                bounded(v, $lo, $hi, $what).map(Self)
            }
        }

        impl $name {
            /// The value.
            pub fn get(self) -> f64 {
                self.0
            }
        }

        impl From<$name> for f64 {
            fn from(v: $name) -> f64 {
                v.0
            }
        }
    };
}

bounded_f64!(
    /// Geodetic latitude, degrees, in [−90, 90].
    LatDeg, (-90.0, CLOSED), (90.0, CLOSED), "a latitude (degrees)"
);
bounded_f64!(
    /// Longitude, degrees, in [−180, 360] (east of 180 is allowed so that boxes can cross it).
    LonDeg, (-180.0, CLOSED), (360.0, CLOSED), "a longitude (degrees)"
);
bounded_f64!(
    /// An elevation mask (user or tracking), degrees, in [0, 90).
    ElevationMaskDeg, (0.0, CLOSED), (90.0, OPEN), "an elevation mask (degrees)"
);
bounded_f64!(
    /// Spacing of a grid or lattice, degrees, in (0, 30].
    GridStepDeg, (0.0, OPEN), (30.0, CLOSED), "a grid step (degrees)"
);
bounded_f64!(
    /// Ellipsoidal height of a user (grid point or site), metres: users may be airborne, but
    /// above 100 km they are no longer "on or near the Earth".
    UserHeightM, (-500.0, CLOSED), (100_000.0, CLOSED), "a user's ellipsoidal height (metres)"
);
bounded_f64!(
    /// Ellipsoidal height of a ground station, metres: the geoid lies within about ±110 m of
    /// the ellipsoid and the highest summit is at 8,849 m, so a value outside [−500, 9000] is
    /// a unit mistake (feet, kilometres) or a typo.
    StationHeightM, (-500.0, CLOSED), (9_000.0, CLOSED), "a station's ellipsoidal height (metres)"
);
bounded_f64!(
    /// A step between epochs, seconds, > 0.
    StepS, (0.0, OPEN), (f64::INFINITY, OPEN), "a step in seconds"
);
bounded_f64!(
    /// A finite number > 0 (σ, thresholds, caps).
    Positive, (0.0, OPEN), (f64::INFINITY, OPEN), "a number"
);
bounded_f64!(
    /// A finite number ≥ 0 (growth rates).
    NonNegative, (0.0, CLOSED), (f64::INFINITY, OPEN), "a number"
);

/// A count of at least one (layout size `k`, stations needed to monitor a satellite).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "i64")]
pub struct AtLeastOne(u32);

impl TryFrom<i64> for AtLeastOne {
    type Error = String;
    fn try_from(v: i64) -> Result<Self, String> {
        u32::try_from(v)
            .ok()
            .filter(|&n| n >= 1)
            .map(Self)
            .ok_or_else(|| format!("{v} is not allowed; expected an integer ≥ 1"))
    }
}

impl AtLeastOne {
    /// The count.
    pub fn get(self) -> u32 {
        self.0
    }
}

/// Length of a long-span propagation, days, in 1 ..= [`MAX_SPAN_DAYS`] (60, the propagator's
/// limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "i64")]
pub struct Days(u32);

impl TryFrom<i64> for Days {
    type Error = String;
    fn try_from(v: i64) -> Result<Self, String> {
        match u32::try_from(v) {
            Ok(d) if (1..=MAX_SPAN_DAYS).contains(&d) => Ok(Self(d)),
            _ => Err(format!(
                "{v} is out of range; expected a number of days in [1, {MAX_SPAN_DAYS}]"
            )),
        }
    }
}

impl Days {
    /// The number of days.
    pub fn get(self) -> u32 {
        self.0
    }
}

/// A scenario name: 1–64 characters from `a–z`, `0–9`, `_` and `-` (it names the output
/// directory).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Slug(String);

impl TryFrom<String> for Slug {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if ok {
            Ok(Self(s))
        } else {
            Err(format!(
                "\"{s}\" is not a valid name; expected 1–64 characters from a–z, 0–9, '_' and '-' (it names the output directory)"
            ))
        }
    }
}

impl Slug {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> String {
        s.0
    }
}

/// A station identifier: non-empty, without spaces (surrounding spaces are trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct StationId(String);

impl TryFrom<String> for StationId {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let id = s.trim();
        if id.is_empty() || id.chars().any(char::is_whitespace) {
            Err(format!(
                "\"{s}\" is not a station id; expected a non-empty id without spaces"
            ))
        } else {
            Ok(Self(id.to_string()))
        }
    }
}

impl StationId {
    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A system this crate studies: BeiDou (`"C"`) or GLONASS (`"R"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct StudiedSystem(Constellation);

impl TryFrom<String> for StudiedSystem {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        match s.parse::<Constellation>() {
            Ok(c @ (Constellation::BeiDou | Constellation::Glonass)) => Ok(Self(c)),
            Ok(c) => Err(format!(
                "{c} (\"{s}\") is not studied here; expected \"C\" (BeiDou) or \"R\" (GLONASS)"
            )),
            Err(_) => Err(format!(
                "unknown system \"{s}\"; expected \"C\" (BeiDou) or \"R\" (GLONASS)"
            )),
        }
    }
}

impl StudiedSystem {
    /// The constellation.
    pub fn get(self) -> Constellation {
        self.0
    }
}

/// A satellite of a system this crate studies, written `"C01"` (BeiDou) or `"R07"`
/// (GLONASS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct StudiedSatellite(SatId);

impl TryFrom<String> for StudiedSatellite {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let expected = "expected a BeiDou or GLONASS satellite such as \"C01\" or \"R07\"";
        match s.trim().parse::<SatId>() {
            Ok(sat) => {
                StudiedSystem::try_from(sat.constellation().letter().to_string())
                    .map_err(|_| format!("{sat} is not studied here; {expected}"))?;
                Ok(Self(sat))
            }
            Err(e) => Err(format!("\"{s}\" is not a satellite ({e}); {expected}")),
        }
    }
}

impl StudiedSatellite {
    /// The satellite.
    pub fn get(self) -> SatId {
        self.0
    }
}

/// A date-time of the file with its scale: a string (`"2023-01-01T00:00:00 BDT"`, parsed by
/// [`crate::time::parse_epoch`], default UTC) or a TOML date-time (`2023-01-01T00:00:00Z`).
#[derive(Debug, Clone, PartialEq)]
pub struct Date {
    /// The instant.
    pub epoch: Epoch,
    /// The scale it was written in (UTC without a suffix).
    pub scale: Scale,
    /// The text as written, for messages.
    pub text: String,
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        match crate::time::parse_epoch(&text, Scale::Utc) {
            Ok((epoch, scale)) => Ok(Date { epoch, scale, text }),
            Err(e @ (TimeError::UnknownScale { .. } | TimeError::ZoneWithScale { .. })) => {
                Err(e.to_string())
            }
            Err(e) => Err(format!(
                "\"{text}\" is not a date-time ({e}); expected a date-time such as \"2023-01-01T00:00:00 UTC\" (scale UTC, GPST, BDT, TAI or GLONASST; default UTC)"
            )),
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = match toml::Value::deserialize(d)? {
            toml::Value::String(s) => s,
            toml::Value::Datetime(dt) => dt.to_string(),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "invalid type: {}, expected a date-time such as \"2023-01-01T00:00:00 UTC\"",
                    other.type_str()
                )))
            }
        };
        Date::try_from(text).map_err(serde::de::Error::custom)
    }
}

/// A latitude/longitude box written `[lat_min, lat_max, lon_min, lon_max]`, degrees, with
/// the antimeridian rule of [`Region`]: a box runs east from `lon_min` to `lon_max`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(try_from = "Vec<f64>")]
pub struct RegionBox(Region);

impl TryFrom<Vec<f64>> for RegionBox {
    type Error = String;
    fn try_from(r: Vec<f64>) -> Result<Self, String> {
        let &[lat_min, lat_max, lon_min, lon_max] = r.as_slice() else {
            return Err(format!(
                "{} values; expected 4: [lat_min, lat_max, lon_min, lon_max] in degrees",
                r.len()
            ));
        };
        for (v, what) in [(lat_min, "lat_min"), (lat_max, "lat_max")] {
            LatDeg::try_from(v).map_err(|e| format!("{what} = {e}"))?;
        }
        for (v, what) in [(lon_min, "lon_min"), (lon_max, "lon_max")] {
            LonDeg::try_from(v).map_err(|e| format!("{what} = {e}"))?;
        }
        if lat_min >= lat_max {
            return Err(format!(
                "lat_min {lat_min} must be less than lat_max {lat_max}"
            ));
        }
        if lon_min == lon_max {
            return Err(format!("lon_min and lon_max are both {lon_min}: an empty box; the box runs east from lon_min to lon_max (lon_max < lon_min crosses 180°)"));
        }
        if lon_max - lon_min > 360.0 {
            return Err(format!(
                "the longitude extent {} exceeds 360°",
                lon_max - lon_min
            ));
        }
        Ok(Self(Region {
            lat_min_deg: lat_min,
            lat_max_deg: lat_max,
            lon_min_deg: lon_min,
            lon_max_deg: lon_max,
        }))
    }
}

impl RegionBox {
    /// The box.
    pub fn get(self) -> Region {
        self.0
    }
}

/// A node of an azimuth-dependent mask, `[azimuth_deg, elevation_deg]`: azimuth in
/// [0, 360), elevation an [`ElevationMaskDeg`].
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(try_from = "Vec<f64>")]
pub struct MaskNode {
    /// Azimuth, degrees.
    pub azimuth_deg: f64,
    /// Mask elevation at that azimuth, degrees.
    pub elevation_deg: f64,
}

impl TryFrom<Vec<f64>> for MaskNode {
    type Error = String;
    fn try_from(n: Vec<f64>) -> Result<Self, String> {
        let &[az, el] = n.as_slice() else {
            return Err(format!(
                "{} values; expected [azimuth_deg, elevation_deg]",
                n.len()
            ));
        };
        Ok(MaskNode {
            azimuth_deg: bounded(az, (0.0, CLOSED), (360.0, OPEN), "an azimuth (degrees)")?,
            elevation_deg: ElevationMaskDeg::try_from(el)?.get(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Bounds from the format's rules (docs/design.md, scenario files); the ends are the
    // cases that matter.
    #[test]
    fn ends_of_the_ranges() {
        assert!(LatDeg::try_from(-90.0).is_ok() && LatDeg::try_from(90.0).is_ok());
        assert!(LatDeg::try_from(90.000_001).is_err());
        assert!(LonDeg::try_from(360.0).is_ok() && LonDeg::try_from(-180.1).is_err());
        assert!(ElevationMaskDeg::try_from(0.0).is_ok());
        assert_eq!(
            ElevationMaskDeg::try_from(90.0).unwrap_err(),
            "90 is out of range; expected an elevation mask (degrees) in [0, 90)"
        );
        assert!(GridStepDeg::try_from(30.0).is_ok() && GridStepDeg::try_from(0.0).is_err());
        assert!(StepS::try_from(f64::NAN).is_err() && StepS::try_from(1e-3).is_ok());
        assert!(StationHeightM::try_from(9_000.0).is_ok());
        assert!(StationHeightM::try_from(9_001.0).is_err());
        assert!(UserHeightM::try_from(10_000.0).is_ok());
        assert!(NonNegative::try_from(0.0).is_ok() && Positive::try_from(0.0).is_err());
        // The propagator's limit (orbit::longspan: "span must be in (0, 60] days").
        assert!(Days::try_from(60).is_ok() && Days::try_from(0).is_err());
        assert!(Days::try_from(61).is_err());
        assert!(AtLeastOne::try_from(1).is_ok() && AtLeastOne::try_from(0).is_err());
        assert!(AtLeastOne::try_from(i64::MAX).is_err());
    }

    #[test]
    fn texts() {
        assert!(Slug::try_from("run_1-a".to_string()).is_ok());
        for bad in ["", "Upper", "a b", &"x".repeat(65)] {
            assert!(Slug::try_from(bad.to_string()).is_err(), "{bad}");
        }
        assert_eq!(
            StationId::try_from(" AB1 ".to_string()).unwrap().as_str(),
            "AB1"
        );
        assert!(StationId::try_from("A B".to_string()).is_err());
        let c = StudiedSystem::try_from("R".to_string()).unwrap();
        assert_eq!(c.get(), Constellation::Glonass);
        assert!(StudiedSystem::try_from("G".to_string())
            .unwrap_err()
            .contains("not studied here"));
        assert_eq!(
            StudiedSatellite::try_from("R07".to_string()).unwrap().get(),
            "R07".parse().unwrap()
        );
        assert!(StudiedSatellite::try_from("G05".to_string())
            .unwrap_err()
            .starts_with("G05 is not studied here"));
        assert!(StudiedSatellite::try_from("C1x".to_string()).is_err());
        assert!(StudiedSystem::try_from("X".to_string())
            .unwrap_err()
            .starts_with("unknown system \"X\""));
    }

    #[test]
    fn boxes_and_nodes() {
        let r = RegionBox::try_from(vec![-10.0, 10.0, 170.0, -170.0])
            .unwrap()
            .get();
        assert_eq!(r.lon_extent_deg(), 20.0);
        assert_eq!(
            RegionBox::try_from(vec![60.0, 20.0, 0.0, 10.0]).unwrap_err(),
            "lat_min 60 must be less than lat_max 20"
        );
        assert!(RegionBox::try_from(vec![0.0, 10.0, 5.0, 5.0]).is_err());
        assert!(RegionBox::try_from(vec![0.0, 10.0]).is_err());
        assert!(RegionBox::try_from(vec![0.0, 100.0, 0.0, 10.0])
            .unwrap_err()
            .starts_with("lat_max = 100 is out of range"));
        assert!(MaskNode::try_from(vec![359.9, 10.0]).is_ok());
        assert!(MaskNode::try_from(vec![360.0, 10.0]).is_err());
        assert!(MaskNode::try_from(vec![0.0]).is_err());
    }

    #[test]
    fn dates_keep_their_scale_and_text() {
        let d = Date::try_from("2023-01-01T00:00:04 BDT".to_string()).unwrap();
        assert_eq!(d.scale, Scale::Bdt);
        assert_eq!(d.text, "2023-01-01T00:00:04 BDT");
        assert!(Date::try_from("yesterday".to_string())
            .unwrap_err()
            .contains("is not a date-time"));
    }

    fn parse_epoch(text: &str) -> Result<(Epoch, Scale), String> {
        Date::try_from(text.to_string()).map(|d| (d.epoch, d.scale))
    }

    #[test]
    fn epochs_in_each_scale() {
        // BDT = GPST − 14 s and GPST = TAI − 19 s (BDS ICD; IS-GPS-200); TAI − UTC = 37 s
        // from 2017-01-01 (IERS Bulletin C). Exact: integer seconds.
        let (utc, _) = parse_epoch("2023-01-01T00:00:00 UTC").unwrap();
        let (gpst, _) = parse_epoch("2023-01-01T00:00:18 GPST").unwrap();
        let (bdt, _) = parse_epoch("2023-01-01T00:00:04 BDT").unwrap();
        let (tai, _) = parse_epoch("2023-01-01T00:00:37 TAI").unwrap();
        let (glo, _) = parse_epoch("2023-01-01T03:00:00 GLONASST").unwrap();
        let (glo2, _) = parse_epoch("2023-01-01T02:00:00 GLONASST").unwrap();
        for e in [gpst, bdt, tai, glo] {
            assert_eq!((e - utc).to_seconds(), 0.0, "{e}");
        }
        // GLONASST 02:00 on 1 January is 23:00 UTC on 31 December.
        let (dec31, _) = parse_epoch("2022-12-31T23:00:00").unwrap();
        assert_eq!((glo2 - dec31).to_seconds(), 0.0);
        // TOML-style and zone forms.
        let (z, _) = parse_epoch("2023-01-01T00:00:00Z").unwrap();
        let (off, _) = parse_epoch("2023-01-01T03:00:00+03:00").unwrap();
        let (space, _) = parse_epoch("2023-01-01 00:00 UTC").unwrap();
        let (date, _) = parse_epoch("2023-01-01").unwrap();
        for e in [z, off, space, date] {
            assert_eq!((e - utc).to_seconds(), 0.0, "{e}");
        }
        let (frac, _) = parse_epoch("2023-01-01T00:00:00.25").unwrap();
        assert_eq!((frac - utc).to_seconds(), 0.25);
    }

    #[test]
    fn bad_epochs() {
        for t in [
            "2023-13-01T00:00:00",
            "2023-02-29T00:00:00",
            "yesterday",
            "2023-01-01T25:00:00",
            "2023-01-01T00:00:00 GMT",
            "2023-01-01T00:00:00Z BDT",
        ] {
            assert!(parse_epoch(t).is_err(), "{t}");
        }
    }

    proptest::proptest! {
        // Round trip against hifitime's own Gregorian constructor in each scale (the
        // independent authority here); GLONASST must equal UTC + 3 h, checked away from
        // leap-second days (2023–2024 have none: IERS Bulletin C).
        #[test]
        fn parse_matches_hifitime(y in 1990i32..2100, mo in 1u8..=12, d in 1u8..=28,
                                  h in 0u8..24, mi in 0u8..60, s in 0u8..60, ms in 0u32..1000,
                                  sc in 0usize..4) {
            use hifitime::TimeScale;
            let (name, scale) = [("UTC", TimeScale::UTC), ("GPST", TimeScale::GPST),
                                 ("BDT", TimeScale::BDT), ("TAI", TimeScale::TAI)][sc];
            let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03} {name}");
            let (e, _) = parse_epoch(&text).unwrap();
            let want = Epoch::from_gregorian(y, mo, d, h, mi, s, ms * 1_000_000, scale);
            proptest::prop_assert_eq!((e - want).total_nanoseconds(), 0);
        }

        #[test]
        fn glonasst_is_utc_plus_3h(doy in 0i64..730, sec in 0i64..86_400) {
            use hifitime::{Duration, TimeScale};
            let utc = Epoch::from_gregorian_utc(2023, 1, 1, 0, 0, 0, 0)
                + Duration::from_seconds((doy * 86_400 + sec) as f64);
            let (y, mo, d, h, mi, s, _) = (utc + Duration::from_seconds(10_800.0))
                .to_gregorian(TimeScale::UTC);
            let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02} GLONASST");
            let (e, _) = parse_epoch(&text).unwrap();
            proptest::prop_assert_eq!((e - utc).total_nanoseconds(), 0);
        }
    }
}
