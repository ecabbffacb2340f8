//! Pieces shared by the stages: the orbit source, masks and clock models, grids and map
//! fields, progress adapters, and the list of inputs written into the report.

use hifitime::Duration;

use super::{RunError, StageProgress};
use crate::coverage::{CoverageConfig, DopKind};
use crate::geometry::{ClockChoice, ClockModel, IsbSigma};
use crate::orbit::open::{open_with, OpenOptions, OrbitSpec};
use crate::orbit::OrbitSource;
use crate::scenario::{ElevationMask, NetworkRef, Scenario, TimeSection};

/// σ of the known inter-system bias of a scenario whose user clock is `known-offset` (or that
/// compares clock models), by the library's one rule ([`IsbSigma::choose`]): `user.isb_sigma_ns`,
/// else the broadcast reconciliation's uncertainty over `[time]` in the navigation files of
/// `[orbits]`, else the 20 ns floor. `None` when no such clock is used or there is no span.
pub(crate) fn isb_sigma(s: &Scenario) -> crate::Result<Option<IsbSigma>> {
    let needs = s.user.clock == ClockChoice::KnownOffset || s.user.compare_clocks;
    let (Some(time), true) = (&s.time, needs) else {
        return Ok(None);
    };
    let navs: &[std::path::PathBuf] = match s.orbits.as_ref().map(|o| &o.source) {
        _ if s.user.isb_sigma_ns.is_some() => &[],
        Some(OrbitSpec::Nav(paths)) => paths.as_slice(),
        Some(OrbitSpec::LongSpan { nav, .. }) => nav.as_slice(),
        _ => &[],
    };
    let offsets = if navs.is_empty() {
        None
    } else {
        Some(crate::ephemeris::NavData::from_files(navs)?.offsets)
    };
    let label = OrbitSpec::Nav(navs.to_vec()).label();
    Ok(Some(IsbSigma::choose(
        s.user.isb_sigma_ns.map(|ns| (ns, "user.isb_sigma_ns")),
        offsets.as_ref().map(|o| (o, label.as_str())),
        time.start,
        time.end,
    )?))
}

/// The label of the scenario's orbit source ([`OrbitSpec::label`]; `nominal` without
/// `[orbits]`).
pub(crate) fn source_label(s: &Scenario) -> String {
    s.orbits
        .as_ref()
        .map_or_else(|| OrbitSpec::Nominal.label(), |o| o.source.label())
}

/// File names (without directories) joined with ", ", for report text.
pub(crate) fn file_names(paths: &[std::path::PathBuf]) -> String {
    let v: Vec<String> = paths
        .iter()
        .map(|p| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    v.join(", ")
}

/// Paths joined with ", " for the list of inputs.
pub(crate) fn list_paths(paths: &[std::path::PathBuf]) -> String {
    let v: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    v.join(", ")
}

/// Open the scenario's orbit source (validation guarantees `[orbits]` where a stage needs it).
pub(crate) fn open_source(s: &Scenario) -> crate::Result<Box<dyn OrbitSource>> {
    let orbits = s.orbits.as_ref().ok_or_else(|| RunError::Unsupported {
        scenario: s.name.clone(),
        message: "coverage, networks and layout search need an [orbits] section".into(),
    })?;
    let spec = &orbits.source;
    let options = OpenOptions {
        exclude_predicted: orbits.exclude_predicted,
    };
    open_with(spec, &orbits.systems, options)
}

/// The scenario's span (validation guarantees `[time]` where a stage needs it).
pub(crate) fn span(s: &Scenario) -> Result<TimeSection, RunError> {
    s.time.ok_or_else(|| RunError::Unsupported {
        scenario: s.name.clone(),
        message: "this stage needs a [time] section".into(),
    })
}

/// A coverage configuration for the scenario's span, systems, mask, threshold and a clock.
pub(crate) fn coverage_config(
    s: &Scenario,
    clock: ClockModel,
    dop_kinds: Vec<DopKind>,
) -> crate::Result<CoverageConfig> {
    let t = span(s)?;
    let systems = s
        .orbits
        .as_ref()
        .map(|o| o.systems.clone())
        .unwrap_or_default();
    let mut cfg = CoverageConfig::new(systems, t.start, t.end, Duration::from_seconds(t.step_s));
    cfg.mask = s.user.mask.clone();
    cfg.clock = clock;
    cfg.dop_kinds = dop_kinds;
    cfg.availability_pdop_max = s.user.pdop_threshold;
    cfg.allow_no_data = s.orbits.as_ref().is_some_and(|o| o.allow_no_data);
    Ok(cfg)
}

/// Coverage row progress → stage progress.
pub(crate) struct Rows<'a>(pub &'a dyn StageProgress);

impl crate::coverage::Progress for Rows<'_> {
    fn rows_done(&self, done: usize, total: usize) {
        self.0.advance(done as u64, total as u64);
    }
}

/// Calls `start`, runs `f` with a coverage progress adapter, calls `finish`.
pub(crate) fn with_rows<T>(
    progress: Option<&dyn StageProgress>,
    stage: &str,
    total: usize,
    f: impl FnOnce(Option<&dyn crate::coverage::Progress>) -> T,
) -> T {
    match progress {
        Some(p) => {
            p.start(stage, total as u64);
            let rows = Rows(p);
            let out = f(Some(&rows));
            p.finish(stage);
            out
        }
        None => f(None),
    }
}

fn refs(v: &[NetworkRef]) -> String {
    v.iter()
        .map(|r| match r {
            NetworkRef::Catalog(n) => n.clone(),
            NetworkRef::File(p) => p.display().to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The inputs of a scenario as (item, value) lines for the report.
pub(crate) fn input_lines(s: &Scenario, isb: Option<&IsbSigma>) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Vec::new();
    if let Some(t) = &s.time {
        v.push((
            "time span".into(),
            format!(
                "{} to {}, every {} s ({} epochs)",
                t.start,
                t.end,
                t.step_s,
                t.epoch_count()
            ),
        ));
    }
    if let Some(o) = &s.orbits {
        let src = match &o.source {
            OrbitSpec::Nominal => "nominal constellations (embedded)".to_string(),
            OrbitSpec::Nav(paths) => format!("broadcast, {}", list_paths(paths)),
            OrbitSpec::Sp3(paths) if o.exclude_predicted => {
                format!("SP3 (predicted records excluded), {}", list_paths(paths))
            }
            OrbitSpec::Sp3(paths) => format!("SP3, {}", list_paths(paths)),
            OrbitSpec::LongSpan { nav, days } => {
                format!("long span ({days} d) from {}", list_paths(nav))
            }
        };
        let sys: Vec<&str> = o.systems.iter().map(|c| c.name()).collect();
        v.push((
            "orbits".into(),
            format!("{src}; systems {}", sys.join(" + ")),
        ));
    }
    if s.runs_coverage() || s.networks.is_some() {
        let mask = match &s.user.mask {
            ElevationMask::Constant { min_elevation_deg } => format!("{min_elevation_deg}°"),
            ElevationMask::Azimuthal(t) => {
                format!("azimuth-dependent ({} nodes)", t.table().len())
            }
        };
        v.push((
            "user".into(),
            format!(
                "mask {mask}, clock {}, available when PDOP ≤ {}{}",
                s.user.clock.label(s.user.isb_sigma_ns),
                s.user.pdop_threshold,
                if s.user.compare_clocks {
                    ", all clock models compared"
                } else {
                    ""
                }
            ),
        ));
        if let Some(i) = isb {
            v.push(("σ of the inter-system bias".into(), i.origin.clone()));
        }
    }
    if let Some(g) = &s.grid {
        let r = g.region;
        v.push((
            "grid".into(),
            format!(
                "{}° {} over lat {}…{}°, lon {}…{}° ({} points), height {} m",
                g.step_deg,
                g.layout,
                r.lat_min_deg,
                r.lat_max_deg,
                r.lon_min_deg,
                r.lon_max_deg,
                g.point_count(),
                g.height_m
            ),
        ));
    }
    for site in &s.sites {
        v.push((
            format!("site {}", site.name),
            format!("{}°, {}°, {} m", site.lat_deg, site.lon_deg, site.height_m),
        ));
    }
    if let Some(n) = &s.networks {
        v.push(("baseline network".into(), refs(&n.baseline)));
        let mut aug = refs(&n.augmented);
        if !n.add.is_empty() {
            let ids: Vec<&str> = n.add.iter().map(|a| a.id.as_str()).collect();
            aug.push_str(&format!("; added {}", ids.join(", ")));
        }
        if !n.remove.is_empty() {
            aug.push_str(&format!("; removed {}", n.remove.join(", ")));
        }
        v.push(("augmented with".into(), aug));
        v.push((
            "tracking".into(),
            format!(
                "{}, monitored when seen by ≥ {} station(s)",
                station_mask_text(n.tracking_mask_deg),
                n.min_stations
            ),
        ));
    }
    let e = &s.error_model;
    if *e != crate::scenario::ErrorModel::default() {
        v.push(("error model overrides".into(), format!("{e:?}")));
    }
    if let Some(l) = &s.layout_search {
        v.push((
            "layout search".into(),
            format!(
                "{} new {} station(s) among {} candidates, objective {:?}, method {:?}",
                l.k,
                l.system.name(),
                l.candidates.len(),
                l.objective,
                l.method
            ),
        ));
    }
    if let Some(t) = &s.timescales {
        v.push(("timescales nav".into(), list_paths(&t.nav)));
    }
    if let Some(t) = &s.satellites {
        let which = if t.sats.is_empty() {
            "every satellite of the source".to_string()
        } else {
            let v: Vec<String> = t.sats.iter().map(|x| x.to_string()).collect();
            v.join(", ")
        };
        v.push(("satellite states".into(), which));
    }
    if let Some(m) = &s.monitor {
        v.push((
            "monitor".into(),
            format!(
                "network {}, {}, tracked when seen by ≥ {} station(s)",
                refs(std::slice::from_ref(&m.network)),
                station_mask_text(m.tracking_mask_deg),
                m.min_stations
            ),
        ));
    }
    if let Some(val) = &s.validation {
        v.push(("validation nav".into(), list_paths(&val.nav)));
        v.push(("validation sp3".into(), list_paths(&val.sp3)));
    }
    v
}

/// The station mask of a tracking study in words: "the 10° mask" for a mask set on every
/// station, "each station's own mask" otherwise.
pub(crate) fn station_mask_text(mask_deg: Option<f64>) -> String {
    match mask_deg {
        Some(m) => format!("the {m}° mask"),
        None => "each station's own mask".to_string(),
    }
}
