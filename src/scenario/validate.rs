//! From text to a validated [`Scenario`]: [`super::read`] reads the file into the raw layer,
//! whose values check their own ranges ([`super::types`]), collecting every problem of the
//! file's shape and values; then the checks that need context (files, catalogs) or relate
//! several keys, all problems reported together in file order.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use super::config::*;
use super::raw::*;
use super::read;
use super::types::{Positive, StationId, StudiedSatellite, StudiedSystem};
use super::{KnownCatalogs, Problem, ScenarioError};
use crate::frames::Geodetic;
use crate::id::Constellation;

use crate::limits::{binomial, brief};
pub use crate::limits::{MAX_EPOCHS, MAX_GRID_POINTS};

pub(crate) fn load(
    text: &str,
    base_dir: &Path,
    path: &Path,
    catalogs: &KnownCatalogs,
) -> Result<Scenario, ScenarioError> {
    let reading = read::read(text).map_err(|e| {
        let (line, column) = read::line_col(text, e.span().map_or(0, |s| s.start));
        ScenarioError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            key: None,
            message: e.message().trim().to_string(),
        }
    })?;
    let mut problems = reading.problems;
    let Some(raw) = reading.raw else {
        return Err(single_or_all(path, problems));
    };
    let mut v = Validator {
        base_dir,
        catalogs,
        problems: Vec::new(),
        refused_sites: HashSet::new(),
        refused: &reading.refused,
    };
    let scenario = v.scenario(raw);
    // A refused value stands in as `Refused`: problems at or under its key are follow-ons.
    let follows = |k: &str| {
        reading.refused.iter().any(|r| {
            k.strip_prefix(r.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        })
    };
    for mut p in v.problems.into_iter().filter(|p| !follows(&p.key)) {
        p.at =
            p.at.or_else(|| read::locate(text, reading.doc.get_ref(), &p.key));
        problems.push(p);
    }
    if problems.is_empty() {
        return Ok(scenario);
    }
    // In file order; problems without a place (the file as a whole) last.
    problems.sort_by_key(|p| p.at.unwrap_or((usize::MAX, 0)));
    Err(single_or_all(path, problems))
}

/// Whether a message is serde's about the shape of the file (unknown key, wrong type,
/// missing key), as opposed to a value's own check or a cross-field check.
fn is_shape(message: &str) -> bool {
    [
        "unknown field",
        "invalid type",
        "invalid length",
        "unknown variant",
        "missing field",
        "data did not match",
    ]
    .iter()
    .any(|p| message.starts_with(p))
}

/// One problem of the file's shape alone keeps the form of a parse error; anything else is
/// the list.
fn single_or_all(path: &Path, mut problems: Vec<Problem>) -> ScenarioError {
    if problems.len() == 1 && is_shape(&problems[0].message) {
        let p = problems.remove(0);
        let (line, column) = p.at.unwrap_or((0, 0));
        return ScenarioError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            key: (!p.key.is_empty()).then_some(p.key),
            message: p.message,
        };
    }
    ScenarioError::Invalid {
        path: path.to_path_buf(),
        problems,
    }
}

mod files;

// ---------------------------------------------------------------------------------------
// The validator
// ---------------------------------------------------------------------------------------

struct Validator<'a> {
    base_dir: &'a Path,
    catalogs: &'a KnownCatalogs,
    problems: Vec<Problem>,
    /// Keys whose value the reading refused: a section refused whole still counts as given.
    refused: &'a [String],
    /// Names of sites refused for their own problems: a reference to one is not reported
    /// again (no follow-on errors from one bad entry).
    refused_sites: HashSet<String>,
}

fn join(key: &str, sub: &str) -> String {
    if key.is_empty() {
        sub.to_string()
    } else {
        format!("{key}.{sub}")
    }
}

fn sys_list(systems: &[Constellation]) -> String {
    systems
        .iter()
        .map(|c| format!("\"{}\"", c.letter()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Levenshtein distance, for "did you mean" suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

impl Validator<'_> {
    fn bad(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            key: key.into(),
            message: message.into(),
            at: None,
        });
    }

    fn network_refs(&mut self, key: &str, list: &[String]) -> Vec<NetworkRef> {
        let mut out = Vec::new();
        for (i, entry) in list.iter().enumerate() {
            let k = format!("{key}[{i}]");
            if let Some(r) = self.network_ref(&k, entry) {
                if out.contains(&r) {
                    self.bad(&k, format!("\"{}\" is listed twice", entry.trim()));
                } else {
                    out.push(r);
                }
            }
        }
        out
    }

    /// A network named at `key`: a file ([`NetworkRef::names_a_file`]) or a known catalog.
    fn network_ref(&mut self, key: &str, entry: &str) -> Option<NetworkRef> {
        let e = entry.trim();
        let is_file = NetworkRef::names_a_file(e) || e.starts_with("${");
        if is_file {
            return self.file(key, e).map(NetworkRef::File);
        }
        if self.catalogs.contains(e) {
            return Some(NetworkRef::Catalog(e.to_string()));
        }
        let names = self.catalogs.catalog_names();
        let near = names
            .iter()
            .min_by_key(|n| edit_distance(n, e))
            .filter(|n| edit_distance(n, e) <= 3);
        let hint = near
            .map(|n| format!(" (did you mean \"{n}\"?)"))
            .unwrap_or_default();
        self.bad(
            key,
            format!(
                "unknown network catalog \"{e}\"{hint}; expected one of {} or the path of a network .toml or .csv file",
                names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
            ),
        );
        None
    }

    /// Station ids of a network reference: `Some` when known (declared catalog, or a file
    /// the caller can read), `None` when validation cannot know them.
    fn ref_ids(&mut self, key: &str, r: &NetworkRef) -> Option<Vec<String>> {
        match r {
            NetworkRef::Catalog(name) => self.catalogs.station_ids(name).map(<[String]>::to_vec),
            NetworkRef::File(p) => match self.catalogs.read_file(p)? {
                Ok(ids) => Some(ids),
                Err(m) => {
                    self.bad(key, format!("{}: {m}", p.display()));
                    None
                }
            },
        }
    }

    /// A non-empty list of systems without repeats (each entry checked by its type).
    fn systems(&mut self, key: &str, list: &[Checked<StudiedSystem>]) -> Vec<Constellation> {
        if list.is_empty() {
            self.bad(
                key,
                "empty list; expected at least one of \"C\" (BeiDou) and \"R\" (GLONASS)",
            );
        }
        let mut out = Vec::new();
        for (i, c) in list.iter().enumerate() {
            let Some(c) = c.ok().map(StudiedSystem::get) else {
                continue;
            };
            if out.contains(&c) {
                self.bad(
                    format!("{key}[{i}]"),
                    format!("\"{}\" is listed twice", c.letter()),
                );
            } else {
                out.push(c);
            }
        }
        out
    }

    fn scenario(&mut self, raw: RawScenario) -> Scenario {
        let time = raw.time.as_ref().and_then(|t| self.time_section(t));
        let orbits = raw
            .orbits
            .as_ref()
            .and_then(|o| self.orbits_section(o, time.as_ref()));
        let systems: Vec<Constellation> = orbits
            .as_ref()
            .map(|o| o.systems.clone())
            .unwrap_or_default();
        let user = self.user_section(raw.user.as_ref(), &systems);
        let grid = raw.grid.as_ref().and_then(|g| self.grid_section(g));
        let sites = self.sites_section(raw.sites.as_deref().unwrap_or(&[]));
        let has_coverage = raw.grid.is_some() || raw.sites.as_ref().is_some_and(|s| !s.is_empty());
        let given =
            |v: &Self, section: &str, there: bool| there || v.refused.iter().any(|r| r == section);
        let has_orbits = given(self, "orbits", raw.orbits.is_some());
        let has_time = given(self, "time", raw.time.is_some());
        if has_coverage && !(has_orbits && has_time) {
            let key = if raw.grid.is_some() { "grid" } else { "sites" };
            self.bad(
                key,
                "coverage needs [orbits] (where the satellites are) and [time] (when); add both sections",
            );
        }
        let networks = raw
            .networks
            .as_ref()
            .and_then(|n| self.networks_section(n, &systems));
        if raw.networks.is_some() && !(has_orbits && has_time) {
            self.bad(
                "networks",
                "monitoring networks need [orbits] and [time] (a span over which stations track satellites); add both sections",
            );
        }
        let error_model = raw
            .error_model
            .as_ref()
            .map(|e| self.error_model_section(e))
            .unwrap_or_default();
        if raw.error_model.is_some() && raw.networks.is_none() {
            self.bad(
                "error_model",
                "the range-error model is used with [networks] only; add [networks] or remove [error_model]",
            );
        }
        let layout_search = raw
            .layout_search
            .as_ref()
            .and_then(|l| self.layout_section(l, &systems));
        if raw.layout_search.is_some() && raw.networks.is_none() {
            self.bad(
                "layout_search",
                "a layout search adds stations to a base network; add [networks] with a baseline",
            );
        }
        let timescales = raw
            .timescales
            .as_ref()
            .and_then(|t| self.timescales_section(t, has_time));
        let validation = raw.validation.as_ref().and_then(|v| {
            let nav = self.files("validation.nav", &v.nav);
            let sp3 = self.files("validation.sp3", &v.sp3);
            let systems = match &v.systems {
                Some(list) => self.systems("validation.systems", list),
                None => vec![Constellation::BeiDou, Constellation::Glonass],
            };
            Some(BroadcastValidation {
                nav: nav?,
                sp3: sp3?,
                step_s: v.step_s.map(f64::from),
                systems,
            })
        });
        let satellites = raw
            .satellites
            .as_ref()
            .map(|t| self.satellites_section(t, &systems, has_orbits && has_time));
        let monitor = raw.monitor.as_ref().and_then(|m| {
            if !(has_orbits && has_time) {
                self.bad(
                    "monitor",
                    "tracking by a network needs [orbits] and [time] (a span over which stations track satellites); add both sections",
                );
            }
            let network = self.network_ref("monitor.network", m.network.get()?)?;
            Some(Monitor {
                network,
                tracking_mask_deg: m.tracking_mask_deg.map(f64::from),
                min_stations: m.min_stations.map_or(1, |n| n.get()),
            })
        });
        let outputs = self.outputs_section(raw.outputs.as_ref(), raw.grid.is_some(), &sites);
        if !has_coverage
            && raw.networks.is_none()
            && raw.timescales.is_none()
            && raw.validation.is_none()
            && raw.satellites.is_none()
            && raw.monitor.is_none()
        {
            self.bad(
                "",
                "the scenario runs nothing; add [grid] or [[sites]] (coverage), [networks], [timescales], [validation], [satellites] or [monitor]",
            );
        }
        Scenario {
            name: raw
                .name
                .get()
                .map(|n| n.as_str().to_string())
                .unwrap_or_default(),
            description: raw.description.unwrap_or_default(),
            base_dir: self.base_dir.to_path_buf(),
            time,
            orbits,
            user,
            grid,
            sites,
            networks,
            error_model,
            layout_search,
            timescales,
            validation,
            satellites,
            monitor,
            outputs,
        }
    }

    /// `[satellites]`: needs `[orbits]` and `[time]`; `sats` (when given) a non-empty list
    /// without repeats of satellites of `orbits.systems`.
    fn satellites_section(
        &mut self,
        t: &RawSatellites,
        systems: &[Constellation],
        has_span: bool,
    ) -> SatelliteTable {
        if !has_span {
            self.bad(
                "satellites",
                "the satellite table needs [orbits] (where the satellites are) and [time] (when); add both sections",
            );
        }
        let mut sats = Vec::new();
        let Some(list) = &t.sats else {
            return SatelliteTable { sats };
        };
        if list.is_empty() {
            self.bad(
                "satellites.sats",
                "empty list; give satellites such as [\"C01\", \"R07\"], or remove the key for every satellite",
            );
        }
        for (i, sat) in list.iter().enumerate() {
            let Some(sat) = sat.ok().map(StudiedSatellite::get) else {
                continue;
            };
            let key = format!("satellites.sats[{i}]");
            if sats.contains(&sat) {
                self.bad(key, format!("\"{sat}\" is listed twice"));
            } else if !systems.is_empty() && !systems.contains(&sat.constellation()) {
                self.bad(
                    key,
                    format!(
                        "{sat} is a {} satellite, not in orbits.systems [{}]",
                        sat.constellation().name(),
                        sys_list(systems)
                    ),
                );
            } else {
                sats.push(sat);
            }
        }
        SatelliteTable { sats }
    }

    fn time_section(&mut self, t: &RawTime) -> Option<TimeSection> {
        let (start, end, step_s) = (t.start.get()?, t.end.get()?, t.step_s.ok()?.get());
        if end.epoch <= start.epoch {
            self.bad(
                "time.end",
                format!(
                    "{} is not after time.start ({}); expected end > start",
                    end.text, start.text
                ),
            );
            return None;
        }
        let span_s = (end.epoch - start.epoch).to_seconds();
        if step_s > span_s {
            self.bad(
                "time.step_s",
                format!(
                    "{} s is longer than the span ({span_s} s); expected step_s ≤ end − start",
                    brief(step_s)
                ),
            );
            return None;
        }
        if let Err(e) = crate::limits::epochs("time", span_s, step_s, MAX_EPOCHS) {
            let message = match e {
                crate::limits::LimitError::TooMany { detail, .. } => detail,
                other => other.to_string(),
            };
            self.bad("time.step_s", message);
            return None;
        }
        Some(TimeSection {
            start: start.epoch,
            end: end.epoch,
            step_s,
            scale: start.scale,
        })
    }

    fn orbits_section(&mut self, o: &RawOrbits, time: Option<&TimeSection>) -> Option<Orbits> {
        let systems = self.systems("orbits.systems", &o.systems);
        let source = o.source.ok()?;
        let src_name = format!("{source:?}").to_lowercase();
        let (needs_nav, needs_sp3) = match source {
            RawOrbitSource::Nominal => (false, false),
            RawOrbitSource::Nav | RawOrbitSource::Longspan => (true, false),
            RawOrbitSource::Sp3 => (false, true),
        };
        let needs_days = source == RawOrbitSource::Longspan;
        let needed = |v: &mut Self, key: &str, given: bool, needed: bool, what: &str| {
            match (given, needed) {
                (false, true) => v.bad(
                    key,
                    format!("required with source = \"{src_name}\"; expected {what}"),
                ),
                (true, false) => v.bad(
                    key,
                    format!(
                        "not used with source = \"{src_name}\"; remove it or change the source"
                    ),
                ),
                _ => {}
            }
            given && needed
        };
        let files = "(or a list, a directory, a glob)";
        let nav_what = format!("the path of a RINEX navigation file {files}");
        let sp3_what = format!("the path of an SP3 precise-orbit file {files}");
        let days_what = format!(
            "a number of days in [1, {}]",
            crate::orbit::longspan::MAX_SPAN_DAYS
        );
        let nav = needed(self, "orbits.nav", o.nav.is_some(), needs_nav, &nav_what);
        let sp3 = needed(self, "orbits.sp3", o.sp3.is_some(), needs_sp3, &sp3_what);
        let days = needed(
            self,
            "orbits.longspan_days",
            o.longspan_days.is_some(),
            needs_days,
            &days_what,
        );
        let nav = o
            .nav
            .as_ref()
            .filter(|_| nav)
            .and_then(|p| self.files("orbits.nav", p));
        let sp3 = o
            .sp3
            .as_ref()
            .filter(|_| sp3)
            .and_then(|p| self.files("orbits.sp3", p));
        let days = o.longspan_days.filter(|_| days).map(|d| d.get());
        if let (Some(d), Some(t)) = (days, time) {
            let span_days = (t.end - t.start).to_seconds() / 86_400.0;
            if span_days > f64::from(d) {
                self.bad(
                    "orbits.longspan_days",
                    format!("{d} days is shorter than the [time] span ({span_days:.2} days); expected longspan_days ≥ the span"),
                );
            }
        }
        if o.exclude_predicted && source != RawOrbitSource::Sp3 {
            self.bad(
                "orbits.exclude_predicted",
                format!(
                    "applies to source = \"sp3\" only (predicted records are an SP3 flag), \
                     not to source = \"{src_name}\""
                ),
            );
        }
        let source = match source {
            RawOrbitSource::Nominal => OrbitSpec::Nominal,
            RawOrbitSource::Nav => OrbitSpec::Nav(nav?),
            RawOrbitSource::Sp3 => OrbitSpec::Sp3(sp3?),
            RawOrbitSource::Longspan => OrbitSpec::LongSpan {
                nav: nav?,
                days: f64::from(days?),
            },
        };
        (!systems.is_empty()).then_some(Orbits {
            source,
            systems,
            allow_no_data: o.allow_no_data,
            exclude_predicted: o.exclude_predicted,
        })
    }

    fn user_section(&mut self, u: Option<&RawUser>, systems: &[Constellation]) -> UserConfig {
        let mut out = UserConfig::default();
        if systems.len() == 1 {
            // One system: one receiver clock is all there is.
            out.clock = ClockChoice::Common;
        }
        let Some(u) = u else { return out };
        match (u.mask_deg, &u.azimuth_mask) {
            (Some(_), Some(_)) => self.bad(
                "user.azimuth_mask",
                "give either mask_deg or azimuth_mask, not both",
            ),
            (Some(m), None) => {
                out.mask = ElevationMask::Constant {
                    min_elevation_deg: m.get(),
                }
            }
            (None, Some(nodes)) => {
                if nodes.is_empty() {
                    self.bad(
                        "user.azimuth_mask",
                        "empty list; expected [[azimuth_deg, elevation_deg], …]",
                    );
                }
                let mut pts: Vec<(f64, f64)> = Vec::new();
                for (i, n) in nodes.iter().enumerate() {
                    let Some(n) = n.ok() else { continue };
                    if pts.last().is_some_and(|&(az, _)| n.azimuth_deg <= az) {
                        self.bad(format!("user.azimuth_mask[{i}]"), format!("azimuth {} does not increase; expected azimuths in strictly increasing order", n.azimuth_deg));
                    }
                    pts.push((n.azimuth_deg, n.elevation_deg));
                }
                if !pts.is_empty() {
                    match AzimuthMask::new(pts) {
                        Ok(t) => out.mask = ElevationMask::Azimuthal(t),
                        Err(e) => self.bad("user.azimuth_mask", e.to_string()),
                    }
                }
            }
            (None, None) => {}
        }
        if let Some(c) = u.clock {
            out.clock = c;
        }
        let needs_isb = out.clock == ClockChoice::KnownOffset || u.compare_clocks;
        match u.isb_sigma_ns {
            Some(s) if needs_isb => out.isb_sigma_ns = Some(s.get()),
            Some(_) => self.bad(
                "user.isb_sigma_ns",
                "only used with clock = \"known-offset\" or compare_clocks = true; remove it",
            ),
            // Without a value the runner chooses σ by the one rule of every door
            // (`geometry::IsbSigma::choose`: the broadcast reconciliation of the navigation
            // files over the span, else the 20 ns floor).
            None => {}
        }
        if systems.len() == 1 {
            if u.clock == Some(ClockChoice::KnownOffset) {
                self.bad(
                    "user.clock",
                    format!("\"known-offset\" needs two systems but orbits.systems is [{}]; use \"common\"", sys_list(systems)),
                );
            }
            if u.compare_clocks {
                self.bad(
                    "user.compare_clocks",
                    format!(
                        "comparing clock models needs two systems but orbits.systems is [{}]",
                        sys_list(systems)
                    ),
                );
            }
        }
        out.compare_clocks = u.compare_clocks;
        if let Some(p) = u.pdop_threshold {
            out.pdop_threshold = p.get();
        }
        out
    }

    /// At most [`MAX_GRID_POINTS`] nodes of `region` at `step_deg`.
    /// Whether `n` points of a `step_deg` lattice are allowed (reported when not).
    fn lattice_size(&mut self, key: &str, n: usize, step_deg: f64) -> bool {
        if n == 0 {
            self.bad(
                key,
                format!(
                    "{}° leaves no grid point in the region (a smaller step or a larger region)",
                    brief(step_deg)
                ),
            );
            return false;
        }
        if n > MAX_GRID_POINTS {
            let n = if n == usize::MAX {
                "more than 1.8e19".to_string()
            } else {
                n.to_string()
            };
            self.bad(
                key,
                format!("{}° gives {n} grid points; at most {MAX_GRID_POINTS} are allowed (a larger step or a smaller region)", brief(step_deg)),
            );
        }
        n <= MAX_GRID_POINTS
    }

    fn grid_section(&mut self, g: &RawGrid) -> Option<Grid> {
        let grid = Grid {
            step_deg: g.step_deg.ok()?.get(),
            region: g.region.map_or(Region::GLOBAL, |r| r.get()),
            height_m: g.height_m.map_or(0.0, f64::from),
            layout: g.layout.unwrap_or_default(),
        };
        self.lattice_size("grid.step_deg", grid.point_count(), grid.step_deg)
            .then_some(grid)
    }

    fn sites_section(&mut self, sites: &[RawSite]) -> Vec<Site> {
        let mut out = Vec::new();
        let mut names = HashSet::new();
        for (i, s) in sites.iter().enumerate() {
            let key = format!("sites[{i}].name");
            let mut ok = true;
            if s.name.trim().is_empty() {
                self.bad(key, "empty; expected a site name");
                ok = false;
            } else if !names.insert(s.name.clone()) {
                self.bad(
                    key,
                    format!(
                        "\"{}\" is used by another site; names must be unique",
                        s.name
                    ),
                );
                ok = false;
            }
            match (s.lat_deg.ok(), s.lon_deg.ok()) {
                (Some(lat), Some(lon)) if ok => out.push(Site {
                    name: s.name.clone(),
                    lat_deg: lat.get(),
                    lon_deg: lon.get(),
                    height_m: s.height_m.map_or(0.0, f64::from),
                }),
                _ => {
                    self.refused_sites.insert(s.name.clone());
                }
            }
        }
        out
    }

    fn networks_section(&mut self, n: &RawNetworks, systems: &[Constellation]) -> Option<Networks> {
        if n.baseline.is_empty() {
            self.bad(
                "networks.baseline",
                "empty network; expected at least one catalog name (e.g. \"bds-domestic\") or network file",
            );
        }
        let baseline = self.network_refs("networks.baseline", &n.baseline);
        let augmented = self.network_refs("networks.augmented", &n.augmented);
        for (i, a) in augmented.iter().enumerate() {
            if baseline.contains(a) {
                self.bad(
                    format!("networks.augmented[{i}]"),
                    "already in the baseline; the augmented network adds to the baseline, so list only what is new",
                );
            }
        }

        // Station ids where known: per reference, and whether every reference is known.
        let mut all_known = true;
        let mut baseline_ids: Vec<String> = Vec::new();
        let mut augmented_ids: Vec<String> = Vec::new();
        for (list, key, ids_out) in [
            (&baseline, "networks.baseline", &mut baseline_ids),
            (&augmented, "networks.augmented", &mut augmented_ids),
        ] {
            for (i, r) in list.iter().enumerate() {
                match self.ref_ids(&format!("{key}[{i}]"), r) {
                    Some(ids) => {
                        if ids.is_empty() {
                            let what = match r {
                                NetworkRef::Catalog(c) => format!("catalog \"{c}\""),
                                NetworkRef::File(p) => p.display().to_string(),
                            };
                            self.bad(
                                format!("{key}[{i}]"),
                                format!("{what} has no stations; expected a non-empty network"),
                            );
                        }
                        ids_out.extend(ids);
                    }
                    None => all_known = false,
                }
            }
        }
        let existing: BTreeSet<String> =
            baseline_ids.iter().chain(&augmented_ids).cloned().collect();

        let mut add = Vec::new();
        let mut add_ids = HashSet::new();
        for (i, s) in n.add.iter().enumerate() {
            let k = format!("networks.add[{i}]");
            let mut ok = true;
            if let Some(id) = s.id.get().map(StationId::as_str) {
                let dup = if !add_ids.insert(id.to_string()) {
                    Some(" in networks.add")
                } else if existing.contains(id) {
                    Some(": already in a listed network")
                } else {
                    None
                };
                if let Some(place) = dup {
                    self.bad(
                        join(&k, "id"),
                        format!("duplicate station id \"{id}\"{place}"),
                    );
                    ok = false;
                }
            }
            let st_sys = self.systems(&join(&k, "systems"), &s.systems);
            if !st_sys.is_empty()
                && !systems.is_empty()
                && !st_sys.iter().any(|c| systems.contains(c))
            {
                self.bad(
                    join(&k, "systems"),
                    format!(
                        "tracks [{}], none of orbits.systems [{}]; the station would see nothing",
                        sys_list(&st_sys),
                        sys_list(systems)
                    ),
                );
                ok = false;
            }
            if let (Some(id), Some(lat), Some(lon), true, false) = (
                s.id.get(),
                s.lat_deg.ok(),
                s.lon_deg.ok(),
                ok,
                st_sys.is_empty(),
            ) {
                let id = id.as_str();
                let name = (s.name.as_deref())
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or(id);
                let at = Geodetic::new(lat.get(), lon.get(), s.height_m.map_or(0.0, f64::from));
                match Station::new(id, name, at, &st_sys) {
                    Ok(st) => add.push(st),
                    Err(e) => self.bad(&k, e.to_string()),
                }
            }
        }

        let mut removed = HashSet::new();
        let mut remove = Vec::new();
        for (i, r) in n.remove.iter().enumerate() {
            let k = format!("networks.remove[{i}]");
            let r = r.trim();
            if !removed.insert(r.to_string()) {
                self.bad(&k, format!("\"{r}\" is listed twice"));
            } else if add_ids.contains(r) {
                self.bad(
                    &k,
                    format!(
                        "\"{r}\" is added in networks.add and removed here; do one or the other"
                    ),
                );
            } else if all_known && !existing.contains(r) {
                let near = existing
                    .iter()
                    .min_by_key(|s| edit_distance(s, r))
                    .filter(|s| edit_distance(s, r) <= 2)
                    .map(|s| format!(" (did you mean \"{s}\"?)"))
                    .unwrap_or_default();
                self.bad(&k, format!("unknown station \"{r}\"{near}: not in any listed network; expected the id of a station to remove"));
            } else {
                remove.push(r.to_string());
            }
        }
        if all_known && !n.baseline.is_empty() {
            let remaining = existing.iter().filter(|s| !removed.contains(*s)).count() + add.len();
            if remaining == 0 && !existing.is_empty() {
                self.bad(
                    "networks.remove",
                    "removes every station; the augmented network would be empty",
                );
            }
        }

        let min_stations = n.min_stations.map_or(1, |m| m.get());
        let total = baseline_ids.iter().collect::<BTreeSet<_>>().len();
        if all_known && total > 0 && min_stations as usize > total {
            self.bad(
                "networks.min_stations",
                format!("{min_stations} exceeds the {total} stations of the baseline; no satellite could ever count as monitored"),
            );
        }
        (!baseline.is_empty()).then_some(Networks {
            baseline,
            augmented,
            add,
            remove,
            tracking_mask_deg: n.tracking_mask_deg.map(f64::from),
            min_stations,
        })
    }

    fn error_model_section(&mut self, e: &RawErrorModel) -> ErrorModel {
        let s = e.sigma0_m.as_ref();
        let sigma0 = |f: fn(&RawSigma0) -> Option<Positive>| s.and_then(f).map(f64::from);
        let out = ErrorModel {
            sigma0_bds_meo_m: sigma0(|s| s.bds_meo),
            sigma0_bds_igso_m: sigma0(|s| s.bds_igso),
            sigma0_bds_geo_m: sigma0(|s| s.bds_geo),
            sigma0_glonass_m: sigma0(|s| s.glonass),
            growth_m_per_h: e.growth_m_per_h.map(f64::from),
            max_sigma_m: e.max_sigma_m.map(f64::from),
        };
        if let Some(m) = out.max_sigma_m {
            for (name, s) in [
                ("bds_meo", out.sigma0_bds_meo_m),
                ("bds_igso", out.sigma0_bds_igso_m),
                ("bds_geo", out.sigma0_bds_geo_m),
                ("glonass", out.sigma0_glonass_m),
            ] {
                if let Some(s) = s.filter(|&s| s > m) {
                    self.bad(
                        "error_model.max_sigma_m",
                        format!("{m} m is below sigma0_m.{name} = {s} m; expected max_sigma_m ≥ every σ₀"),
                    );
                }
            }
        }
        out
    }

    fn layout_section(
        &mut self,
        l: &RawLayoutSearch,
        systems: &[Constellation],
    ) -> Option<LayoutSearch> {
        let system = l.system.ok().map(StudiedSystem::get);
        if let Some(c) = system.filter(|c| !systems.is_empty() && !systems.contains(c)) {
            self.bad(
                "layout_search.system",
                format!(
                    "\"{}\" is not in orbits.systems [{}]",
                    c.letter(),
                    sys_list(systems)
                ),
            );
        }
        let countries = l.countries.as_deref();
        let candidates = match (&l.candidates, &l.lattice) {
            (Some(_), Some(_)) => {
                self.bad(
                    "layout_search.lattice",
                    "give either candidates (a CSV file) or lattice, not both",
                );
                None
            }
            (None, None) => {
                self.bad(
                    "layout_search.candidates",
                    "missing: give candidates = \"file.csv\" or lattice = { region = [...], step_deg = ... }",
                );
                None
            }
            (Some(_), None) if countries.is_some_and(<[String]>::is_empty) => {
                self.bad(
                    "layout_search.countries",
                    "empty list; remove the key to keep every candidate",
                );
                None
            }
            (Some(p), None) => self.file("layout_search.candidates", p).and_then(|path| {
                let sites = self.candidates_csv("layout_search.candidates", &path, countries)?;
                if sites.is_empty() {
                    let (key, which) = match countries {
                        Some(_) => ("layout_search.countries", " for these countries"),
                        None => ("layout_search.candidates", ""),
                    };
                    self.bad(
                        key,
                        format!("no candidate sites in {}{which}", path.display()),
                    );
                    return None;
                }
                Some(Candidates::File { path, sites })
            }),
            (None, Some(lat)) => {
                if l.countries.is_some() {
                    self.bad(
                        "layout_search.countries",
                        "only used with a candidates file; remove it",
                    );
                }
                let (region, step_deg) = (lat.region.ok()?.get(), lat.step_deg.ok()?.get());
                self.lattice_size(
                    "layout_search.lattice.step_deg",
                    region.lattice_len(step_deg),
                    step_deg,
                )
                .then_some(Candidates::Lattice { region, step_deg })
            }
        };
        let method = l.method.unwrap_or(SearchMethod::Greedy);
        let k = l.k.ok().map(|k| k.get() as usize);
        if let (Some(k), Some(c)) = (k, &candidates) {
            let n = c.len();
            if k > n {
                self.bad(
                    "layout_search.k",
                    format!("{k} is more than the {n} candidates; expected 1 ≤ k ≤ {n}"),
                );
            } else if method != SearchMethod::Greedy {
                let combos = binomial(n as u64, k as u64);
                if combos > MAX_EXHAUSTIVE_COMBINATIONS {
                    self.bad(
                        "layout_search.method",
                        format!("an exhaustive search over C({n}, {k}) = {combos} layouts exceeds {MAX_EXHAUSTIVE_COMBINATIONS}; use method = \"greedy\" or fewer candidates"),
                    );
                }
            }
        }
        Some(LayoutSearch {
            system: system?,
            candidates: candidates?,
            k: k?,
            objective: l.objective.ok()?,
            method,
        })
    }

    fn timescales_section(&mut self, t: &RawTimescales, has_time: bool) -> Option<Timescales> {
        let nav = self.files("timescales.nav", &t.nav);
        let epochs = match &t.epochs {
            Some(list) if list.is_empty() => {
                self.bad(
                    "timescales.epochs",
                    "empty list; give at least one date-time, or remove the key to use [time]",
                );
                Vec::new()
            }
            Some(list) => list
                .iter()
                .filter_map(|e| e.get())
                .map(|d| d.epoch)
                .collect(),
            None if !has_time => {
                self.bad(
                    "timescales.epochs",
                    "missing: give epochs = [\"2023-03-12T00:00:00 UTC\", …] or a [time] section",
                );
                Vec::new()
            }
            None => Vec::new(),
        };
        let mut files = |key: &str, list: &[String]| -> Option<Vec<PathBuf>> {
            let files: Vec<_> = (list.iter().enumerate())
                .map(|(i, f)| self.file(&format!("{key}[{i}]"), f))
                .collect();
            files.into_iter().collect()
        };
        let clk = files("timescales.clk", &t.clk);
        let sp3 = files("timescales.sp3", &t.sp3);
        Some(Timescales {
            nav: nav?,
            epochs,
            clk: clk?,
            sp3: sp3?,
        })
    }

    fn outputs_section(
        &mut self,
        o: Option<&RawOutputs>,
        has_grid: bool,
        sites: &[Site],
    ) -> Outputs {
        let mut out = Outputs::default();
        let Some(o) = o else { return out };
        out.maps = o.maps.unwrap_or(false);
        out.csv = o.csv.unwrap_or(true);
        out.json = o.json.unwrap_or(true);
        out.point_files = o.point_files;
        if out.maps && !has_grid {
            self.bad(
                "outputs.maps",
                "maps are drawn from the [grid]; add a [grid] section or set maps = false",
            );
        }
        let names: Vec<&str> = sites.iter().map(|s| s.name.as_str()).collect();
        let site_ref = |v: &mut Self, key: &str, name: &str| -> bool {
            if names.contains(&name) {
                true
            } else if v.refused_sites.contains(name) {
                false
            } else {
                let known = if names.is_empty() {
                    "there are no [[sites]]".to_string()
                } else {
                    let quoted: Vec<_> = names.iter().map(|n| format!("\"{n}\"")).collect();
                    format!("expected one of {}", quoted.join(", "))
                };
                v.bad(key, format!("unknown site \"{name}\"; {known}"));
                false
            }
        };
        if let Some(s) = &o.sky_plot_site {
            if site_ref(self, "outputs.sky_plot_site", s) {
                out.sky_plot_site = Some(s.clone());
            }
        }
        for (i, s) in o.series_sites.iter().enumerate() {
            if site_ref(self, &format!("outputs.series_sites[{i}]"), s) {
                out.series_sites.push(s.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<Problem> {
        load(
            text,
            Path::new("."),
            Path::new("<p>"),
            &KnownCatalogs::builtin(),
        )
        .unwrap_err()
        .problems()
    }

    #[test]
    fn key_paths_and_places_come_from_the_document() {
        let text = "name = \"x\"\n[time]\nstart = 1\nend = \"2023-01-02\"\nstep_s = 60\n[[sites]]\nname = \"a\"\nlat_deg = 1\nlon_deg = 2\n[[sites]]\nnmae = \"b\"\n[networks]\nadd = [{ id = \"A\", lat_deg = \"x\" }]\n";
        let found: Vec<(String, Option<(usize, usize)>)> =
            problems(text).into_iter().map(|p| (p.key, p.at)).collect();
        for (key, at) in [
            ("time.start", (3, 9)),
            ("sites[1].nmae", (11, 1)),
            ("sites[1].name", (10, 1)),
            ("networks.add[0].lat_deg", (13, 30)),
        ] {
            assert!(
                found.contains(&(key.to_string(), Some(at))),
                "{key}: {found:?}"
            );
        }
    }

    #[test]
    fn a_refused_required_value_has_no_follow_on() {
        let text = "name = \"x\"\n[time]\nstart = \"2023-01-01\"\nend = \"2023-01-02\"\nstep_s = 0\n[orbits]\nsource = \"nominal\"\nsystems = [\"C\", \"C\", \"X\"]\n[grid]\nstep_deg = 10\n";
        let p = problems(text);
        let keys: Vec<&str> = p.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            ["time.step_s", "orbits.systems[1]", "orbits.systems[2]"],
            "{p:?}"
        );
    }

    #[test]
    fn a_section_of_the_wrong_type_is_reported_once() {
        let text = "name = \"x\"\ntime = 5\n[orbits]\nsource = \"nav\"\nnav = 3\nsystems = \"C\"\n[grid]\nstep_deg = 10\n";
        let p = problems(text);
        let keys: Vec<&str> = p.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["time", "orbits.nav", "orbits.systems"], "{p:?}");
        assert!(
            p[1].message.ends_with("expected a path or a list of paths"),
            "{p:?}"
        );
        assert_eq!(p[0].message, "invalid type: integer `5`, expected a table");
    }

    proptest::proptest! {
        // Whatever the text, loading returns an error or a scenario; it never panics.
        #[test]
        fn arbitrary_text_never_panics(text in "(\\PC|\n|\\[|\\]|=|\"|\\{|\\}){0,200}") {
            let _ = load(&text, Path::new("."), Path::new("<p>"), &KnownCatalogs::builtin());
        }

        #[test]
        fn mutated_scenarios_never_panic(cut in 0usize..400, insert in "(\\PC|\n){0,8}") {
            let base = "name = \"a\"\n[time]\nstart = \"2023-01-01\"\nend = \"2023-01-02\"\nstep_s = 600\n[orbits]\nsource = \"nominal\"\nsystems = [\"C\"]\n[[sites]]\nname = \"s\"\nlat_deg = 1\nlon_deg = 2\n[user]\nazimuth_mask = [[0, 5], [90, 10]]\n";
            let mut at = cut.min(base.len());
            while !base.is_char_boundary(at) { at -= 1; }
            let text = format!("{}{}{}", &base[..at], insert, &base[at..]);
            let _ = load(&text, Path::new("."), Path::new("<p>"), &KnownCatalogs::builtin());
        }
    }
}
