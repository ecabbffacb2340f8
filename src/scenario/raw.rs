//! The scenario file exactly as written: serde shapes with `deny_unknown_fields`, strings
//! where a value still needs checking (dates, paths, systems). [`super::validate`] turns
//! these into the typed [`super::config`] structures, collecting every problem.

use serde::Deserialize;

/// A date-time as written: a string (`"2023-01-01T00:00:00 BDT"`) or a TOML date-time
/// (`2023-01-01T00:00:00Z`), kept as text until validation parses it with its scale.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimeText(pub String);

impl<'de> Deserialize<'de> for TimeText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(d)? {
            toml::Value::String(s) => Ok(TimeText(s)),
            toml::Value::Datetime(dt) => Ok(TimeText(dt.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "invalid type: {}, expected a date-time such as \"2023-01-01T00:00:00 UTC\"",
                other.type_str()
            ))),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub time: Option<RawTime>,
    pub orbits: Option<RawOrbits>,
    pub user: Option<RawUser>,
    pub grid: Option<RawGrid>,
    pub sites: Option<Vec<RawSite>>,
    pub networks: Option<RawNetworks>,
    pub error_model: Option<RawErrorModel>,
    pub layout_search: Option<RawLayoutSearch>,
    pub timescales: Option<RawTimescales>,
    pub validation: Option<RawValidation>,
    pub outputs: Option<RawOutputs>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTime {
    pub start: TimeText,
    pub end: TimeText,
    pub step_s: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RawOrbitSource {
    Nominal,
    Nav,
    Sp3,
    Longspan,
}

/// One path or a list of paths (globs allowed): `nav = "a.rnx"` or `nav = ["a", "b*"]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawPaths {
    One(String),
    Many(Vec<String>),
}

impl RawPaths {
    pub fn items(&self) -> Vec<&str> {
        match self {
            RawPaths::One(s) => vec![s.as_str()],
            RawPaths::Many(v) => v.iter().map(|s| s.as_str()).collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOrbits {
    pub source: RawOrbitSource,
    pub nav: Option<RawPaths>,
    pub sp3: Option<RawPaths>,
    pub systems: Vec<String>,
    pub longspan_days: Option<i64>,
    #[serde(default)]
    pub allow_no_data: bool,
    #[serde(default)]
    pub exclude_predicted: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum RawClock {
    Common,
    PerSystem,
    KnownOffset,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawUser {
    pub mask_deg: Option<f64>,
    pub azimuth_mask: Option<Vec<Vec<f64>>>,
    pub clock: Option<RawClock>,
    pub isb_sigma_ns: Option<f64>,
    pub pdop_threshold: Option<f64>,
    #[serde(default)]
    pub compare_clocks: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGrid {
    pub step_deg: f64,
    pub region: Option<Vec<f64>>,
    pub height_m: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSite {
    pub name: String,
    pub lat_deg: f64,
    pub lon_deg: f64,
    #[serde(default)]
    pub height_m: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStation {
    pub id: String,
    pub name: Option<String>,
    pub lat_deg: f64,
    pub lon_deg: f64,
    #[serde(default)]
    pub height_m: f64,
    pub systems: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNetworks {
    pub baseline: Vec<String>,
    #[serde(default)]
    pub augmented: Vec<String>,
    #[serde(default)]
    pub add: Vec<RawStation>,
    #[serde(default)]
    pub remove: Vec<String>,
    pub tracking_mask_deg: Option<f64>,
    pub min_stations: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSigma0 {
    pub bds_meo: Option<f64>,
    pub bds_igso: Option<f64>,
    pub bds_geo: Option<f64>,
    pub glonass: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawErrorModel {
    pub sigma0_m: Option<RawSigma0>,
    pub growth_m_per_h: Option<f64>,
    pub max_sigma_m: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLattice {
    pub region: Vec<f64>,
    pub step_deg: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum RawObjective {
    MeanTracked,
    MinTracked,
    LongestGap,
    MeanError,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum RawMethod {
    Greedy,
    Exhaustive,
    Both,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLayoutSearch {
    pub system: String,
    pub candidates: Option<String>,
    pub countries: Option<Vec<String>>,
    pub lattice: Option<RawLattice>,
    pub k: i64,
    pub objective: RawObjective,
    pub method: Option<RawMethod>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTimescales {
    pub nav: RawPaths,
    pub epochs: Option<Vec<TimeText>>,
    #[serde(default)]
    pub clk: Vec<String>,
    #[serde(default)]
    pub sp3: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawValidation {
    pub nav: RawPaths,
    pub sp3: RawPaths,
    pub step_s: Option<f64>,
    pub systems: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOutputs {
    pub maps: Option<bool>,
    pub sky_plot_site: Option<String>,
    pub csv: Option<bool>,
    pub json: Option<bool>,
    #[serde(default)]
    pub series_sites: Vec<String>,
    pub point_files: Option<bool>,
}
