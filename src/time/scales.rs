//! Time scales, the leap-second table and calendar views: one conversion path for all scales.
//!
//! Every instant is reduced to a count of TAI nanoseconds since 1900-01-01 00:00:00 TAI (hifitime's
//! J1900 reference). A scale is then a *labelling* of that count:
//!
//! ```text
//! label(TAI)      = TAI
//! label(GPST)     = TAI − 19 s                       (IS-GPS-200 §3.3.4; constant)
//! label(BDT)      = TAI − 33 s                       (BDS SIS ICD §3.3; = GPST − 14 s)
//! label(UTC)      = TAI − (TAI−UTC)(t)               (IERS Bulletin C, table below)
//! label(GLONASST) = label(UTC) + 3 h                 (GLONASS ICD §3.3.3: UTC(SU) + 3 h)
//! ```
//!
//! UTC and GLONASST labels are computed from this module's own leap-second table, not from
//! hifitime: hifitime 4.3 reads a UTC label with the new TAI−UTC value during the minute before an
//! insertion (off by 1 s) and cannot hold 23:59:60. Inside an inserted second, the UTC calendar
//! shows 23:59:60.x and GLONASST shows 02:59:60.x (the next day).

use hifitime::{Duration, Epoch, TimeScale};

use super::{Scale, TimeError};

/// Nanoseconds per second.
pub(crate) const NS_PER_S: i128 = 1_000_000_000;
/// Nanoseconds per day (86 400 s).
pub(crate) const NS_PER_DAY: i128 = 86_400 * NS_PER_S;
/// TAI − GPST, s (IS-GPS-200 §3.3.4: GPST was UTC at 1980-01-06, when TAI − UTC was 19 s).
pub const TAI_MINUS_GPST_S: i64 = 19;
/// TAI − BDT, s (BDS SIS ICD §3.3: BDT was UTC at 2006-01-01, when TAI − UTC was 33 s).
pub const TAI_MINUS_BDT_S: i64 = 33;
/// GLONASST − UTC(SU), s (GLONASS ICD §3.3.3).
pub const GLONASST_MINUS_UTC_S: i64 = 10_800;

/// TAI − UTC since 1972 (IERS Bulletin C; the same table as hifitime's and RTKLIB's `leaps`):
/// `(year, month, TAI − UTC in seconds from 00:00:00 UTC of the first day of that month)`.
/// Every step after the first is a positive leap second inserted as 23:59:60 UTC of the last
/// day of the previous month. TAI − UTC = 37 s since 2017-01-01.
pub const LEAP_SECONDS: [(i32, u8, i64); 28] = [
    (1972, 1, 10),
    (1972, 7, 11),
    (1973, 1, 12),
    (1974, 1, 13),
    (1975, 1, 14),
    (1976, 1, 15),
    (1977, 1, 16),
    (1978, 1, 17),
    (1979, 1, 18),
    (1980, 1, 19),
    (1981, 7, 20),
    (1982, 7, 21),
    (1983, 7, 22),
    (1985, 7, 23),
    (1988, 1, 24),
    (1990, 1, 25),
    (1991, 1, 26),
    (1992, 7, 27),
    (1993, 7, 28),
    (1994, 7, 29),
    (1996, 1, 30),
    (1997, 7, 31),
    (1999, 1, 32),
    (2006, 1, 33),
    (2009, 1, 34),
    (2012, 7, 35),
    (2015, 7, 36),
    (2017, 1, 37),
];

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible low-level
/// date algorithms", `days_from_civil`).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let m = i64::from(m);
    let mp = (m + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (inverse of [`days_from_civil`]).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1900-01-01 (the origin of all labels here).
pub(crate) fn day_index(y: i64, m: u32, d: u32) -> i64 {
    days_from_civil(y, m, d) - days_from_civil(1900, 1, 1)
}

/// Number of days in a month of the proleptic Gregorian calendar.
pub(crate) fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// UTC label (ns since 1900-01-01 00:00:00 UTC) of the start of entry `i` of [`LEAP_SECONDS`].
fn leap_start_label_ns(i: usize) -> i128 {
    let (y, m, _) = LEAP_SECONDS[i];
    i128::from(day_index(i64::from(y), u32::from(m), 1)) * NS_PER_DAY
}

/// TAI − UTC (s) in force at a UTC label that is not inside a leap second; `None` before 1972.
fn tai_minus_utc_at_label(label_ns: i128) -> Option<i64> {
    (0..LEAP_SECONDS.len())
        .rev()
        .find(|&i| label_ns >= leap_start_label_ns(i))
        .map(|i| LEAP_SECONDS[i].2)
}

/// Whether the UTC label (ns) is the start of a day that follows an inserted leap second;
/// returns the TAI − UTC value before the insertion.
fn leap_before_label(label_ns: i128) -> Option<i64> {
    (1..LEAP_SECONDS.len())
        .find(|&i| leap_start_label_ns(i) == label_ns)
        .map(|i| LEAP_SECONDS[i - 1].2)
}

/// UTC label of a TAI count: `(label_ns, inside_leap_second)`. Inside an inserted second the
/// label is that of 23:59:59.x and the flag is set (the calendar then shows 23:59:60.x).
fn utc_label_from_tai(tai_ns: i128) -> Result<(i128, bool), TimeError> {
    let before = || TimeError::OutsideLeapSecondTable {
        tai_s: (tai_ns.div_euclid(NS_PER_S)) as f64,
    };
    // Latest entry already in force: TAI ≥ start label + (TAI−UTC) of that entry.
    let i = (0..LEAP_SECONDS.len())
        .rev()
        .find(|&i| tai_ns >= leap_start_label_ns(i) + i128::from(LEAP_SECONDS[i].2) * NS_PER_S)
        .ok_or_else(before)?;
    let dat = i128::from(LEAP_SECONDS[i].2) * NS_PER_S;
    if let Some(next) = LEAP_SECONDS.get(i + 1) {
        let m = leap_start_label_ns(i + 1);
        // Between M + dat_old and M + dat_new (one second): the inserted 23:59:60.
        if tai_ns >= m + dat && next.2 > LEAP_SECONDS[i].2 {
            return Ok((tai_ns - dat - NS_PER_S, true));
        }
    }
    Ok((tai_ns - dat, false))
}

/// TAI count of a UTC label; `leap` marks a label of 23:59:59.x standing for 23:59:60.x.
fn tai_from_utc_label(label_ns: i128, leap: bool) -> Result<i128, TimeError> {
    if leap {
        let next_day = (label_ns.div_euclid(NS_PER_S) + 1) * NS_PER_S;
        let dat_old = leap_before_label(next_day).ok_or_else(|| {
            let days = next_day.div_euclid(NS_PER_DAY) as i64 - 1;
            let (y, m, d) = civil_from_days(days + days_from_civil(1900, 1, 1));
            TimeError::NotALeapSecond {
                date: format!("{y:04}-{m:02}-{d:02}"),
            }
        })?;
        return Ok(label_ns + NS_PER_S + i128::from(dat_old) * NS_PER_S);
    }
    let dat = tai_minus_utc_at_label(label_ns).ok_or(TimeError::OutsideLeapSecondTable {
        tai_s: label_ns.div_euclid(NS_PER_S) as f64,
    })?;
    Ok(label_ns + i128::from(dat) * NS_PER_S)
}

/// TAI nanoseconds since 1900-01-01 00:00:00 TAI of any hifitime epoch.
///
/// Epochs held in hifitime's UTC scale are read from their UTC label with this module's
/// leap-second table (hifitime's own reading is 1 s off just before an insertion); labels before
/// 1972 fall back to hifitime. Every other scale goes through hifitime's fixed offsets.
pub fn tai_ns(epoch: Epoch) -> i128 {
    if epoch.time_scale == TimeScale::UTC {
        let label = epoch.duration.total_nanoseconds();
        if let Ok(t) = tai_from_utc_label(label, false) {
            return t;
        }
    }
    epoch.to_tai_duration().total_nanoseconds()
}

/// The epoch (TAI scale) of a TAI nanosecond count.
pub(crate) fn epoch_from_tai_ns(ns: i128) -> Epoch {
    Epoch::from_tai_duration(Duration::from_total_nanoseconds(ns))
}

/// The epoch of a TAI count, held in the hifitime scale that matches `scale` exactly:
/// TAI, GPST, BDT; UTC and GLONASST instants are held in TAI (see the module notes).
pub(crate) fn epoch_for_scale(scale: Scale, tai: i128) -> Epoch {
    let e = epoch_from_tai_ns(tai);
    match scale {
        Scale::Gpst => e.to_time_scale(TimeScale::GPST),
        Scale::Bdt => e.to_time_scale(TimeScale::BDT),
        Scale::Tai | Scale::Utc | Scale::Glonasst => e,
    }
}

/// Label of a TAI count on a scale: `(ns since 1900-01-01 00:00:00 of that scale's calendar,
/// inside_leap_second)`.
pub(crate) fn label_ns(scale: Scale, tai: i128) -> Result<(i128, bool), TimeError> {
    Ok(match scale {
        Scale::Tai => (tai, false),
        Scale::Gpst => (tai - i128::from(TAI_MINUS_GPST_S) * NS_PER_S, false),
        Scale::Bdt => (tai - i128::from(TAI_MINUS_BDT_S) * NS_PER_S, false),
        Scale::Utc => utc_label_from_tai(tai)?,
        Scale::Glonasst => {
            let (l, leap) = utc_label_from_tai(tai)?;
            (l + i128::from(GLONASST_MINUS_UTC_S) * NS_PER_S, leap)
        }
    })
}

/// Inverse of [`label_ns`].
pub(crate) fn tai_from_label(scale: Scale, label: i128, leap: bool) -> Result<i128, TimeError> {
    if leap && !matches!(scale, Scale::Utc | Scale::Glonasst) {
        return Err(TimeError::InvalidCalendar {
            what: format!("second 60 does not exist in {scale}, a scale without leap seconds"),
        });
    }
    Ok(match scale {
        Scale::Tai => label,
        Scale::Gpst => label + i128::from(TAI_MINUS_GPST_S) * NS_PER_S,
        Scale::Bdt => label + i128::from(TAI_MINUS_BDT_S) * NS_PER_S,
        Scale::Utc => tai_from_utc_label(label, leap)?,
        Scale::Glonasst => {
            tai_from_utc_label(label - i128::from(GLONASST_MINUS_UTC_S) * NS_PER_S, leap)?
        }
    })
}

/// Continuous label: the label, plus one second inside an inserted leap second, so that
/// differences between scales are the conventional ones (the old TAI − UTC holds until 24:00).
fn continuous_label_ns(scale: Scale, tai: i128) -> Result<i128, TimeError> {
    let (l, leap) = label_ns(scale, tai)?;
    Ok(if leap { l + NS_PER_S } else { l })
}

/// Nominal offset `a − b` between two scales at an instant, in whole seconds (no broadcast
/// correction): the difference of the two clocks' readings. Examples in 2023: GPST − UTC = 18,
/// BDT − UTC = 4, BDT − GLONASST = −10 796.
pub fn nominal_offset_s(a: Scale, b: Scale, epoch: Epoch) -> Result<i64, TimeError> {
    let t = tai_ns(epoch);
    let d = continuous_label_ns(a, t)? - continuous_label_ns(b, t)?;
    Ok(d.div_euclid(NS_PER_S) as i64)
}

/// TAI − UTC (s) at an instant, from [`LEAP_SECONDS`]; inside an inserted second the value before
/// the insertion.
pub fn tai_minus_utc_s(epoch: Epoch) -> Result<i64, TimeError> {
    nominal_offset_s(Scale::Tai, Scale::Utc, epoch)
}

/// A calendar reading of an instant on a scale. `second` is 60 only inside an inserted leap
/// second on UTC (23:59:60) or GLONASST (02:59:60).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Calendar {
    /// Year (proleptic Gregorian).
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of month, 1–31.
    pub day: u8,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–60.
    pub second: u8,
    /// Nanoseconds within the second.
    pub nanosecond: u32,
}

impl std::fmt::Display for Calendar {
    /// ISO 8601, e.g. `2016-12-31T23:59:60.5`; fraction only when not zero.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )?;
        if self.nanosecond != 0 {
            let frac = format!("{:09}", self.nanosecond);
            write!(f, ".{}", frac.trim_end_matches('0'))?;
        }
        Ok(())
    }
}

/// The calendar reading of an instant on a scale (23:59:60.x inside a UTC leap second).
///
/// ```
/// use gnss_interop::time::{calendar_in, epoch_from_calendar, Scale};
/// // The leap second at the end of 2016 (IERS Bulletin C 52): one second after
/// // 2016-12-31 23:59:59 UTC is 23:59:60 UTC, which is 02:59:60 GLONASST on 1 January.
/// let e = epoch_from_calendar(Scale::Utc, 2016, 12, 31, 23, 59, 60.0)?;
/// assert_eq!(calendar_in(Scale::Utc, e)?.to_string(), "2016-12-31T23:59:60");
/// assert_eq!(calendar_in(Scale::Glonasst, e)?.to_string(), "2017-01-01T02:59:60");
/// // GPST has no leap seconds: TAI − 19 s, and TAI − UTC became 37 s there.
/// assert_eq!(calendar_in(Scale::Gpst, e)?.to_string(), "2017-01-01T00:00:17");
/// # Ok::<(), gnss_interop::Error>(())
/// ```
pub fn calendar_in(scale: Scale, epoch: Epoch) -> Result<Calendar, TimeError> {
    let (label, leap) = label_ns(scale, tai_ns(epoch))?;
    let days = label.div_euclid(NS_PER_DAY);
    let in_day = label.rem_euclid(NS_PER_DAY);
    let (y, m, d) = civil_from_days(days as i64 + days_from_civil(1900, 1, 1));
    let secs = (in_day / NS_PER_S) as u32;
    let second = (secs % 60) as u8 + u8::from(leap);
    Ok(Calendar {
        year: y as i32,
        month: m as u8,
        day: d as u8,
        hour: (secs / 3600) as u8,
        minute: ((secs / 60) % 60) as u8,
        second,
        nanosecond: (in_day % NS_PER_S) as u32,
    })
}

/// The instant read as a calendar date and time on a scale. `second` may be in [60, 61) on
/// UTC (at 23:59) and GLONASST (at 02:59) when a leap second was inserted there; anywhere else
/// it must be in [0, 60). The epoch is held in GPST for GPST, BDT for BDT, and TAI otherwise.
pub fn epoch_from_calendar(
    scale: Scale,
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: f64,
) -> Result<Epoch, TimeError> {
    let bad = |what: String| Err(TimeError::InvalidCalendar { what });
    if !(1..=12).contains(&month) {
        return bad(format!("month {month} not in 1..=12"));
    }
    if day == 0 || u32::from(day) > days_in_month(i64::from(year), u32::from(month)) {
        return bad(format!("day {day} not in month {year:04}-{month:02}"));
    }
    if hour > 23 || minute > 59 {
        return bad(format!("time {hour:02}:{minute:02} out of range"));
    }
    if !second.is_finite() || !(0.0..61.0).contains(&second) {
        return bad(format!("second {second} not in [0, 61)"));
    }
    let mut ns = (second * 1e9).round() as i128;
    let leap = ns >= 60 * NS_PER_S;
    if leap {
        ns -= NS_PER_S; // label of 23:59:59.x, flagged
    }
    if ns >= 60 * NS_PER_S {
        // 59.9999999996 rounds up to 60 s: a plain 60 is only valid as a leap second.
        return bad(format!("second {second} rounds to 60"));
    }
    let days = i128::from(day_index(i64::from(year), u32::from(month), u32::from(day)));
    let label =
        days * NS_PER_DAY + (i128::from(hour) * 3600 + i128::from(minute) * 60) * NS_PER_S + ns;
    let tai = tai_from_label(scale, label, leap)?;
    Ok(epoch_for_scale(scale, tai))
}

/// Parse an ISO 8601 date-time `YYYY-MM-DD[THH:MM[:SS[.fff]]][Z]` (a space may replace `T`)
/// into calendar fields; `Z` is accepted and ignored (the scale is given separately).
pub fn parse_iso(text: &str) -> Result<(i32, u8, u8, u8, u8, f64), TimeError> {
    let err = || TimeError::InvalidIso {
        text: text.to_string(),
    };
    let t = text.trim();
    let t = t.strip_suffix(['Z', 'z']).unwrap_or(t);
    let (date, time) = match t.find(['T', ' ']) {
        Some(i) if i + 1 < t.len() => (&t[..i], &t[i + 1..]),
        Some(_) => return Err(err()),
        None => (t, ""),
    };
    let mut dp = date.split('-');
    let year: i32 = dp.next().ok_or_else(err)?.parse().map_err(|_| err())?;
    let month: u8 = dp.next().ok_or_else(err)?.parse().map_err(|_| err())?;
    let day: u8 = dp.next().ok_or_else(err)?.parse().map_err(|_| err())?;
    if dp.next().is_some() {
        return Err(err());
    }
    let (mut hour, mut minute, mut second) = (0u8, 0u8, 0f64);
    if !time.is_empty() {
        let mut tp = time.split(':');
        hour = tp.next().ok_or_else(err)?.parse().map_err(|_| err())?;
        minute = tp.next().ok_or_else(err)?.parse().map_err(|_| err())?;
        if let Some(s) = tp.next() {
            if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == '.') {
                return Err(err());
            }
            second = s.parse().map_err(|_| err())?;
        }
        if tp.next().is_some() {
            return Err(err());
        }
    }
    Ok((year, month, day, hour, minute, second))
}

/// An instant written back in the epoch syntax of [`parse_epoch`]: its calendar reading on
/// `scale` and the scale's name (`2023-01-01T00:00:00 GPST`); hifitime's own text when the
/// scale cannot show it (UTC before 1972).
///
/// ```
/// use gnss_interop::time::{format_epoch, parse_epoch, Scale};
/// let (t, s) = parse_epoch("2023-01-01T00:00:00 BDT", Scale::Utc)?;
/// assert_eq!(format_epoch(s, t), "2023-01-01T00:00:00 BDT");
/// // BDT = UTC + 4 s in 2023 (TAI − 33 s; TAI − UTC = 37 s).
/// assert_eq!(format_epoch(Scale::Utc, t), "2022-12-31T23:59:56 UTC");
/// # Ok::<(), gnss_interop::Error>(())
/// ```
pub fn format_epoch(scale: Scale, epoch: Epoch) -> String {
    match calendar_in(scale, epoch) {
        Ok(c) => format!("{c} {}", scale.name()),
        Err(_) => epoch.to_string(),
    }
}

/// The one epoch syntax of the crate, used at every door (command-line date flags, scenario
/// files, API): `ISO-8601 [SCALE]`.
///
/// - ISO 8601 is `YYYY-MM-DD[THH:MM[:SS[.fff]]]` (a space may replace `T`; see [`parse_iso`]).
/// - `SCALE` is one of UTC, TAI, GPST, BDT, GLONASST (any case, and the aliases of
///   [`Scale::from_str`](Scale)), after a space or attached (`…00:00BDT`). Without it the text
///   is read in `default` (a command's `--scale`, UTC in scenario files).
/// - A zone designator (`Z`, `±HH:MM`) means UTC (shifted by the offset); it overrides
///   `default`, and together with another scale suffix it is an error.
/// - Calendar guards of [`epoch_from_calendar`]: hour 24 is refused, second 60 only inside a
///   UTC (or GLONASST) leap second.
///
/// Returns the instant and the scale it was read in (for showing times back the way they were
/// written).
///
/// ```
/// use gnss_interop::time::{parse_epoch, Scale};
/// // GPST = UTC + 18 s in 2023 (TAI − UTC = 37 s, IERS Bulletin C; GPST = TAI − 19 s).
/// let (gpst, s) = parse_epoch("2023-01-01T00:00:18 GPST", Scale::Utc)?;
/// assert_eq!(s, Scale::Gpst);
/// let (utc, _) = parse_epoch("2023-01-01", Scale::Utc)?;
/// assert_eq!((gpst - utc).to_seconds(), 0.0);
/// // A bare date is read in the default scale.
/// let (bare, s) = parse_epoch("2023-01-01", Scale::Gpst)?;
/// assert_eq!((s, (bare - utc).to_seconds()), (Scale::Gpst, -18.0));
/// let (z, s) = parse_epoch("2023-01-01T03:00:00+03:00", Scale::Bdt)?;
/// assert_eq!((s, (z - utc).to_seconds()), (Scale::Utc, 0.0));
/// assert!(parse_epoch("2023-01-01T00:00:00Z BDT", Scale::Utc).is_err());
/// assert!(parse_epoch("2023-01-01T24:00:00", Scale::Utc).is_err());
/// # Ok::<(), gnss_interop::Error>(())
/// ```
pub fn parse_epoch(text: &str, default: Scale) -> Result<(Epoch, Scale), TimeError> {
    let t = text.trim();
    // Trailing letters are the scale name (a lone `Z` is the UTC designator).
    let split = t
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_ascii_alphabetic())
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let (body, suffix) = t.split_at(split);
    // Not a date at all ("first of January"): say so rather than name a scale.
    if !body.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(TimeError::InvalidIso {
            text: text.to_string(),
        });
    }
    let (body, written) = match suffix {
        "" => (body, None),
        "Z" | "z" => (t, None),
        name => (body.trim_end(), Some(name.parse::<Scale>()?)),
    };
    // Zone designator: `Z` or `±HH:MM` after the time of day.
    let (body, zone_min) = split_zone(body).ok_or_else(|| TimeError::InvalidIso {
        text: text.to_string(),
    })?;
    let scale = match (zone_min, written) {
        (None, w) => w.unwrap_or(default),
        (Some(_), None | Some(Scale::Utc)) => Scale::Utc,
        (Some(_), Some(_)) => {
            return Err(TimeError::ZoneWithScale {
                text: text.to_string(),
            })
        }
    };
    let (y, mo, d, h, mi, s) = parse_iso(body)?;
    let epoch = epoch_from_calendar(scale, y, mo, d, h, mi, s)?;
    let shift = Duration::from_seconds(zone_min.unwrap_or(0) as f64 * 60.0);
    Ok((epoch - shift, scale))
}

/// Splits a zone designator off an ISO 8601 text: `(rest, None)` without one, `(rest,
/// Some(offset_min))` with `Z` (0) or `±HH:MM`; `None` for a malformed designator.
fn split_zone(body: &str) -> Option<(&str, Option<i64>)> {
    if let Some(rest) = body.strip_suffix(['Z', 'z']) {
        return Some((rest, Some(0)));
    }
    // Only inside the time of day (the date has its own hyphens).
    let Some(t_at) = body.find(['T', 't', ' ']) else {
        return Some((body, None));
    };
    let Some(rel) = body[t_at..].rfind(['+', '-']) else {
        return Some((body, None));
    };
    let at = t_at + rel;
    let (rest, zone) = body.split_at(at);
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let (zh, zm) = zone[1..].split_once(':')?;
    let zh: i64 = zh.parse().ok()?;
    let zm: i64 = zm.parse().ok()?;
    if zh > 23 || zm > 59 {
        return None;
    }
    Some((rest, Some(sign * (zh * 60 + zm))))
}

/// An instant from an ISO 8601 text, read on `scale` unless the text carries its own scale
/// suffix or zone designator: [`parse_epoch`] without the scale it was read in.
///
/// ```
/// use gnss_interop::time::{epoch_from_iso, Scale};
/// let bdt = epoch_from_iso(Scale::Bdt, "2023-01-01T00:00:00")?;
/// let gpst = epoch_from_iso(Scale::Gpst, "2023-01-01T00:00:00")?;
/// // The same clock reading on BDT is 14 s later than on GPST (BDT = GPST − 14 s).
/// assert_eq!((bdt - gpst).to_seconds(), 14.0);
/// assert!(epoch_from_iso(Scale::Utc, "2023-02-30").is_err());
/// // ISO 8601 `Z` means UTC, whatever scale is asked for; hour 24 is refused.
/// let z = epoch_from_iso(Scale::Gpst, "2023-01-01T00:00:00Z")?;
/// assert_eq!(z, epoch_from_iso(Scale::Utc, "2023-01-01T00:00:00")?);
/// assert!(epoch_from_iso(Scale::Utc, "2023-01-01T24:00:00").is_err());
/// // A suffix wins over the default scale.
/// assert_eq!(epoch_from_iso(Scale::Utc, "2023-01-01T00:00:00 BDT")?, bdt);
/// # Ok::<(), gnss_interop::Error>(())
/// ```
pub fn epoch_from_iso(scale: Scale, text: &str) -> Result<Epoch, TimeError> {
    parse_epoch(text, scale).map(|(e, _)| e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_and_known_days() {
        // 1972-01-01 is 26 297 days after 1900-01-01 (72·365 + 17 leap days); hifitime agrees.
        assert_eq!(day_index(1972, 1, 1), 26_297);
        for z in -200_000..200_000 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn leap_table_steps_are_single_insertions() {
        for w in LEAP_SECONDS.windows(2) {
            assert_eq!(w[1].2 - w[0].2, 1, "{w:?}");
        }
    }
}
