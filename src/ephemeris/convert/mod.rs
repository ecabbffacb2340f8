//! Typed records and SP3 tables built from values of the `rinex` and `sp3` crates (features
//! `rinex` and `sp3`), for programs that already hold their data in those crates' types.
//!
//! The conversions rebuild the numbers each record had in its file and hand them to the very
//! functions our own readers use to build and check records, so a converted record obeys the
//! same rules (value ranges, integer fields, the BeiDou CNAV week, the toc–t_oe consistency,
//! SP3 bad-value markers). A record that breaks one of them, or that lacks a field, is not
//! guessed: it is left out and listed in a [`ConversionReport`] with the satellite, epoch and
//! reason. Health, validity windows and orbit classes are applied later, exactly as for a file
//! read by this crate (record selection and [`crate::orbit::broadcast::BroadcastSource`]).

use hifitime::Epoch;

#[cfg(feature = "rinex")]
mod rinex;
#[cfg(feature = "sp3")]
mod sp3;

/// A record the conversion left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RefusedRecord {
    /// Satellite as the other crate names it (e.g. `C01`, `R24`).
    pub sat: String,
    /// Epoch of the record (toc, t_b or SP3 epoch) as the other crate holds it.
    pub epoch: Epoch,
    /// Message type as the other crate names it (`D1`, `CNV1`, `FDMA`, `LNAV`, `P` for SP3).
    pub message: String,
    /// What could not be honoured.
    pub reason: String,
}

/// What a conversion did with the values it was given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConversionReport {
    /// Records converted into this crate's types.
    pub converted: usize,
    /// Records of systems or message types this crate does not model, per RINEX system letter
    /// (the same count as [`crate::ephemeris::NavData::skipped_records`]: BeiDou B-CNAV3 under
    /// `C`; for SP3, entries of other systems).
    pub skipped: std::collections::BTreeMap<char, usize>,
    /// Records refused: a missing field or a value outside this crate's rules.
    pub refused: Vec<RefusedRecord>,
}

impl ConversionReport {
    /// True when every record of a modelled system was converted.
    pub fn is_complete(&self) -> bool {
        self.refused.is_empty()
    }
}
