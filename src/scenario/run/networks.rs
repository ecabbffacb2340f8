//! Stage `[networks]`: the baseline network against the augmented one, through
//! [`crate::network::run_study`] — one study case per system of the scenario (that system's
//! satellites, the stations that track it) and, with more than one system, the combined case
//! (all systems, all stations). Tracking of every satellite by its own system's stations, and
//! what the change means for users on the grid (availability when only monitored satellites
//! count; predicted position error when each satellite is weighted by its age-of-data range
//! error), with before/after/difference maps per case.

use std::sync::Mutex;

use super::{Ctx, RunError, StageProgress};
use crate::coverage::{CoverageResult, DopKind, Region};
use crate::frames::Ellipsoid;
use crate::id::Constellation;
use crate::network::{
    compare, draw_tracked_fraction, run_study, study_cases, study_markers, Comparison, Network,
    NetworkAnalysis, OrbitSamples, RangeErrorModel, RangeErrorModels, SatelliteRow, Station,
    StudyCase, StudyResult, StudySettings, TimeSpan,
};
use crate::orbit::OrbitSource;
use crate::report::plot::{ground_tracks, GroundTrack};
use crate::report::write::write_csv;
use crate::scenario::report_md::{num, pct, Section, Table};
use crate::scenario::{ErrorModel, Networks, Scenario};

/// Sub-directory of the per-case files (those of `compare-layouts --out`).
const NETWORKS_DIR: &str = "networks";

/// Regions in which the user-side change is summarised (besides the whole grid).
const REGIONS: [(&str, Region); 4] = [
    (
        "Russia and Central Asia (40–80°N, 30–180°E)",
        Region {
            lat_min_deg: 40.0,
            lat_max_deg: 80.0,
            lon_min_deg: 30.0,
            lon_max_deg: 180.0,
        },
    ),
    (
        "East Asia (15–55°N, 70–150°E)",
        Region {
            lat_min_deg: 15.0,
            lat_max_deg: 55.0,
            lon_min_deg: 70.0,
            lon_max_deg: 150.0,
        },
    ),
    (
        "Europe and Africa (40°S–70°N, 20°W–50°E)",
        Region {
            lat_min_deg: -40.0,
            lat_max_deg: 70.0,
            lon_min_deg: -20.0,
            lon_max_deg: 50.0,
        },
    ),
    (
        "Americas (60°S–70°N, 170°W–30°W)",
        Region {
            lat_min_deg: -60.0,
            lat_max_deg: 70.0,
            lon_min_deg: -170.0,
            lon_max_deg: -30.0,
        },
    ),
];

/// Baseline and augmented networks of the scenario, every station at the tracking mask.
pub(crate) fn build(n: &Networks, systems: &[Constellation]) -> crate::Result<(Network, Network)> {
    let parts = n
        .baseline
        .iter()
        .map(|r| r.load(systems))
        .collect::<Result<Vec<_>, _>>()?;
    let extra = n
        .augmented
        .iter()
        .map(|r| r.load(systems))
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&Network> = parts.iter().collect();
    let base = Network::merged("baseline", &refs)?;
    let mut all: Vec<&Network> = parts.iter().collect();
    all.extend(extra.iter());
    let mut aug = Network::merged("augmented", &all)?;
    for st in &n.add {
        aug = aug.with_station(st.clone())?;
    }
    for id in &n.remove {
        aug = aug.without_station(id)?;
    }
    Ok((
        base.with_mask_override(n.tracking_mask_deg)?,
        aug.with_mask_override(n.tracking_mask_deg)?,
    ))
}

/// The network module's time span for the scenario's `[time]`.
pub(crate) fn network_span(s: &Scenario) -> Result<TimeSpan, RunError> {
    Ok(super::common::span(s)?.span())
}

/// Default range-error models with the scenario's overrides.
pub(crate) fn error_models(e: &ErrorModel) -> crate::Result<RangeErrorModels> {
    let mut m = RangeErrorModels::default();
    let adj = |base: RangeErrorModel, s0: Option<f64>| -> crate::Result<RangeErrorModel> {
        Ok(RangeErrorModel::new(
            s0.unwrap_or(base.sigma0_m),
            base.grace_s,
            e.growth_m_per_h
                .map(|g| g / 3600.0)
                .unwrap_or(base.growth_m_per_s),
            e.max_sigma_m.unwrap_or(base.sigma_max_m),
        )?)
    };
    m.bds_meo = adj(m.bds_meo, e.sigma0_bds_meo_m)?;
    m.bds_igso = adj(m.bds_igso, e.sigma0_bds_igso_m)?;
    m.bds_geo = adj(m.bds_geo, e.sigma0_bds_geo_m)?;
    m.glonass = adj(m.glonass, e.sigma0_glonass_m)?;
    Ok(m)
}

/// Study progress (stage label, rows done, total) → stage progress, one stage per label.
struct StudyBars<'a> {
    progress: &'a dyn StageProgress,
    prefix: String,
    current: Mutex<Option<String>>,
}

impl StudyBars<'_> {
    fn rows(&self, stage: &str, done: usize, total: usize) {
        let label = format!("{}{stage}", self.prefix);
        if let Ok(mut cur) = self.current.lock() {
            if cur.as_deref() != Some(label.as_str()) {
                if let Some(prev) = cur.take() {
                    self.progress.finish(&prev);
                }
                self.progress.start(&label, total as u64);
                *cur = Some(label);
            }
        }
        self.progress.advance(done as u64, total as u64);
    }

    fn done(self) {
        if let Ok(Some(prev)) = self.current.into_inner() {
            self.progress.finish(&prev);
        }
    }
}

pub(crate) fn run(ctx: &mut Ctx<'_>, src: &dyn OrbitSource) -> crate::Result<()> {
    let s = ctx.scenario;
    let Some(n) = &s.networks else {
        return Ok(());
    };
    let systems = s
        .orbits
        .as_ref()
        .map(|o| o.systems.clone())
        .unwrap_or_default();
    let (base, aug) = build(n, &systems)?;
    let span = network_span(s)?;
    let span_h = span.n_epochs as f64 * span.step_s() / 3600.0;
    let min_st = n.min_stations.min(u16::MAX as u32) as u16;

    ctx.start("networks: orbit samples", 0);
    let allow_no_data = s.orbits.as_ref().is_some_and(|o| o.allow_no_data);
    let samples = OrbitSamples::for_satellites_with(src, src.satellites(), span, allow_no_data)?;
    ctx.finish("networks: orbit samples");

    // With a grid every case runs the whole study; without one only the tracking side exists.
    let mut studies: Vec<StudyResult> = Vec::new();
    let mut cases: Vec<StudyCase> = Vec::new();
    if let Some(g) = &s.grid {
        let full = g.build()?;
        let grid = ctx.work.grid(&full);
        let work = ctx.work;
        let clock =
            s.user
                .clock
                .model(s.user.isb_sigma_ns)
                .ok_or_else(|| RunError::Unsupported {
                    scenario: s.name.clone(),
                    message: "user.clock = \"known-offset\" needs user.isb_sigma_ns".into(),
                })?;
        let settings = StudySettings {
            min_stations: min_st,
            models: error_models(&s.error_model)?,
            user_mask: s.user.mask.clone(),
            clock,
            availability_pdop_max: s.user.pdop_threshold,
            allow_no_data: s.orbits.as_ref().is_some_and(|o| o.allow_no_data),
        };
        for case in study_cases(&systems, &base, &aug)? {
            let r = match ctx.progress {
                Some(p) => {
                    let bars = StudyBars {
                        progress: p,
                        prefix: format!("networks: {} users, ", case.label),
                        current: Mutex::new(None),
                    };
                    let cb = |stage: &str, d: usize, t: usize| bars.rows(stage, d, t);
                    let r = run_study(work, src, &samples, &grid, &case, &settings, Some(&cb));
                    bars.done();
                    r
                }
                None => run_study(work, src, &samples, &grid, &case, &settings, None),
            }?;
            studies.push(r);
            cases.push(case);
        }
    }
    // A shard's work ends with its grids; tables, figures and results are the merge's.
    if !ctx.reporting() {
        return Ok(());
    }
    let no_data = samples.no_data_satellite_epochs();
    if no_data > 0 {
        ctx.answer.push(format!(
            "Tracking: {no_data} satellite-epochs outside the orbit data were left out of the \
             tracked fractions, gaps and passes (no data, not counted as \"not tracked\")."
        ));
        ctx.results.tracking_no_data_satellite_epochs = Some(no_data);
    }
    // The widest case (the combined one, or the only one) holds every satellite's tracking; a
    // satellite is monitored by its own system's stations only, so it is the same in every case.
    let cmp = match studies.last() {
        Some(r) => r.comparison.clone(),
        None => {
            let b = NetworkAnalysis::new(&samples, &base).tracking(min_st)?;
            let a = NetworkAnalysis::new(&samples, &aug).tracking(min_st)?;
            compare(&b, &a)?
        }
    };

    let mut sec = Section::new("Monitoring networks: baseline versus augmented");
    let added: Vec<&Station> = aug
        .stations()
        .iter()
        .filter(|st| base.station(&st.id).is_err())
        .collect();
    let removed: Vec<&Station> = base
        .stations()
        .iter()
        .filter(|st| aug.station(&st.id).is_err())
        .collect();
    sec.text(format!(
        "Baseline: {} stations. Augmented: {} stations ({} added: {}{}). A satellite is \
         *monitored* at an epoch when at least {} station(s) of its own system see it above \
         {}. Span: {} epochs every {} s ({:.1} h).",
        base.len(),
        aug.len(),
        added.len(),
        added
            .iter()
            .map(|st| format!("{} ({})", st.name, st.id))
            .collect::<Vec<_>>()
            .join(", "),
        if removed.is_empty() {
            String::new()
        } else {
            format!(
                "; removed: {}",
                removed
                    .iter()
                    .map(|st| st.id.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        min_st,
        super::common::station_mask_text(n.tracking_mask_deg),
        span.n_epochs,
        span.step_s(),
        span_h
    ));
    tracking_tables(ctx, &mut sec, &cmp, span_h)?;

    // Tracked-fraction bars, one chart per system.
    for sys in &systems {
        let v: Vec<_> = cmp
            .per_satellite
            .iter()
            .filter(|c| c.sat.constellation() == *sys)
            .collect();
        if v.is_empty() {
            continue;
        }
        let rel = format!("figures/tracked_{}.png", sys.letter());
        let rows: Vec<SatelliteRow> = v.iter().map(|c| SatelliteRow::from(*c)).collect();
        draw_tracked_fraction(
            &ctx.file(&rel)?,
            &format!("{}: time monitored per satellite", sys.name()),
            &rows,
            (base.name(), aug.name()),
        )?;
        sec.figure(
            rel,
            format!(
                "{}: fraction of the span each satellite is monitored, baseline and augmented",
                sys.name()
            ),
        );
    }
    // Ground tracks of the satellite gaining most in each system, with the stations.
    let mut tracks = Vec::new();
    for sys in &systems {
        let best = cmp
            .per_satellite
            .iter()
            .filter(|c| c.sat.constellation() == *sys)
            .max_by(|a, b| {
                a.delta_tracked_fraction()
                    .total_cmp(&b.delta_tracked_fraction())
            });
        if let Some(c) = best {
            if let Some(si) = samples.satellites().iter().position(|x| *x == c.sat) {
                let pts: Vec<(f64, f64)> = (0..span.n_epochs)
                    .filter_map(|i| samples.position_m(si, i))
                    .map(|r| {
                        let g = Ellipsoid::WGS84.to_geodetic(&r);
                        (g.lat_deg, g.lon_deg)
                    })
                    .collect();
                if !pts.is_empty() {
                    tracks.push(GroundTrack {
                        label: format!(
                            "{} (+{:.1} h monitored)",
                            c.sat,
                            c.delta_tracked_fraction() * span_h
                        ),
                        points: pts,
                    });
                }
            }
        }
    }
    let markers = study_markers(&base, &aug, &systems);
    if !tracks.is_empty() {
        let p = ctx.file("figures/ground_tracks.png")?;
        ground_tracks(
            &p,
            "Ground tracks of the satellites gaining most; stations (red = added)",
            &tracks,
            &markers,
        )?;
        sec.figure(
            "figures/ground_tracks.png",
            "Ground tracks over the span of the satellite gaining most monitored time in each \
             system. Stations: blue = GLONASS (or both), orange = BeiDou, red = added.",
        );
    }

    // User side on the grid, per case.
    let json_studies = if studies.is_empty() {
        Vec::new()
    } else {
        user_side(ctx, &mut sec, &studies, &cases)?
    };

    ctx.results.networks = Some(super::NetworksResults {
        baseline: super::NetworkStations {
            name: base.name().to_string(),
            stations: base.stations().to_vec(),
        },
        augmented: super::NetworkStations {
            name: aug.name().to_string(),
            stations: aug.stations().to_vec(),
        },
        span_hours: span_h,
        comparison: cmp,
        studies: json_studies,
    });
    ctx.sections.push(sec);
    Ok(())
}

fn tracking_tables(
    ctx: &mut Ctx<'_>,
    sec: &mut Section,
    cmp: &Comparison,
    span_h: f64,
) -> crate::Result<()> {
    let mut t = Table::new([
        "system",
        "satellites",
        "monitored (baseline → augmented)",
        "gain per satellite (h)",
        "≥ 4 stations",
        "mean longest gap (h)",
        "worst gap (h)",
    ]);
    for y in &cmp.per_system {
        t.row([
            y.constellation.name().to_string(),
            y.satellites.to_string(),
            pct_pair(
                Some(y.mean_tracked_fraction.0),
                Some(y.mean_tracked_fraction.1),
            ),
            format!(
                "{:+.2}",
                (y.mean_tracked_fraction.1 - y.mean_tracked_fraction.0) * span_h
            ),
            pct_pair(Some(y.mean_fraction_ge4.0), Some(y.mean_fraction_ge4.1)),
            format!(
                "{:.2} → {:.2}",
                y.mean_longest_gap_s.0 / 3600.0,
                y.mean_longest_gap_s.1 / 3600.0
            ),
            format!(
                "{:.2} → {:.2}",
                y.max_longest_gap_s.0 / 3600.0,
                y.max_longest_gap_s.1 / 3600.0
            ),
        ]);
        let v: Vec<_> = cmp
            .per_satellite
            .iter()
            .filter(|c| c.sat.constellation() == y.constellation)
            .collect();
        let best = v.iter().max_by(|a, b| {
            a.delta_tracked_fraction()
                .total_cmp(&b.delta_tracked_fraction())
        });
        let least = v.iter().min_by(|a, b| {
            a.delta_tracked_fraction()
                .total_cmp(&b.delta_tracked_fraction())
        });
        let gain_h = (y.mean_tracked_fraction.1 - y.mean_tracked_fraction.0) * span_h;
        let mut line = format!(
            "{} ({} satellites): monitored {:.1} % → {:.1} % of the time, {:+.2} h per \
             satellite over {:.1} h",
            y.constellation.name(),
            y.satellites,
            100.0 * y.mean_tracked_fraction.0,
            100.0 * y.mean_tracked_fraction.1,
            gain_h,
            span_h
        );
        if let (Some(b), Some(l)) = (best, least) {
            line.push_str(&format!(
                " (from {:+.2} h for {} to {:+.2} h for {})",
                l.delta_tracked_fraction() * span_h,
                l.sat,
                b.delta_tracked_fraction() * span_h,
                b.sat
            ));
        }
        line.push_str(&format!(
            "; seen by ≥ 4 stations at once {:.1} % → {:.1} %; the longest unmonitored gap \
             of any satellite goes from {:.1} h to {:.1} h.",
            100.0 * y.mean_fraction_ge4.0,
            100.0 * y.mean_fraction_ge4.1,
            y.max_longest_gap_s.0 / 3600.0,
            y.max_longest_gap_s.1 / 3600.0
        ));
        ctx.answer.push(line);
    }
    sec.text("Per system (means over its satellites):");
    sec.table(t);

    let rows: Vec<SatelliteRow> = cmp.per_satellite.iter().map(SatelliteRow::from).collect();
    let mut t = Table::new([
        "satellite",
        "kind",
        "monitored baseline",
        "augmented",
        "gain (h)",
        "longest gap (h)",
        "passes",
    ]);
    for r in &rows {
        t.row([
            r.sat.clone(),
            r.kind.clone(),
            pct(Some(r.tracked_baseline)),
            pct(Some(r.tracked_augmented)),
            format!("{:+.2}", r.delta_tracked * span_h),
            format!(
                "{:.2} → {:.2}",
                r.longest_gap_baseline_h, r.longest_gap_augmented_h
            ),
            format!("{} → {}", r.passes_baseline, r.passes_augmented),
        ]);
    }
    sec.text("Per satellite:");
    sec.table(t);
    if ctx.scenario.outputs.csv {
        let p = ctx.file("tracking_satellites.csv")?;
        write_csv(&p, &rows)?;
    }
    Ok(())
}

/// "b → a" of two fractions as percentages.
fn pct_pair(b: Option<f64>, a: Option<f64>) -> String {
    format!("{} → {}", pct(b), pct(a))
}

/// "b → a" of two numbers with `decimals` decimals.
fn num_pair(b: Option<f64>, a: Option<f64>, decimals: usize) -> String {
    format!("{} → {}", num(b, decimals), num(a, decimals))
}

/// Summaries of one coverage result over a region (`None` = whole grid) for both networks.
fn region_pair(
    r: &StudyResult,
    pick: impl Fn(&crate::network::NetworkOutcome) -> &CoverageResult,
    region: Option<&Region>,
) -> Option<(
    crate::coverage::CoverageSummary,
    crate::coverage::CoverageSummary,
)> {
    Some((
        pick(&r.baseline).summary(region)?,
        pick(&r.augmented).summary(region)?,
    ))
}

/// The predicted-error figure of a summary.
fn error_stats(s: &crate::coverage::CoverageSummary) -> Option<&crate::coverage::DopSummary> {
    s.get(DopKind::PositionErrorM)
}

/// The grid point (of `r`'s cells) where `value` is largest, with that value.
fn best_cell(r: &StudyResult, value: impl Fn(usize) -> Option<f64>) -> Option<(usize, f64)> {
    (0..r.cells.len())
        .filter_map(|i| value(i).map(|v| (i, v)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// Tables, answer lines and maps of the user side of every study; returns their JSON.
fn user_side(
    ctx: &mut Ctx<'_>,
    sec: &mut Section,
    studies: &[StudyResult],
    cases: &[StudyCase],
) -> crate::Result<Vec<super::NetworkStudy>> {
    let s = ctx.scenario;
    let thr = s.user.pdop_threshold;
    sec.text(format!(
        "What users gain, per case (area-weighted, baseline → augmented). Each system alone \
         uses its own satellites and the stations that track it; the combined case uses every \
         satellite and station. *Monitored availability*: PDOP ≤ {thr} using only the \
         satellites monitored at that instant. *Predicted 3-D error*: 1-σ position error with \
         every satellite weighted by its range error σ(age since last monitored), per-epoch \
         mean over the span. *Area better*: share of the area where monitored availability \
         rises / the mean predicted error falls by more than 1 mm."
    ));
    let mut t = Table::new([
        "case",
        "stations",
        "monitored satellites visible",
        "monitored availability",
        "area always available",
        "predicted 3-D error, mean (m)",
        "p95 (m)",
        "area better: availability / error",
    ]);
    for r in studies {
        let (b, a) = (&r.baseline.summary, &r.augmented.summary);
        t.row([
            r.label.clone(),
            format!("{} → {}", r.baseline.stations, r.augmented.stations),
            num_pair(
                Some(b.monitored_visible_mean),
                Some(a.monitored_visible_mean),
                1,
            ),
            pct_pair(
                Some(b.monitored_availability),
                Some(a.monitored_availability),
            ),
            pct_pair(
                Some(b.monitored_full_area_fraction),
                Some(a.monitored_full_area_fraction),
            ),
            num_pair(b.predicted_error_mean_m, a.predicted_error_mean_m, 2),
            num_pair(b.predicted_error_p95_m, a.predicted_error_p95_m, 2),
            format!(
                "{} / {}",
                pct(Some(r.area_availability_up)),
                pct(Some(r.area_error_down))
            ),
        ]);
    }
    sec.table(t);

    // Regional table, every case.
    let mut t = Table::new([
        "case",
        "region",
        "monitored availability",
        "area always available",
        "predicted 3-D error, mean (m)",
        "predicted 3-D error, p95 (m)",
    ]);
    let mut json_studies = Vec::new();
    for r in studies {
        let mut json_regions = Vec::new();
        let mut regions: Vec<(&str, Option<Region>)> = vec![("whole grid", None)];
        regions.extend(REGIONS.iter().map(|(n, r)| (*n, Some(*r))));
        for (name, reg) in &regions {
            let (Some((mb, ma)), Some((eb, ea))) = (
                region_pair(r, |o| &o.monitored, reg.as_ref()),
                region_pair(r, |o| &o.weighted, reg.as_ref()),
            ) else {
                continue;
            };
            let (xb, xa) = (error_stats(&eb), error_stats(&ea));
            t.row([
                r.label.clone(),
                name.to_string(),
                pct_pair(Some(mb.availability_mean), Some(ma.availability_mean)),
                pct_pair(
                    Some(mb.full_availability_area_fraction),
                    Some(ma.full_availability_area_fraction),
                ),
                num_pair(xb.map(|d| d.mean), xa.map(|d| d.mean), 2),
                num_pair(xb.map(|d| d.p95_mean), xa.map(|d| d.p95_mean), 2),
            ]);
            json_regions.push(super::RegionStudy {
                region: name.to_string(),
                bounds: *reg,
                monitored_baseline: mb,
                monitored_augmented: ma,
                error_baseline: eb,
                error_augmented: ea,
            });
        }
        let side = |o: &crate::network::NetworkOutcome| super::StudySide {
            network: o.network.clone(),
            stations: o.stations,
            summary: o.summary,
        };
        json_studies.push(super::NetworkStudy {
            label: r.label.clone(),
            systems: r.systems.clone(),
            baseline: side(&r.baseline),
            augmented: side(&r.augmented),
            area_availability_up: r.area_availability_up,
            area_availability_down: r.area_availability_down,
            area_error_down: r.area_error_down,
            area_error_up: r.area_error_up,
            regions: json_regions,
        });
    }
    sec.text("By region:");
    sec.table(t);

    for (r, case) in studies.iter().zip(cases) {
        let at = |i: usize| latlon(r.cells[i].site.lat_deg, r.cells[i].site.lon_deg);
        let (b, a) = (&r.baseline.summary, &r.augmented.summary);
        let mut line = format!(
            "Users of {} (monitored satellites only): PDOP ≤ {thr} availability {:.1} % → \
             {:.1} % of the time over the grid, higher over {:.1} % of the area (lower over \
             {:.1} %)",
            r.label,
            100.0 * b.monitored_availability,
            100.0 * a.monitored_availability,
            100.0 * r.area_availability_up,
            100.0 * r.area_availability_down
        );
        if let Some((i, d)) = best_cell(r, |i| Some(r.cells[i].delta_availability())) {
            if d > 0.0 {
                line.push_str(&format!(
                    ", most at {} (+{:.1} points, {:.1} % → {:.1} %)",
                    at(i),
                    100.0 * d,
                    100.0 * r.cells[i].availability_baseline,
                    100.0 * r.cells[i].availability_augmented
                ));
            }
        }
        line.push_str(&format!(
            "; predicted position error {} m → {} m, lower over {:.1} % of the area",
            num(b.predicted_error_mean_m, 2),
            num(a.predicted_error_mean_m, 2),
            100.0 * r.area_error_down
        ));
        if let Some((i, d)) = best_cell(r, |i| r.cells[i].delta_error_m().map(|d| -d)) {
            if d > 0.0 {
                line.push_str(&format!(
                    ", most at {} ({} m → {} m)",
                    at(i),
                    num(r.cells[i].error_baseline_m, 2),
                    num(r.cells[i].error_augmented_m, 2)
                ));
            }
        }
        ctx.answer.push(line + ".");

        // The files `compare-layouts --out DIR` writes for this case, in `networks/<case>/`.
        let dir = format!("{NETWORKS_DIR}/{}", r.dir_name());
        let maps = r.write_outputs(&mut |f| ctx.file(&format!("{dir}/{f}")), case)?;
        if s.outputs.maps {
            for (name, title) in maps {
                sec.figure(format!("{dir}/{name}"), title);
            }
        }
    }
    Ok(json_studies)
}
/// "15°S 129°W" style coordinates, whole degrees.
pub(crate) fn latlon(lat_deg: f64, lon_deg: f64) -> String {
    let lon = (lon_deg + 180.0).rem_euclid(360.0) - 180.0;
    format!(
        "{:.0}°{} {:.0}°{}",
        lat_deg.abs(),
        if lat_deg < 0.0 { "S" } else { "N" },
        lon.abs(),
        if lon < 0.0 { "W" } else { "E" }
    )
}
