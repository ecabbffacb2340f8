//! Tracking of each satellite by the stations of its own system's network.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::bits::EpochBits;
use super::range_error::MonitoringTable;
use super::station_geometry::{station_dop, SatStationGeometry, StationGeometryReport};
use super::{Network, NetworkError, OrbitSamples, SatelliteKind, TimeSpan};
use crate::id::SatId;

/// A network evaluated against sampled orbits: per (satellite, station) visibility and per
/// (satellite, epoch) station counts.
///
/// ```
/// use gnss_interop::network::{Network, NetworkAnalysis, OrbitSamples, TimeSpan};
/// use gnss_interop::orbit::nominal::NominalConstellation;
/// use hifitime::{Epoch, Unit};
///
/// // Six hours of the nominal GLONASS constellation every 10 minutes.
/// let t0 = Epoch::from_gregorian_utc_hms(2023, 1, 1, 0, 0, 0);
/// let span = TimeSpan::new(t0, Unit::Hour * 6, Unit::Minute * 10)?;
/// assert_eq!(span.n_epochs, 36);
/// let samples = OrbitSamples::new(&NominalConstellation::glonass(), span)?;
/// let analysis = NetworkAnalysis::new(&samples, &Network::builtin("glonass-baseline")?);
/// let report = analysis.tracking(1)?;
/// assert_eq!(report.satellites.len(), 24);
/// for s in &report.satellites {
///     assert!((0.0..=1.0).contains(&s.tracked_fraction));
///     // Seen by ≥ 4 stations is never more often than by ≥ 1.
///     assert!(s.fraction_ge4 <= s.fraction_ge1);
/// }
/// # Ok::<(), gnss_interop::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct NetworkAnalysis<'a> {
    samples: &'a OrbitSamples,
    network: Network,
    /// `[sat][station]` epochs in view (empty for stations of another system).
    visible: Vec<Vec<EpochBits>>,
    /// `[sat][epoch]` number of own-system stations in view.
    counts: Vec<Vec<u16>>,
}

/// Tracking statistics of one satellite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatTracking {
    /// Satellite.
    pub sat: SatId,
    /// Kind (BDS class, GLONASS).
    pub kind: SatelliteKind,
    /// Epochs at which the source had a state.
    pub epochs_with_state: usize,
    /// Epochs outside the source's data (only with no-data epochs allowed,
    /// [`OrbitSamples::for_satellites_with`]): no data, not "not tracked". The fractions,
    /// gaps and passes are over the other epochs (a gap across a no-data hole is joined).
    #[serde(default)]
    pub no_data_epochs: usize,
    /// Fraction of the epochs of the span with data seen by ≥ 1 station (all epochs for a
    /// source not bounded by data; 0 for a satellite without data in the span).
    pub fraction_ge1: f64,
    /// Fraction of epochs seen by ≥ 2 stations.
    pub fraction_ge2: f64,
    /// Fraction of epochs seen by ≥ 4 stations.
    pub fraction_ge4: f64,
    /// Fraction of epochs seen by ≥ `min_stations` of the report.
    pub tracked_fraction: f64,
    /// Longest run of epochs not tracked by ≥ `min_stations`, s (run length × step; a run
    /// touching either end of the span is cut there).
    pub longest_gap_s: f64,
    /// Mean length of those runs, s (`None` when always tracked).
    pub mean_gap_s: Option<f64>,
    /// Number of such gaps.
    pub gaps: usize,
    /// Number of passes (maximal tracked runs).
    pub passes: usize,
}

/// Tracking of every satellite by a network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackingReport {
    /// Network name.
    pub network: String,
    /// Time span.
    pub span: TimeSpan,
    /// Threshold used for `tracked_fraction`, gaps and passes.
    pub min_stations: u16,
    /// One entry per satellite, in the source's order.
    pub satellites: Vec<SatTracking>,
    /// Satellite-epochs without data (sum of [`SatTracking::no_data_epochs`]).
    #[serde(default)]
    pub no_data_satellite_epochs: u64,
}

impl TrackingReport {
    /// The entry of one satellite.
    pub fn satellite(&self, sat: SatId) -> Option<&SatTracking> {
        self.satellites.iter().find(|s| s.sat == sat)
    }
}

/// Bits of epochs where `counts >= k`.
fn at_least(counts: &[u16], k: u16) -> EpochBits {
    let mut b = EpochBits::zeros(counts.len());
    for (i, &c) in counts.iter().enumerate() {
        if c >= k {
            b.set(i);
        }
    }
    b
}

impl<'a> NetworkAnalysis<'a> {
    /// Evaluate `network` on `samples` (parallel over stations, deterministic).
    pub fn new(samples: &'a OrbitSamples, network: &Network) -> Self {
        let per_station: Vec<Vec<EpochBits>> = network
            .stations()
            .par_iter()
            .map(|st| samples.visibility(st))
            .collect();
        let n_sat = samples.satellites().len();
        let n = samples.span().n_epochs;
        let mut visible = vec![Vec::with_capacity(network.len()); n_sat];
        let mut counts = vec![vec![0u16; n]; n_sat];
        for st_bits in per_station {
            for (s, b) in st_bits.into_iter().enumerate() {
                for (i, c) in counts[s].iter_mut().enumerate() {
                    if b.get(i) {
                        *c += 1;
                    }
                }
                visible[s].push(b);
            }
        }
        NetworkAnalysis {
            samples,
            network: network.clone(),
            visible,
            counts,
        }
    }

    /// The network evaluated.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The samples used.
    pub fn samples(&self) -> &OrbitSamples {
        self.samples
    }

    /// Number of own-system stations seeing satellite index `s` at each epoch.
    pub fn counts(&self, s: usize) -> &[u16] {
        &self.counts[s]
    }

    /// Epochs at which station index `j` sees satellite index `s`.
    pub fn visible(&self, s: usize, j: usize) -> &EpochBits {
        &self.visible[s][j]
    }

    /// Tracking statistics; gaps and passes are for "seen by ≥ `min_stations`".
    pub fn tracking(&self, min_stations: u16) -> Result<TrackingReport, NetworkError> {
        if min_stations == 0 {
            return Err(NetworkError::BadMinStations {
                min_stations,
                max: u16::MAX,
            });
        }
        let span = *self.samples.span();
        let step_s = span.step_s();
        let satellites: Vec<SatTracking> = self
            .samples
            .satellites()
            .iter()
            .enumerate()
            .map(|(s, &sat)| {
                // Epochs without data are left out (as coverage leaves them out).
                let nd = self.samples.no_data(s);
                let c: Vec<u16> = self.counts[s]
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| !nd.get(i))
                    .map(|(_, &x)| x)
                    .collect();
                let n = c.len() as f64;
                let frac = |k: u16| {
                    if c.is_empty() {
                        0.0
                    } else {
                        c.iter().filter(|&&x| x >= k).count() as f64 / n
                    }
                };
                let runs = at_least(&c, min_stations).run_stats();
                SatTracking {
                    sat,
                    kind: self.samples.kinds()[s],
                    epochs_with_state: (0..span.n_epochs)
                        .filter(|&i| self.samples.position_m(s, i).is_some())
                        .count(),
                    no_data_epochs: nd.count(),
                    fraction_ge1: frac(1),
                    fraction_ge2: frac(2),
                    fraction_ge4: frac(4),
                    tracked_fraction: frac(min_stations),
                    longest_gap_s: runs.longest_gap as f64 * step_s,
                    mean_gap_s: (runs.gaps > 0)
                        .then(|| runs.gap_total as f64 * step_s / runs.gaps as f64),
                    gaps: runs.gaps,
                    passes: runs.passes,
                }
            })
            .collect();
        Ok(TrackingReport {
            network: self.network.name().to_string(),
            span,
            min_stations,
            no_data_satellite_epochs: self.samples.no_data_satellite_epochs(),
            satellites,
        })
    }

    /// Per (satellite, epoch) "tracked by ≥ `min_stations`" and age since last tracked.
    pub fn monitoring_table(&self, min_stations: u16) -> Result<MonitoringTable, NetworkError> {
        if min_stations == 0 {
            return Err(NetworkError::BadMinStations {
                min_stations,
                max: u16::MAX,
            });
        }
        let tracked = self
            .counts
            .iter()
            .map(|c| at_least(c, min_stations))
            .collect();
        Ok(MonitoringTable::from_tracked(
            *self.samples.span(),
            min_stations,
            self.samples.satellites().to_vec(),
            self.samples.kinds().to_vec(),
            tracked,
        ))
    }

    /// Geometry of the network seen from each satellite ("station DOP"), per epoch and
    /// summarised (parallel over satellites).
    pub fn station_geometry(&self) -> StationGeometryReport {
        let span = *self.samples.span();
        let ecef: Vec<_> = self.network.stations().iter().map(|s| s.ecef_m()).collect();
        let satellites = self
            .samples
            .satellites()
            .par_iter()
            .enumerate()
            .map(|(s, &sat)| {
                let mut buf = Vec::with_capacity(ecef.len());
                let per_epoch = (0..span.n_epochs)
                    .map(|i| {
                        let p = self.samples.position_m(s, i)?;
                        buf.clear();
                        for (j, e) in ecef.iter().enumerate() {
                            if self.visible[s][j].get(i) {
                                buf.push(*e);
                            }
                        }
                        station_dop(&p, &buf)
                    })
                    .collect();
                SatStationGeometry::from_epochs(sat, &self.counts[s], per_epoch)
            })
            .collect();
        StationGeometryReport {
            network: self.network.name().to_string(),
            span,
            satellites,
        }
    }
}
