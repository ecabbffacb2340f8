//! What the files say: typed BeiDou and GLONASS broadcast records, SP3 tables, and the
//! readers that produce them, with file and line in every error.
//!
//! Records are converted once into typed structures with units in their field names; time
//! tags carry their own scale (BeiDou in BDT, GLONASS RINEX epochs in UTC(SU)).

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use hifitime::Epoch;
use nalgebra::Vector3;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::id::SatId;

mod clock;
pub mod convert;
pub mod limits;
pub mod rinex_nav;
pub mod select;
pub(crate) mod sp3;

pub use clock::{ClockOrigin, ClockProduct, ClockSatellite};
pub use convert::{ConversionReport, RefusedRecord};
pub use rinex_nav::{NavData, NavMergeStats, NavReadOptions};

/// The hifitime scale of a RINEX / SP3 time-system label (`GPS`, `GAL`, `BDT`, `QZS`, `UTC`,
/// `TAI`, `GLO`) and the duration to subtract from calendar fields written in it: GLONASS time
/// (`GLO`) is held as UTC(SU) = GLONASST − 3 h, every other label as itself (zero).
pub(crate) fn time_system(label: &str) -> Option<(hifitime::TimeScale, hifitime::Duration)> {
    use hifitime::{Duration, TimeScale};
    Some(match label {
        "GPS" => (TimeScale::GPST, Duration::ZERO),
        "GAL" => (TimeScale::GST, Duration::ZERO),
        "BDT" => (TimeScale::BDT, Duration::ZERO),
        "QZS" => (TimeScale::QZSST, Duration::ZERO),
        "UTC" => (TimeScale::UTC, Duration::ZERO),
        "TAI" => (TimeScale::TAI, Duration::ZERO),
        "GLO" => (
            TimeScale::UTC,
            Duration::from_seconds(crate::consts::time::GLONASST_MINUS_UTC_S),
        ),
        _ => return None,
    })
}

/// Opens a file for buffered reading; gzip input (detected by its magic bytes 1f 8b, whatever
/// the name) is decompressed on the fly. Used by every reader of this module.
pub(crate) fn open_maybe_gz(path: &Path) -> Result<Box<dyn BufRead>, EphemerisError> {
    let io_err = |source| EphemerisError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = BufReader::new(File::open(path).map_err(io_err)?);
    let head = reader.fill_buf().map_err(io_err)?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(
            reader,
        ))))
    } else {
        Ok(Box::new(reader))
    }
}

/// A reader of one text file whose errors name the file and the line: the one way the RINEX,
/// SP3 and clock readers report what they cannot read.
pub(crate) trait LineErrors {
    /// The file being read.
    fn path(&self) -> &Path;

    /// A parse error at `line` (1-based) of the file.
    fn err(&self, line: usize, message: impl Into<String>) -> EphemerisError {
        EphemerisError::Parse {
            path: self.path().to_path_buf(),
            line,
            message: message.into(),
        }
    }

    /// Field `s` (named `what`) of `line` parsed as a `T`, or an error quoting it.
    fn num<T: std::str::FromStr>(
        &self,
        s: &str,
        line: usize,
        what: &str,
    ) -> Result<T, EphemerisError> {
        s.parse::<T>()
            .map_err(|_| self.err(line, format!("{what}: cannot parse '{s}'")))
    }
}

/// The whole text of a file (gzip or not, see [`open_maybe_gz`]); invalid UTF-8 becomes
/// U+FFFD, which the line parsers then report with its line.
pub(crate) fn read_text(path: &Path) -> Result<String, EphemerisError> {
    let mut bytes = Vec::new();
    open_maybe_gz(path)?
        .read_to_end(&mut bytes)
        .map_err(|source| EphemerisError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Each path as given, a directory replaced by the regular files in it and a file-name
/// pattern (`*` any run of characters, `?` one character, in the last component only)
/// replaced by the regular files it matches, each sorted by name; duplicates dropped, order
/// otherwise kept. The one expansion behind `--nav`/`--sp3` and scenario `nav`/`sp3` lists.
///
/// Errors: [`EphemerisError::NoFiles`] for a directory or pattern matching no file,
/// [`EphemerisError::Io`] when a directory cannot be read. A plain path is returned as is
/// (its reader reports a missing file).
pub fn expand_file_list<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<PathBuf>, EphemerisError> {
    let mut out: Vec<PathBuf> = Vec::new();
    let list_dir = |dir: &Path| -> Result<Vec<PathBuf>, EphemerisError> {
        let rd = std::fs::read_dir(dir).map_err(|source| EphemerisError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut files: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|f| f.is_file())
            .collect();
        files.sort();
        Ok(files)
    };
    for p in paths {
        let p = p.as_ref();
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        let found = if p.is_dir() {
            let files = list_dir(p)?;
            if files.is_empty() {
                return Err(EphemerisError::NoFiles {
                    path: p.to_path_buf(),
                    what: "directory holds no file".to_string(),
                });
            }
            files
        } else if let Some(pattern) = name.filter(|n| n.contains(['*', '?'])) {
            let dir = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let files: Vec<PathBuf> = list_dir(&dir)?
                .into_iter()
                .filter(|f| {
                    f.file_name()
                        .is_some_and(|n| wildcard_match(&pattern, &n.to_string_lossy()))
                })
                .collect();
            if files.is_empty() {
                return Err(EphemerisError::NoFiles {
                    path: p.to_path_buf(),
                    what: "pattern matches no file".to_string(),
                });
            }
            files
        } else {
            vec![p.to_path_buf()]
        };
        for f in found {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    Ok(out)
}

/// `*` / `?` file-name matching (no character classes).
fn wildcard_match(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut i, mut j) = (0usize, 0usize);
    let (mut star, mut mark) = (None::<usize>, 0usize);
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some(i);
            mark = j;
            i += 1;
        } else if let Some(s) = star {
            i = s + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

/// Errors of reading ephemeris files and selecting records.
#[derive(Debug, Error)]
pub enum EphemerisError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// File concerned.
        path: PathBuf,
        /// Underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A line could not be parsed.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// File concerned.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What was wrong, with the offending text.
        message: String,
    },
    /// The file is of a kind or version this crate does not read.
    #[error("{path}: unsupported file: {what}")]
    Unsupported {
        /// File concerned.
        path: PathBuf,
        /// What is not supported.
        what: String,
    },
    /// No record of the satellite is valid at the epoch.
    #[error("no valid record for {sat} at {epoch}: {reason}")]
    NoValidRecord {
        /// Satellite asked for.
        sat: SatId,
        /// Epoch asked for.
        epoch: Epoch,
        /// Why (nearest record too far, only unhealthy records, …).
        reason: String,
    },
    /// A value handed over by another crate (`rinex`, `sp3`) cannot be converted.
    #[error("value from the `{from}` crate: {what}")]
    Conversion {
        /// The crate the value came from.
        from: &'static str,
        /// What is wrong with it.
        what: String,
    },
    /// Two SP3 files give different positions for the same satellite and epoch.
    #[error("{0}")]
    Sp3NodeConflict(Box<Sp3NodeConflict>),
    /// Two SP3 files that may not be combined without opting in (`allow_mixed`).
    #[error("{0}")]
    Sp3Mixed(Box<Sp3Mixed>),
    /// A directory or file-name pattern of a file list matches no file.
    #[error("{path}: {what}", path = .path.display())]
    NoFiles {
        /// Directory or pattern as given.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
    /// The satellite does not appear in the data.
    #[error("satellite {sat} is not in the data")]
    UnknownSatellite {
        /// Satellite asked for.
        sat: SatId,
    },
}

/// Which BeiDou navigation message a record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BdsMessage {
    /// D1 (MEO/IGSO, B1I/B3I) — RINEX 2/3 records are D1 or D2 without distinction.
    D1,
    /// D2 (GEO, B1I/B3I).
    D2,
    /// RINEX 3 record, D1 or D2 not stated.
    D1D2,
    /// B-CNAV1 (B1C).
    Cnav1,
    /// B-CNAV2 (B2a).
    Cnav2,
    /// B-CNAV3 (B2b).
    Cnav3,
}

/// A BeiDou broadcast ephemeris (Keplerian elements with harmonic corrections).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BdsEphemeris {
    /// Satellite.
    pub sat: SatId,
    /// Message type.
    pub message: BdsMessage,
    /// Time of clock (BDT scale).
    pub toc: Epoch,
    /// Time of ephemeris (BDT scale), from the BDT week and t_oe seconds of week.
    pub toe: Epoch,
    /// t_oe as written: seconds of the BDT week.
    pub toe_sow_s: f64,
    /// BDT week of t_oe.
    pub bdt_week: u32,
    /// √A, √m. (CNAV records give ΔA relative to the reference; readers fill √A.)
    pub sqrt_a_sqrt_m: f64,
    /// Rate of the semi-major axis Ȧ (CNAV only, else 0), m/s.
    pub a_dot_m_s: f64,
    /// Eccentricity.
    pub e: f64,
    /// Inclination at reference time i₀, rad.
    pub i0_rad: f64,
    /// Longitude of ascending node at weekly epoch Ω₀, rad.
    pub omega0_rad: f64,
    /// Argument of perigee ω, rad.
    pub omega_rad: f64,
    /// Mean anomaly at reference time M₀, rad.
    pub m0_rad: f64,
    /// Mean motion difference Δn, rad/s.
    pub delta_n_rad_s: f64,
    /// Rate of Δn (CNAV only, else 0), rad/s².
    pub delta_n_dot_rad_s2: f64,
    /// Rate of inclination, rad/s.
    pub idot_rad_s: f64,
    /// Rate of right ascension Ω̇, rad/s.
    pub omega_dot_rad_s: f64,
    /// Argument-of-latitude cosine correction, rad.
    pub cuc_rad: f64,
    /// Argument-of-latitude sine correction, rad.
    pub cus_rad: f64,
    /// Orbit radius cosine correction, m.
    pub crc_m: f64,
    /// Orbit radius sine correction, m.
    pub crs_m: f64,
    /// Inclination cosine correction, rad.
    pub cic_rad: f64,
    /// Inclination sine correction, rad.
    pub cis_rad: f64,
    /// Clock bias a₀, s.
    pub af0_s: f64,
    /// Clock drift a₁, s/s.
    pub af1_s_s: f64,
    /// Clock drift rate a₂, s/s².
    pub af2_s_s2: f64,
    /// Group delay B1I (D1/D2: TGD1) or B1Cp (CNAV1), s.
    pub tgd1_s: f64,
    /// Group delay B2I (D1/D2: TGD2) or B2ap (CNAV2), s.
    pub tgd2_s: f64,
    /// Age of data, ephemeris (AODE) or IODE for CNAV.
    pub aode: u32,
    /// Age of data, clock (AODC) or IODC for CNAV.
    pub aodc: u32,
    /// SV accuracy (URA), m. D1/D2: as written in RINEX. B-CNAV (RINEX 4 writes the SISAI_oe
    /// index): converted with the URA-index rule N ≤ 6 → 2^(1+N/2) m, 6 < N < 15 → 2^(N−2) m;
    /// an index outside 0–14 means "no accuracy prediction" and gives infinity.
    pub sv_accuracy_m: f64,
    /// Health flag as broadcast (SatH1 for D1/D2; 0 = healthy).
    pub health: u32,
    /// 1-based line in the source file where the record starts (0 when built in code).
    pub source_line: usize,
}

/// A GLONASS FDMA broadcast ephemeris: a PZ-90.11 state vector at t_b.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GlonassEphemeris {
    /// Satellite (orbital slot).
    pub sat: SatId,
    /// Reference time t_b as written in RINEX, in UTC(SU) (the UTC scale here).
    /// t_b in GLONASS time is this plus 3 h.
    pub tb: Epoch,
    /// Position at t_b, PZ-90.11, m.
    pub position_m: Vector3<f64>,
    /// Velocity at t_b, PZ-90.11, m/s.
    pub velocity_m_s: Vector3<f64>,
    /// Luni-solar acceleration at t_b as broadcast, m/s².
    pub acceleration_m_s2: Vector3<f64>,
    /// −τ_n as written in RINEX (clock bias), s.
    pub minus_tau_n_s: f64,
    /// γ_n, relative frequency bias, s/s.
    pub gamma_n: f64,
    /// Message frame time as written: RINEX 2 t_k in seconds of the UTC day; RINEX 3/4
    /// t_k + n_d·86400 in seconds of the UTC week (some writers put seconds of the day).
    pub frame_time_s: f64,
    /// FDMA frequency channel number k (−7…+6).
    pub channel: i8,
    /// Health flag B_n as written (0 = healthy).
    pub health: u32,
    /// Age of operation information E_n, days.
    pub age_days: f64,
    /// 1-based line in the source file where the record starts (0 when built in code).
    pub source_line: usize,
}

/// A precise-orbit product (SP3-c/d) as per-satellite arrays on the product's epoch grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sp3Product {
    /// Agency label from the header (e.g. `WHU`, `COD`).
    pub agency: String,
    /// Coordinate system label from the header (e.g. `IGS20`).
    pub coordinate_system: String,
    /// Time scale of the epochs (from `%c`; GPST for all IGS/MGEX products).
    pub time_scale: hifitime::TimeScale,
    /// Nominal epoch interval, s.
    pub epoch_interval_s: f64,
    /// Epochs of the table, strictly increasing, in `time_scale`.
    pub epochs: Vec<Epoch>,
    /// One entry per satellite, sorted by `SatId`.
    pub satellites: Vec<Sp3Satellite>,
    /// How many files made the product and what their merge found
    /// ([`Sp3Product::from_files_with`]).
    #[serde(default)]
    pub merge: Sp3MergeStats,
}

/// How [`Sp3Product::from_files_with`] combines several SP3 files.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sp3MergeOptions {
    /// Accept files of different analysis centres, time systems, coordinate frames or epoch
    /// intervals (default false: refused with [`EphemerisError::Sp3Mixed`]).
    pub allow_mixed: bool,
    /// Largest 3-D difference, m, between the positions two files give for the same
    /// satellite and epoch (default 1 m: day-boundary discontinuities of final products are
    /// at the cm level, decimetres for BeiDou GEOs; a larger difference is another orbit).
    pub node_tolerance_m: f64,
}

impl Default for Sp3MergeOptions {
    fn default() -> Self {
        Sp3MergeOptions {
            allow_mixed: false,
            node_tolerance_m: 1.0,
        }
    }
}

/// A node (satellite, epoch) given differently by two SP3 files
/// ([`EphemerisError::Sp3NodeConflict`]).
#[derive(Debug, Clone, PartialEq, Error)]
#[error(
    "{first}:{first_line} and {second}:{second_line}: {sat} at {epoch} differs by \
     {difference_m:.3} m between the two files (tolerance {tolerance_m} m)",
    first = .first.display(),
    second = .second.display()
)]
pub struct Sp3NodeConflict {
    /// File holding the earlier value.
    pub first: PathBuf,
    /// Its line (1-based).
    pub first_line: usize,
    /// File holding the conflicting value.
    pub second: PathBuf,
    /// Its line (1-based).
    pub second_line: usize,
    /// Satellite.
    pub sat: SatId,
    /// Epoch of the node.
    pub epoch: Epoch,
    /// 3-D difference, m.
    pub difference_m: f64,
    /// Tolerance in force, m.
    pub tolerance_m: f64,
}

/// Two SP3 files of different centres, time systems, frames or intervals
/// ([`EphemerisError::Sp3Mixed`]).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "{first}:{first_line} and {second}:{second_line}: different {what} ('{first_value}' \
     vs '{second_value}'); SP3 files of different centres, time systems, frames or \
     intervals are combined only when allowed (allow_mixed)",
    first = .first.display(),
    second = .second.display()
)]
pub struct Sp3Mixed {
    /// First file (earliest start).
    pub first: PathBuf,
    /// Line of the first file holding the value.
    pub first_line: usize,
    /// The other file.
    pub second: PathBuf,
    /// Line of the other file holding the value.
    pub second_line: usize,
    /// What differs (analysis centre, time system, coordinate frame, epoch interval).
    pub what: String,
    /// Value in the first file.
    pub first_value: String,
    /// Value in the other file.
    pub second_value: String,
}

/// What merging SP3 files found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Sp3MergeStats {
    /// Files read (0 for a product built from another reader's values).
    pub files: usize,
    /// Nodes (satellite, epoch) with a position in two files (agreeing within tolerance).
    pub shared_nodes: usize,
    /// Largest difference between two files at a shared node, m.
    pub max_shared_difference_m: f64,
}

/// One satellite's positions and clocks on the product's epoch grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sp3Satellite {
    /// Satellite.
    pub sat: SatId,
    /// Position (ITRF-type frame of the product, m) at each epoch of the product grid;
    /// `None` where the product has no value or a bad-value marker (0,0,0).
    pub position_m: Vec<Option<Vector3<f64>>>,
    /// Clock offset (s) at each epoch of the grid; `None` for `999999.999999` or absent.
    pub clock_s: Vec<Option<f64>>,
    /// Whether the record at each epoch is flagged predicted (orbit `P` in column 80 or
    /// clock `P` in column 76 of the `P` line: ultra-rapid products).
    #[serde(default)]
    pub predicted: Vec<bool>,
}

/// How a broadcast record is chosen for a satellite and an epoch.
///
/// A record is eligible when the epoch lies within its validity window around its reference
/// time (BDS: t_oe; GLONASS: t_b); among eligible records the nearest reference time wins.
/// Nothing outside the window is ever used: the caller gets
/// [`EphemerisError::NoValidRecord`] instead of a quiet extrapolation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SelectionPolicy {
    /// Half-width of a BeiDou record's validity around t_oe, s. Default 3600 s: BDS uploads a
    /// new record every hour, so one missed update is bridged, while extrapolation beyond
    /// ≈2 h degrades to tens of metres.
    pub bds_half_window_s: f64,
    /// Half-width of a GLONASS record's validity around t_b, s. Default 900 s (t_b every
    /// 30 min, GLONASS ICD).
    pub glonass_half_window_s: f64,
    /// Use records flagged unhealthy (default false).
    pub allow_unhealthy: bool,
}

impl Default for SelectionPolicy {
    fn default() -> Self {
        SelectionPolicy {
            bds_half_window_s: 3600.0,
            glonass_half_window_s: 900.0,
            allow_unhealthy: false,
        }
    }
}
