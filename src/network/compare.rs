//! Baseline vs augmented network: per-satellite tracking deltas and per-system summaries.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::tracking::{SatTracking, TrackingReport};
use super::NetworkError;
use crate::id::{Constellation, SatId};

/// One satellite under both networks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatComparison {
    /// Satellite.
    pub sat: SatId,
    /// Under the baseline network.
    pub baseline: SatTracking,
    /// Under the augmented network.
    pub augmented: SatTracking,
}

impl SatComparison {
    /// Change of the fraction tracked by ≥ `min_stations` (augmented − baseline).
    pub fn delta_tracked_fraction(&self) -> f64 {
        self.augmented.tracked_fraction - self.baseline.tracked_fraction
    }

    /// Change of the longest gap, s (augmented − baseline; negative is better).
    pub fn delta_longest_gap_s(&self) -> f64 {
        self.augmented.longest_gap_s - self.baseline.longest_gap_s
    }
}

/// Summary of one constellation under both networks (means over its satellites).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemSummary {
    /// Constellation.
    pub constellation: Constellation,
    /// Number of satellites.
    pub satellites: usize,
    /// Mean fraction tracked by ≥ 1 station: (baseline, augmented).
    pub mean_fraction_ge1: (f64, f64),
    /// Mean fraction tracked by ≥ 4 stations: (baseline, augmented).
    pub mean_fraction_ge4: (f64, f64),
    /// Mean fraction tracked by ≥ `min_stations`: (baseline, augmented).
    pub mean_tracked_fraction: (f64, f64),
    /// Mean over satellites of the longest gap, s: (baseline, augmented).
    pub mean_longest_gap_s: (f64, f64),
    /// Largest longest gap, s: (baseline, augmented).
    pub max_longest_gap_s: (f64, f64),
    /// Total passes: (baseline, augmented).
    pub passes: (usize, usize),
}

/// Comparison of two networks over the same satellites and span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Baseline network name.
    pub baseline: String,
    /// Augmented network name.
    pub augmented: String,
    /// Threshold k of "tracked by ≥ k".
    pub min_stations: u16,
    /// Per satellite.
    pub per_satellite: Vec<SatComparison>,
    /// Per constellation, in constellation order.
    pub per_system: Vec<SystemSummary>,
}

/// Compare two tracking reports of the same samples and threshold.
pub fn compare(
    baseline: &TrackingReport,
    augmented: &TrackingReport,
) -> Result<Comparison, NetworkError> {
    if baseline.span != augmented.span || baseline.min_stations != augmented.min_stations {
        return Err(NetworkError::Mismatch {
            reason: format!(
                "span/threshold differ ({} epochs, k={} vs {} epochs, k={})",
                baseline.span.n_epochs,
                baseline.min_stations,
                augmented.span.n_epochs,
                augmented.min_stations
            ),
        });
    }
    let bs: Vec<SatId> = baseline.satellites.iter().map(|s| s.sat).collect();
    let au: Vec<SatId> = augmented.satellites.iter().map(|s| s.sat).collect();
    if bs != au {
        return Err(NetworkError::Mismatch {
            reason: "the reports cover different satellites".to_string(),
        });
    }
    let per_satellite: Vec<SatComparison> = baseline
        .satellites
        .iter()
        .zip(&augmented.satellites)
        .map(|(b, a)| SatComparison {
            sat: b.sat,
            baseline: b.clone(),
            augmented: a.clone(),
        })
        .collect();
    let mut systems: Vec<Constellation> = per_satellite
        .iter()
        .map(|c| c.sat.constellation())
        .collect();
    systems.sort();
    systems.dedup();
    let per_system = systems
        .into_iter()
        .map(|c| {
            let v: Vec<&SatComparison> = per_satellite
                .iter()
                .filter(|x| x.sat.constellation() == c)
                .collect();
            let n = v.len() as f64;
            let mean = |f: &dyn Fn(&SatTracking) -> f64| {
                (
                    v.iter().map(|x| f(&x.baseline)).sum::<f64>() / n,
                    v.iter().map(|x| f(&x.augmented)).sum::<f64>() / n,
                )
            };
            let max = |f: &dyn Fn(&SatTracking) -> f64| {
                (
                    v.iter().map(|x| f(&x.baseline)).fold(0.0, f64::max),
                    v.iter().map(|x| f(&x.augmented)).fold(0.0, f64::max),
                )
            };
            SystemSummary {
                constellation: c,
                satellites: v.len(),
                mean_fraction_ge1: mean(&|t| t.fraction_ge1),
                mean_fraction_ge4: mean(&|t| t.fraction_ge4),
                mean_tracked_fraction: mean(&|t| t.tracked_fraction),
                mean_longest_gap_s: mean(&|t| t.longest_gap_s),
                max_longest_gap_s: max(&|t| t.longest_gap_s),
                passes: (
                    v.iter().map(|x| x.baseline.passes).sum(),
                    v.iter().map(|x| x.augmented.passes).sum(),
                ),
            }
        })
        .collect();
    Ok(Comparison {
        baseline: baseline.network.clone(),
        augmented: augmented.network.clone(),
        min_stations: baseline.min_stations,
        per_satellite,
        per_system,
    })
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Baseline '{}' vs augmented '{}' (tracked = seen by >= {} station(s))",
            self.baseline, self.augmented, self.min_stations
        )?;
        writeln!(
            f,
            "{:<8} {:>4} {:>15} {:>15} {:>17} {:>17}",
            "system", "sats", "tracked %", ">=4 stations %", "mean max gap h", "worst gap h"
        )?;
        for s in &self.per_system {
            writeln!(
                f,
                "{:<8} {:>4} {:>6.1} -> {:>5.1} {:>6.1} -> {:>5.1} {:>7.2} -> {:>6.2} {:>7.2} -> {:>6.2}",
                s.constellation.name(),
                s.satellites,
                100.0 * s.mean_tracked_fraction.0,
                100.0 * s.mean_tracked_fraction.1,
                100.0 * s.mean_fraction_ge4.0,
                100.0 * s.mean_fraction_ge4.1,
                s.mean_longest_gap_s.0 / 3600.0,
                s.mean_longest_gap_s.1 / 3600.0,
                s.max_longest_gap_s.0 / 3600.0,
                s.max_longest_gap_s.1 / 3600.0,
            )?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "{:<4} {:<9} {:>15} {:>17} {:>13}",
            "sat", "kind", "tracked %", "longest gap h", "passes"
        )?;
        for c in &self.per_satellite {
            writeln!(
                f,
                "{:<4} {:<9} {:>6.1} -> {:>5.1} {:>7.2} -> {:>6.2} {:>5} -> {:>4}",
                c.sat.to_string(),
                c.baseline.kind.label(),
                100.0 * c.baseline.tracked_fraction,
                100.0 * c.augmented.tracked_fraction,
                c.baseline.longest_gap_s / 3600.0,
                c.augmented.longest_gap_s / 3600.0,
                c.baseline.passes,
                c.augmented.passes,
            )?;
        }
        Ok(())
    }
}
