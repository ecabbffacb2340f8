//! Stage coverage (`[grid]` and/or `[[sites]]`): DOP and availability for the user, with the
//! scenario's clock model or, with `compare_clocks`, all three side by side; maps of mean
//! PDOP, availability and visible satellites; site time series; a sky plot.

use super::common::{coverage_config, source_label, with_rows};
use super::{Ctx, RunError};
use crate::coverage::output::{
    grid_field, write_geotiff, write_outputs, write_points_csv, OutputOptions, PointFiles, RunInfo,
    COVERAGE_TIF, MAP_AVAILABILITY_PNG, MAP_PDOP_MEAN_PNG, POINTS_CSV,
};
use crate::coverage::{
    site_series, CoverageResult, DopKind, EpochSample, GridJob, GridRunner, GridSpec, SiteSeries,
};
use crate::frames::{Ellipsoid, Geodetic, Topocentric};
use crate::orbit::OrbitSource;
use crate::report::plot::{
    sky_plot, time_series, world_map, ColorScale, MapStyle, Series, SkyTrack,
};
use crate::scenario::report_md::{num, pct, Section, Table};
use crate::scenario::ClockChoice;
use crate::time::Scale;

const KINDS: [DopKind; 3] = [DopKind::Pdop, DopKind::Hdop, DopKind::Vdop];

/// Sub-directory of the grid run's artefacts (written by [`crate::coverage::output`]).
const COVERAGE_DIR: &str = "coverage";

fn clocks(s: &crate::scenario::Scenario) -> Vec<ClockChoice> {
    let mut v = vec![s.user.clock];
    if s.user.compare_clocks {
        for c in ClockChoice::ALL {
            if !v.contains(&c) && c.model(s.user.isb_sigma_ns).is_some() {
                v.push(c);
            }
        }
    }
    v
}

pub(crate) fn run(ctx: &mut Ctx<'_>, src: &dyn OrbitSource) -> crate::Result<()> {
    let s = ctx.scenario;
    let mut sec = Section::new("User coverage");
    let clocks = clocks(s);
    let isb = s.user.isb_sigma_ns;
    let mut json = super::CoverageResults::default();
    sec.text(format!(
        "Visible satellites, DOP and availability (PDOP ≤ {}) for a user with every \
         satellite of the source, no monitoring restriction. Clock model{}: {}.",
        s.user.pdop_threshold,
        if clocks.len() > 1 { "s" } else { "" },
        clocks
            .iter()
            .map(|&c| c.label(isb))
            .collect::<Vec<_>>()
            .join(", ")
    ));

    if let Some(g) = &s.grid {
        let full = g.build()?;
        // A shard computes its block of rows; the merge step gets the whole grid back.
        let grid = ctx.work.grid(&full);
        let mut t = Table::new([
            "clock model",
            "visible (mean)",
            "PDOP mean",
            "PDOP p95 (mean)",
            "availability",
            "area always available",
            "longest outage (min)",
        ]);
        let mut avail_by_clock = Vec::new();
        for (ci, &choice) in clocks.iter().enumerate() {
            let Some(model) = choice.model(isb) else {
                continue;
            };
            let cfg = coverage_config(s, model, KINDS.to_vec())?;
            let label = choice.label(isb);
            let res = with_rows(
                ctx.progress,
                &format!("coverage: grid ({label} clock)"),
                grid.n_rows(),
                |progress| {
                    ctx.work.run(GridJob {
                        sources: &[src],
                        grid: &grid,
                        cfg: &cfg,
                        filter: None,
                        progress,
                    })
                },
            )?;
            let Some(sum) = res.summary(None) else {
                continue;
            };
            // PDOP is among KINDS: absent only when no point had a solution ("-").
            let pdop_sum = sum.get(DopKind::Pdop);
            t.row([
                label.clone(),
                num(Some(sum.visible_mean), 1),
                num(pdop_sum.map(|d| d.mean), 2),
                num(pdop_sum.map(|d| d.p95_mean), 2),
                pct(Some(sum.availability_mean)),
                pct(Some(sum.full_availability_area_fraction)),
                num(Some(sum.longest_outage_s / 60.0), 0),
            ]);
            avail_by_clock.push((
                label.clone(),
                sum.availability_mean,
                pdop_sum.map(|d| d.mean),
            ));
            json.grid.push(super::GridCoverage {
                clock: label.clone(),
                config: cfg.clone(),
                summary: sum.clone(),
            });
            // Satellites without a state at any epoch, with the reason that holds over the
            // whole span (crate::orbit::span_absence_reason).
            let never: Vec<String> = res
                .satellites
                .iter()
                .filter(|r| r.missing_epochs as usize == res.epochs.len())
                .map(
                    |r| match r.span_reason.as_deref().or(r.first_error.as_deref()) {
                        Some(why) => format!("{} ({why})", r.sat),
                        None => r.sat.to_string(),
                    },
                )
                .collect();
            let never = if never.is_empty() {
                String::new()
            } else {
                format!(
                    " Without usable data over the whole span (left out): {}.",
                    never.join("; ")
                )
            };
            if ci == 0 && res.no_data_satellite_epochs == 0 && !never.is_empty() {
                ctx.answer.push(never.trim_start().to_string());
            }
            if ci == 0 && res.no_data_satellite_epochs > 0 {
                ctx.answer.push(format!(
                    "No orbit data: {} of the span's epochs were left out of every statistic \
                     ({} satellite-epochs outside the data; they are not counted as satellites \
                     out of view). The figures below are those of the {} covered epochs.{never}",
                    res.no_data_epochs,
                    res.no_data_satellite_epochs,
                    res.epochs.len()
                ));
            }
            if ci == 0 {
                ctx.answer.push(format!(
                    "User coverage ({} clock, {} grid points): {:.1} satellites visible on \
                     average, mean PDOP {}, PDOP ≤ {} for {:.1} % of the time \
                     (area-weighted), {:.1} % of the area always.",
                    label,
                    grid.len(),
                    sum.visible_mean,
                    num(pdop_sum.map(|d| d.mean), 2),
                    s.user.pdop_threshold,
                    100.0 * sum.availability_mean,
                    100.0 * sum.full_availability_area_fraction
                ));
                if ctx.reporting() {
                    write_grid(ctx, &mut sec, &res, choice, g)?;
                }
            }
        }
        sec.text("Grid summary (area-weighted over the grid):");
        sec.table(t);
        if avail_by_clock.len() > 1 {
            let parts: Vec<String> = avail_by_clock
                .iter()
                .map(|(l, a, p)| format!("{l}: {:.1} % (mean PDOP {})", 100.0 * a, num(*p, 2)))
                .collect();
            ctx.answer.push(format!(
                "Availability over the grid by clock model — {}.",
                parts.join("; ")
            ));
        }
    }

    // Sites are a handful of points: computed once, by the merge step.
    if !s.sites.is_empty() && ctx.reporting() {
        let sites: Vec<(String, Geodetic)> = s
            .sites
            .iter()
            .map(|x| {
                (
                    x.name.clone(),
                    Geodetic::new(x.lat_deg, x.lon_deg, x.height_m),
                )
            })
            .collect();
        let mut t = Table::new([
            "site",
            "clock model",
            "visible mean (min–max)",
            "PDOP mean",
            "PDOP p95",
            "PDOP max",
            "availability",
            "longest outage (min)",
        ]);
        for (ci, &choice) in clocks.iter().enumerate() {
            let Some(model) = choice.model(isb) else {
                continue;
            };
            let cfg = coverage_config(s, model, KINDS.to_vec())?;
            let label = choice.label(isb);
            let series = site_series(&[src], &sites, &cfg)?;
            let res = &series.result;
            for (site, p) in s.sites.iter().zip(&res.points) {
                let pdop_pt = p.get(DopKind::Pdop);
                t.row([
                    site.name.clone(),
                    label.clone(),
                    format!(
                        "{:.1} ({}–{})",
                        p.visible_mean, p.visible_min, p.visible_max
                    ),
                    num(pdop_pt.map(|d| d.mean), 2),
                    num(pdop_pt.map(|d| d.p95), 2),
                    num(pdop_pt.map(|d| d.max), 2),
                    pct(Some(p.availability)),
                    num(Some(p.longest_outage_s / 60.0), 0),
                ]);
                json.sites.push(super::SiteCoverage {
                    clock: label.clone(),
                    // The configuration the result was computed with (series points included).
                    config: res
                        .config
                        .as_deref()
                        .cloned()
                        .unwrap_or_else(|| cfg.clone()),
                    site: site.name.clone(),
                    stats: p.clone(),
                });
            }
            if ci == 0 {
                write_series(ctx, &mut sec, &series)?;
            }
        }
        sec.text("Sites:");
        sec.table(t);
    }

    if let (Some(name), true) = (&s.outputs.sky_plot_site, ctx.reporting()) {
        if let Some(site) = s.sites.iter().find(|x| &x.name == name) {
            let topo = Topocentric::new(
                Geodetic::new(site.lat_deg, site.lon_deg, site.height_m),
                &Ellipsoid::CGCS2000,
            );
            let span = super::common::span(s)?;
            let tracks: Vec<SkyTrack> = src
                .satellites()
                .iter()
                .filter_map(|&sat| {
                    let pts: Vec<(f64, f64)> = span
                        .epochs()
                        .into_iter()
                        .filter_map(|e| src.state_at(sat, e).ok())
                        .map(|st| {
                            let a = topo.az_el_range(&st.position_m);
                            (a.azimuth_deg, a.elevation_deg)
                        })
                        .collect();
                    pts.iter().any(|p| p.1 >= 0.0).then(|| SkyTrack {
                        label: sat.to_string(),
                        points: pts,
                    })
                })
                .collect();
            if !tracks.is_empty() {
                let rel = format!("figures/sky_{}.png", crate::outdir::slug(&site.name));
                let p = ctx.file(&rel)?;
                sky_plot(
                    &p,
                    &format!("Sky at {} ({} satellites rise)", site.name, tracks.len()),
                    &tracks,
                )?;
                sec.figure(rel, format!("Sky plot at {} over the span", site.name));
            }
        }
    }
    ctx.results.coverage = Some(json);
    ctx.sections.push(sec);
    Ok(())
}

/// Artefacts of the primary clock model's grid run, through [`crate::coverage::output`] into
/// `coverage/`: with maps, everything it writes (GeoTIFF, per-point CSV and GeoJSON cells as
/// `outputs.point_files` asks, summary JSON, mean-PDOP and availability maps) plus a map of the
/// mean number of visible satellites; with tables only, the GeoTIFF and the per-point CSV (as
/// `outputs.point_files` asks).
fn write_grid(
    ctx: &mut Ctx<'_>,
    sec: &mut Section,
    res: &CoverageResult,
    choice: ClockChoice,
    grid: &GridSpec,
) -> crate::Result<()> {
    let s = ctx.scenario;
    let point_files = match s.outputs.point_files {
        None => PointFiles::Auto,
        Some(true) => PointFiles::Always,
        Some(false) => PointFiles::Never,
    };
    if s.outputs.maps {
        let cfg = res.config.as_deref().ok_or_else(|| RunError::Unsupported {
            scenario: s.name.clone(),
            message: "the grid result does not carry its configuration".into(),
        })?;
        let scale = s.time.as_ref().map_or(Scale::Utc, |t| t.scale);
        let run = RunInfo::new(source_label(s), scale, cfg, *grid, choice, ctx.isb.as_ref())?;
        let options = OutputOptions::for_run(run, s.user.pdop_threshold, point_files);
        let written = write_outputs(res, ctx.out.join(COVERAGE_DIR), &options)?;
        ctx.files.extend(written.files);
        for (file, caption) in [
            (MAP_PDOP_MEAN_PNG, "Mean PDOP"),
            (
                MAP_AVAILABILITY_PNG,
                "Availability (share of epochs with PDOP ≤ threshold)",
            ),
        ] {
            if ctx.out.join(COVERAGE_DIR).join(file).is_file() {
                sec.figure(format!("{COVERAGE_DIR}/{file}"), caption);
            }
        }
        let field = grid_field(res, |p| Some(p.visible_mean))?;
        let rel = format!("{COVERAGE_DIR}/map_visible_mean.png");
        let p = ctx.file(&rel)?;
        let style = MapStyle {
            title: format!("Mean number of visible satellites — {}", options.title),
            units_label: "satellites".into(),
            color_scale: ColorScale::sequential_over(&field.values),
            markers: Vec::new(),
        };
        world_map(&p, &field, &style)?;
        sec.figure(rel, "Mean number of visible satellites");
    } else if s.outputs.csv {
        if point_files.wanted(res.points.len()) {
            let p = ctx.file(&format!("{COVERAGE_DIR}/{POINTS_CSV}"))?;
            write_points_csv(res, &p)?;
        }
        // The [grid] is a regular latitude × longitude grid.
        let tif = ctx.file(&format!("{COVERAGE_DIR}/{COVERAGE_TIF}"))?;
        write_geotiff(res, &tif)?;
    }
    Ok(())
}

/// Series CSV (the library's one site-series table) and time-series figures of the sites.
fn write_series(ctx: &mut Ctx<'_>, sec: &mut Section, series: &SiteSeries) -> crate::Result<()> {
    let s = ctx.scenario;
    let res = &series.result;
    let t0 = res.epochs.first().copied();
    let hours = |i: usize| match t0 {
        Some(t0) => (res.epochs[i] - t0).to_seconds() / 3600.0,
        None => 0.0,
    };
    if s.outputs.csv {
        let p = ctx.file("site_series.csv")?;
        let scale = super::common::span(s)?.scale;
        let write = || -> std::io::Result<()> {
            let mut w = std::io::BufWriter::new(std::fs::File::create(&p)?);
            series.write_csv(&mut w, scale)?;
            std::io::Write::flush(&mut w)
        };
        write().map_err(|source| super::RunError::Io { path: p, source })?;
    }
    let chosen: Vec<_> = res
        .series
        .iter()
        .filter(|ser| s.outputs.series_sites.contains(&s.sites[ser.point].name))
        .collect();
    if chosen.is_empty() || res.epochs.len() < 2 {
        return Ok(());
    }
    let x_label = format!("hours from {}", res.epochs[0]);
    // One line per chosen site: `value` at the epochs where it has one (a site without any
    // is left out).
    let lines = |value: &dyn Fn(&EpochSample) -> Option<f64>| -> Vec<Series> {
        chosen
            .iter()
            .map(|ser| Series {
                label: s.sites[ser.point].name.clone(),
                points: ser
                    .samples
                    .iter()
                    .enumerate()
                    .filter_map(|(i, x)| value(x).map(|v| (hours(i), v)))
                    .collect(),
            })
            .filter(|x| !x.points.is_empty())
            .collect()
    };
    let vis = lines(&|x| Some(f64::from(x.visible)));
    let p = ctx.file("figures/sites_visible.png")?;
    time_series(&p, "Visible satellites", &x_label, "satellites", &vis)?;
    sec.figure(
        "figures/sites_visible.png",
        "Visible satellites at the sites",
    );
    let pdop = lines(&|x| x.get(DopKind::Pdop));
    if !pdop.is_empty() {
        let p = ctx.file("figures/sites_pdop.png")?;
        time_series(&p, "PDOP", &x_label, "PDOP", &pdop)?;
        sec.figure("figures/sites_pdop.png", "PDOP at the sites");
    }
    Ok(())
}
