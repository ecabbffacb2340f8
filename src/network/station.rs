//! Ground stations, named networks, the built-in catalogues and candidate sets.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use nalgebra::Vector3;
use serde::{Deserialize, Serialize};

use super::NetworkError;
use crate::frames::{Ellipsoid, Geodetic, Region, Topocentric};
use crate::id::Constellation;

/// Default elevation mask of a monitoring station, degrees: [`crate::defaults::STATION_MASK_DEG`].
pub use crate::defaults::STATION_MASK_DEG as DEFAULT_ELEVATION_MASK_DEG;

/// A ground monitoring station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Station {
    /// Short identifier, unique within a network.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Geodetic position (on WGS84; CGCS2000 and PZ-90.11 agree to well below a metre).
    pub position: Geodetic,
    /// Elevation mask, degrees.
    pub elevation_mask_deg: f64,
    /// Constellations whose satellites this station tracks for its operator.
    pub systems: Vec<Constellation>,
    /// Where the coordinates come from.
    pub source: Option<String>,
}

impl Station {
    /// A validated station with the default 5° mask and no source.
    ///
    /// Errors: `|lat| > 90°`, `|lon| > 360°`, non-finite values or a height outside
    /// −12 km…+100 km ([`NetworkError::BadCoordinates`]); no system ([`NetworkError::NoSystems`]).
    pub fn new(
        id: &str,
        name: &str,
        position: Geodetic,
        systems: &[Constellation],
    ) -> Result<Self, NetworkError> {
        let s = Station {
            id: id.to_string(),
            name: name.to_string(),
            position,
            elevation_mask_deg: DEFAULT_ELEVATION_MASK_DEG,
            systems: systems.to_vec(),
            source: None,
        };
        s.validate()?;
        Ok(s)
    }

    /// The same station with another elevation mask (−90° < mask < 90°).
    pub fn with_mask_deg(mut self, mask_deg: f64) -> Result<Self, NetworkError> {
        self.elevation_mask_deg = mask_deg;
        self.validate()?;
        Ok(self)
    }

    /// The same station with a source note.
    pub fn with_source(mut self, source: &str) -> Self {
        self.source = Some(source.to_string());
        self
    }

    /// Check coordinates, mask and systems.
    pub fn validate(&self) -> Result<(), NetworkError> {
        let p = &self.position;
        let bad = |reason: &str| NetworkError::BadCoordinates {
            id: self.id.clone(),
            lat_deg: p.lat_deg,
            lon_deg: p.lon_deg,
            height_m: p.height_m,
            reason: reason.to_string(),
        };
        if !(p.lat_deg.is_finite() && p.lon_deg.is_finite() && p.height_m.is_finite()) {
            return Err(bad("non-finite value"));
        }
        if p.lat_deg.abs() > 90.0 {
            return Err(bad("|latitude| > 90°"));
        }
        if p.lon_deg.abs() > 360.0 {
            return Err(bad("|longitude| > 360°"));
        }
        if !(-12_000.0..=100_000.0).contains(&p.height_m) {
            return Err(bad("height outside −12 km … +100 km"));
        }
        if !(self.elevation_mask_deg.is_finite() && self.elevation_mask_deg.abs() < 90.0) {
            return Err(NetworkError::BadMask {
                id: self.id.clone(),
                mask_deg: self.elevation_mask_deg,
            });
        }
        if self.id.trim().is_empty() {
            return Err(NetworkError::BadStationId {
                id: self.id.clone(),
            });
        }
        if self.systems.is_empty() {
            return Err(NetworkError::NoSystems {
                id: self.id.clone(),
            });
        }
        Ok(())
    }

    /// Whether the station tracks satellites of `c`.
    pub fn tracks(&self, c: Constellation) -> bool {
        self.systems.contains(&c)
    }

    /// ECEF position on WGS84, m.
    pub fn ecef_m(&self) -> Vector3<f64> {
        Ellipsoid::WGS84.to_ecef(&self.position)
    }

    /// Topocentric frame of the station on WGS84.
    pub fn topocentric(&self) -> Topocentric {
        Topocentric::new(self.position, &Ellipsoid::WGS84)
    }
}

/// A named, non-empty set of stations with unique ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Network {
    name: String,
    stations: Vec<Station>,
}

/// Names of the built-in catalogues accepted by [`Network::builtin`].
pub const BUILTIN_NETWORKS: &[&str] = &[
    "bds-domestic",
    "glonass-domestic",
    "glonass-abroad",
    "glonass-china-2022",
    "bds-russia-2022",
    "bds-baseline",
    "bds-augmented",
    "glonass-baseline",
    "glonass-augmented",
];

const BDS_DOMESTIC: &str = include_str!("../../data/networks/bds_domestic.toml");
const GLONASS_DOMESTIC: &str = include_str!("../../data/networks/glonass_domestic.toml");
const GLONASS_ABROAD: &str = include_str!("../../data/networks/glonass_abroad.toml");
const GLONASS_CHINA_2022: &str = include_str!("../../data/networks/glonass_in_china_2022.toml");
const BDS_RUSSIA_2022: &str = include_str!("../../data/networks/bds_in_russia_2022.toml");

/// The on-disk TOML shape of a network file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NetworkFile {
    name: String,
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    #[serde(default)]
    station: Vec<StationRow>,
}

/// One station row of a TOML or CSV file.
#[derive(Debug, Deserialize)]
struct StationRow {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    lat_deg: Option<f64>,
    #[serde(default)]
    lon_deg: Option<f64>,
    #[serde(default)]
    height_m: Option<f64>,
    #[serde(default)]
    x_m: Option<f64>,
    #[serde(default)]
    y_m: Option<f64>,
    #[serde(default)]
    z_m: Option<f64>,
    #[serde(default)]
    elevation_mask_deg: Option<f64>,
    /// TOML: a list of system names/letters; CSV: letters or names separated by `+`, `;` or space.
    #[serde(default)]
    systems: Option<SystemsField>,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SystemsField {
    List(Vec<String>),
    Text(String),
}

impl StationRow {
    fn into_station(
        self,
        default_systems: &[Constellation],
        origin: &str,
        line: Option<u64>,
    ) -> Result<Station, NetworkError> {
        let parse_err = |message: String| NetworkError::Parse {
            origin: origin.to_string(),
            line,
            message,
        };
        let position = match (self.lat_deg, self.lon_deg, self.x_m, self.y_m, self.z_m) {
            (Some(lat), Some(lon), _, _, _) => {
                Geodetic::new(lat, lon, self.height_m.unwrap_or(0.0))
            }
            (_, _, Some(x), Some(y), Some(z)) => {
                Ellipsoid::WGS84.to_geodetic(&Vector3::new(x, y, z))
            }
            _ => {
                return Err(parse_err(format!(
                    "station '{}' has neither lat_deg/lon_deg nor x_m/y_m/z_m",
                    self.id
                )))
            }
        };
        let names: Vec<String> = match self.systems {
            Some(SystemsField::List(v)) => v,
            Some(SystemsField::Text(t)) => t
                .split(['+', ';', ' ', '|'])
                .filter(|s| !s.trim().is_empty())
                .map(str::to_string)
                .collect(),
            None => Vec::new(),
        };
        let mut systems = Vec::new();
        for n in &names {
            let c: Constellation = n
                .parse()
                .map_err(|e| parse_err(format!("station '{}': {e}", self.id)))?;
            if !systems.contains(&c) {
                systems.push(c);
            }
        }
        if systems.is_empty() {
            systems = default_systems.to_vec();
        }
        let station = Station {
            name: self.name.unwrap_or_else(|| self.id.clone()),
            id: self.id,
            position,
            elevation_mask_deg: self
                .elevation_mask_deg
                .unwrap_or(DEFAULT_ELEVATION_MASK_DEG),
            systems,
            source: self.source.filter(|s| !s.trim().is_empty()),
        };
        station.validate()?;
        Ok(station)
    }
}

impl Network {
    /// A network of the given stations. Errors: no station, duplicate ids, invalid station.
    pub fn new(name: &str, stations: Vec<Station>) -> Result<Self, NetworkError> {
        if stations.is_empty() {
            return Err(NetworkError::EmptyNetwork {
                name: name.to_string(),
            });
        }
        let mut seen = BTreeSet::new();
        for s in &stations {
            s.validate()?;
            if !seen.insert(s.id.as_str()) {
                return Err(NetworkError::DuplicateStation {
                    id: s.id.clone(),
                    network: name.to_string(),
                });
            }
        }
        Ok(Network {
            name: name.to_string(),
            stations,
        })
    }

    /// The network's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The stations, in catalogue order.
    pub fn stations(&self) -> &[Station] {
        &self.stations
    }

    /// Number of stations.
    pub fn len(&self) -> usize {
        self.stations.len()
    }

    /// Always false: a network has at least one station.
    pub fn is_empty(&self) -> bool {
        self.stations.is_empty()
    }

    /// The station with this id.
    pub fn station(&self, id: &str) -> Result<&Station, NetworkError> {
        self.stations
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| NetworkError::UnknownStation {
                id: id.to_string(),
                network: self.name.clone(),
            })
    }

    /// The same network renamed.
    pub fn renamed(mut self, name: &str) -> Self {
        self.name = name.to_string();
        self
    }

    /// A new network with one more station (error if the id is already present).
    pub fn with_station(&self, station: Station) -> Result<Network, NetworkError> {
        let mut v = self.stations.clone();
        v.push(station);
        Network::new(&self.name, v)
    }

    /// A new network without the station `id` (error if unknown, or if it was the last one).
    pub fn without_station(&self, id: &str) -> Result<Network, NetworkError> {
        self.station(id)?;
        let v = self
            .stations
            .iter()
            .filter(|s| s.id != id)
            .cloned()
            .collect();
        Network::new(&self.name, v)
    }

    /// The same network with every station's elevation mask set to `mask_deg`
    /// (−90° < mask < 90°).
    pub fn with_mask_deg(&self, mask_deg: f64) -> Result<Network, NetworkError> {
        let stations = self
            .stations
            .iter()
            .map(|s| s.clone().with_mask_deg(mask_deg))
            .collect::<Result<Vec<_>, _>>()?;
        Network::new(&self.name, stations)
    }

    /// [`Network::with_mask_deg`] when `mask_deg` is given, else the network as it is (each
    /// station keeps its own mask: [`DEFAULT_ELEVATION_MASK_DEG`] unless its file gives one).
    pub fn with_mask_override(self, mask_deg: Option<f64>) -> Result<Network, NetworkError> {
        match mask_deg {
            Some(m) => self.with_mask_deg(m),
            None => Ok(self),
        }
    }

    /// The stations of this network that track `system`, as a network, or `None` when none
    /// does. Named `"NAME (SYSTEM)"` unless every station tracks it (then the network itself).
    pub fn tracking_part(&self, system: Constellation) -> Result<Option<Network>, NetworkError> {
        let st: Vec<Station> = self
            .stations
            .iter()
            .filter(|s| s.tracks(system))
            .cloned()
            .collect();
        if st.is_empty() {
            return Ok(None);
        }
        if st.len() == self.stations.len() {
            return Ok(Some(self.clone()));
        }
        Network::new(&format!("{} ({})", self.name, system.name()), st).map(Some)
    }

    /// The union of several networks under a new name (duplicate ids are an error).
    pub fn merged(name: &str, parts: &[&Network]) -> Result<Network, NetworkError> {
        let v = parts
            .iter()
            .flat_map(|n| n.stations.iter().cloned())
            .collect();
        Network::new(name, v)
    }

    /// Parse a network from TOML text (`name`, optional `description`, `[[station]]` rows with
    /// `id`, `name`, `lat_deg`, `lon_deg`, `height_m` (or `x_m`, `y_m`, `z_m`), `systems`,
    /// optional `elevation_mask_deg`, `source`). `origin` names the text in errors.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Network, NetworkError> {
        let file: NetworkFile = toml::from_str(text).map_err(|e| NetworkError::Parse {
            origin: origin.to_string(),
            line: e
                .span()
                .map(|sp| text[..sp.start.min(text.len())].lines().count().max(1) as u64),
            message: e.message().to_string(),
        })?;
        let stations = file
            .station
            .into_iter()
            .map(|r| r.into_station(&[], origin, None))
            .collect::<Result<Vec<_>, _>>()?;
        Network::new(&file.name, stations)
    }

    /// Read a network from a TOML file (see [`Network::from_toml_str`]).
    pub fn from_toml_file(path: &Path) -> Result<Network, NetworkError> {
        let text = std::fs::read_to_string(path).map_err(|e| NetworkError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Network::from_toml_str(&text, &path.display().to_string())
    }

    /// Read stations from CSV text with a header row. Recognised columns: `id` (required),
    /// `name`, `lat_deg`, `lon_deg`, `height_m` or `x_m`, `y_m`, `z_m` (WGS84 ECEF),
    /// `elevation_mask_deg`, `systems` (e.g. `C+R`), `source`; others are ignored. Rows without
    /// `systems` get `default_systems`.
    pub fn from_csv_str(
        text: &str,
        name: &str,
        default_systems: &[Constellation],
        origin: &str,
    ) -> Result<Network, NetworkError> {
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let mut stations = Vec::new();
        for rec in rdr.deserialize::<StationRow>() {
            let row = rec.map_err(|e| NetworkError::Parse {
                origin: origin.to_string(),
                line: e.position().map(|p| p.line()),
                message: e.to_string(),
            })?;
            stations.push(row.into_station(default_systems, origin, None)?);
        }
        Network::new(name, stations)
    }

    /// Read stations from a CSV file (see [`Network::from_csv_str`]); the network is named
    /// after the file stem.
    pub fn from_csv_file(
        path: &Path,
        default_systems: &[Constellation],
    ) -> Result<Network, NetworkError> {
        let text = std::fs::read_to_string(path).map_err(|e| NetworkError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "stations".to_string());
        Network::from_csv_str(&text, &name, default_systems, &path.display().to_string())
    }

    /// A built-in catalogue (see [`BUILTIN_NETWORKS`]): the five catalogue files in
    /// `data/networks/` and four unions: `bds-baseline` (= `bds-domestic`), `bds-augmented`
    /// (+ `bds-russia-2022`), `glonass-baseline` (domestic + abroad) and `glonass-augmented`
    /// (+ `glonass-china-2022`).
    ///
    /// ```
    /// use gnss_interop::id::Constellation;
    /// use gnss_interop::network::{Network, BUILTIN_NETWORKS};
    ///
    /// let domestic = Network::builtin("glonass-domestic")?;
    /// let baseline = Network::builtin("glonass-baseline")?;
    /// let abroad = Network::builtin("glonass-abroad")?;
    /// // The baseline is the domestic stations plus those abroad.
    /// assert_eq!(baseline.len(), domestic.len() + abroad.len());
    /// assert!(baseline.stations().iter().all(|s| s.tracks(Constellation::Glonass)));
    /// // Every advertised name loads; others are an error.
    /// for name in BUILTIN_NETWORKS {
    ///     assert!(!Network::builtin(name)?.is_empty());
    /// }
    /// assert!(Network::builtin("no-such-network").is_err());
    /// # Ok::<(), gnss_interop::Error>(())
    /// ```
    pub fn builtin(name: &str) -> Result<Network, NetworkError> {
        let load = |text: &str, file: &str| Network::from_toml_str(text, file);
        let bds = || load(BDS_DOMESTIC, "data/networks/bds_domestic.toml");
        let glo = || load(GLONASS_DOMESTIC, "data/networks/glonass_domestic.toml");
        let abroad = || load(GLONASS_ABROAD, "data/networks/glonass_abroad.toml");
        let glo_cn = || {
            load(
                GLONASS_CHINA_2022,
                "data/networks/glonass_in_china_2022.toml",
            )
        };
        let bds_ru = || load(BDS_RUSSIA_2022, "data/networks/bds_in_russia_2022.toml");
        match name {
            "bds-domestic" => bds(),
            "glonass-domestic" => glo(),
            "glonass-abroad" => abroad(),
            "glonass-china-2022" => glo_cn(),
            "bds-russia-2022" => bds_ru(),
            "bds-baseline" => Ok(bds()?.renamed("bds-baseline")),
            "bds-augmented" => Network::merged("bds-augmented", &[&bds()?, &bds_ru()?]),
            "glonass-baseline" => Network::merged("glonass-baseline", &[&glo()?, &abroad()?]),
            "glonass-augmented" => {
                Network::merged("glonass-augmented", &[&glo()?, &abroad()?, &glo_cn()?])
            }
            _ => Err(NetworkError::UnknownCatalog {
                name: name.to_string(),
                known: BUILTIN_NETWORKS.join(", "),
            }),
        }
    }
}

/// Candidate sites on the nodes of [`Region::lattice`] over the box `lat_range_deg` ×
/// `lon_range_deg` (both ends included where they fall on the lattice; `lon_min > lon_max`
/// crosses 180°, the one antimeridian rule of [`Region`]). Ids are `L<lat>_<lon>` in
/// hundredths of a degree.
///
/// No land mask is applied: sea points are included.
pub fn lattice_candidates(
    lat_range_deg: (f64, f64),
    lon_range_deg: (f64, f64),
    step_deg: f64,
    systems: &[Constellation],
) -> Result<Vec<Station>, NetworkError> {
    let (lat0, lat1) = lat_range_deg;
    let (lon0, lon1) = lon_range_deg;
    let region = Region {
        lat_min_deg: lat0,
        lat_max_deg: lat1,
        lon_min_deg: lon0,
        lon_max_deg: lon1,
    };
    let ok = step_deg.is_finite()
        && step_deg > 0.0
        && [lat0, lat1, lon0, lon1].iter().all(|v| v.is_finite())
        && lat0 <= lat1
        && lat0 >= -90.0
        && lat1 <= 90.0
        && lon0.abs() <= 360.0
        && lon1.abs() <= 360.0;
    if !ok {
        return Err(NetworkError::BadLattice {
            lat_range_deg,
            lon_range_deg,
            step_deg,
        });
    }
    region
        .lattice(step_deg)
        .into_iter()
        .map(|(lat, lon)| {
            let id = format!(
                "L{}_{}",
                (lat * 100.0).round() as i64,
                (lon * 100.0).round() as i64
            );
            Ok(
                Station::new(&id, &id, Geodetic::new(lat, lon, 0.0), systems)?
                    .with_source("regular lattice candidate"),
            )
        })
        .collect()
}

/// Where a network comes from: a built-in catalogue ([`BUILTIN_NETWORKS`]) or a file. The one
/// rule by which a network argument is read, at every door (`--network`, `--baseline`,
/// `--augmented`, `--candidates`, scenario `[networks]` lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkRef {
    /// A built-in catalogue, by name.
    Catalog(String),
    /// A network file: `.csv` is read by [`Network::from_csv_file`], anything else by
    /// [`Network::from_toml_file`].
    File(PathBuf),
}

impl NetworkRef {
    /// Whether `spec` is written as a file rather than a catalogue name: it ends in `.toml` or
    /// `.csv` (any case), or contains a path separator.
    pub fn names_a_file(spec: &str) -> bool {
        let lower = spec.trim().to_ascii_lowercase();
        lower.ends_with(".toml") || lower.ends_with(".csv") || spec.contains(['/', '\\'])
    }

    /// `spec` read relative to `base_dir`: a file when it is written as one
    /// ([`NetworkRef::names_a_file`]) or names an existing file, a catalogue name otherwise.
    pub fn parse(spec: &str, base_dir: &Path) -> NetworkRef {
        let spec = spec.trim();
        let path = base_dir.join(spec);
        if NetworkRef::names_a_file(spec) || path.is_file() {
            NetworkRef::File(path)
        } else {
            NetworkRef::Catalog(spec.to_string())
        }
    }

    /// Load the network; CSV rows without a `systems` column get `csv_systems`.
    pub fn load(&self, csv_systems: &[Constellation]) -> Result<Network, NetworkError> {
        match self {
            NetworkRef::Catalog(name) => Network::builtin(name),
            NetworkRef::File(p) => {
                if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
                    Network::from_csv_file(p, csv_systems)
                } else {
                    Network::from_toml_file(p)
                }
            }
        }
    }
}

impl std::fmt::Display for NetworkRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NetworkRef::Catalog(name) => f.write_str(name),
            NetworkRef::File(p) => write!(f, "{}", p.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_refs_follow_one_rule() {
        let here = Path::new("");
        assert_eq!(
            NetworkRef::parse("bds-baseline", here),
            NetworkRef::Catalog("bds-baseline".into())
        );
        for spec in ["mine.toml", "MINE.CSV", "nets/x", "nets\\x"] {
            assert!(NetworkRef::names_a_file(spec), "{spec}");
            assert!(matches!(NetworkRef::parse(spec, here), NetworkRef::File(_)));
        }
        // An unknown name is the catalogue's error, listing the known names.
        let e = NetworkRef::parse("no-such", here).load(&[]).unwrap_err();
        assert!(e.to_string().contains("bds-baseline"), "{e}");
        // A missing file is an I/O error naming it.
        let e = NetworkRef::parse("missing.toml", here)
            .load(&[])
            .unwrap_err();
        assert!(e.to_string().contains("missing.toml"), "{e}");
    }

    #[test]
    fn tracking_parts_split_by_system() {
        let both = Network::merged(
            "baseline",
            &[
                &Network::builtin("bds-baseline").unwrap(),
                &Network::builtin("glonass-baseline").unwrap(),
            ],
        )
        .unwrap();
        let bds = both.tracking_part(Constellation::BeiDou).unwrap().unwrap();
        let glo = both.tracking_part(Constellation::Glonass).unwrap().unwrap();
        assert_eq!(bds.name(), "baseline (BeiDou)");
        assert!(bds
            .stations()
            .iter()
            .all(|s| s.tracks(Constellation::BeiDou)));
        assert_eq!(bds.len() + glo.len(), both.len());
        assert!(both.tracking_part(Constellation::Gps).unwrap().is_none());
        // A network whose every station tracks the system is returned as it is.
        let whole = bds.tracking_part(Constellation::BeiDou).unwrap().unwrap();
        assert_eq!(whole, bds);
        // Masks: every station, checked.
        let m = both.with_mask_deg(10.0).unwrap();
        assert!(m.stations().iter().all(|s| s.elevation_mask_deg == 10.0));
        assert!(both.with_mask_deg(95.0).is_err());
    }
}
