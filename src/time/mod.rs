//! Time systems and their reconciliation: TAI, UTC, GPST, BDT and GLONASS time
//! (UTC(SU) + 3 h), GNSS week/second-of-week, GLONASS N4/N_T, and the broadcast
//! inter-system offsets (RINEX 2 `CORR TO SYSTEM TIME`, RINEX 3 `TIME SYSTEM CORR`,
//! RINEX 4 `STO`).
//!
//! An instant is always a [`hifitime::Epoch`] (any hifitime scale). A [`Scale`] is a way of
//! *reading* it: [`calendar_in`] gives the calendar fields, [`epoch_from_calendar`] builds an
//! instant from them, [`nominal_offset_s`] gives the whole-second difference of two scales.
//! All of them go through one path (TAI nanoseconds, then the scale's label; see [`scales`]),
//! with this crate's own leap-second table for UTC and GLONASST.
//!
//! ```
//! use gnss_interop::time::{calendar_in, epoch_from_calendar, gnss_week_sow, Scale};
//! let e = epoch_from_calendar(Scale::Gpst, 2023, 1, 1, 0, 0, 0.0).unwrap();
//! assert_eq!(calendar_in(Scale::Utc, e).unwrap().to_string(), "2022-12-31T23:59:42");
//! assert_eq!(gnss_week_sow(e, Scale::Bdt).unwrap(), (886, 604_786.0));
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub mod offsets;
pub mod reconcile;
pub mod scales;
mod span;
pub mod weeks;

pub use offsets::{BroadcastOffset, BroadcastOffsets, LeapSecondsHeader, OffsetCode, OffsetSource};
pub use reconcile::{
    isb_sigma_over_span_ns, reconcile_bdt_glonasst, reconcile_bdt_glonasst_within, Reconciliation,
    UncertaintyBasis, BROADCAST_OFFSET_FLOOR_NS,
};
pub use scales::{
    calendar_in, epoch_from_calendar, epoch_from_iso, format_epoch, nominal_offset_s, parse_epoch,
    parse_iso, tai_minus_utc_s, tai_ns, Calendar, LEAP_SECONDS,
};
pub use span::{epoch_grid, TimeSpan};
pub use weeks::{from_glonass_n4_nt_tod, from_gnss_week_sow, glonass_n4_nt_tod, gnss_week_sow};

/// Errors of time conversions and of reading broadcast time offsets.
#[derive(Debug, Error)]
pub enum TimeError {
    /// A time-scale name that is not known.
    #[error("unknown time scale {text:?} (expected UTC, TAI, GPST, BDT or GLONASST)")]
    UnknownScale {
        /// The text given.
        text: String,
    },
    /// Calendar fields out of range.
    #[error("invalid calendar date/time: {what}")]
    InvalidCalendar {
        /// What is wrong, with the value.
        what: String,
    },
    /// Second 60 on a day that did not end with an inserted leap second.
    #[error("second 60 given on {date}, which has no leap second")]
    NotALeapSecond {
        /// The UTC date concerned.
        date: String,
    },
    /// A time span that holds no epoch (end before start, step not positive).
    #[error("bad time span: {reason}")]
    BadSpan {
        /// What is wrong, with the values.
        reason: String,
    },
    /// A zone designator (`Z`, `±HH:MM`, which mean UTC) together with another scale suffix.
    #[error("{text:?}: a zone designator (Z or ±hh:mm) means UTC; drop it or the scale")]
    ZoneWithScale {
        /// The text given.
        text: String,
    },
    /// Text that is not an ISO 8601 date-time.
    #[error("not an ISO 8601 date-time: {text:?}")]
    InvalidIso {
        /// The text given.
        text: String,
    },
    /// UTC (or GLONASST) asked for before 1972, where the leap-second table starts.
    #[error("UTC is only defined here from 1972-01-01 (instant at TAI {tai_s} s since 1900)")]
    OutsideLeapSecondTable {
        /// The instant, TAI seconds since 1900-01-01.
        tai_s: f64,
    },
    /// An instant before the origin of a scale's week or day count.
    #[error("instant is {seconds_before} s before the origin of {scale}")]
    BeforeOrigin {
        /// The scale.
        scale: Scale,
        /// How far before the origin, s.
        seconds_before: f64,
    },
    /// Weeks asked for on a scale that has none.
    #[error("{scale} has no week numbers (only GPST and BDT)")]
    NotAWeekScale {
        /// The scale.
        scale: Scale,
    },
    /// A negative week number.
    #[error("negative week number {week}")]
    NegativeWeek {
        /// The week given.
        week: i64,
    },
    /// A second of week outside [0, 604 800).
    #[error("second of week {sow_s} not in [0, 604800)")]
    SowOutOfRange {
        /// The value given.
        sow_s: f64,
    },
    /// An instant too far from every reference epoch of the broadcast offsets to evaluate
    /// their polynomials (a fit for about a day; years out it is meaningless).
    #[error(
        "{epoch} is {} days from the nearest reference epoch of the broadcast offsets in {file}; \
         they are not evaluated more than {} days out",
        crate::limits::brief(*nearest_s / 86_400.0),
        crate::limits::brief(*max_s / 86_400.0)
    )]
    OffsetsOutOfReach {
        /// The instant asked for.
        epoch: hifitime::Epoch,
        /// Distance to the nearest reference epoch, s.
        nearest_s: f64,
        /// Farthest distance allowed, s.
        max_s: f64,
        /// The file the offsets came from (or "the offsets").
        file: String,
    },
    /// Any other value out of its range.
    #[error("out of range: {what}")]
    OutOfRange {
        /// What, with the value.
        what: String,
    },
}

/// A time scale of this crate.
///
/// A scale is a way of reading an instant; whole-second differences follow from TAI:
///
/// ```
/// use gnss_interop::time::{nominal_offset_s, Scale};
/// use hifitime::Epoch;
/// let s: Scale = "bds".parse()?;
/// assert_eq!(s, Scale::Bdt);
/// assert_eq!(s.to_string(), "BDT");
/// let t = Epoch::from_gregorian_utc_hms(2023, 1, 1, 0, 0, 0);
/// // BDT = TAI − 33 s, GPST = TAI − 19 s (BDS SIS ICD §5.2, IS-GPS-200 §3.3.4).
/// assert_eq!(nominal_offset_s(Scale::Bdt, Scale::Gpst, t)?, -14);
/// // UTC(SU) + 3 h against UTC, TAI − UTC = 37 s since 2017-01-01 (IERS Bulletin C).
/// assert_eq!(nominal_offset_s(Scale::Glonasst, Scale::Utc, t)?, 10_800);
/// assert_eq!(nominal_offset_s(Scale::Tai, Scale::Utc, t)?, 37);
/// # Ok::<(), gnss_interop::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scale {
    /// International Atomic Time.
    Tai,
    /// Coordinated Universal Time (with leap seconds).
    Utc,
    /// GPS time: TAI − 19 s.
    Gpst,
    /// BeiDou time: TAI − 33 s = GPST − 14 s; origin 2006-01-01 00:00:00 UTC.
    Bdt,
    /// GLONASS time: UTC(SU) + 3 h, with leap seconds.
    Glonasst,
}

impl Scale {
    /// All scales, in display order.
    pub const ALL: [Scale; 5] = [
        Scale::Utc,
        Scale::Tai,
        Scale::Gpst,
        Scale::Bdt,
        Scale::Glonasst,
    ];

    /// Short name (`UTC`, `TAI`, `GPST`, `BDT`, `GLONASST`).
    pub fn name(self) -> &'static str {
        match self {
            Scale::Tai => "TAI",
            Scale::Utc => "UTC",
            Scale::Gpst => "GPST",
            Scale::Bdt => "BDT",
            Scale::Glonasst => "GLONASST",
        }
    }

    /// The hifitime scale that represents this one exactly, if any (GLONASST has none; UTC has
    /// one, but hifitime's UTC is 1 s off just before leap-second insertions, see [`scales`]).
    pub fn hifitime(self) -> Option<hifitime::TimeScale> {
        match self {
            Scale::Tai => Some(hifitime::TimeScale::TAI),
            Scale::Utc => Some(hifitime::TimeScale::UTC),
            Scale::Gpst => Some(hifitime::TimeScale::GPST),
            Scale::Bdt => Some(hifitime::TimeScale::BDT),
            Scale::Glonasst => None,
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Scale {
    type Err = TimeError;
    /// Accepts (any case) UTC, TAI, GPST/GPS, BDT/BDS, GLONASST/GLO/GLONASS/GLOT.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "UTC" => Ok(Scale::Utc),
            "TAI" => Ok(Scale::Tai),
            "GPST" | "GPS" => Ok(Scale::Gpst),
            "BDT" | "BDS" => Ok(Scale::Bdt),
            "GLONASST" | "GLO" | "GLONASS" | "GLOT" => Ok(Scale::Glonasst),
            _ => Err(TimeError::UnknownScale {
                text: s.to_string(),
            }),
        }
    }
}
