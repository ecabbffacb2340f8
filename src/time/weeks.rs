//! GNSS week / second of week (GPST, BDT) and the GLONASS day numbering (N4, N_T, time of day).

use hifitime::Epoch;

use super::scales::{
    civil_from_days, day_index, days_from_civil, epoch_for_scale, label_ns, tai_from_label, tai_ns,
    NS_PER_DAY, NS_PER_S,
};
use super::{Scale, TimeError};

/// Nanoseconds per GNSS week.
const NS_PER_WEEK: i128 = 7 * NS_PER_DAY;

/// Seconds per GNSS week.
pub const SECONDS_PER_WEEK: f64 = 604_800.0;

/// Origin (week 0, second 0) of a week-counting scale as a label: GPST 1980-01-06 00:00:00
/// (IS-GPS-200 §3.3.4), BDT 2006-01-01 00:00:00 (BDS SIS ICD §3.3). No week rollover is applied:
/// weeks are continuous (BDS broadcasts 13 bits, GPS LNAV 10 bits; RINEX writes them continuous).
fn week_origin_label(scale: Scale) -> Result<i128, TimeError> {
    match scale {
        Scale::Gpst => Ok(i128::from(day_index(1980, 1, 6)) * NS_PER_DAY),
        Scale::Bdt => Ok(i128::from(day_index(2006, 1, 1)) * NS_PER_DAY),
        other => Err(TimeError::NotAWeekScale { scale: other }),
    }
}

/// Week number and second of week of an instant on GPST or BDT.
///
/// ```text
/// week = ⌊(t − t0) / 604 800 s⌋,  sow = (t − t0) − 604 800·week,   t0 = scale origin
/// ```
/// Errors: [`TimeError::NotAWeekScale`] for other scales, [`TimeError::BeforeOrigin`] before the
/// scale's origin (hifitime would wrap BDT weeks before 2006 around).
///
/// ```
/// use gnss_interop::time::{epoch_from_iso, gnss_week_sow, Scale};
/// // Sunday 2023-01-01 00:00 GPST starts GPS week 2243 (the week written in the GPUT line of
/// // IGS navigation files of that day); BDT week = GPS week − 1356 (BDS SIS ICD §5.2).
/// let t = epoch_from_iso(Scale::Gpst, "2023-01-01T00:00:00")?;
/// assert_eq!(gnss_week_sow(t, Scale::Gpst)?, (2243, 0.0));
/// // BDT is 14 s behind: still the end of BDT week 886.
/// assert_eq!(gnss_week_sow(t, Scale::Bdt)?, (886, 604_786.0));
/// assert!(gnss_week_sow(t, Scale::Utc).is_err());
/// # Ok::<(), gnss_interop::Error>(())
/// ```
pub fn gnss_week_sow(epoch: Epoch, scale: Scale) -> Result<(u32, f64), TimeError> {
    let origin = week_origin_label(scale)?;
    let (label, _) = label_ns(scale, tai_ns(epoch))?;
    let since = label - origin;
    if since < 0 {
        return Err(TimeError::BeforeOrigin {
            scale,
            seconds_before: (-since) as f64 / 1e9,
        });
    }
    let week = u32::try_from(since / NS_PER_WEEK).map_err(|_| TimeError::OutOfRange {
        what: format!("week number of {epoch} exceeds u32"),
    })?;
    // sow < 6.048e14 ns < 2^53: exact in f64 before the division.
    Ok((week, (since % NS_PER_WEEK) as f64 / 1e9))
}

/// The instant of a week and second of week on GPST or BDT (held in that hifitime scale).
/// Errors for a negative week, a second of week outside [0, 604 800) or not finite, or a scale
/// without weeks.
///
/// ```
/// use gnss_interop::time::{calendar_in, from_gnss_week_sow, Scale};
/// // BDT week 0 starts 2006-01-01 00:00:00 UTC, when BDT = UTC (BDS SIS ICD §5.2).
/// let origin = from_gnss_week_sow(Scale::Bdt, 0, 0.0)?;
/// assert_eq!(calendar_in(Scale::Utc, origin)?.to_string(), "2006-01-01T00:00:00");
/// // GPS week 2243 starts on Sunday 2023-01-01 (GPST).
/// let t = from_gnss_week_sow(Scale::Gpst, 2243, 0.0)?;
/// assert_eq!(calendar_in(Scale::Gpst, t)?.to_string(), "2023-01-01T00:00:00");
/// assert!(from_gnss_week_sow(Scale::Gpst, 2243, 604_800.0).is_err());
/// # Ok::<(), gnss_interop::Error>(())
/// ```
pub fn from_gnss_week_sow(scale: Scale, week: i64, sow_s: f64) -> Result<Epoch, TimeError> {
    let origin = week_origin_label(scale)?;
    if week < 0 {
        return Err(TimeError::NegativeWeek { week });
    }
    if !sow_s.is_finite() || !(0.0..SECONDS_PER_WEEK).contains(&sow_s) {
        return Err(TimeError::SowOutOfRange { sow_s });
    }
    let label = origin + i128::from(week) * NS_PER_WEEK + (sow_s * 1e9).round() as i128;
    Ok(epoch_for_scale(scale, tai_from_label(scale, label, false)?))
}

/// First year of GLONASS four-year interval 1 (GLONASS ICD, edition 5.1 / CDMA 2016: N4 counts
/// four-year intervals from 1996).
const GLONASS_N4_ORIGIN_YEAR: i64 = 1996;

/// Days in a GLONASS four-year interval (one leap year then three common years).
pub const GLONASS_DAYS_PER_FOUR_YEARS: u32 = 1461;

/// TAI count at the start (00:00:00 GLONASST) of a GLONASST calendar day. GLONASST midnight is
/// 21:00 UTC, never inside a leap second.
fn glonass_day_start_tai(day: i64) -> Result<i128, TimeError> {
    tai_from_label(Scale::Glonasst, i128::from(day) * NS_PER_DAY, false)
}

/// GLONASS four-year interval number N4, day number N_T within it, and time of day, for an
/// instant (GLONASS ICD §4.4 / CDMA ICD 2016, fields N4 and N_T):
///
/// ```text
/// N4  = ⌊(Y − 1996) / 4⌋ + 1          Y = year on the GLONASST calendar
/// N_T = day − (1 Jan of year 1996 + 4(N4 − 1)) + 1      (1 … 1461; 1 = 1 Jan of the leap year)
/// tod = SI seconds elapsed since 00:00:00 GLONASST of that day
/// ```
/// `tod_s` equals the clock reading h·3600 + m·60 + s except after a leap second inserted that
/// day (at 03:00 GLONASST), where elapsed time is one second more; it reaches 86 400.x only
/// on such a day. ICD example: 2012-09-07 is N4 = 5, N_T = 251.
///
/// ```
/// use gnss_interop::time::{epoch_from_iso, from_glonass_n4_nt_tod, glonass_n4_nt_tod, Scale};
/// // GLONASS CDMA general ICD (2016) worked example: t_b = 11 700 s on 2012-09-07,
/// // N4 = 5, N_T = 251 (GLONASST).
/// let t = epoch_from_iso(Scale::Glonasst, "2012-09-07T03:15:00")?;
/// assert_eq!(glonass_n4_nt_tod(t)?, (5, 251, 11_700.0));
/// let back = from_glonass_n4_nt_tod(5, 251, 11_700.0)?;
/// assert_eq!((back - t).to_seconds(), 0.0);
/// # Ok::<(), gnss_interop::Error>(())
/// ```
pub fn glonass_n4_nt_tod(epoch: Epoch) -> Result<(u32, u32, f64), TimeError> {
    let tai = tai_ns(epoch);
    let (label, _) = label_ns(Scale::Glonasst, tai)?;
    let day = label.div_euclid(NS_PER_DAY) as i64;
    let (y, _, _) = civil_from_days(day + days_from_civil(1900, 1, 1));
    if y < GLONASS_N4_ORIGIN_YEAR {
        return Err(TimeError::BeforeOrigin {
            scale: Scale::Glonasst,
            seconds_before: (i128::from(day_index(GLONASS_N4_ORIGIN_YEAR, 1, 1)) * NS_PER_DAY
                - label) as f64
                / 1e9,
        });
    }
    let n4 = (y - GLONASS_N4_ORIGIN_YEAR) / 4 + 1;
    let first = day_index(GLONASS_N4_ORIGIN_YEAR + 4 * (n4 - 1), 1, 1);
    let nt = day - first + 1;
    let tod_ns = tai - glonass_day_start_tai(day)?;
    Ok((n4 as u32, nt as u32, tod_ns as f64 / 1e9))
}

/// The instant of a GLONASS N4, N_T and time of day (inverse of [`glonass_n4_nt_tod`]; held in
/// TAI). Errors: N4 = 0, N_T outside 1…1461, tod outside [0, length of that day).
pub fn from_glonass_n4_nt_tod(n4: u32, nt: u32, tod_s: f64) -> Result<Epoch, TimeError> {
    if n4 == 0 {
        return Err(TimeError::OutOfRange {
            what: "GLONASS N4 = 0 (intervals count from 1, 1996–1999)".into(),
        });
    }
    if !(1..=GLONASS_DAYS_PER_FOUR_YEARS).contains(&nt) {
        return Err(TimeError::OutOfRange {
            what: format!("GLONASS N_T = {nt} not in 1..=1461"),
        });
    }
    let first = day_index(GLONASS_N4_ORIGIN_YEAR + 4 * (i64::from(n4) - 1), 1, 1);
    let day = first + i64::from(nt) - 1;
    let start = glonass_day_start_tai(day)?;
    let length = glonass_day_start_tai(day + 1)? - start;
    let tod_ns = if tod_s.is_finite() {
        (tod_s * 1e9).round() as i128
    } else {
        -1
    };
    if !(0..length).contains(&tod_ns) {
        return Err(TimeError::OutOfRange {
            what: format!(
                "GLONASS time of day {tod_s} s not in [0, {}) s",
                length / NS_PER_S
            ),
        });
    }
    Ok(epoch_for_scale(Scale::Glonasst, start + tod_ns))
}
