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

/// File name of the table written by [`NetworkTracking::write_csv`].
pub const TRACKING_CSV: &str = "tracking.csv";
/// The JSON of a monitoring study ([`NetworkTracking::write_outputs`]).
pub const TRACKING_JSON: &str = "tracking.json";
/// The tracking bar chart of a monitoring study.
pub const TRACKED_FRACTION_PNG: &str = "tracked_fraction.png";
/// The ground tracks of the least-tracked satellites of a monitoring study.
pub const GROUND_TRACKS_PNG: &str = "ground_tracks.png";

/// A satellite's station-geometry summary in `tracking.json` (the per-epoch values left out).
#[derive(Debug, Clone, PartialEq, Serialize)]
struct GeometrySummary {
    sat: SatId,
    fraction_ge4: f64,
    gdop_median: Option<f64>,
    gdop_p95: Option<f64>,
    pdop_median: Option<f64>,
    pdop_p95: Option<f64>,
}

/// `tracking.json`.
#[derive(Serialize)]
struct TrackingFile<'a> {
    source: &'a str,
    network: &'a Network,
    tracking: &'a TrackingReport,
    station_geometry: Vec<GeometrySummary>,
}

/// One row of the tracking table of one network: a satellite's tracking statistics
/// ([`SatTracking`]) and the median station geometry seen from it ([`SatStationGeometry`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackingRow {
    /// Satellite.
    pub sat: String,
    /// Kind label (`BDS MEO`, `GLONASS`, …).
    pub kind: String,
    /// Epochs at which the source had a state.
    pub epochs_with_state: usize,
    /// Fraction of the epochs with data seen by ≥ 1 station.
    pub fraction_ge1: f64,
    /// … by ≥ 2 stations.
    pub fraction_ge2: f64,
    /// … by ≥ 4 stations.
    pub fraction_ge4: f64,
    /// … by ≥ `min_stations`.
    pub tracked_fraction: f64,
    /// Longest gap in tracking, hours.
    pub longest_gap_h: f64,
    /// Mean gap, hours (`None` when always tracked).
    pub mean_gap_h: Option<f64>,
    /// Number of gaps.
    pub gaps: usize,
    /// Number of passes.
    pub passes: usize,
    /// Median station GDOP seen from the satellite.
    pub station_gdop_median: Option<f64>,
    /// Median station PDOP seen from the satellite.
    pub station_pdop_median: Option<f64>,
}

/// How one network tracks the satellites it can: the satellites of the systems its stations
/// track that have at least one state in the span, each with its tracking statistics and the
/// station geometry seen from it. The one study behind `gnss-interop monitor` and a
/// scenario's `[monitor]` ([`NetworkAnalysis::network_tracking`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkTracking {
    /// Tracking of the kept satellites (in the source's order).
    pub tracking: TrackingReport,
    /// Station geometry of the same satellites, in the same order.
    pub geometry: Vec<SatStationGeometry>,
}

impl NetworkTracking {
    /// One row per kept satellite.
    pub fn rows(&self) -> Vec<TrackingRow> {
        (self.tracking.satellites.iter())
            .zip(&self.geometry)
            .map(|(t, g)| TrackingRow {
                sat: t.sat.to_string(),
                kind: t.kind.label(),
                epochs_with_state: t.epochs_with_state,
                fraction_ge1: t.fraction_ge1,
                fraction_ge2: t.fraction_ge2,
                fraction_ge4: t.fraction_ge4,
                tracked_fraction: t.tracked_fraction,
                longest_gap_h: t.longest_gap_s / 3600.0,
                mean_gap_h: t.mean_gap_s.map(|s| s / 3600.0),
                gaps: t.gaps,
                passes: t.passes,
                station_gdop_median: g.gdop_median,
                station_pdop_median: g.pdop_median,
            })
            .collect()
    }

    /// Write [`NetworkTracking::rows`] as CSV (header from the field names; an empty field
    /// for a missing value).
    pub fn write_csv(&self, path: &std::path::Path) -> Result<(), crate::report::ReportError> {
        crate::report::write::write_csv(path, &self.rows())
    }

    /// Write the files of a monitoring study of `net` over `samples`, each at the path
    /// `file(name)` gives (an output directory's staging, a scenario's `monitor/` folder):
    /// [`TRACKING_CSV`] ([`NetworkTracking::rows`]), `tracking.json` (source, network, tracking
    /// and station geometry summaries), `tracked_fraction.png`
    /// ([`super::draw_tracking_bars`]) and `ground_tracks.png` (the `tracks` least-tracked
    /// satellites, [`super::draw_least_tracked`]). Returns the names written, in order.
    pub fn write_outputs(
        &self,
        file: &mut crate::outdir::FileFor<'_>,
        net: &Network,
        samples: &OrbitSamples,
        tracks: usize,
    ) -> crate::Result<Vec<String>> {
        self.write_csv(&file(TRACKING_CSV)?)?;
        let geometry: Vec<GeometrySummary> = self
            .geometry
            .iter()
            .map(|g| GeometrySummary {
                sat: g.sat,
                fraction_ge4: g.fraction_ge4,
                gdop_median: g.gdop_median,
                gdop_p95: g.gdop_p95,
                pdop_median: g.pdop_median,
                pdop_p95: g.pdop_p95,
            })
            .collect();
        let json = TrackingFile {
            source: samples.describe(),
            network: net,
            tracking: &self.tracking,
            station_geometry: geometry,
        };
        crate::report::write::write_json(file(TRACKING_JSON)?, &json)?;
        super::draw_tracking_bars(&file(TRACKED_FRACTION_PNG)?, net, self)?;
        super::draw_least_tracked(&file(GROUND_TRACKS_PNG)?, net, samples, self, tracks)?;
        Ok([
            TRACKING_CSV,
            TRACKING_JSON,
            TRACKED_FRACTION_PNG,
            GROUND_TRACKS_PNG,
        ]
        .map(String::from)
        .to_vec())
    }

    /// The `n` least-tracked satellites (smallest tracked fraction first; ties in the
    /// source's order).
    pub fn least_tracked(&self, n: usize) -> Vec<SatId> {
        let sats = &self.tracking.satellites;
        let mut order: Vec<usize> = (0..sats.len()).collect();
        order.sort_by(|&a, &b| {
            sats[a]
                .tracked_fraction
                .total_cmp(&sats[b].tracked_fraction)
        });
        order.into_iter().take(n).map(|k| sats[k].sat).collect()
    }

    /// Mean tracked fraction over the kept satellites.
    pub fn mean_tracked_fraction(&self) -> f64 {
        let s = &self.tracking.satellites;
        s.iter().map(|t| t.tracked_fraction).sum::<f64>() / s.len().max(1) as f64
    }

    /// Mean and largest longest-gap over the kept satellites, s.
    pub fn longest_gaps_s(&self) -> (f64, f64) {
        let s = &self.tracking.satellites;
        let mean = s.iter().map(|t| t.longest_gap_s).sum::<f64>() / s.len().max(1) as f64;
        (mean, s.iter().map(|t| t.longest_gap_s).fold(0.0, f64::max))
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

    /// The tracking of the satellites this network can track: [`NetworkAnalysis::tracking`]
    /// and [`NetworkAnalysis::station_geometry`] kept to the satellites of a system some
    /// station tracks, with at least one state in the span. None kept is
    /// [`NetworkError::TracksNothing`].
    pub fn network_tracking(&self, min_stations: u16) -> Result<NetworkTracking, NetworkError> {
        let mut tracking = self.tracking(min_stations)?;
        let geometry = self.station_geometry();
        let stations = self.network.stations();
        let keep: Vec<bool> = (tracking.satellites.iter())
            .map(|t| {
                t.epochs_with_state > 0 && stations.iter().any(|s| s.tracks(t.sat.constellation()))
            })
            .collect();
        let geometry: Vec<SatStationGeometry> = (geometry.satellites.into_iter())
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(g, _)| g)
            .collect();
        let mut it = keep.iter();
        tracking.satellites.retain(|_| *it.next().unwrap_or(&false));
        if tracking.satellites.is_empty() {
            return Err(NetworkError::TracksNothing {
                network: self.network.name().to_string(),
                source_name: self.samples.describe().to_string(),
            });
        }
        Ok(NetworkTracking { tracking, geometry })
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
