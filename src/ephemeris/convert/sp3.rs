//! `sp3::SP3` → [`Sp3Product`] and [`Sp3Source`].
//!
//! The product's epoch grid is the set of epochs the `sp3` crate holds entries for; each
//! entry's position (km) and clock (µs) go through the same bad-value rules as our reader
//! ([`position_from_km`], [`clock_from_us`]) and the table is assembled by the reader's own
//! code, so interpolation and its refusals are those of [`Sp3Source`].

use std::collections::BTreeMap;

use hifitime::Epoch;
use sp3::prelude::{Constellation as Sp3Constellation, SP3};

use super::ConversionReport;
use crate::ephemeris::sp3::{assemble, clock_from_us, implausible_node, position_from_km, Record};
use crate::ephemeris::{EphemerisError, Sp3Product};
use crate::id::{Constellation, SatId};
use crate::orbit::sp3::Sp3Source;
use crate::orbit::OrbitError;

fn ours(c: Sp3Constellation) -> Option<Constellation> {
    match c {
        Sp3Constellation::BeiDou => Some(Constellation::BeiDou),
        Sp3Constellation::Glonass => Some(Constellation::Glonass),
        Sp3Constellation::GPS => Some(Constellation::Gps),
        Sp3Constellation::Galileo => Some(Constellation::Galileo),
        Sp3Constellation::QZSS => Some(Constellation::Qzss),
        _ => None,
    }
}

fn letter(c: Sp3Constellation) -> char {
    match c {
        Sp3Constellation::IRNSS => 'I',
        c if c.is_sbas() => 'S',
        _ => 'L',
    }
}

impl Sp3Product {
    /// The product held by an `sp3::SP3`: positions and clocks of the GPS, GLONASS, Galileo,
    /// BeiDou and QZSS satellites on the epochs of its entries, in the header's time scale.
    /// Entries of other systems are counted in the report's `skipped`; a satellite number
    /// this crate does not know is refused.
    ///
    /// Errors: [`EphemerisError::Conversion`] when the value holds no entry.
    pub fn from_sp3(sp3: &SP3) -> Result<(Sp3Product, ConversionReport), EphemerisError> {
        let scale = sp3.header.timescale;
        let mut epochs: Vec<Epoch> = sp3
            .data
            .keys()
            .map(|k| k.epoch.to_time_scale(scale))
            .collect();
        epochs.sort();
        epochs.dedup();
        if epochs.is_empty() {
            return Err(EphemerisError::Conversion {
                from: "sp3",
                what: "the product holds no entry".to_string(),
            });
        }
        let mut report = ConversionReport::default();
        let mut skipped: BTreeMap<char, usize> = BTreeMap::new();
        let mut records: Vec<Record> = Vec::with_capacity(sp3.data.len());
        for (key, entry) in &sp3.data {
            let Some(c) = ours(key.sv.constellation) else {
                *skipped.entry(letter(key.sv.constellation)).or_insert(0) += 1;
                continue;
            };
            let sat = match SatId::new(c, key.sv.prn) {
                Ok(s) => s,
                Err(e) => {
                    report.refused.push(super::RefusedRecord {
                        sat: key.sv.to_string(),
                        epoch: key.epoch,
                        message: "P".to_string(),
                        reason: e.to_string(),
                    });
                    continue;
                }
            };
            let t = key.epoch.to_time_scale(scale);
            let k = epochs.binary_search(&t).unwrap_or_default();
            let (x, y, z) = entry.position_km;
            let position_m = position_from_km(x, y, z);
            let clock_s = entry.clock_us.and_then(clock_from_us);
            if let Some(reason) = implausible_node(sat, position_m, clock_s) {
                report.refused.push(super::RefusedRecord {
                    sat: sat.to_string(),
                    epoch: key.epoch,
                    message: "P".to_string(),
                    reason,
                });
                continue;
            }
            records.push(Record {
                sat,
                k,
                position_m,
                clock_s,
                predicted: entry.predicted_orbit || entry.predicted_clock,
                line: 0,
            });
            report.converted += 1;
        }
        report.skipped = skipped;
        let (product, _lines) = assemble(
            sp3.header.agency.trim().to_string(),
            sp3.header.coord_system.trim().to_string(),
            scale,
            sp3.header.sampling_period.to_seconds(),
            epochs,
            records,
        );
        Ok((product, report))
    }
}

impl Sp3Source {
    /// An SP3 orbit source from an `sp3::SP3` in one call, interpolating with the given odd
    /// `order` (as [`Sp3Source::new`]; [`crate::orbit::sp3::DEFAULT_ORDER`] is the usual one).
    pub fn from_sp3(sp3: &SP3, order: usize) -> Result<(Sp3Source, ConversionReport), OrbitError> {
        let (product, report) = Sp3Product::from_sp3(sp3)?;
        Ok((Sp3Source::new(product, order)?, report))
    }
}
