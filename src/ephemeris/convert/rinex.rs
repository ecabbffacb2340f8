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
            leap_seconds: rinex
                .header
                .leap
                .as_ref()
                .and_then(|l| i32::try_from(l.leap).ok()),
            bds: BTreeMap::new(),
            glonass: BTreeMap::new(),
            skipped_records: BTreeMap::new(),
            merge: crate::ephemeris::NavMergeStats {
                files: 1,
                ..Default::default()
            },
        };
        let mut report = ConversionReport::default();
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
        // The reader's order: by reference time, then (for equal times) by message type.
        for v in nav.bds.values_mut() {
            v.sort_by_key(|r| (r.toe, message_rank(r.message)));
        }
        for v in nav.glonass.values_mut() {
            v.sort_by_key(|r| r.tb);
        }
        Ok((nav, report))
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
