//! Record selection: for a satellite and an epoch, the valid broadcast record.
//!
//! Rule (both systems): a record is eligible when |epoch − reference time| ≤ the policy's
//! half-window (BDS: t_oe, default ±3600 s — BDS uploads hourly, so one missed update is bridged
//! and nothing hours away is ever used; GLONASS: t_b, default ±900 s, GLONASS ICD, t_b every
//! 30 min). Unhealthy records are eligible only with `allow_unhealthy`. Among eligible records
//! BeiDou D1/D2 records are preferred to B-CNAV ones (RINEX 4 files carry both for BDS-3; D1/D2
//! are the messages all BDS satellites broadcast, which keeps one model for the constellation),
//! then the nearest reference time wins, then the earlier record. No eligible record →
//! [`EphemerisError::NoValidRecord`] with the reason; never a quiet extrapolation.

use hifitime::Epoch;

use super::{BdsEphemeris, BdsMessage, EphemerisError, GlonassEphemeris, NavData, SelectionPolicy};
use crate::id::SatId;

/// What selection needs to know about a record.
trait Candidate {
    fn reference(&self) -> Epoch;
    fn healthy(&self) -> bool;
    /// Preference rank: lower is preferred.
    fn rank(&self) -> u8;
}

impl Candidate for BdsEphemeris {
    fn reference(&self) -> Epoch {
        self.toe
    }
    fn healthy(&self) -> bool {
        self.health == 0
    }
    fn rank(&self) -> u8 {
        match self.message {
            BdsMessage::D1 | BdsMessage::D2 | BdsMessage::D1D2 => 0,
            BdsMessage::Cnav1 | BdsMessage::Cnav2 | BdsMessage::Cnav3 => 1,
        }
    }
}

impl Candidate for GlonassEphemeris {
    fn reference(&self) -> Epoch {
        self.tb
    }
    fn healthy(&self) -> bool {
        self.health == 0
    }
    fn rank(&self) -> u8 {
        0
    }
}

fn select<'a, T: Candidate>(
    records: Option<&'a Vec<T>>,
    sat: SatId,
    epoch: Epoch,
    half_window_s: f64,
    allow_unhealthy: bool,
    ref_name: &str,
) -> Result<&'a T, EphemerisError> {
    let records = match records {
        Some(r) if !r.is_empty() => r,
        _ => return Err(EphemerisError::UnknownSatellite { sat }),
    };
    let mut best: Option<(&T, u8, f64)> = None;
    let mut nearest_any = f64::INFINITY;
    let mut unhealthy_in_window = 0usize;
    for r in records {
        let dt = (epoch - r.reference()).to_seconds().abs();
        nearest_any = nearest_any.min(dt);
        // A NaN window (or distance) makes nothing eligible.
        let inside = matches!(
            dt.partial_cmp(&half_window_s),
            Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
        );
        if !inside {
            continue;
        }
        if !allow_unhealthy && !r.healthy() {
            unhealthy_in_window += 1;
            continue;
        }
        let key = (r.rank(), dt);
        let better = match best {
            None => true,
            Some((_, rank, d)) => key.0 < rank || (key.0 == rank && key.1 < d),
        };
        if better {
            best = Some((r, key.0, key.1));
        }
    }
    if let Some((r, _, _)) = best {
        return Ok(r);
    }
    let reason = if unhealthy_in_window > 0 {
        format!(
            "only unhealthy records within ±{half_window_s} s of {ref_name} \
             ({unhealthy_in_window} record(s); allow_unhealthy is off)"
        )
    } else {
        format!(
            "nearest record's {ref_name} is {nearest_any:.0} s away, beyond the ±{half_window_s} s \
             validity window"
        )
    };
    Err(EphemerisError::NoValidRecord { sat, epoch, reason })
}

impl NavData {
    /// The valid BeiDou record for `sat` at `epoch` (any time scale) under `policy`.
    ///
    /// Errors: [`EphemerisError::UnknownSatellite`] when the data have no BeiDou record of `sat`;
    /// [`EphemerisError::NoValidRecord`] when no record's t_oe is within
    /// `policy.bds_half_window_s` of `epoch` (or only unhealthy ones are and
    /// `allow_unhealthy` is off).
    pub fn select_bds(
        &self,
        sat: SatId,
        epoch: Epoch,
        policy: &SelectionPolicy,
    ) -> Result<&BdsEphemeris, EphemerisError> {
        select(
            self.bds.get(&sat),
            sat,
            epoch,
            policy.bds_half_window_s,
            policy.allow_unhealthy,
            "t_oe",
        )
    }

    /// The valid GLONASS record for `sat` at `epoch` (any time scale) under `policy`.
    ///
    /// Errors as for [`NavData::select_bds`], with t_b and `policy.glonass_half_window_s`.
    pub fn select_glonass(
        &self,
        sat: SatId,
        epoch: Epoch,
        policy: &SelectionPolicy,
    ) -> Result<&GlonassEphemeris, EphemerisError> {
        select(
            self.glonass.get(&sat),
            sat,
            epoch,
            policy.glonass_half_window_s,
            policy.allow_unhealthy,
            "t_b",
        )
    }
}
