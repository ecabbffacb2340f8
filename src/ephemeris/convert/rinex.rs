//! `rinex::Rinex` navigation records → [`NavData`].
//!
//! The `rinex` crate keeps each ephemeris as a dictionary of named orbit fields (its
//! `db/NAV/orbits.json`, in file order). The tables below put each name back at its line and
//! column of the RINEX layout, and the record is built by the reader's own
//! [`build_bds`](crate::ephemeris::rinex_nav) / `build_glonass`.

use std::collections::BTreeMap;

use hifitime::{Epoch, TimeScale};
use rinex::navigation::{Ephemeris, NavKey, NavMessageType};
use rinex::prelude::{Constellation as RinexConstellation, Rinex};

use super::{ConversionReport, RefusedRecord};
use crate::ephemeris::rinex_nav::{build_bds, build_glonass, FieldError};
use crate::ephemeris::{BdsMessage, EphemerisError, NavData};
use crate::id::{Constellation, SatId};
use crate::orbit::broadcast::{BroadcastOptions, BroadcastSource};
use crate::time::offsets::header_t_ref;
use crate::time::{BroadcastOffsets, LeapSecondsHeader, OffsetCode, OffsetSource};

/// Names of the `rinex` crate's orbit fields at each (orbit line, column) of a BeiDou D1/D2
/// record (RINEX 3.05 Table A14, 4.00 Table A27); alternatives separated by `|` (the crate
/// names the group delays differently in RINEX 3 and 4).
const BDS_D1D2: [[&str; 4]; 7] = [
    ["aode", "crs", "deltaN", "m0"],
    ["cuc", "e", "cus", "sqrta"],
    ["toe", "cic", "omega0", "cis"],
    ["i0", "crc", "omega", "omegaDot"],
    ["idot", "", "week", ""],
    ["accuracy", "health", "tgd1b1b3|tgdb1b3", "tgd2b2b3|tgdb2b3"],
    ["t_tm", "aodc", "", ""],
];

/// The same for B-CNAV1 and B-CNAV2 (RINEX 4.00 Tables A28–A29).
const BDS_CNAV: [[&str; 4]; 9] = [
    ["adot", "crs", "deltaN0", "m0"],
    ["cuc", "e", "cus", "sqrta"],
    ["toe", "cic", "omega0", "cis"],
    ["i0", "crc", "omega", "omegaDot"],
    ["idot", "deltaN0Dot", "satType", "t_op"],
    ["sisa1_oe", "sisa1_ocb", "sisa1_oc1", "sisa1_oc2"],
    ["iscB1Cd", "iscB2ad", "tgdB1Cp", "tgdB2ap"],
    ["sismai", "health", "integrity", "iodc"],
    ["t_tm", "", "", "iode"],
];

/// The same for GLONASS FDMA (RINEX 2.11 Table A11, 3.05 Table A10, 4.00 Table A15); the
/// 3.05/4.00 fourth line is not kept by this crate.
const GLONASS: [[&str; 4]; 3] = [
    ["satPosX", "velX", "accelX", "health"],
    ["satPosY", "velY", "accelY", "channel"],
    ["satPosZ", "velZ", "accelZ", "ageOp"],
];

/// The values of a record's orbit lines, by the layout `names`.
fn orbit_grid<const N: usize>(eph: &Ephemeris, names: &[[&str; 4]; N]) -> Vec<[Option<f64>; 4]> {
    names
        .iter()
        .map(|line| {
            line.map(|alternatives| {
                alternatives
                    .split('|')
                    .filter(|n| !n.is_empty())
                    .find_map(|n| eph.orbits.get(n))
                    .map(|item| item.as_f64())
            })
        })
        .collect()
}

/// The RINEX letter of a `rinex`/`gnss-rs` constellation, for counting skipped records.
fn letter(c: RinexConstellation) -> char {
    match c {
        RinexConstellation::GPS => 'G',
        RinexConstellation::Glonass => 'R',
        RinexConstellation::BeiDou => 'C',
        RinexConstellation::Galileo => 'E',
        RinexConstellation::QZSS => 'J',
        RinexConstellation::IRNSS => 'I',
        c if c.is_sbas() => 'S',
        _ => '?',
    }
}

impl NavData {
    /// The BeiDou (D1/D2, B-CNAV1, B-CNAV2) and GLONASS FDMA records of a navigation
    /// `rinex::Rinex`, built and checked as this crate's reader builds and checks them, with a
    /// report of what was skipped (other systems, B-CNAV3) or refused.
    ///
    /// Errors: [`EphemerisError::Conversion`] when the value is not navigation data.
    /// `path` of the result is `None`; `source_line` of each record is 0 (the `rinex` crate
    /// keeps no line numbers).
    pub fn from_rinex(rinex: &Rinex) -> Result<(NavData, ConversionReport), EphemerisError> {
        if !rinex.is_navigation_rinex() {
            return Err(EphemerisError::Conversion {
                from: "rinex",
                what: format!(
                    "not navigation data (RINEX type {:?})",
                    rinex.header.rinex_type
                ),
            });
        }
        let v = rinex.header.version;
        let version: f64 = format!("{}.{:02}", v.major, v.minor)
            .parse()
            .unwrap_or(f64::NAN);
        let mut nav = NavData {
            path: None,
            version,
            offsets: BroadcastOffsets::new(version, None),
            bds: BTreeMap::new(),
            glonass: BTreeMap::new(),
            skipped_records: BTreeMap::new(),
            merge: crate::ephemeris::NavMergeStats {
                files: 1,
                ..Default::default()
            },
            warnings: Vec::new(),
        };
        let mut report = ConversionReport::default();
        offsets(rinex, &mut nav.offsets, &mut report);
        for (key, eph) in rinex.nav_ephemeris_frames_iter() {
            let c = key.sv.constellation;
            let refuse = |report: &mut ConversionReport, reason: String| {
                report.refused.push(RefusedRecord {
                    sat: key.sv.to_string(),
                    epoch: key.epoch,
                    message: key.msgtype.to_string(),
                    reason,
                })
            };
            let kind = match (c, key.msgtype) {
                (RinexConstellation::BeiDou, NavMessageType::LNAV | NavMessageType::D1D2) => {
                    Some(BdsMessage::D1D2)
                }
                (RinexConstellation::BeiDou, NavMessageType::D1) => Some(BdsMessage::D1),
                (RinexConstellation::BeiDou, NavMessageType::D2) => Some(BdsMessage::D2),
                (RinexConstellation::BeiDou, NavMessageType::CNV1) => Some(BdsMessage::Cnav1),
                (RinexConstellation::BeiDou, NavMessageType::CNV2) => Some(BdsMessage::Cnav2),
                (RinexConstellation::Glonass, NavMessageType::LNAV | NavMessageType::FDMA) => None,
                (RinexConstellation::BeiDou, NavMessageType::CNV3) => {
                    *nav.skipped_records.entry('C').or_insert(0) += 1;
                    continue;
                }
                (RinexConstellation::BeiDou | RinexConstellation::Glonass, other) => {
                    refuse(
                        &mut report,
                        format!("message type {other} is not read by this crate"),
                    );
                    continue;
                }
                (other, _) => {
                    *nav.skipped_records.entry(letter(other)).or_insert(0) += 1;
                    continue;
                }
            };
            let built = match kind {
                Some(message) => bds(key, eph, message).map(|r| {
                    nav.bds.entry(r.sat).or_default().push(r);
                }),
                None => glonass(key, eph).map(|r| {
                    nav.glonass.entry(r.sat).or_default().push(r);
                }),
            };
            match built {
                Ok(()) => report.converted += 1,
                Err(reason) => refuse(&mut report, reason),
            }
        }
        // The reader's rule for records sharing satellite and reference time, then its order:
        // by reference time, then (for equal times) by message type.
        nav.resolve_same_key_records()?;
        for v in nav.bds.values_mut() {
            v.sort_by_key(|r| (r.toe, message_rank(r.message)));
        }
        for v in nav.glonass.values_mut() {
            v.sort_by_key(|r| r.tb);
        }
        Ok((nav, report))
    }
}

/// The time offsets of a navigation `rinex::Rinex`: its header's `LEAP SECONDS` and time
/// corrections (RINEX 2 and 3) and its RINEX 4 STO frames, built as this crate's reader builds
/// them (same codes, reference-epoch rules and plausibility limits). An offset that breaks a
/// rule is left out and reported.
///
/// What the `rinex` crate does not keep cannot be given back: the provider column of a RINEX 3
/// `TIME SYSTEM CORR` line (`provider` is `None`), the line numbers (0) and the text of RINEX 2
/// corrections (both RINEX 2 kinds are stored as GPST − UTC: the file's system tells them
/// apart, `CORR TO SYSTEM TIME` in GLONASS files, `DELTA-UTC` in GPS files). Lines the crate
/// cannot parse are dropped by it without a word; the second-opinion test counts them.
fn offsets(rinex: &Rinex, out: &mut BroadcastOffsets, report: &mut ConversionReport) {
    let mut refuse = |sat: String, epoch: Epoch, message: String, reason: String| {
        report.refused.push(RefusedRecord {
            sat,
            epoch,
            message,
            reason,
        })
    };
    if let Some(l) = &rinex.header.leap {
        let leap = (|| {
            Ok::<_, String>(LeapSecondsHeader {
                current_s: i32::try_from(l.leap).map_err(|_| format!("leap seconds {}", l.leap))?,
                future_s: l
                    .delta_tls
                    .map(i32::try_from)
                    .transpose()
                    .map_err(|_| "ΔtLSF".to_string())?,
                week: l.week,
                day: l.day,
                system: l.timescale.map(|t| match t {
                    TimeScale::BDT => "BDS".to_string(),
                    other => other.to_string(),
                }),
            })
        })()
        .and_then(|leap| out.set_leap_seconds(leap));
        if let Err(reason) = leap {
            refuse(
                "header".into(),
                Epoch::from_gpst_seconds(0.0),
                "LEAP SECONDS".into(),
                reason,
            );
        }
    }
    let version_2 = rinex.header.version.major == 2;
    let glonass_file = rinex.header.constellation == Some(RinexConstellation::Glonass);
    for o in rinex.header.nav.iter().flat_map(|h| &h.time_offsets) {
        let (week, nanos) = o.t_ref;
        let (code, source) = match (&o.time_system, version_2) {
            (Some(ts), _) => (
                OffsetCode::parse(ts),
                OffsetSource::Rinex3Header { provider: None },
            ),
            (None, true) if glonass_file => (OffsetCode::Glut, OffsetSource::Rinex2Header),
            (None, true) => (OffsetCode::Gput, OffsetSource::Rinex2Header),
            (None, false) => {
                refuse(
                    "header".into(),
                    Epoch::from_gpst_seconds(0.0),
                    "TIME SYSTEM CORR".into(),
                    format!(
                        "{}−{} correction without its four-letter code",
                        o.lhs, o.rhs
                    ),
                );
                continue;
            }
        };
        let t_ref = if code == OffsetCode::Glut && version_2 {
            // Stored by the crate as the GPST week and nanoseconds of the UTC(SU) date.
            (week, nanos) != (0, 0)
                && week < 10_000
                && Epoch::from_time_of_week(week, nanos, TimeScale::GPST)
                    > Epoch::from_gpst_seconds(0.0)
        } else {
            false
        };
        let t_ref = if t_ref {
            Ok(Some(Epoch::from_time_of_week(week, nanos, TimeScale::GPST)))
        } else {
            header_t_ref(&code, (nanos / 1_000_000_000) as i64, i64::from(week))
                .map_err(|e| e.to_string())
        };
        let a = [o.polynomial.0, o.polynomial.1, o.polynomial.2];
        let pushed = t_ref.and_then(|t_ref| out.push(code.clone(), a, t_ref, source, 0));
        if let Err(reason) = pushed {
            refuse(
                "header".into(),
                Epoch::from_gpst_seconds(0.0),
                code.to_string(),
                reason,
            );
        }
    }
    for (key, o) in rinex.nav_system_time_frames_iter() {
        // A record broadcast by a system rather than a satellite (`> STO R FDMA`) is held by
        // the `rinex` crate as PRN 0 (`R00`); the file, and our reader, say `R`.
        let sv = if key.sv.prn == 0 {
            letter(key.sv.constellation).to_string()
        } else {
            key.sv.to_string()
        };
        let Some(code) = o.time_system.as_deref().map(OffsetCode::parse) else {
            refuse(
                sv,
                key.epoch,
                "STO".into(),
                "STO frame without its time offset type".into(),
            );
            continue;
        };
        // The record epoch in the transmitting system's time (GLONASS: UTC), as the reader.
        let scale = match key.sv.constellation {
            RinexConstellation::BeiDou => TimeScale::BDT,
            RinexConstellation::Glonass => TimeScale::UTC,
            _ => TimeScale::GPST,
        };
        let source = OffsetSource::Rinex4Sto {
            sv: sv.clone(),
            message: key.msgtype.to_string(),
            t_tm_s: o.transmission_time.unwrap_or(f64::NAN),
            utc_id: o.utc.clone(),
        };
        let a = [o.polynomial.0, o.polynomial.1, o.polynomial.2];
        let pushed = if o.transmission_time.is_some_and(f64::is_finite) {
            out.push(code, a, Some(in_scale(key.epoch, scale)), source, 0)
        } else {
            Err("STO frame without a finite transmission time".to_string())
        };
        if let Err(reason) = pushed {
            refuse(sv, key.epoch, "STO".into(), reason);
        }
    }
}

/// Order of message types among records with the same t_oe (file order in RINEX 4 merges).
fn message_rank(m: BdsMessage) -> u8 {
    match m {
        BdsMessage::D1 | BdsMessage::D2 | BdsMessage::D1D2 => 0,
        BdsMessage::Cnav1 => 1,
        BdsMessage::Cnav2 => 2,
        BdsMessage::Cnav3 => 3,
    }
}

fn sat_of(key: &NavKey, c: Constellation) -> Result<SatId, String> {
    SatId::new(c, key.sv.prn).map_err(|e| e.to_string())
}

/// `epoch` in `scale` (the record's own scale: the same instant, relabelled when needed).
fn in_scale(epoch: Epoch, scale: TimeScale) -> Epoch {
    if epoch.time_scale == scale {
        epoch
    } else {
        epoch.to_time_scale(scale)
    }
}

fn field_error(e: FieldError) -> String {
    if e.line == 0 {
        e.message
    } else {
        format!("orbit line {}: {}", e.line, e.message)
    }
}

fn bds(
    key: &NavKey,
    eph: &Ephemeris,
    message: BdsMessage,
) -> Result<crate::ephemeris::BdsEphemeris, String> {
    let sat = sat_of(key, Constellation::BeiDou)?;
    let toc = in_scale(key.epoch, TimeScale::BDT);
    let grid = if matches!(message, BdsMessage::Cnav1 | BdsMessage::Cnav2) {
        orbit_grid(eph, &BDS_CNAV)
    } else {
        orbit_grid(eph, &BDS_D1D2)
    };
    let (a0, a1, a2) = eph.sv_clock();
    build_bds(sat, message, toc, [a0, a1, a2], &grid, 0).map_err(field_error)
}

fn glonass(key: &NavKey, eph: &Ephemeris) -> Result<crate::ephemeris::GlonassEphemeris, String> {
    let sat = sat_of(key, Constellation::Glonass)?;
    let tb = in_scale(key.epoch, TimeScale::UTC);
    let frame_time_s = eph
        .orbits
        .get("frameTime")
        .map(|i| i.as_f64())
        .or_else(|| key.transmission_time.map(|t| t.seconds()))
        .ok_or_else(|| "missing message frame time".to_string())?;
    let grid = orbit_grid(eph, &GLONASS);
    build_glonass(
        sat,
        tb,
        [eph.clock_bias, eph.clock_drift, frame_time_s],
        &grid,
        0,
    )
    .map_err(field_error)
}

impl BroadcastSource {
    /// A broadcast orbit source from a navigation `rinex::Rinex` in one call: the records of
    /// [`NavData::from_rinex`] with the same record selection, health and orbit-class rules
    /// as [`BroadcastSource::from_file`]. The report lists what was skipped or refused.
    pub fn from_rinex(
        rinex: &Rinex,
        systems: &[Constellation],
        options: BroadcastOptions,
    ) -> Result<(BroadcastSource, ConversionReport), EphemerisError> {
        let (nav, report) = NavData::from_rinex(rinex)?;
        Ok((BroadcastSource::new(nav, systems, options), report))
    }
}
