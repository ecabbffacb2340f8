//! The satellite-state study: every satellite of a source at every epoch of a grid, as a CSV
//! table (`sat, epoch, x_m, y_m, z_m, vx_m_s, vy_m_s, vz_m_s, clock_s, frame, source`), with
//! the satellite-epochs that have no state summarised per satellite and reason instead of
//! dropped. The one implementation behind `gnss-interop satpos` and a scenario's
//! `[satellites]`.
//!
//! The table is streamed ([`write_states_csv`]): a day at 1 s of two constellations is millions
//! of rows, which are written as they are computed and never held in memory; what is kept is
//! the typed [`StatesSummary`] (rows written, skips, whole-span reasons).
//!
//! ```
//! use gnss_interop::id::Constellation;
//! use gnss_interop::orbit::open::{open, OrbitSpec};
//! use gnss_interop::orbit::states::{write_states_csv, StatesConfig};
//! use gnss_interop::time::{epoch_grid, parse_epoch, Scale};
//!
//! let source = open(&OrbitSpec::Nominal, &[Constellation::Glonass])?;
//! let (start, scale) = parse_epoch("2023-01-01T00:00:00 GPST", Scale::Gpst)?;
//! let (end, _) = parse_epoch("2023-01-01T01:00:00 GPST", Scale::Gpst)?;
//! let epochs = epoch_grid("start/end/step", start, end, 600.0, 100)?;
//! let cfg = StatesConfig { source: source.as_ref(), label: "nominal", epochs: &epochs, scale };
//! let mut csv = Vec::new();
//! let summary = write_states_csv(&cfg, &mut csv)?;
//! // 24 GLONASS slots × 7 epochs, all with a state (nominal orbits are defined everywhere).
//! assert_eq!(summary.rows, 24 * 7);
//! assert_eq!(String::from_utf8(csv).unwrap().lines().count(), 1 + 24 * 7);
//! # Ok::<(), gnss_interop::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

use hifitime::Epoch;
use serde::{Deserialize, Serialize};

use super::validate::error_kind;
use super::{span_absence_reason, OrbitSource, SatState};
use crate::id::SatId;
use crate::report::ReportError;
use crate::time::{calendar_in, Scale};

/// Header of the satellite-state table.
pub const STATES_HEADER: [&str; 11] = [
    "sat", "epoch", "x_m", "y_m", "z_m", "vx_m_s", "vy_m_s", "vz_m_s", "clock_s", "frame", "source",
];

/// File name of the table in a scenario's output.
pub const SATELLITES_CSV: &str = "satellites.csv";

/// What the satellite-state study computes: the one configuration behind `gnss-interop satpos`
/// and a scenario's `[satellites]`.
#[derive(Clone, Copy)]
pub struct StatesConfig<'a> {
    /// The source, opened (and restricted to systems or satellites) by the caller.
    pub source: &'a dyn OrbitSource,
    /// The `source` column of every row (e.g. `nominal`, `nav:FILE`:
    /// [`super::open::OrbitSpec::label`]).
    pub label: &'a str,
    /// The epochs, in order ([`crate::time::epoch_grid`]).
    pub epochs: &'a [Epoch],
    /// The scale the `epoch` column is written in.
    pub scale: Scale,
}

/// Satellite-epochs of one satellite without a state for one reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateSkips {
    /// Satellite.
    pub sat: SatId,
    /// Reason ([`error_kind`]: `"no valid record"`, `"unhealthy"`, …).
    pub kind: String,
    /// Epochs skipped for this reason.
    pub count: usize,
    /// First such epoch, in the table's scale.
    pub first_epoch: String,
    /// The error at that first epoch.
    pub message: String,
}

/// A satellite without a state at any epoch, with the reason that holds over the whole span
/// ([`span_absence_reason`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpanAbsence {
    /// Satellite.
    pub sat: SatId,
    /// The reason, worded for the whole span.
    pub reason: String,
}

/// What the study wrote: rows, the skipped satellite-epochs per satellite and reason, and the
/// satellites absent over the whole span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatesSummary {
    /// The source ([`OrbitSource::describe`]).
    pub source: String,
    /// Satellites of the source.
    pub satellites: usize,
    /// Epochs of the grid.
    pub epochs: usize,
    /// Rows written (satellite-epochs with a state).
    pub rows: usize,
    /// The scale of the epoch column.
    pub scale: Scale,
    /// Per satellite and reason, in satellite order.
    pub skips: Vec<StateSkips>,
    /// Satellites without a state at any epoch whose source can tell why over the whole span
    /// (their [`StatesSummary::skips`] entries are not repeated in [`StatesSummary::text`]).
    pub absent: Vec<SpanAbsence>,
}

impl StatesSummary {
    /// Satellite-epochs without a state.
    pub fn skipped(&self) -> usize {
        self.satellites * self.epochs - self.rows
    }

    /// The summary in words, one line each (what `satpos` prints on stderr): the totals, then
    /// a line per satellite absent over the whole span, then a line per satellite and reason
    /// for the others.
    pub fn text(&self) -> String {
        let mut t = format!(
            "satpos: {} × {} epochs → {} rows; {} skipped\n",
            self.source,
            self.epochs,
            self.rows,
            self.skipped()
        );
        for a in &self.absent {
            let _ = writeln!(
                t,
                "  skipped {}: all {} epochs, {}",
                a.sat, self.epochs, a.reason
            );
        }
        for s in &self.skips {
            if self.absent.iter().any(|a| a.sat == s.sat) {
                continue;
            }
            let _ = writeln!(
                t,
                "  skipped {}: {} epoch(s), {} (first at {} {}: {})",
                s.sat, s.count, s.kind, s.first_epoch, self.scale, s.message
            );
        }
        t
    }
}

/// One row of the table as CSV fields: metres to 4 decimals, m/s to 6, the clock in seconds
/// with 12 significant decimals (empty when the source gives none).
fn record(s: &SatState, epoch: &str, label: &str) -> [String; 11] {
    let (p, v) = (s.position_m, s.velocity_m_s);
    [
        s.sat.to_string(),
        epoch.to_string(),
        format!("{:.4}", p.x),
        format!("{:.4}", p.y),
        format!("{:.4}", p.z),
        format!("{:.6}", v.x),
        format!("{:.6}", v.y),
        format!("{:.6}", v.z),
        s.clock_offset_s
            .map(|c| format!("{c:.12e}"))
            .unwrap_or_default(),
        s.frame.to_string(),
        label.to_string(),
    ]
}

/// Run the study and write the table to `sink` as it is computed (satellite by satellite, in
/// epoch order), with [`STATES_HEADER`]. Every satellite-epoch without a state is counted in
/// the summary under its reason ([`error_kind`]), never silently dropped; a satellite with
/// none at all gets the reason that holds over the span when its source can tell.
pub fn write_states_csv(
    cfg: &StatesConfig<'_>,
    sink: &mut dyn Write,
) -> crate::Result<StatesSummary> {
    let io = |source: std::io::Error| ReportError::Io {
        path: "the satellite-state table".into(),
        source,
    };
    let csv_err = |source: csv::Error| ReportError::Csv {
        path: "the satellite-state table".into(),
        source,
    };
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(sink));
    w.write_record(STATES_HEADER).map_err(csv_err)?;
    // Epoch labels once per epoch, not per satellite.
    let labels: Vec<String> = cfg
        .epochs
        .iter()
        .map(|&t| calendar_in(cfg.scale, t).map(|c| c.to_string()))
        .collect::<Result<_, _>>()?;
    let mut skips: BTreeMap<(SatId, &'static str), StateSkips> = BTreeMap::new();
    let mut rows = 0usize;
    let source = cfg.source;
    for &sat in source.satellites() {
        for (t, lab) in cfg.epochs.iter().zip(&labels) {
            match source.state_at(sat, *t) {
                Ok(s) => {
                    w.write_record(record(&s, lab, cfg.label))
                        .map_err(csv_err)?;
                    rows += 1;
                }
                Err(e) => {
                    let kind = error_kind(&e);
                    skips
                        .entry((sat, kind))
                        .or_insert_with(|| StateSkips {
                            sat,
                            kind: kind.to_string(),
                            count: 0,
                            first_epoch: lab.clone(),
                            message: e.to_string(),
                        })
                        .count += 1;
                }
            }
        }
    }
    w.flush().map_err(io)?;
    let skips: Vec<StateSkips> = skips.into_values().collect();
    // A satellite skipped at every epoch: the reason that holds over the whole span.
    let mut absent = Vec::new();
    if let (Some(&first), Some(&last)) = (cfg.epochs.first(), cfg.epochs.last()) {
        for &sat in source.satellites() {
            let n: usize = skips.iter().filter(|s| s.sat == sat).map(|s| s.count).sum();
            if n == cfg.epochs.len() {
                if let Some(reason) = span_absence_reason(source, sat, first, last) {
                    absent.push(SpanAbsence { sat, reason });
                }
            }
        }
    }
    Ok(StatesSummary {
        source: source.describe(),
        satellites: source.satellites().len(),
        epochs: cfg.epochs.len(),
        rows,
        scale: cfg.scale,
        skips,
        absent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orbit::nominal::NominalConstellation;
    use crate::orbit::OrbitError;

    /// The nominal GLONASS constellation, with R01 outside validity from `cut` on.
    struct Cut {
        inner: NominalConstellation,
        cut: Epoch,
    }

    impl OrbitSource for Cut {
        fn satellites(&self) -> &[SatId] {
            self.inner.satellites()
        }
        fn state_at(&self, sat: SatId, epoch: Epoch) -> Result<SatState, OrbitError> {
            if sat.to_string() == "R01" && epoch >= self.cut {
                return Err(OrbitError::OutsideValidity {
                    sat,
                    epoch,
                    start: epoch,
                    end: epoch,
                });
            }
            self.inner.state_at(sat, epoch)
        }
        fn describe(&self) -> String {
            "cut".into()
        }
    }

    #[test]
    fn skipped_epochs_are_counted_per_satellite_and_reason() {
        let t0 = Epoch::from_gregorian_utc_hms(2023, 1, 1, 0, 0, 0);
        let epochs: Vec<Epoch> = (0..4)
            .map(|k| t0 + hifitime::Unit::Minute * (10 * k))
            .collect();
        let src = Cut {
            inner: NominalConstellation::glonass(),
            cut: epochs[2],
        };
        let cfg = StatesConfig {
            source: &src,
            label: "x",
            epochs: &epochs,
            scale: Scale::Utc,
        };
        let mut out = Vec::new();
        let s = write_states_csv(&cfg, &mut out).unwrap();
        // 24 slots × 4 epochs, R01 without a state at the last 2.
        assert_eq!((s.satellites, s.rows, s.skipped()), (24, 24 * 4 - 2, 2));
        assert_eq!(s.skips.len(), 1);
        assert_eq!(
            (s.skips[0].count, s.skips[0].kind.as_str()),
            (2, "outside validity")
        );
        assert_eq!(s.skips[0].first_epoch, "2023-01-01T00:20:00");
        // A source that cannot tell a whole-span reason: no absence line.
        assert!(s.absent.is_empty());
        let text = s.text();
        assert!(
            text.starts_with("satpos: cut × 4 epochs → 94 rows; 2 skipped\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "  skipped R01: 2 epoch(s), outside validity (first at 2023-01-01T00:20:00 UTC: "
            ),
            "{text}"
        );
        let csv = String::from_utf8(out).unwrap();
        assert_eq!(csv.lines().next(), Some(STATES_HEADER.join(",").as_str()));
        assert_eq!(csv.lines().count(), 1 + 94);
    }
}
