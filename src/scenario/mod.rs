//! Scenario files: a TOML file describes a whole study — orbit sources, time span, systems,
//! masks, clock models, grid and sites, monitoring networks, the range-error model, the
//! layout search and the outputs. This module reads such a file into a typed, fully
//! validated [`Scenario`]; running it is the runner's job.
//!
//! Validation happens before anything is computed: unknown keys, wrong types, missing
//! files, impossible spans, empty networks and bad coordinates are reported with the key
//! path, the line and column, and what was expected. Values deserialize into the
//! range-checked types of [`types`]. A syntax error, or a single problem of the file's shape
//! (unknown key, wrong type, missing key), is a [`ScenarioError::Parse`]; otherwise every
//! problem is collected and reported together ([`ScenarioError::Invalid`]).
//!
//! ```
//! use gnss_interop::scenario::Scenario;
//! let text = r#"
//! name = "tiny"
//! [time]
//! start = "2023-01-01T00:00:00 UTC"
//! end   = "2023-01-01T01:00:00 UTC"
//! step_s = 600
//! [orbits]
//! source = "nominal"
//! systems = ["C", "R"]
//! [[sites]]
//! name = "beijing"
//! lat_deg = 39.9
//! lon_deg = 116.4
//! "#;
//! let s = Scenario::from_toml_str(text, std::path::Path::new(".")).unwrap();
//! assert_eq!(s.time.unwrap().epoch_count(), 7);
//! ```

mod config;
mod raw;
mod read;
pub mod report_md;
pub mod run;
pub mod shard;
pub mod slurm;
pub mod types;
mod validate;

use std::fmt;
use std::path::{Path, PathBuf};

use thiserror::Error;

pub use config::*;
pub use validate::{MAX_EPOCHS, MAX_GRID_POINTS};

/// Names of the network catalogues a scenario may name.
/// The same list as the network module's built-in catalogues ([`crate::network::BUILTIN_NETWORKS`]).
pub const KNOWN_CATALOGS: &[&str] = crate::network::BUILTIN_NETWORKS;

/// Environment variable naming the directory of the real public data; a path in a scenario
/// may start with `${GNSS_INTEROP_DATA}`. Without the variable, `../shared/data` relative to
/// the current directory is used.
pub const DATA_DIR_VAR: &str = "GNSS_INTEROP_DATA";

/// One thing wrong with a scenario: the key path (`networks.add[1].lat_deg`) and what was
/// expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted key path; `[i]` indexes arrays (0-based). Empty for the file as a whole.
    pub key: String,
    /// What is wrong and what is expected.
    pub message: String,
    /// 1-based line and column of the offending key or value in the file, when located.
    pub at: Option<(usize, usize)>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.at {
            write!(f, "{line}:{column}: ")?;
        }
        if self.key.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.key, self.message)
        }
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario {}: {source}", path.display())]
    Io {
        /// The scenario file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Not valid TOML, or a key/type that the format does not allow.
    #[error("{}:{line}:{column}: {}{message}", path.display(), key.as_deref().map(|k| format!("{k}: ")).unwrap_or_default())]
    Parse {
        /// The scenario file (`<string>` when parsed from text).
        path: PathBuf,
        /// 1-based line of the offending text.
        line: usize,
        /// 1-based column of the offending text.
        column: usize,
        /// Key path the error concerns, when it could be located.
        key: Option<String>,
        /// What is wrong and what is expected.
        message: String,
    },
    /// Well-formed, but values are impossible or inconsistent. Every problem found is listed.
    #[error("{} is not a valid scenario ({} problem{}):\n{}", path.display(), problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// The scenario file (`<string>` when parsed from text).
        path: PathBuf,
        /// Every problem found.
        problems: Vec<Problem>,
    },
}

impl ScenarioError {
    /// The problems of an [`ScenarioError::Invalid`] error, or the single problem of a parse
    /// error (empty for I/O errors).
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            ScenarioError::Io { .. } => Vec::new(),
            ScenarioError::Parse {
                key,
                message,
                line,
                column,
                ..
            } => vec![Problem {
                key: key.clone().unwrap_or_default(),
                message: message.clone(),
                at: Some((*line, *column)),
            }],
            ScenarioError::Invalid { problems, .. } => problems.clone(),
        }
    }
}

/// Station ids of a network, as the runner's network module reads them.
type StationReader = dyn Fn(&Path) -> Result<Vec<String>, String> + Send + Sync;

/// The network catalogs validation may refer to: their names and, when the caller knows
/// them, their station ids (so `remove`, duplicate ids and "empty after remove" can be
/// checked). [`KnownCatalogs::builtin`] knows the names of [`KNOWN_CATALOGS`] only.
pub struct KnownCatalogs {
    names: Vec<String>,
    stations: Vec<(String, Vec<String>)>,
    file_reader: Option<Box<StationReader>>,
}

impl fmt::Debug for KnownCatalogs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KnownCatalogs")
            .field("names", &self.names)
            .field("stations", &self.stations)
            .field("file_reader", &self.file_reader.is_some())
            .finish()
    }
}

impl KnownCatalogs {
    /// The catalogs of [`KNOWN_CATALOGS`], station ids unknown.
    pub fn builtin() -> Self {
        Self::names(KNOWN_CATALOGS.iter().copied())
    }

    /// Catalogs with these names, station ids unknown.
    pub fn names<I: IntoIterator<Item = S>, S: Into<String>>(names: I) -> Self {
        KnownCatalogs {
            names: names.into_iter().map(Into::into).collect(),
            stations: Vec::new(),
            file_reader: None,
        }
    }

    /// Declares the station ids of a catalog (adding the name if new).
    pub fn with_stations<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        name: &str,
        ids: I,
    ) -> Self {
        if !self.names.iter().any(|n| n == name) {
            self.names.push(name.to_string());
        }
        self.stations.retain(|(n, _)| n != name);
        self.stations
            .push((name.to_string(), ids.into_iter().map(Into::into).collect()));
        self
    }

    /// Sets how to read the station ids of a network *file*; its error message becomes a
    /// problem at the key naming the file.
    pub fn with_file_reader<F>(mut self, reader: F) -> Self
    where
        F: Fn(&Path) -> Result<Vec<String>, String> + Send + Sync + 'static,
    {
        self.file_reader = Some(Box::new(reader));
        self
    }

    /// Whether `name` is a known catalog.
    pub fn contains(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// The known catalog names.
    pub fn catalog_names(&self) -> &[String] {
        &self.names
    }

    /// Station ids of a catalog, if declared.
    pub fn station_ids(&self, name: &str) -> Option<&[String]> {
        self.stations
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, ids)| ids.as_slice())
    }

    pub(crate) fn read_file(&self, path: &Path) -> Option<Result<Vec<String>, String>> {
        self.file_reader.as_ref().map(|r| r(path))
    }
}

impl Default for KnownCatalogs {
    fn default() -> Self {
        Self::builtin()
    }
}

impl Scenario {
    /// Reads and validates a scenario file against [`KnownCatalogs::builtin`]. Relative paths
    /// inside resolve against the file's directory.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        Self::from_file_with(path, &KnownCatalogs::builtin())
    }

    /// Reads and validates a scenario file against the given catalogs.
    pub fn from_file_with(
        path: impl AsRef<Path>,
        catalogs: &KnownCatalogs,
    ) -> Result<Scenario, ScenarioError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let base = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // The file's folder as an absolute path, so that the scenario (its resolved paths, and
        // so its hash) does not depend on the working directory it was read from: a shard run
        // as `run study.toml --shard 1/2` beside the file merges with the same scenario the
        // merge step rebuilds from the embedded text and folder.
        let base = std::fs::canonicalize(&base).map_err(|source| ScenarioError::Io {
            path: base.clone(),
            source,
        })?;
        validate::load(&text, &base, path, catalogs)
    }

    /// Parses and validates scenario text against [`KnownCatalogs::builtin`]; relative paths
    /// resolve against `base_dir`.
    ///
    /// ```
    /// use gnss_interop::scenario::{ElevationMask, Scenario, ScenarioError, DEFAULT_MASK_DEG};
    /// use std::path::Path;
    ///
    /// let text = r#"
    /// name = "minimal"
    /// [time]
    /// start = "2023-01-01T00:00:00 UTC"
    /// end   = "2023-01-02T00:00:00 UTC"
    /// step_s = 300
    /// [orbits]
    /// source = "nominal"
    /// systems = ["C", "R"]
    /// [[sites]]
    /// name = "moscow"
    /// lat_deg = 55.75
    /// lon_deg = 37.62
    /// "#;
    /// let s = Scenario::from_toml_str(text, Path::new("."))?;
    /// assert_eq!(s.name, "minimal");
    /// // One day every 5 min, both ends included.
    /// assert_eq!(s.time.unwrap().epoch_count(), 24 * 12 + 1);
    /// // No `[user]` section: the defaults (5° mask, PDOP ≤ 6).
    /// let five = ElevationMask::Constant { min_elevation_deg: DEFAULT_MASK_DEG };
    /// assert_eq!(s.user.mask, five);
    /// assert_eq!(s.user.pdop_threshold, 6.0);
    ///
    /// // Unknown keys are refused with their path.
    /// let bad = Scenario::from_toml_str("name = \"x\"\n[time]\nstep = 1\n", Path::new("."));
    /// assert!(matches!(bad, Err(ScenarioError::Parse { .. } | ScenarioError::Invalid { .. })));
    /// # Ok::<(), gnss_interop::Error>(())
    /// ```
    pub fn from_toml_str(text: &str, base_dir: &Path) -> Result<Scenario, ScenarioError> {
        Self::from_toml_str_with(text, base_dir, &KnownCatalogs::builtin())
    }

    /// Parses and validates scenario text against the given catalogs.
    pub fn from_toml_str_with(
        text: &str,
        base_dir: &Path,
        catalogs: &KnownCatalogs,
    ) -> Result<Scenario, ScenarioError> {
        validate::load(text, base_dir, Path::new("<string>"), catalogs)
    }
}
