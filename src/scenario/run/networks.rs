//! Stage `[networks]`: the baseline network against the augmented one — tracking of every
//! satellite by its own system's stations, and what it changes for users on the grid
//! (availability when only monitored satellites count; predicted position error when each
//! satellite is weighted by its age-of-data range error).

use hifitime::Duration;
use serde::Serialize;
use serde_json::json;

use super::common::{clock_model, user_mask, with_rows, MapGrid};
use super::coverage::{div_scale, seq_scale};
use super::{Ctx, RunError};
use crate::coverage::{CoverageResult, CoverageSummary, DopKind, Region};
use crate::frames::Ellipsoid;
use crate::id::Constellation;
use crate::network::{
    compare, coverage_config_for, error_weighted, monitored_only, Comparison, Network,
    NetworkAnalysis, OrbitSamples, RangeErrorModel, RangeErrorModels, TimeSpan,
};
use crate::orbit::OrbitSource;
use crate::report::plot::{
    bar_chart_pairs, ground_tracks, world_map, GroundTrack, MapStyle, Marker, Rgb,
};
use crate::report::write::write_csv;
use crate::scenario::report_md::{num, pct, Section, Table};
use crate::scenario::{ErrorModel, NetworkRef, Networks, Scenario};

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

fn load(r: &NetworkRef, systems: &[Constellation]) -> crate::Result<Network> {
    Ok(match r {
        NetworkRef::Catalog(n) => Network::builtin(n)?,
        NetworkRef::File(p) => {
            if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
                Network::from_csv_file(p, systems)?
            } else {
                Network::from_toml_file(p)?
            }
        }
    })
}

/// Baseline and augmented networks of the scenario, every station at the tracking mask.
pub(crate) fn build(n: &Networks, systems: &[Constellation]) -> crate::Result<(Network, Network)> {
    let parts = n
        .baseline
        .iter()
        .map(|r| load(r, systems))
        .collect::<crate::Result<Vec<_>>>()?;
    let extra = n
        .augmented
        .iter()
        .map(|r| load(r, systems))
        .collect::<crate::Result<Vec<_>>>()?;
    let refs: Vec<&Network> = parts.iter().collect();
    let base = Network::merged("baseline", &refs)?;
    let mut all: Vec<&Network> = parts.iter().collect();
    all.extend(extra.iter());
    let mut aug = Network::merged("augmented", &all)?;
    for a in &n.add {
        let st = crate::network::Station::new(
            &a.id,
            &a.name,
            crate::frames::Geodetic::new(a.lat_deg, a.lon_deg, a.height_m),
            &a.systems,
        )?;
        aug = aug.with_station(st)?;
    }
    for id in &n.remove {
        aug = aug.without_station(id)?;
    }
    let masked = |net: Network| -> crate::Result<Network> {
        let st = net
            .stations()
            .iter()
            .cloned()
            .map(|s| s.with_mask_deg(n.tracking_mask_deg))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Network::new(net.name(), st)?)
    };
    Ok((masked(base)?, masked(aug)?))
}

/// The network module's time span for the scenario's `[time]`.
pub(crate) fn network_span(s: &Scenario) -> Result<TimeSpan, RunError> {
    let t = super::common::span(s)?;
    Ok(TimeSpan {
        start: t.start,
        step: Duration::from_seconds(t.step_s),
        n_epochs: t.epoch_count(),
    })
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

#[derive(Serialize)]
struct SatRow {
    sat: String,
    kind: String,
    baseline_tracked_fraction: f64,
    augmented_tracked_fraction: f64,
    gain_hours: f64,
    baseline_longest_gap_h: f64,
    augmented_longest_gap_h: f64,
    baseline_passes: usize,
    augmented_passes: usize,
}

#[derive(Serialize)]
struct GridRow {
    lat_deg: f64,
    lon_deg: f64,
    monitored_availability_baseline: f64,
    monitored_availability_augmented: f64,
    position_error_mean_m_baseline: Option<f64>,
    position_error_mean_m_augmented: Option<f64>,
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

    ctx.start("networks: tracking", 0);
    let samples = OrbitSamples::new(src, span)?;
    let an_b = NetworkAnalysis::new(&samples, &base);
    let an_a = NetworkAnalysis::new(&samples, &aug);
    let rep_b = an_b.tracking(min_st)?;
    let rep_a = an_a.tracking(min_st)?;
    let cmp = compare(&rep_b, &rep_a)?;
    ctx.finish("networks: tracking");

    let mut sec = Section::new("Monitoring networks: baseline versus augmented");
    let added: Vec<&crate::network::Station> = aug
        .stations()
        .iter()
        .filter(|st| base.station(&st.id).is_err())
        .collect();
    let removed: Vec<&crate::network::Station> = base
        .stations()
        .iter()
        .filter(|st| aug.station(&st.id).is_err())
        .collect();
    sec.text(format!(
        "Baseline: {} stations. Augmented: {} stations ({} added: {}{}). A satellite is \
         *monitored* at an epoch when at least {} station(s) of its own system see it above \
         {}°. Span: {} epochs every {} s ({:.1} h).",
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
        n.tracking_mask_deg,
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
        let p = ctx.file(&rel)?;
        bar_chart_pairs(
            &p,
            &format!("{}: time monitored per satellite", sys.name()),
            "% of the span",
            &v.iter().map(|c| c.sat.to_string()).collect::<Vec<_>>(),
            &v.iter()
                .map(|c| 100.0 * c.baseline.tracked_fraction)
                .collect::<Vec<_>>(),
            &v.iter()
                .map(|c| 100.0 * c.augmented.tracked_fraction)
                .collect::<Vec<_>>(),
            ("baseline", "augmented"),
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
    let markers: Vec<Marker> = aug
        .stations()
        .iter()
        .map(|st| Marker {
            lat_deg: st.position.lat_deg,
            lon_deg: st.position.lon_deg,
            label: if base.station(&st.id).is_err() {
                st.id.clone()
            } else {
                String::new()
            },
            color: if base.station(&st.id).is_err() {
                Rgb::RED
            } else if st.tracks(Constellation::BeiDou) && !st.tracks(Constellation::Glonass) {
                Rgb::ORANGE
            } else {
                Rgb::BLUE
            },
        })
        .collect();
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

    // User side on the grid.
    let mut json_user = serde_json::Value::Null;
    if let Some(g) = &s.grid {
        let mg = MapGrid::new(g)?;
        let clock = clock_model(s.user.clock, s.user.isb_sigma_ns).ok_or_else(|| {
            RunError::Unsupported {
                scenario: s.name.clone(),
                message: "user.clock = \"known-offset\" needs user.isb_sigma_ns".into(),
            }
        })?;
        let mut cfg = coverage_config_for(&span, systems.clone());
        cfg.mask = user_mask(s)?;
        cfg.clock = clock;
        cfg.availability_pdop_max = s.user.pdop_threshold;
        cfg.dop_kinds = vec![DopKind::Pdop];
        let mt_b = an_b.monitoring_table(min_st)?;
        let mt_a = an_a.monitoring_table(min_st)?;
        let rows = mg.grid.n_rows();
        let mon_b = with_rows(
            ctx.progress,
            "networks: monitored users, baseline",
            rows,
            |p| monitored_only(&[src], &mg.grid, &cfg, &mt_b, p),
        )?;
        let mon_a = with_rows(
            ctx.progress,
            "networks: monitored users, augmented",
            rows,
            |p| monitored_only(&[src], &mg.grid, &cfg, &mt_a, p),
        )?;
        let models = error_models(&s.error_model)?;
        let mut cfg_e = cfg.clone();
        cfg_e.dop_kinds = vec![DopKind::Pdop, DopKind::PositionErrorM];
        let sig_b = mt_b.sigma_table(&models);
        let sig_a = mt_a.sigma_table(&models);
        let err_b = with_rows(
            ctx.progress,
            "networks: predicted error, baseline",
            rows,
            |p| error_weighted(&[src], &mg.grid, &cfg_e, &mt_b, &sig_b, p),
        )?;
        let err_a = with_rows(
            ctx.progress,
            "networks: predicted error, augmented",
            rows,
            |p| error_weighted(&[src], &mg.grid, &cfg_e, &mt_a, &sig_a, p),
        )?;
        json_user = user_side(
            ctx,
            &mut sec,
            &mg,
            [&mon_b, &mon_a, &err_b, &err_a],
            &markers,
        )?;
    }

    ctx.results.insert(
        "networks".into(),
        json!({
            "baseline": { "name": base.name(), "stations": base.stations() },
            "augmented": { "name": aug.name(), "stations": aug.stations() },
            "span_hours": span_h,
            "comparison": cmp,
            "users": json_user,
        }),
    );
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
            format!(
                "{} → {}",
                pct(Some(y.mean_tracked_fraction.0)),
                pct(Some(y.mean_tracked_fraction.1))
            ),
            format!(
                "{:+.2}",
                (y.mean_tracked_fraction.1 - y.mean_tracked_fraction.0) * span_h
            ),
            format!(
                "{} → {}",
                pct(Some(y.mean_fraction_ge4.0)),
                pct(Some(y.mean_fraction_ge4.1))
            ),
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

    let rows: Vec<SatRow> = cmp
        .per_satellite
        .iter()
        .map(|c| SatRow {
            sat: c.sat.to_string(),
            kind: c.baseline.kind.label(),
            baseline_tracked_fraction: c.baseline.tracked_fraction,
            augmented_tracked_fraction: c.augmented.tracked_fraction,
            gain_hours: c.delta_tracked_fraction() * span_h,
            baseline_longest_gap_h: c.baseline.longest_gap_s / 3600.0,
            augmented_longest_gap_h: c.augmented.longest_gap_s / 3600.0,
            baseline_passes: c.baseline.passes,
            augmented_passes: c.augmented.passes,
        })
        .collect();
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
            pct(Some(r.baseline_tracked_fraction)),
            pct(Some(r.augmented_tracked_fraction)),
            format!("{:+.2}", r.gain_hours),
            format!(
                "{:.2} → {:.2}",
                r.baseline_longest_gap_h, r.augmented_longest_gap_h
            ),
            format!("{} → {}", r.baseline_passes, r.augmented_passes),
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

fn summary_pair(
    b: &CoverageResult,
    a: &CoverageResult,
    r: Option<&Region>,
) -> Option<(CoverageSummary, CoverageSummary)> {
    Some((b.summary(r)?, a.summary(r)?))
}

/// Maps, tables and answer lines of the user-side comparison; returns its JSON.
fn user_side(
    ctx: &mut Ctx<'_>,
    sec: &mut Section,
    mg: &MapGrid,
    [mon_b, mon_a, err_b, err_a]: [&CoverageResult; 4],
    markers: &[Marker],
) -> crate::Result<serde_json::Value> {
    let s = ctx.scenario;
    let thr = s.user.pdop_threshold;
    let pe = |r: &CoverageResult| -> Vec<Option<f64>> {
        r.points.iter().map(|p| p.dop[1].mean).collect()
    };
    let av = |r: &CoverageResult| -> Vec<Option<f64>> {
        r.points
            .iter()
            .map(|p| Some(100.0 * p.availability))
            .collect()
    };
    let diff = |a: &[Option<f64>], b: &[Option<f64>]| -> Vec<Option<f64>> {
        a.iter().zip(b).map(|(x, y)| Some((*x)? - (*y)?)).collect()
    };
    let (av_b, av_a) = (av(mon_b), av(mon_a));
    let (pe_b, pe_a) = (pe(err_b), pe(err_a));
    let av_d = diff(&av_a, &av_b);
    let pe_d = diff(&pe_a, &pe_b);

    // Regional table.
    let mut t = Table::new([
        "region",
        "monitored availability",
        "area always available",
        "predicted 3-D error, mean (m)",
        "predicted 3-D error, p95 (m)",
    ]);
    let mut json_regions = Vec::new();
    let mut regions: Vec<(&str, Option<Region>)> = vec![("whole grid", None)];
    regions.extend(REGIONS.iter().map(|(n, r)| (*n, Some(*r))));
    for (name, r) in &regions {
        let (Some((mb, ma)), Some((eb, ea))) = (
            summary_pair(mon_b, mon_a, r.as_ref()),
            summary_pair(err_b, err_a, r.as_ref()),
        ) else {
            continue;
        };
        t.row([
            name.to_string(),
            format!(
                "{} → {}",
                pct(Some(mb.availability_mean)),
                pct(Some(ma.availability_mean))
            ),
            format!(
                "{} → {}",
                pct(Some(mb.full_availability_area_fraction)),
                pct(Some(ma.full_availability_area_fraction))
            ),
            format!("{} → {}", num(eb.dop[1].mean, 2), num(ea.dop[1].mean, 2)),
            format!(
                "{} → {}",
                num(eb.dop[1].p95_mean, 2),
                num(ea.dop[1].p95_mean, 2)
            ),
        ]);
        json_regions.push(json!({ "region": name, "bounds": r,
            "monitored_baseline": mb, "monitored_augmented": ma,
            "error_baseline": eb, "error_augmented": ea }));
    }
    sec.text(format!(
        "What users gain (area-weighted, baseline → augmented). *Monitored availability*: \
         PDOP ≤ {thr} using only the satellites monitored at that instant. *Predicted 3-D \
         error*: 1-σ position error with every satellite weighted by its range error \
         σ(age since last monitored), per-epoch mean over the span."
    ));
    sec.table(t);

    // Where it improves: area fractions and the best points.
    let w = &mon_b.weights;
    let wsum: f64 = w.iter().sum();
    let frac = |f: &dyn Fn(usize) -> bool| -> f64 {
        if wsum > 0.0 {
            (0..w.len()).filter(|&i| f(i)).map(|i| w[i]).sum::<f64>() / wsum
        } else {
            0.0
        }
    };
    let av_up = frac(&|i| av_d[i].is_some_and(|d| d >= 1.0));
    let av_down = frac(&|i| av_d[i].is_some_and(|d| d <= -1.0));
    let pe_better =
        frac(&|i| matches!((pe_d[i], pe_b[i]), (Some(d), Some(b)) if b > 0.0 && -d / b >= 0.10));
    let argmax = |v: &[Option<f64>], sign: f64| -> Option<(usize, f64)> {
        v.iter()
            .enumerate()
            .filter_map(|(i, x)| x.map(|x| (i, sign * x)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
    };
    let pts = mg.grid.geodetic();
    let at = |i: usize| latlon(pts[i].lat_deg, pts[i].lon_deg);
    let mut line = format!(
        "Users: with only monitored satellites, PDOP ≤ {thr} availability rises by ≥ 1 \
         percentage point over {:.1} % of the Earth's area (falls over {:.1} %)",
        100.0 * av_up,
        (100.0 * av_down).max(0.0)
    );
    if let Some((i, d)) = argmax(&av_d, 1.0) {
        if d > 0.0 {
            line.push_str(&format!(
                ", most at {} (+{:.1} points, {:.1} % → {:.1} %)",
                at(i),
                d,
                av_b[i].unwrap_or(0.0),
                av_a[i].unwrap_or(0.0)
            ));
        }
    }
    line.push_str(&format!(
        "; the predicted position error drops by ≥ 10 % over {:.1} % of the area",
        100.0 * pe_better
    ));
    if let Some((i, d)) = argmax(&pe_d, -1.0) {
        if d > 0.0 {
            line.push_str(&format!(
                ", most at {} ({:.2} m → {:.2} m)",
                at(i),
                pe_b[i].unwrap_or(f64::NAN),
                pe_a[i].unwrap_or(f64::NAN)
            ));
        }
    }
    ctx.answer.push(line + ".");

    if s.outputs.csv {
        let rows: Vec<GridRow> = (0..pts.len())
            .map(|i| GridRow {
                lat_deg: pts[i].lat_deg,
                lon_deg: pts[i].lon_deg,
                monitored_availability_baseline: mon_b.points[i].availability,
                monitored_availability_augmented: mon_a.points[i].availability,
                position_error_mean_m_baseline: pe_b[i],
                position_error_mean_m_augmented: pe_a[i],
            })
            .collect();
        let p = ctx.file("networks_points.csv")?;
        write_csv(&p, &rows)?;
    }
    if s.outputs.maps {
        // Common colour ranges for before/after so the two maps compare.
        let both_av: Vec<Option<f64>> = av_b.iter().chain(&av_a).copied().collect();
        let both_pe: Vec<Option<f64>> = pe_b.iter().chain(&pe_a).copied().collect();
        let maps = [
            (
                "monitored_availability_baseline",
                "Monitored availability, baseline",
                "% of time",
                av_b,
                seq_scale(&both_av),
            ),
            (
                "monitored_availability_augmented",
                "Monitored availability, augmented",
                "% of time",
                av_a,
                seq_scale(&both_av),
            ),
            (
                "monitored_availability_difference",
                "Monitored availability, augmented − baseline",
                "percentage points",
                av_d.clone(),
                div_scale(&av_d),
            ),
            (
                "position_error_baseline",
                "Predicted 3-D error (mean), baseline",
                "m",
                pe_b,
                seq_scale(&both_pe),
            ),
            (
                "position_error_augmented",
                "Predicted 3-D error (mean), augmented",
                "m",
                pe_a,
                seq_scale(&both_pe),
            ),
            (
                "position_error_difference",
                "Predicted 3-D error, augmented − baseline",
                "m",
                pe_d.clone(),
                div_scale(&pe_d),
            ),
        ];
        for (key, title, units, values, scale) in maps {
            let rel = format!("figures/{key}.png");
            let p = ctx.file(&rel)?;
            let style = MapStyle {
                title: title.to_string(),
                units_label: units.to_string(),
                color_scale: scale,
                markers: markers.to_vec(),
            };
            world_map(&p, &mg.field(values), &style)?;
            sec.figure(rel, title);
        }
    }
    Ok(json!({
        "area_fraction_availability_up_1pt": av_up,
        "area_fraction_availability_down_1pt": av_down,
        "area_fraction_error_down_10pct": pe_better,
        "regions": json_regions,
    }))
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
