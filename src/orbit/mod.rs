//! How records become states: BeiDou Keplerian propagation (MEO/IGSO and the GEO branch),
//! GLONASS numerical integration, SP3 interpolation, nominal constellations and long-span
//! propagation, behind the [`Propagator`] and [`OrbitSource`] traits; [`states`] tables every
//! satellite's state over an epoch grid; [`validate`] compares two sources (broadcast minus
//! precise) per satellite and per orbit group.

use hifitime::Epoch;
use nalgebra::Vector3;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ephemeris::EphemerisError;

pub mod bds;
pub mod broadcast;
pub mod filter;
pub mod glonass;
pub mod longspan;
pub mod lunisolar;
pub mod nominal;
pub mod open;
pub mod plausible;
pub mod sp3;
pub mod states;
pub mod validate;
use crate::frames::Frame;
use crate::id::SatId;
use crate::limits::{in_range, End, OPEN};

/// A satellite's state at an epoch, in the frame of its source.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SatState {
    /// Satellite.
    pub sat: SatId,
    /// Epoch of the state (as asked for; any time scale).
    pub epoch: Epoch,
    /// Frame of position and velocity (ECEF).
    pub frame: Frame,
    /// Position of the centre of mass (broadcast: antenna phase centre as broadcast), m.
    pub position_m: Vector3<f64>,
    /// Velocity in the rotating ECEF frame, m/s.
    pub velocity_m_s: Vector3<f64>,
    /// Satellite clock offset against its own system time, s, when the source gives one.
    pub clock_offset_s: Option<f64>,
}

/// Errors of propagation and record selection.
#[derive(Debug, Error)]
pub enum OrbitError {
    /// The epoch is outside the validity of the record or table.
    #[error("{sat}: epoch {epoch} is outside the validity window {start} – {end}")]
    OutsideValidity {
        /// Satellite.
        sat: SatId,
        /// Epoch asked for.
        epoch: Epoch,
        /// Start of validity.
        start: Epoch,
        /// End of validity.
        end: Epoch,
    },
    /// The satellite is not provided by this source.
    #[error("satellite {sat} is not provided by this orbit source")]
    UnknownSatellite {
        /// Satellite asked for.
        sat: SatId,
    },
    /// The record or satellite is flagged unhealthy.
    #[error("{sat} is unhealthy at {epoch} (health flag {health})")]
    Unhealthy {
        /// Satellite.
        sat: SatId,
        /// Epoch asked for.
        epoch: Epoch,
        /// Health flag as broadcast.
        health: u32,
    },
    /// The record's parameters do not describe a usable orbit.
    #[error("{sat}: invalid orbit parameters: {reason}")]
    InvalidElements {
        /// Satellite.
        sat: SatId,
        /// What is wrong, with the offending value.
        reason: String,
    },
    /// Not enough valid samples around the epoch to interpolate.
    #[error("{sat}: cannot interpolate at {epoch}: {reason}")]
    Interpolation {
        /// Satellite.
        sat: SatId,
        /// Epoch asked for.
        epoch: Epoch,
        /// Why (gap, edge of table, …).
        reason: String,
    },
    /// A derived state outside physics (orbit band, speed for the radius, clock range): the
    /// input held a corrupted combination of values ([`plausible::check_state`]).
    #[error("{sat} at {epoch}: implausible state: {reason}")]
    Implausible {
        /// Satellite.
        sat: SatId,
        /// Epoch of the state.
        epoch: Epoch,
        /// What is outside physics, with the values.
        reason: String,
    },
    /// A request selected no satellite at all (no constellation, empty list).
    #[error("no satellites selected: {reason}")]
    EmptySelection {
        /// What was asked for.
        reason: String,
    },
    /// Two sources compared over a span share no satellite with a state at any epoch.
    #[error("nothing to compare: {detail}")]
    NothingInCommon {
        /// The sources and the span.
        detail: String,
    },
    /// Record selection failed in the ephemeris layer.
    #[error(transparent)]
    Ephemeris(#[from] EphemerisError),
}

impl OrbitError {
    /// `v` when finite and within `lo … hi` (the one range check, [`in_range`]), else
    /// [`OrbitError::InvalidElements`] for `sat` saying what was expected
    /// ("0 is not allowed; expected a validity half-window (s) > 0").
    pub(crate) fn check_range(
        sat: SatId,
        v: f64,
        lo: End,
        hi: End,
        what: &str,
    ) -> Result<f64, OrbitError> {
        in_range(v, lo, hi, what).map_err(|e| OrbitError::InvalidElements {
            sat,
            reason: e.to_string(),
        })
    }

    /// A validity half-window of a propagator: finite and > 0 s ([`OrbitError::check_range`]).
    pub(crate) fn check_half_window(sat: SatId, half_window_s: f64) -> Result<f64, OrbitError> {
        Self::check_range(
            sat,
            half_window_s,
            (0.0, OPEN),
            (f64::INFINITY, OPEN),
            "a validity half-window (s)",
        )
    }

    /// The one error policy of the studies: `true` when the error means "this satellite has
    /// no usable state at this epoch" (outside every validity window, unhealthy, no record or
    /// no interpolation window there) — the study counts the satellite absent and goes on;
    /// `false` for everything else (corrupted or implausible data, unknown satellites, I/O),
    /// which stops the study with the error.
    pub fn is_absence(&self) -> bool {
        use crate::ephemeris::EphemerisError as E;
        matches!(
            self,
            OrbitError::OutsideValidity { .. }
                | OrbitError::Unhealthy { .. }
                | OrbitError::Interpolation { .. }
                | OrbitError::Ephemeris(E::NoValidRecord { .. })
        )
    }
}

pub(crate) fn window(reference: Epoch, half_window_s: f64) -> (Epoch, Epoch) {
    let w = hifitime::Duration::from_seconds(half_window_s);
    (reference - w, reference + w)
}

/// Seconds from `reference` to `epoch` (an absolute difference: any time scale) when within
/// `± half_window_s`, else [`OrbitError::OutsideValidity`].
pub(crate) fn offset_within(
    sat: SatId,
    epoch: Epoch,
    reference: Epoch,
    half_window_s: f64,
) -> Result<f64, OrbitError> {
    let dt = (epoch - reference).to_seconds();
    if !dt.is_finite() || dt.abs() > half_window_s {
        let (start, end) = window(reference, half_window_s);
        return Err(OrbitError::OutsideValidity {
            sat,
            epoch,
            start,
            end,
        });
    }
    Ok(dt)
}

/// One record (or one satellite's table) turned into states: immutable and thread-safe.
pub trait Propagator: Send + Sync {
    /// The satellite propagated.
    fn sat(&self) -> SatId;
    /// First and last epoch at which states are valid.
    fn validity(&self) -> (Epoch, Epoch);
    /// State at an epoch (any time scale; converted internally).
    fn state_at(&self, epoch: Epoch) -> Result<SatState, OrbitError>;
}

/// Many satellites: picks the right record for each request. Immutable and thread-safe.
pub trait OrbitSource: Send + Sync {
    /// Satellites this source can give states for, sorted.
    fn satellites(&self) -> &[SatId];
    /// State of a satellite at an epoch (any time scale).
    fn state_at(&self, sat: SatId, epoch: Epoch) -> Result<SatState, OrbitError>;
    /// A short human-readable description (e.g. file name or "nominal BDS-3").
    fn describe(&self) -> String;
    /// The intervals over which the data of this source can give `sat` a state (closed,
    /// sorted, disjoint; empty for a satellite the source does not hold), or `None` when the
    /// source is not bounded by data (the nominal constellations). Broadcast: the validity
    /// windows of its usable records (healthy, unless the policy allows unhealthy ones);
    /// SP3: the runs of valid nodes ([`sp3::Sp3Source::served_intervals`]); long span: the
    /// integrated span.
    fn served_intervals(&self, _sat: SatId) -> Option<Vec<(Epoch, Epoch)>> {
        None
    }
    /// The intervals over which the data of this source say something about `sat`, usable
    /// or not (closed, sorted, disjoint), or `None` when not bounded by data. A superset of
    /// [`OrbitSource::served_intervals`]: broadcast adds the validity windows of records
    /// flagged unhealthy (data that say "unusable", not missing data: a study counts the
    /// satellite absent there, like any other absence, instead of refusing the span).
    /// Default: the served intervals.
    fn covered_intervals(&self, sat: SatId) -> Option<Vec<(Epoch, Epoch)>> {
        self.served_intervals(sat)
    }
    /// Half-width, s, of the validity window of one record of `sat` around its reference
    /// time (broadcast: the [`crate::ephemeris::SelectionPolicy`] window of its system), or
    /// `None` for sources whose data are not records with windows. Used to word reasons.
    fn record_half_window_s(&self, _sat: SatId) -> Option<f64> {
        None
    }
}

/// `3600` → `"1 h"`, `900` → `"15 min"`, else seconds.
fn short_duration(s: f64) -> String {
    if s > 0.0 && s % 3600.0 == 0.0 {
        format!("{} h", s / 3600.0)
    } else if s > 0.0 && s % 60.0 == 0.0 {
        format!("{} min", s / 60.0)
    } else {
        format!("{s} s")
    }
}

/// Why `sat` has no usable state at any epoch of `[start, end]`, worded for the whole span
/// from the data intervals of `source` (not from the error at one epoch): `"only unhealthy
/// records over the span"`, `"no record within ±1 h of the span: data end at …"`, `"… no
/// data before …"`, `"no data for this satellite in the source"`. `None` when the source is
/// not bounded by data or serves `sat` somewhere in the span (then the per-epoch errors are
/// the reasons). Epochs are written in GPST.
pub fn span_absence_reason(
    source: &dyn OrbitSource,
    sat: SatId,
    start: Epoch,
    end: Epoch,
) -> Option<String> {
    let served = source.served_intervals(sat)?;
    let overlaps = |&(a, b): &Interval| b >= start && a <= end;
    if served.iter().any(overlaps) {
        return None;
    }
    let gpst = |e: Epoch| e.to_time_scale(hifitime::TimeScale::GPST);
    let covered = source.covered_intervals(sat).unwrap_or_default();
    if covered.iter().any(overlaps) {
        let rest = uncovered_parts(&covered, start, end);
        return Some(if rest.is_empty() {
            "only unhealthy records over the span".to_string()
        } else {
            let parts: Vec<String> = rest
                .iter()
                .map(|&(a, b)| format!("{} – {}", gpst(a), gpst(b)))
                .collect();
            format!(
                "only unhealthy records where it has data; no data {}",
                parts.join(", ")
            )
        });
    }
    let prev = covered
        .iter()
        .filter(|iv| iv.1 < start)
        .map(|iv| iv.1)
        .max();
    let next = covered.iter().filter(|iv| iv.0 > end).map(|iv| iv.0).min();
    let what = match source.record_half_window_s(sat) {
        Some(h) => format!("no record within ±{} of the span", short_duration(h)),
        None => "no data in the span".to_string(),
    };
    Some(match (prev, next) {
        (None, None) => "no data for this satellite in the source".to_string(),
        (Some(p), None) => format!("{what}: data end at {}", gpst(p)),
        (None, Some(n)) => format!("{what}: no data before {}", gpst(n)),
        (Some(p), Some(n)) => format!("{what}: data end at {} and resume at {}", gpst(p), gpst(n)),
    })
}

/// A closed time interval (first, last).
pub type Interval = (Epoch, Epoch);

/// Sorted, merged union of closed intervals (touching or overlapping ones joined).
pub fn merge_intervals(mut v: Vec<(Epoch, Epoch)>) -> Vec<(Epoch, Epoch)> {
    v.retain(|(a, b)| a <= b);
    v.sort();
    let mut out: Vec<(Epoch, Epoch)> = Vec::with_capacity(v.len());
    for (a, b) in v {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// The parts of `[start, end]` outside `served` (sorted, disjoint intervals).
pub fn uncovered_parts(served: &[(Epoch, Epoch)], start: Epoch, end: Epoch) -> Vec<(Epoch, Epoch)> {
    let mut out = Vec::new();
    let mut from = start;
    for &(a, b) in served {
        if b < from {
            continue;
        }
        if a > end {
            break;
        }
        if a > from {
            out.push((from, a.min(end)));
        }
        from = from.max(b);
    }
    if from < end {
        out.push((from, end));
    }
    out
}

/// Per satellite, what the data of a source serve of a span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataAvailability {
    /// Satellite.
    pub sat: SatId,
    /// Served intervals clipped to the span (empty: no data in the span); `None` when the
    /// source is not bounded by data (nominal constellations).
    pub served: Option<Vec<Interval>>,
    /// Parts of the span without usable data (not served): no data, or records that say
    /// "unusable" (those are also in `unusable`).
    pub uncovered: Vec<Interval>,
    /// Parts of the span covered only by data that say "unusable" (broadcast records flagged
    /// unhealthy, [`OrbitSource::covered_intervals`] minus the served intervals).
    #[serde(default)]
    pub unusable: Vec<Interval>,
    /// Fraction of the span's duration with data, 0…1 (1 for a source not bounded by data).
    pub fraction: f64,
}

/// The availability table of `source` over `[start, end]`: one row per satellite it holds.
pub fn data_availability(
    source: &dyn OrbitSource,
    start: Epoch,
    end: Epoch,
) -> Vec<DataAvailability> {
    let total_s = (end - start).to_seconds();
    source
        .satellites()
        .iter()
        .map(|&sat| match source.served_intervals(sat) {
            None => DataAvailability {
                sat,
                served: None,
                uncovered: Vec::new(),
                unusable: Vec::new(),
                fraction: 1.0,
            },
            Some(iv) => {
                let served: Vec<Interval> = iv
                    .iter()
                    .filter(|&&(a, b)| b >= start && a <= end)
                    .map(|&(a, b)| (a.max(start), b.min(end)))
                    .collect();
                let uncovered = uncovered_parts(&iv, start, end);
                let fraction = if total_s > 0.0 {
                    let gap_s: f64 = uncovered.iter().map(|&(a, b)| (b - a).to_seconds()).sum();
                    (1.0 - gap_s / total_s).clamp(0.0, 1.0)
                } else {
                    f64::from(u8::from(uncovered.is_empty()))
                };
                // Covered but not served: the uncovered parts that the covered intervals
                // overlap.
                let covered = source.covered_intervals(sat).unwrap_or_default();
                let unusable: Vec<Interval> = uncovered
                    .iter()
                    .flat_map(|&(a, b)| {
                        covered
                            .iter()
                            .filter(move |&&(c, d)| d > a && c < b)
                            .map(move |&(c, d)| (a.max(c), b.min(d)))
                    })
                    .collect();
                DataAvailability {
                    sat,
                    served: Some(served),
                    uncovered,
                    unusable,
                    fraction,
                }
            }
        })
        .collect()
}

/// A short text naming, per group of satellites with the same uncovered parts, the parts of
/// `[start, end]` the source cannot serve (in GPST): `"C01, C02 (2 satellites): 2023-01-02T00:00:00
/// GPST – 2023-01-03T00:00:00 GPST"`, groups separated by `"; "`, at most `max_groups`.
pub fn describe_uncovered(gaps: &[(SatId, Vec<(Epoch, Epoch)>)], max_groups: usize) -> String {
    let mut groups: Vec<(&[Interval], Vec<SatId>)> = Vec::new();
    for (sat, parts) in gaps.iter().filter(|g| !g.1.is_empty()) {
        match groups.iter_mut().find(|g| g.0 == parts.as_slice()) {
            Some(g) => g.1.push(*sat),
            None => groups.push((parts.as_slice(), vec![*sat])),
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.1.len()));
    let mut texts: Vec<String> = groups
        .iter()
        .take(max_groups)
        .map(|(parts, sats)| {
            let names: Vec<String> = sats.iter().take(8).map(|s| s.to_string()).collect();
            let more = if sats.len() > 8 { ", …" } else { "" };
            let gpst = |e: &Epoch| e.to_time_scale(hifitime::TimeScale::GPST);
            let spans: Vec<String> = parts
                .iter()
                .map(|(a, b)| format!("{} – {}", gpst(a), gpst(b)))
                .collect();
            format!(
                "{}{more} ({} satellite{}): {}",
                names.join(", "),
                sats.len(),
                if sats.len() == 1 { "" } else { "s" },
                spans.join(", ")
            )
        })
        .collect();
    if groups.len() > max_groups {
        texts.push(format!("and {} more groups", groups.len() - max_groups));
    }
    texts.join("; ")
}

/// The availability table as timeline rows, x in hours since `start`: served intervals as
/// primary bars, parts covered only by unhealthy records as secondary bars, gaps blank. Rows
/// of satellites whose source is not bounded by data are left out.
pub fn availability_timeline_rows(
    table: &[DataAvailability],
    start: Epoch,
) -> Vec<crate::report::plot::TimelineRow> {
    let h = |e: Epoch| (e - start).to_seconds() / 3600.0;
    table
        .iter()
        .filter_map(|r| {
            let served = r.served.as_ref()?;
            Some(crate::report::plot::TimelineRow {
                label: r.sat.to_string(),
                primary: served.iter().map(|&(a, b)| (h(a), h(b))).collect(),
                secondary: r.unusable.iter().map(|&(a, b)| (h(a), h(b))).collect(),
            })
        })
        .collect()
}

/// Draw the ephemeris availability timeline of `table` over `[start, end]` into `path` (PNG:
/// one row per satellite, blue where usable data serve it, orange where only unhealthy
/// records cover it, blank gaps; x in hours since `start`, written in GPST in the axis
/// label). `Ok(None)` when no row is bounded by data (nominal constellations: nothing to
/// draw).
pub fn write_availability_figure(
    path: &std::path::Path,
    table: &[DataAvailability],
    start: Epoch,
    end: Epoch,
    title: &str,
) -> Result<Option<crate::report::plot::TimelineFrame>, crate::report::ReportError> {
    let rows = availability_timeline_rows(table, start);
    if rows.is_empty() {
        return Ok(None);
    }
    let span_h = ((end - start).to_seconds() / 3600.0).max(1e-6);
    let x_label = format!(
        "hours since {}",
        start.to_time_scale(hifitime::TimeScale::GPST)
    );
    crate::report::plot::interval_timeline(
        path,
        title,
        &x_label,
        (0.0, span_h),
        &rows,
        ("usable data", "unhealthy records only"),
    )
    .map(Some)
}

/// The availability table as rows of text: satellite, percentage of the span served, served
/// intervals, intervals with unhealthy records only, uncovered intervals (GPST, `a – b`
/// joined by `; `). `None` for a table of a source not bounded by data.
fn availability_text_rows(table: &[DataAvailability]) -> Option<Vec<[String; 5]>> {
    let gpst = |e: &Epoch| e.to_time_scale(hifitime::TimeScale::GPST).to_string();
    let list = |v: &[Interval]| {
        v.iter()
            .map(|(a, b)| format!("{} – {}", gpst(a), gpst(b)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let rows: Vec<[String; 5]> = table
        .iter()
        .filter_map(|r| {
            let served = r.served.as_ref()?;
            // Uncovered parts that are not unusable: no data.
            let none: Vec<Interval> = r
                .uncovered
                .iter()
                .flat_map(|&(a, b)| uncovered_parts(&r.unusable, a, b))
                .collect();
            Some([
                r.sat.to_string(),
                format!("{:.1}", 100.0 * r.fraction),
                list(served),
                list(&r.unusable),
                list(&none),
            ])
        })
        .collect();
    (!rows.is_empty()).then_some(rows)
}

/// Header of [`availability_csv`].
pub const AVAILABILITY_CSV_HEADER: &str =
    "sat,served_percent,served_gpst,unhealthy_only_gpst,no_data_gpst";

/// The availability table as CSV ([`AVAILABILITY_CSV_HEADER`]), `None` when no satellite is
/// bounded by data.
pub fn availability_csv(table: &[DataAvailability]) -> Option<String> {
    let rows = availability_text_rows(table)?;
    let mut out = format!("{AVAILABILITY_CSV_HEADER}\n");
    for r in rows {
        let quoted: Vec<String> = r
            .iter()
            .map(|f| {
                if f.contains([',', '"']) {
                    format!("\"{}\"", f.replace('"', "\"\""))
                } else {
                    f.clone()
                }
            })
            .collect();
        out += &quoted.join(",");
        out.push('\n');
    }
    Some(out)
}

/// The availability table as a Markdown table (satellites with data over the whole span are
/// summed up in one line after the table), `None` when no satellite is bounded by data.
pub fn availability_markdown(table: &[DataAvailability]) -> Option<String> {
    let rows = availability_text_rows(table)?;
    let full = rows
        .iter()
        .filter(|r| r[3].is_empty() && r[4].is_empty())
        .count();
    let mut out = String::from(
        "| satellite | served % | unhealthy records only (GPST) | no data (GPST) |\n|---|---|---|---|\n",
    );
    for r in rows
        .iter()
        .filter(|r| !(r[3].is_empty() && r[4].is_empty()))
    {
        let cell = |s: &str| {
            if s.is_empty() {
                "–".to_string()
            } else {
                s.to_string()
            }
        };
        out += &format!(
            "| {} | {} | {} | {} |\n",
            r[0],
            r[1],
            cell(&r[3]),
            cell(&r[4])
        );
    }
    out += &format!(
        "\n{full} of {} satellites have usable data over the whole span.\n",
        rows.len()
    );
    Some(out)
}
