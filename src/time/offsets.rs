//! Broadcast inter-system time offsets read from navigation files: RINEX 2 header
//! (`CORR TO SYSTEM TIME`, `DELTA-UTC: A0,A1,T,W`), RINEX 3 header (`TIME SYSTEM CORR`) and
//! RINEX 4 `> STO` records, plus the `LEAP SECONDS` header line.
//!
//! # Sign convention (all codes)
//!
//! A code `AABB` (e.g. `BDUT`) gives the *fractional* part of `A − B` (system A's clock reading
//! minus system B's, for the same instant), the integer part being the nominal offset of
//! [`super::nominal_offset_s`]:
//!
//! ```text
//! A − B = nominal(A − B) + a0 + a1·dt + a2·dt²,    dt = t − t_ref (s)
//! ```
//!
//! This is the RINEX 3.05 (§5.4, Table A5 "CORR to transform the system time to UTC or other time
//! systems") and RINEX 4.00 (STO) convention, and matches each ICD:
//! * `GPUT` GPST − UTC(USNO) (IS-GPS-200 §20.3.3.5.2.4: t_UTC = t_E − (Δt_LS + A0 + A1·dt));
//! * `BDUT` BDT − UTC(NTSC) (BDS SIS ICD §5.2.4.17, A0UTC, A1UTC, same form);
//! * `GAUT` GST − UTC, `GAGP` GST − GPST (Galileo OS SIS ICD §5.1.7–5.1.8);
//! * `BDGP`, `BDGL`, `BDGA` BDT − GPST / GLONASST / GST (BDS B1C ICD, BGTO: Δt = t_BD − t_GNSS);
//! * `GLUT` GLONASST − UTC(SU) − 3 h = **−τ_c** (GLONASS ICD §3.3.3: UTC(SU) = GLONASST + τ_c − 3 h).
//!   RINEX writes a0 = −τ_c; RTKLIB negates it on reading to store τ_c. RINEX 2
//!   `CORR TO SYSTEM TIME` carries the same −τ_c.
//! * `GLGP` GLONASST − GPST, taken with the same "A − B" reading as every other code (RTKLIB
//!   stores the a0 as its τ_GPS unchanged). Checked on the RINEX 4 file of 2023-03-12 that
//!   carries BDGL, BDGP and GLGP together: with this sign BDGP − GLGP is 9 ns from BDGL; with the
//!   opposite sign it would be 76 ns away.
//!
//! # Reference epochs
//! * RINEX 3: `T` seconds into week `W`. `W` is a GPS week for every code, except that BeiDou
//!   codes (`BD..`) are written by IGS with a **BDT week** (e.g. 886 in 2023) and by DLR with a
//!   **GPS week** (e.g. 2253): a `BD..` week below 1356 is taken as a BDT week (seconds in BDT),
//!   otherwise as a GPS week. This is unambiguous until BDT week 1356 (GPS week 2712, year 2032).
//!   NavIC codes (`IR..`) are written with a NavIC week (GPS week − 1024) by IGS and with a GPS
//!   week by others: an `IR..` week below 1750 is taken as a NavIC week (unambiguous until 2033).
//!   `T = W = 0` (GLONASS lines of IGS files) means no reference epoch: the value is `a0`.
//!   The seconds count of the reference is taken in GPST (BDT for BDT weeks); the few-second
//!   differences between system times change `a1·dt` by < 10⁻¹² s.
//! * RINEX 4 `STO`: the record epoch, read in the time system of the transmitting satellite
//!   (C → BDT, R → UTC as for GLONASS record epochs, others → GPST), as Orekit does. The
//!   transmission time `t_tm` is kept as written (its week is not stated; DLR writes values
//!   above 604 800 s for GLONASS).
//!
//! Several STO records of one code: [`BroadcastOffsets::select`] takes the one with the latest
//! reference epoch not after the instant, else the earliest after it; ties go to the record
//! written last.

use std::path::PathBuf;

use hifitime::Epoch;
use serde::{Deserialize, Serialize};

use super::scales::{epoch_from_calendar, tai_ns};
use super::weeks::from_gnss_week_sow;
use super::{Scale, TimeError};

/// The code of an inter-system offset (RINEX `TIME SYSTEM CORR` / STO "time offset type").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OffsetCode {
    /// GPST − UTC(USNO).
    Gput,
    /// GLONASST − UTC(SU) − 3 h (= −τ_c).
    Glut,
    /// GLONASST − GPST (fractional part).
    Glgp,
    /// BDT − UTC(NTSC).
    Bdut,
    /// BDT − GPST.
    Bdgp,
    /// BDT − GLONASST (fractional part).
    Bdgl,
    /// BDT − GST.
    Bdga,
    /// GST − UTC.
    Gaut,
    /// GST − GPST.
    Gagp,
    /// GPST − GST.
    Gpga,
    /// QZSST − UTC.
    Qzut,
    /// QZSST − GPST.
    Qzgp,
    /// NavIC time − UTC.
    Irut,
    /// NavIC time − GPST.
    Irgp,
    /// NavIC time − GLONASST.
    Irgl,
    /// SBAS network time − UTC.
    Sbut,
    /// A code not known here (e.g. `XXXX`): kept, never evaluated in reconciliation paths.
    Other(String),
}

impl OffsetCode {
    /// The code for its four-letter text (case-sensitive as in RINEX).
    pub fn parse(text: &str) -> Self {
        match text.trim() {
            "GPUT" => OffsetCode::Gput,
            "GLUT" => OffsetCode::Glut,
            "GLGP" => OffsetCode::Glgp,
            "BDUT" => OffsetCode::Bdut,
            "BDGP" => OffsetCode::Bdgp,
            "BDGL" => OffsetCode::Bdgl,
            "BDGA" => OffsetCode::Bdga,
            "GAUT" => OffsetCode::Gaut,
            "GAGP" => OffsetCode::Gagp,
            "GPGA" => OffsetCode::Gpga,
            "QZUT" => OffsetCode::Qzut,
            "QZGP" => OffsetCode::Qzgp,
            "IRUT" => OffsetCode::Irut,
            "IRGP" => OffsetCode::Irgp,
            "IRGL" => OffsetCode::Irgl,
            "SBUT" => OffsetCode::Sbut,
            other => OffsetCode::Other(other.to_string()),
        }
    }

    /// The four-letter text.
    pub fn as_str(&self) -> &str {
        match self {
            OffsetCode::Gput => "GPUT",
            OffsetCode::Glut => "GLUT",
            OffsetCode::Glgp => "GLGP",
            OffsetCode::Bdut => "BDUT",
            OffsetCode::Bdgp => "BDGP",
            OffsetCode::Bdgl => "BDGL",
            OffsetCode::Bdga => "BDGA",
            OffsetCode::Gaut => "GAUT",
            OffsetCode::Gagp => "GAGP",
            OffsetCode::Gpga => "GPGA",
            OffsetCode::Qzut => "QZUT",
            OffsetCode::Qzgp => "QZGP",
            OffsetCode::Irut => "IRUT",
            OffsetCode::Irgp => "IRGP",
            OffsetCode::Irgl => "IRGL",
            OffsetCode::Sbut => "SBUT",
            OffsetCode::Other(s) => s,
        }
    }

    /// `(A, B)` of an `A − B` offset when both are scales of this crate.
    pub fn scales(&self) -> Option<(Scale, Scale)> {
        match self {
            OffsetCode::Gput => Some((Scale::Gpst, Scale::Utc)),
            OffsetCode::Glut => Some((Scale::Glonasst, Scale::Utc)),
            OffsetCode::Glgp => Some((Scale::Glonasst, Scale::Gpst)),
            OffsetCode::Bdut => Some((Scale::Bdt, Scale::Utc)),
            OffsetCode::Bdgp => Some((Scale::Bdt, Scale::Gpst)),
            OffsetCode::Bdgl => Some((Scale::Bdt, Scale::Glonasst)),
            _ => None,
        }
    }
}

impl std::fmt::Display for OffsetCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an offset was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum OffsetSource {
    /// RINEX 2 header (`CORR TO SYSTEM TIME` or `DELTA-UTC: A0,A1,T,W`).
    Rinex2Header,
    /// RINEX 3 header `TIME SYSTEM CORR`.
    Rinex3Header {
        /// Source satellite / SBAS provider field (`S`), when given.
        provider: Option<String>,
    },
    /// RINEX 4 `> STO` record.
    Rinex4Sto {
        /// Transmitting satellite as written (`C21`, `R` …).
        sv: String,
        /// Navigation message type (`CNVX`, `D1D2`, `LNAV`, `FDMA`, …).
        message: String,
        /// Transmission time t_tm as written, s (its week is not stated by the format).
        t_tm_s: f64,
        /// UTC realisation named in the record (`UTC(NTSC)`, `UTC(SU)`, …), when given.
        utc_id: Option<String>,
    },
}

/// One broadcast offset polynomial.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BroadcastOffset {
    /// Which offset (`A − B`, see the module notes for the sign convention).
    pub code: OffsetCode,
    /// Constant term, s.
    pub a0_s: f64,
    /// Linear term, s/s.
    pub a1_s_s: f64,
    /// Quadratic term, s/s² (RINEX 4 only; 0 otherwise).
    pub a2_s_s2: f64,
    /// Reference epoch of the polynomial; `None` when the file gives none (then the value is a0).
    pub t_ref: Option<Epoch>,
    /// Where it was read.
    pub source: OffsetSource,
    /// File it was read from, if any.
    pub file: Option<PathBuf>,
    /// 1-based line of the record (the `TIME SYSTEM CORR` line, or the `> STO` line).
    pub line: usize,
}

impl BroadcastOffset {
    /// Fractional part of `A − B` at an instant, s:
    ///
    /// ```text
    /// value = a0 + a1·dt + a2·dt²,   dt = t − t_ref in SI seconds (0 without t_ref)
    /// ```
    pub fn evaluate(&self, epoch: Epoch) -> f64 {
        let dt = self.dt_s(epoch);
        self.a0_s + self.a1_s_s * dt + self.a2_s_s2 * dt * dt
    }

    /// Seconds from the reference epoch to the instant (0 without a reference).
    pub fn dt_s(&self, epoch: Epoch) -> f64 {
        match self.t_ref {
            Some(r) => (tai_ns(epoch) - tai_ns(r)) as f64 / 1e9,
            None => 0.0,
        }
    }

    /// Full `A − B` in seconds (nominal whole seconds plus [`Self::evaluate`]) when both systems
    /// are scales of this crate.
    pub fn total_offset_s(&self, epoch: Epoch) -> Option<Result<f64, TimeError>> {
        let (a, b) = self.code.scales()?;
        Some(super::nominal_offset_s(a, b, epoch).map(|n| n as f64 + self.evaluate(epoch)))
    }

    /// GLONASS τ_c (s) of a `GLUT` offset: −a0 (GLONASS ICD §3.3.3; what RTKLIB stores).
    pub fn glonass_tau_c_s(&self) -> Option<f64> {
        (self.code == OffsetCode::Glut).then_some(-self.a0_s)
    }
}

/// The `LEAP SECONDS` header line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeapSecondsHeader {
    /// Current number of leap seconds Δt_LS (GPST − UTC, or BDT − UTC when `system` is `BDS`).
    pub current_s: i32,
    /// Future or past Δt_LSF, when given.
    pub future_s: Option<i32>,
    /// Week of the future/past leap second, when given.
    pub week: Option<u32>,
    /// Day number of the future/past leap second, when given.
    pub day: Option<u32>,
    /// Time system identifier (`BDS` for BDT-based values; empty means GPS), when given.
    pub system: Option<String>,
}

/// All time offsets of one navigation file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BroadcastOffsets {
    /// RINEX version of the file.
    pub rinex_version: f64,
    /// Every offset read, in file order.
    pub offsets: Vec<BroadcastOffset>,
    /// The `LEAP SECONDS` header line, when present.
    pub leap_seconds: Option<LeapSecondsHeader>,
    /// File read, if any.
    pub file: Option<PathBuf>,
}

/// Largest plausible |a0| of a broadcast offset, s. Every system time is steered to within
/// about 1 µs of its reference modulo whole seconds (GPS IS-GPS-200 §3.3.4: GPST − UTC(USNO)
/// within 1 µs; BDS OS SIS ICD §4.1.1: BDT − UTC within 100 ns; GLONASS ICD §3.3.3: |τ_c|
/// within 1 µs): 1 ms leaves three orders of margin and still refuses corrupted fields.
pub const MAX_OFFSET_A0_S: f64 = 1e-3;
/// Largest plausible |a1| of a broadcast offset, s/s (real values are below 1e-13; a drift of
/// 1e-9 would move a system time by 86 µs a day).
pub const MAX_OFFSET_A1_S_S: f64 = 1e-9;
/// Largest plausible |a2| of a broadcast offset, s/s² (real values are below 1e-18).
pub const MAX_OFFSET_A2_S_S2: f64 = 1e-12;
/// Largest plausible `LEAP SECONDS` value, s.
const MAX_LEAP_SECONDS: i32 = 100;

/// The plausibility of an offset polynomial (see [`MAX_OFFSET_A0_S`] and the others).
fn check_plausible(code: &OffsetCode, a: [f64; 3]) -> Result<(), String> {
    let limits = [
        ("a0", MAX_OFFSET_A0_S, "s"),
        ("a1", MAX_OFFSET_A1_S_S, "s/s"),
        ("a2", MAX_OFFSET_A2_S_S2, "s/s²"),
    ];
    for (v, (name, max, unit)) in a.iter().zip(limits) {
        if !v.is_finite() || v.abs() > max {
            return Err(format!(
                "{code} {name} = {v:e} {unit} is outside physics (|{name}| ≤ {max:e} {unit})"
            ));
        }
    }
    Ok(())
}

use crate::text::column as col;

/// A Fortran real (`D` or `E` exponent). Empty gives `None`.
fn real(text: &str) -> Result<Option<f64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    crate::text::fortran_f64(t)
        .map(Some)
        .ok_or_else(|| format!("not a finite number: {t:?}"))
}

fn int(text: &str) -> Result<Option<i64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse()
        .map(Some)
        .map_err(|_| format!("not an integer: {t:?}"))
}

/// First week (as a week number) below which a `BD..` week is read as a BDT week.
const BDT_WEEK_LIMIT: i64 = 1356;
/// First week below which an `IR..` week is read as a NavIC week (GPS week − 1024).
const NAVIC_WEEK_LIMIT: i64 = 1750;
/// NavIC week 0 = GPS week 1024 (1999-08-22).
const NAVIC_WEEK_SHIFT: i64 = 1024;

/// Reference epoch of a RINEX 2/3 header polynomial from its (T, W) fields.
pub(crate) fn header_t_ref(
    code: &OffsetCode,
    t_s: i64,
    week: i64,
) -> Result<Option<Epoch>, TimeError> {
    if t_s == 0 && week == 0 {
        return Ok(None);
    }
    // The first two bytes when they are characters (an unknown code may hold any text).
    let prefix = code.as_str().get(..2).unwrap_or("");
    let (scale, week) = match prefix {
        "BD" if week < BDT_WEEK_LIMIT => (Scale::Bdt, week),
        "IR" if week < NAVIC_WEEK_LIMIT => (Scale::Gpst, week + NAVIC_WEEK_SHIFT),
        _ => (Scale::Gpst, week),
    };
    from_gnss_week_sow(scale, week, t_s as f64).map(Some)
}

impl BroadcastOffsets {
    /// No offsets yet, for a file of RINEX version `rinex_version` (`file` is kept on every
    /// offset). The offsets of a file are read by the navigation reader,
    /// [`NavData`](crate::ephemeris::NavData), which fills its `offsets` from the header lines
    /// and `> STO` records as it reads the ephemerides (one reader per format, gzip included).
    pub fn new(rinex_version: f64, file: Option<PathBuf>) -> Self {
        BroadcastOffsets {
            rinex_version,
            offsets: Vec::new(),
            leap_seconds: None,
            file,
        }
    }

    /// One header line whose label (columns 61–80, trimmed) is `label`: reads it when it is
    /// `TIME SYSTEM CORR`, `CORR TO SYSTEM TIME`, `DELTA-UTC: A0,A1,T,W` or `LEAP SECONDS`
    /// (returns `Ok(true)`), ignores any other label (`Ok(false)`). `n` is the 1-based line.
    pub(crate) fn read_header_line(
        &mut self,
        label: &str,
        line: &str,
        n: usize,
    ) -> Result<bool, String> {
        match label {
            "TIME SYSTEM CORR" => self.rinex3_corr(line, n)?,
            "CORR TO SYSTEM TIME" => self.rinex2_glonass_corr(line, n)?,
            "DELTA-UTC: A0,A1,T,W" => self.rinex2_delta_utc(line, n)?,
            "LEAP SECONDS" => self.leap_line(line)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Appends the offsets of another file, in order, dropping any identical (all fields but
    /// file and line) to one already held; the latest `LEAP SECONDS` line wins and the version
    /// is the highest.
    pub fn merge(&mut self, other: BroadcastOffsets) {
        self.rinex_version = self.rinex_version.max(other.rinex_version);
        if other.leap_seconds.is_some() {
            self.leap_seconds = other.leap_seconds;
        }
        let same = |a: &BroadcastOffset, b: &BroadcastOffset| {
            a.code == b.code
                && a.a0_s.to_bits() == b.a0_s.to_bits()
                && a.a1_s_s.to_bits() == b.a1_s_s.to_bits()
                && a.a2_s_s2.to_bits() == b.a2_s_s2.to_bits()
                && a.t_ref.map(tai_ns) == b.t_ref.map(tai_ns)
                && a.source == b.source
        };
        for o in other.offsets {
            if !self.offsets.iter().any(|h| same(h, &o)) {
                self.offsets.push(o);
            }
        }
    }

    /// Appends one offset after checking its plausibility (an error names the term).
    pub(crate) fn push(
        &mut self,
        code: OffsetCode,
        a: [f64; 3],
        t_ref: Option<Epoch>,
        source: OffsetSource,
        line: usize,
    ) -> Result<(), String> {
        check_plausible(&code, a)?;
        self.offsets.push(BroadcastOffset {
            code,
            a0_s: a[0],
            a1_s_s: a[1],
            a2_s_s2: a[2],
            t_ref,
            source,
            file: self.file.clone(),
            line,
        });
        Ok(())
    }

    /// RINEX 3 `TIME SYSTEM CORR`: A4,1X,D17.10,D16.9,1X,I6,1X,I4,1X,A5,1X,I2.
    fn rinex3_corr(&mut self, line: &str, n: usize) -> Result<(), String> {
        let code_text = col(line, 0, 4).trim();
        if code_text.is_empty() {
            return Err(format!("TIME SYSTEM CORR without a code: {line:?}"));
        }
        let code = OffsetCode::parse(code_text);
        let a0 = real(col(line, 5, 22))?.ok_or_else(|| format!("no a0 in {line:?}"))?;
        let a1 = real(col(line, 22, 38))?.unwrap_or(0.0);
        let t = int(col(line, 38, 45))?.unwrap_or(0);
        let w = int(col(line, 45, 50))?.unwrap_or(0);
        if t < 0 || w < 0 || t >= 604_800 {
            return Err(format!(
                "reference time T={t} W={w} out of range in {line:?}"
            ));
        }
        let t_ref = header_t_ref(&code, t, w).map_err(|e| e.to_string())?;
        let provider = Some(col(line, 51, 56).trim().to_string()).filter(|s| !s.is_empty());
        self.push(
            code,
            [a0, a1, 0.0],
            t_ref,
            OffsetSource::Rinex3Header { provider },
            n,
        )
    }

    /// RINEX 2 GLONASS `CORR TO SYSTEM TIME`: 3I6 (reference date), 3X, D19.12 (−τ_c).
    fn rinex2_glonass_corr(&mut self, line: &str, n: usize) -> Result<(), String> {
        let y = int(col(line, 0, 6))?.unwrap_or(0);
        let m = int(col(line, 6, 12))?.unwrap_or(0);
        let d = int(col(line, 12, 18))?.unwrap_or(0);
        let a0 = real(col(line, 21, 40))?.ok_or_else(|| format!("no correction in {line:?}"))?;
        let t_ref = if y == 0 {
            None
        } else {
            let (y, m, d) = (
                i32::try_from(y).map_err(|_| format!("year {y}"))?,
                u8::try_from(m).map_err(|_| format!("month {m}"))?,
                u8::try_from(d).map_err(|_| format!("day {d}"))?,
            );
            Some(epoch_from_calendar(Scale::Utc, y, m, d, 0, 0, 0.0).map_err(|e| e.to_string())?)
        };
        self.push(
            OffsetCode::Glut,
            [a0, 0.0, 0.0],
            t_ref,
            OffsetSource::Rinex2Header,
            n,
        )
    }

    /// RINEX 2 GPS `DELTA-UTC: A0,A1,T,W`: 3X, 2D19.12, 2I9.
    fn rinex2_delta_utc(&mut self, line: &str, n: usize) -> Result<(), String> {
        let a0 = real(col(line, 3, 22))?.ok_or_else(|| format!("no A0 in {line:?}"))?;
        let a1 = real(col(line, 22, 41))?.unwrap_or(0.0);
        let t = int(col(line, 41, 50))?.unwrap_or(0);
        let w = int(col(line, 50, 59))?.unwrap_or(0);
        if t < 0 || w < 0 || t >= 604_800 {
            return Err(format!(
                "reference time T={t} W={w} out of range in {line:?}"
            ));
        }
        let t_ref = header_t_ref(&OffsetCode::Gput, t, w).map_err(|e| e.to_string())?;
        self.push(
            OffsetCode::Gput,
            [a0, a1, 0.0],
            t_ref,
            OffsetSource::Rinex2Header,
            n,
        )
    }

    /// `LEAP SECONDS`: I6 (RINEX 2); 4I6, A3 (RINEX 3/4).
    fn leap_line(&mut self, line: &str) -> Result<(), String> {
        let current =
            int(col(line, 0, 6))?.ok_or_else(|| format!("no leap seconds in {line:?}"))?;
        let small = |v: Option<i64>| {
            v.map(i32::try_from)
                .transpose()
                .map_err(|_| "leap value out of range".to_string())
        };
        let unsigned = |v: Option<i64>| {
            v.map(u32::try_from)
                .transpose()
                .map_err(|_| "leap week/day out of range".to_string())
        };
        self.set_leap_seconds(LeapSecondsHeader {
            current_s: i32::try_from(current).map_err(|_| format!("leap seconds {current}"))?,
            future_s: small(int(col(line, 6, 12))?)?,
            week: unsigned(int(col(line, 12, 18))?)?,
            day: unsigned(int(col(line, 18, 24))?)?,
            system: Some(col(line, 24, 27).trim().to_string()).filter(|s| !s.is_empty()),
        })
    }

    /// Keeps a `LEAP SECONDS` header after checking its plausibility: GPST − UTC has been 18 s
    /// since 2017 and BDT − UTC 4 s; 0–100 s covers any future.
    pub(crate) fn set_leap_seconds(&mut self, leap: LeapSecondsHeader) -> Result<(), String> {
        let range = 0..=MAX_LEAP_SECONDS;
        for v in std::iter::once(leap.current_s).chain(leap.future_s) {
            if !range.contains(&v) {
                return Err(format!("implausible LEAP SECONDS value {v}"));
            }
        }
        self.leap_seconds = Some(leap);
        Ok(())
    }

    /// RINEX 4 `> STO` record (3 lines) whose first line is line `n`. Errors carry the 0-based
    /// line offset in the record.
    pub(crate) fn read_sto(&mut self, rec: [&str; 3], n: usize) -> Result<(), (usize, String)> {
        let sv = col(rec[0], 6, 9).trim().to_string();
        let message = col(rec[0], 10, 14).trim().to_string();
        let l2 = rec[1];
        let field = |a: usize, b: usize| -> Result<i64, (usize, String)> {
            int(col(l2, a, b))
                .map_err(|m| (1, m))?
                .ok_or_else(|| (1, format!("STO epoch incomplete: {l2:?}")))
        };
        let (y, mo, d, h, mi, s) = (
            field(4, 8)?,
            field(9, 11)?,
            field(12, 14)?,
            field(15, 17)?,
            field(18, 20)?,
            field(21, 23)?,
        );
        let code_text = col(l2, 24, 28).trim();
        if code_text.is_empty() {
            return Err((1, format!("STO record without a time offset type: {l2:?}")));
        }
        let code = OffsetCode::parse(code_text);
        let utc_id = Some(col(l2, 62, 80).trim().to_string()).filter(|s| !s.is_empty());
        // Record epoch in the transmitting system's time (GLONASS record epochs are UTC).
        let scale = match sv.chars().next() {
            Some('C') => Scale::Bdt,
            Some('R') => Scale::Utc,
            _ => Scale::Gpst,
        };
        let small =
            |v: i64| u8::try_from(v).map_err(|_| (1, format!("STO epoch field {v} out of range")));
        let t_ref = epoch_from_calendar(
            scale,
            i32::try_from(y).map_err(|_| (1, format!("year {y}")))?,
            small(mo)?,
            small(d)?,
            small(h)?,
            small(mi)?,
            s as f64,
        )
        .map_err(|e| (1, e.to_string()))?;
        let l3 = rec[2];
        let num = |a: usize, b: usize| -> Result<f64, (usize, String)> {
            real(col(l3, a, b))
                .map_err(|m| (2, m))?
                .ok_or_else(|| (2, format!("STO parameters incomplete: {l3:?}")))
        };
        let t_tm_s = num(4, 23)?;
        let a = [num(23, 42)?, num(42, 61)?, num(61, 80)?];
        let source = OffsetSource::Rinex4Sto {
            sv,
            message,
            t_tm_s,
            utc_id,
        };
        self.push(code, a, Some(t_ref), source, n)
            .map_err(|m| (2, m))
    }

    /// Offsets of one code, in file order.
    pub fn of_code<'a>(
        &'a self,
        code: &'a OffsetCode,
    ) -> impl Iterator<Item = &'a BroadcastOffset> + 'a {
        self.offsets.iter().filter(move |o| &o.code == code)
    }

    /// The offset of a code to use at an instant: the latest reference epoch not after the
    /// instant, else the earliest after it (ties: the record written last). Unknown
    /// ([`OffsetCode::Other`]) codes are never selected.
    pub fn select(&self, code: &OffsetCode, epoch: Epoch) -> Option<&BroadcastOffset> {
        if matches!(code, OffsetCode::Other(_)) {
            return None;
        }
        let t = tai_ns(epoch);
        let key = |o: &BroadcastOffset| o.t_ref.map(tai_ns);
        let mut before: Option<&BroadcastOffset> = None;
        let mut after: Option<&BroadcastOffset> = None;
        for o in self.offsets.iter().filter(|o| &o.code == code) {
            match key(o) {
                // No reference: valid at any time, ranks as "before".
                None => {
                    if before.is_none_or(|b| key(b).is_none()) {
                        before = Some(o);
                    }
                }
                Some(r) if r <= t => {
                    if before.is_none_or(|b| key(b).is_none_or(|br| r >= br)) {
                        before = Some(o);
                    }
                }
                Some(r) => {
                    if after.is_none_or(|a| key(a).is_some_and(|ar| r <= ar)) {
                        after = Some(o);
                    }
                }
            }
        }
        before.or(after)
    }

    /// `Ok` when `epoch` lies within `max_s` of the reference epoch of at least one offset
    /// (or no offset has a reference epoch); otherwise [`TimeError::OffsetsOutOfReach`]. The
    /// default reach of every study is [`crate::limits::MAX_OFFSET_EXTRAPOLATION_S`].
    pub fn check_reach(&self, epoch: Epoch, max_s: f64) -> Result<(), TimeError> {
        let nearest_s = self
            .offsets
            .iter()
            .filter(|o| o.t_ref.is_some())
            .map(|o| o.dt_s(epoch).abs())
            .fold(f64::INFINITY, f64::min);
        if !nearest_s.is_finite() || nearest_s <= max_s {
            return Ok(());
        }
        Err(TimeError::OffsetsOutOfReach {
            epoch,
            nearest_s,
            max_s,
            file: self
                .file
                .as_ref()
                .map_or_else(|| "the offsets".to_string(), |p| p.display().to_string()),
        })
    }

    /// The fractional `A − B` of a code at an instant, s (see [`Self::select`]).
    pub fn evaluate(&self, code: &OffsetCode, epoch: Epoch) -> Option<f64> {
        self.select(code, epoch).map(|o| o.evaluate(epoch))
    }
}
