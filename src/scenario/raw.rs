//! The scenario file exactly as written: serde shapes with `deny_unknown_fields`, values read
//! into the range-checked types of [`super::types`]; strings where the check needs context
//! (paths against the scenario's directory, catalog names). [`super::validate`] turns these
//! into the typed [`super::config`] structures with the cross-field checks.

use serde::Deserialize;

use super::config::{ClockChoice, SearchMethod};
use super::types::*;

/// What the loader puts in place of a value it has already refused (or of a missing
/// required key), so that reading can go on to the next problem.
pub(crate) const REFUSED: &str = "\u{0}refused";

/// A required value or a list entry: the checked `T`, or [`Checked::Refused`] when the
/// value was refused (or missing) and its problem is already reported.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Checked<T> {
    Valid(T),
    Refused,
}

impl<T> Checked<T> {
    /// The value, `None` when refused.
    pub fn get(&self) -> Option<&T> {
        match self {
            Checked::Valid(v) => Some(v),
            Checked::Refused => None,
        }
    }
}

impl<T: Copy> Checked<T> {
    /// The value, `None` when refused.
    pub fn ok(&self) -> Option<T> {
        self.get().copied()
    }
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Checked<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = toml::Value::deserialize(d)?;
        if v.as_str() == Some(REFUSED) {
            return Ok(Checked::Refused);
        }
        T::deserialize(v)
            .map(Checked::Valid)
            .map_err(|e| serde::de::Error::custom(e.message()))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    pub name: Checked<Slug>,
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
    pub satellites: Option<RawSatellites>,
    pub monitor: Option<RawMonitor>,
    pub outputs: Option<RawOutputs>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTime {
    pub start: Checked<Date>,
    pub end: Checked<Date>,
    pub step_s: Checked<StepS>,
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
    pub source: Checked<RawOrbitSource>,
    pub nav: Option<RawPaths>,
    pub sp3: Option<RawPaths>,
    #[serde(default)]
    pub systems: Vec<Checked<StudiedSystem>>,
    pub longspan_days: Option<Days>,
    #[serde(default)]
    pub allow_no_data: bool,
    #[serde(default)]
    pub exclude_predicted: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawUser {
    pub mask_deg: Option<ElevationMaskDeg>,
    pub azimuth_mask: Option<Vec<Checked<MaskNode>>>,
    pub clock: Option<ClockChoice>,
    pub isb_sigma_ns: Option<Positive>,
    pub pdop_threshold: Option<Positive>,
    #[serde(default)]
    pub compare_clocks: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGrid {
    pub step_deg: Checked<GridStepDeg>,
    pub region: Option<RegionBox>,
    pub height_m: Option<UserHeightM>,
    pub layout: Option<crate::coverage::GridLayout>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSite {
    pub name: String,
    pub lat_deg: Checked<LatDeg>,
    pub lon_deg: Checked<LonDeg>,
    pub height_m: Option<UserHeightM>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStation {
    pub id: Checked<StationId>,
    pub name: Option<String>,
    pub lat_deg: Checked<LatDeg>,
    pub lon_deg: Checked<LonDeg>,
    pub height_m: Option<StationHeightM>,
    #[serde(default)]
    pub systems: Vec<Checked<StudiedSystem>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNetworks {
    #[serde(default)]
    pub baseline: Vec<String>,
    #[serde(default)]
    pub augmented: Vec<String>,
    #[serde(default)]
    pub add: Vec<RawStation>,
    #[serde(default)]
    pub remove: Vec<String>,
    pub tracking_mask_deg: Option<ElevationMaskDeg>,
    pub min_stations: Option<AtLeastOne>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSigma0 {
    pub bds_meo: Option<Positive>,
    pub bds_igso: Option<Positive>,
    pub bds_geo: Option<Positive>,
    pub glonass: Option<Positive>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawErrorModel {
    pub sigma0_m: Option<RawSigma0>,
    pub growth_m_per_h: Option<NonNegative>,
    pub max_sigma_m: Option<Positive>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLattice {
    pub region: Checked<RegionBox>,
    pub step_deg: Checked<GridStepDeg>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLayoutSearch {
    pub system: Checked<StudiedSystem>,
    pub candidates: Option<String>,
    pub countries: Option<Vec<String>>,
    pub lattice: Option<RawLattice>,
    pub k: Checked<AtLeastOne>,
    pub objective: Checked<super::config::Objective>,
    pub method: Option<SearchMethod>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTimescales {
    pub nav: RawPaths,
    pub epochs: Option<Vec<Checked<Date>>>,
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
    pub step_s: Option<StepS>,
    pub systems: Option<Vec<Checked<StudiedSystem>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSatellites {
    pub sats: Option<Vec<Checked<StudiedSatellite>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMonitor {
    pub network: Checked<String>,
    pub tracking_mask_deg: Option<ElevationMaskDeg>,
    pub min_stations: Option<AtLeastOne>,
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
