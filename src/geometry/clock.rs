//! The receiver-clock model as a user names it: `common`, `per-system` or `known-offset`, the
//! names of scenario files and of the `--clock` flag, with σ of a known inter-system bias in
//! nanoseconds everywhere.

use std::fmt;
use std::str::FromStr;

use hifitime::Epoch;

use super::dop::ClockModel;
use crate::time::{isb_sigma_over_span_ns, BroadcastOffsets, TimeError, BROADCAST_OFFSET_FLOOR_NS};

/// Receiver-clock model for DOP, by the name every door uses (serde: the same kebab-case
/// names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClockChoice {
    /// One receiver clock for all systems.
    Common,
    /// One clock per system (inter-system bias estimated freely).
    PerSystem,
    /// One clock per system with a known inter-system offset of uncertainty σ (ns).
    KnownOffset,
}

impl ClockChoice {
    /// The three choices, in the order reports list them.
    pub const ALL: [ClockChoice; 3] = [
        ClockChoice::Common,
        ClockChoice::PerSystem,
        ClockChoice::KnownOffset,
    ];

    /// The name used in scenario files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ClockChoice::Common => "common",
            ClockChoice::PerSystem => "per-system",
            ClockChoice::KnownOffset => "known-offset",
        }
    }

    /// The model for the maths; `known-offset` needs σ of the bias in ns (`None` without it).
    pub fn model(self, isb_sigma_ns: Option<f64>) -> Option<ClockModel> {
        match self {
            ClockChoice::Common => Some(ClockModel::Common),
            ClockChoice::PerSystem => Some(ClockModel::PerConstellation),
            ClockChoice::KnownOffset => isb_sigma_ns.map(ClockModel::known_offset_ns),
        }
    }

    /// A label for reports: the name, with σ for `known-offset` (e.g.
    /// `known-offset (σ = 20 ns)`).
    pub fn label(self, isb_sigma_ns: Option<f64>) -> String {
        match self {
            ClockChoice::KnownOffset => format!(
                "known-offset (σ = {} ns)",
                isb_sigma_ns.map_or_else(|| "?".to_string(), |v| v.to_string())
            ),
            other => other.name().to_string(),
        }
    }
}

impl fmt::Display for ClockChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A clock-model name that is none of `common`, `per-system`, `known-offset`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown clock model '{0}'; expected common, per-system or known-offset")]
pub struct UnknownClockChoice(pub String);

impl FromStr for ClockChoice {
    type Err = UnknownClockChoice;

    /// Reads the three names, case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        ClockChoice::ALL
            .into_iter()
            .find(|c| c.name() == t)
            .ok_or_else(|| UnknownClockChoice(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_sigma_is_in_ns() {
        for c in ClockChoice::ALL {
            assert_eq!(c.name().parse::<ClockChoice>(), Ok(c));
        }
        assert!("per-constellation".parse::<ClockChoice>().is_err());
        // 1 ns of σ is c · 1e-9 m (CODATA c = 299 792 458 m/s).
        match ClockChoice::KnownOffset.model(Some(1.0)) {
            Some(ClockModel::KnownOffsets { isb_sigma_m }) => {
                assert!((isb_sigma_m - 0.299_792_458).abs() < 1e-12)
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(ClockChoice::KnownOffset.model(None), None);
        assert_eq!(
            ClockChoice::KnownOffset.label(Some(20.0)),
            "known-offset (σ = 20 ns)"
        );
    }
}

/// σ of the BDT − GLONASST bias for a known-offset clock model, ns, and where it came from:
/// chosen by [`IsbSigma::choose`], the one rule of every door (`--isb-sigma-ns`, scenario
/// `user.isb_sigma_ns`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IsbSigma {
    /// σ, ns (≥ 0).
    pub ns: f64,
    /// Where it came from, for the outputs.
    pub origin: String,
}

impl IsbSigma {
    /// The value `given` (σ in ns and the flag or key that gave it), else the largest
    /// uncertainty of the broadcast BDT − GLONASST reconciliation at the start, middle and end
    /// of the span ([`isb_sigma_over_span_ns`]) in the navigation data `broadcast` (its offsets
    /// and a label naming the files), else the 20 ns floor of a broadcast offset
    /// ([`BROADCAST_OFFSET_FLOOR_NS`]).
    ///
    /// Errors: offsets that cannot be evaluated over the span (more than two days from their
    /// reference epochs, say), which [`isb_sigma_over_span_ns`] refuses.
    ///
    /// ```
    /// use gnss_interop::geometry::IsbSigma;
    /// use hifitime::Epoch;
    /// let t = Epoch::from_gregorian_utc_at_midnight(2023, 1, 1);
    /// let given = IsbSigma::choose(Some((12.5, "--isb-sigma-ns")), None, t, t).unwrap();
    /// assert_eq!(given.ns, 12.5);
    /// let floor = IsbSigma::choose(None, None, t, t).unwrap();
    /// assert_eq!(floor.ns, 20.0);
    /// ```
    pub fn choose(
        given: Option<(f64, &str)>,
        broadcast: Option<(&BroadcastOffsets, &str)>,
        start: Epoch,
        end: Epoch,
    ) -> Result<IsbSigma, TimeError> {
        Ok(match (given, broadcast) {
            (Some((ns, key)), _) => IsbSigma {
                ns,
                origin: format!("given ({key})"),
            },
            (None, Some((offsets, files))) => {
                let (ns, basis) = isb_sigma_over_span_ns(start, end, offsets)?;
                IsbSigma {
                    ns,
                    origin: format!(
                        "uncertainty of the BDT − GLONASST broadcast reconciliation in {files} \
                         ({basis:?}; largest over start, middle, end)"
                    ),
                }
            }
            (None, None) => IsbSigma {
                ns: BROADCAST_OFFSET_FLOOR_NS,
                origin: format!(
                    "default {BROADCAST_OFFSET_FLOOR_NS} ns (no navigation file to reconcile)"
                ),
            },
        })
    }
}
