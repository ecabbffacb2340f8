//! Stage `[timescales]`: BDT − GLONASST at each epoch from the broadcast offsets of a
//! navigation file, by every path the file allows (via UTC, via GPST, direct), and how well
//! the paths close.

use serde::Serialize;

use super::common::{file_names, list_paths, span};
use super::Ctx;

/// Sub-directory of the realised-time-scales files (those of `timescales --out`).
const REALISED_DIR: &str = "realised";
use crate::ephemeris::NavData;
use crate::report::plot::{time_series, Series};
use crate::report::write::write_csv;
use crate::scenario::report_md::{num, Section, Table};
use crate::time::{format_epoch, reconcile_bdt_glonasst, Scale};

#[derive(Serialize)]
struct Row {
    epoch: String,
    nominal_s: f64,
    via_utc_residual_ns: Option<f64>,
    via_gpst_residual_ns: Option<f64>,
    direct_residual_ns: Option<f64>,
    closure_ns: Option<f64>,
}

pub(crate) fn run(ctx: &mut Ctx<'_>) -> crate::Result<()> {
    let s = ctx.scenario;
    let Some(ts) = &s.timescales else {
        return Ok(());
    };
    ctx.start("timescales", 0);
    let nav = NavData::from_files(&ts.nav)?;
    let offsets = nav.offsets.clone();
    let epochs = if ts.epochs.is_empty() {
        span(s)?.epochs()
    } else {
        ts.epochs.clone()
    };
    let recs = epochs
        .iter()
        .map(|&e| reconcile_bdt_glonasst(e, &offsets))
        .collect::<Result<Vec<_>, _>>()?;
    // Epochs are shown in the scale the span was written in (UTC without a span).
    let shown = s.time.map_or(Scale::Utc, |t| t.scale);
    let rows: Vec<Row> = recs
        .iter()
        .map(|r| Row {
            epoch: format_epoch(shown, r.epoch),
            nominal_s: r.nominal_s,
            via_utc_residual_ns: r.via_utc_residual_ns,
            via_gpst_residual_ns: r.via_gpst_residual_ns,
            direct_residual_ns: r.direct_residual_ns,
            closure_ns: r.closure_ns,
        })
        .collect();

    let mut sec = Section::new("Time scales: BDT − GLONASST");
    sec.text(format!(
        "Broadcast offsets of `{}` (RINEX {}). Each column is BDT − GLONASST minus its \
         nominal whole-second value, in ns, by one path: via UTC (BDUT and GLUT), via GPST \
         (BDGP and GLGP), direct (BDGL). The closure is the largest difference between the \
         paths available at that epoch.",
        file_names(&ts.nav),
        offsets.rinex_version
    ));
    let mut t = Table::new([
        "epoch",
        "nominal (s)",
        "via UTC (ns)",
        "via GPST (ns)",
        "direct (ns)",
        "closure (ns)",
    ]);
    for r in &rows {
        t.row([
            r.epoch.clone(),
            format!("{}", r.nominal_s),
            num(r.via_utc_residual_ns, 2),
            num(r.via_gpst_residual_ns, 2),
            num(r.direct_residual_ns, 2),
            num(r.closure_ns, 2),
        ]);
    }
    sec.table(t);

    if s.outputs.csv {
        let p = ctx.file("timescales.csv")?;
        write_csv(&p, &rows)?;
    }
    // Figure: the three paths over time (hours from the first epoch).
    if recs.len() >= 2 {
        let t0 = recs[0].epoch;
        let mk = |label: &str, f: &dyn Fn(&crate::time::Reconciliation) -> Option<f64>| Series {
            label: label.to_string(),
            points: recs
                .iter()
                .filter_map(|r| f(r).map(|v| ((r.epoch - t0).to_seconds() / 3600.0, v)))
                .collect(),
        };
        let series: Vec<Series> = vec![
            mk("via UTC", &|r| r.via_utc_residual_ns),
            mk("via GPST", &|r| r.via_gpst_residual_ns),
            mk("direct (BDGL)", &|r| r.direct_residual_ns),
        ]
        .into_iter()
        .filter(|s| !s.points.is_empty())
        .collect();
        if !series.is_empty() {
            let p = ctx.file("figures/timescales.png")?;
            time_series(
                &p,
                "BDT − GLONASST − nominal, by path",
                &format!("hours from {t0}"),
                "ns",
                &series,
            )?;
            sec.figure(
                "figures/timescales.png",
                "BDT − GLONASST minus its nominal value, by broadcast path",
            );
        }
    }

    let closures: Vec<f64> = recs.iter().filter_map(|r| r.closure_ns).collect();
    let nominal = recs.first().map(|r| r.nominal_s);
    if let Some(n) = nominal {
        let mut line = format!(
            "BDT − GLONASST is nominally {n} s; at {} epochs the broadcast offsets give",
            recs.len()
        );
        if closures.is_empty() {
            let any = recs.iter().find_map(|r| {
                r.direct_residual_ns
                    .or(r.via_utc_residual_ns)
                    .or(r.via_gpst_residual_ns)
            });
            match any {
                Some(v) => line.push_str(&format!(
                    " a single path only (first value {v:.1} ns from nominal), so no closure check"
                )),
                None => line.push_str(" no path at all (the file lacks the needed offsets)"),
            }
        } else {
            let max = closures.iter().cloned().fold(0.0, f64::max);
            let mean = closures.iter().sum::<f64>() / closures.len() as f64;
            line.push_str(&format!(
                " paths that agree within {mean:.1} ns on average and {max:.1} ns at worst \
                 ({} epochs with two or more paths)",
                closures.len()
            ));
        }
        ctx.answer.push(line + ".");
    }
    let realised = realised_section(ctx, &mut sec, ts, &epochs)?;
    ctx.results.timescales = Some(super::TimescalesResults {
        nav: list_paths(&ts.nav),
        rinex_version: offsets.rinex_version,
        epochs: recs,
        realised,
    });
    ctx.sections.push(sec);
    ctx.finish("timescales");
    Ok(())
}

/// With precise clocks (`timescales.clk` / `timescales.sp3`): BDT − GLONASST as the
/// satellites realise it ([`crate::realised`]), per product and BeiDou group, against the
/// broadcast paths, with its uncertainty. `None` without precise clocks.
fn realised_section(
    ctx: &mut Ctx<'_>,
    sec: &mut Section,
    ts: &crate::scenario::Timescales,
    epochs: &[hifitime::Epoch],
) -> crate::Result<Option<crate::realised::RealisedSummary>> {
    use crate::realised::{realise_files, realised_uncertainty_ns, Group};
    if ts.clk.is_empty() && ts.sp3.is_empty() {
        return Ok(None);
    }
    let study = realise_files(&ts.nav, &ts.clk, &ts.sp3, epochs)?;
    // The files `timescales --out` writes, in `realised/`.
    if let (true, Some(&start)) = (ctx.scenario.outputs.csv, epochs.first()) {
        let scale = ctx.scenario.time.as_ref().map_or(Scale::Utc, |t| t.scale);
        study.write_outputs(
            &mut |name| ctx.file(&format!("{REALISED_DIR}/{name}")),
            scale,
            start,
        )?;
        sec.figure(
            format!("{REALISED_DIR}/timescales.png"),
            "BDT − GLONASST realised by each product per BeiDou group, and every broadcast path",
        );
    }
    let realisations = study.realisations;
    sec.text(
        "Realised by the satellites: per epoch, the precise clock minus the broadcast clock \
         of every healthy satellite (BeiDou with k·TGD1, both with the relativistic terms made \
         consistent), a robust mean per group, and BeiDou minus GLONASS; ns beyond the \
         nominal whole seconds. Each analysis centre fixes its own inter-system datum, so the \
         spread between products is part of the uncertainty.",
    );
    let mut t = Table::new([
        "product",
        "BeiDou group",
        "BDT − GLONASST (ns)",
        "standard error (ns)",
        "day SD (ns)",
    ]);
    for r in &realisations {
        for o in &r.offsets {
            t.row([
                r.product.clone(),
                o.bds_group.label().to_string(),
                num(Some(o.bdt_minus_glonasst_ns), 2),
                num(Some(o.std_error_ns), 2),
                num(Some(o.day_sd_ns), 2),
            ]);
        }
    }
    sec.table(t);
    if let Some(u) = realised_uncertainty_ns(&realisations, Group::Bds3) {
        let values: Vec<String> = realisations
            .iter()
            .filter_map(|r| {
                Some(format!(
                    "{:+.1} ns ({})",
                    r.offset(Group::Bds3)?.bdt_minus_glonasst_ns,
                    r.product
                ))
            })
            .collect();
        ctx.answer.push(format!(
            "Realised by precise clocks, BDT(BDS-3) − GLONASST is {} beyond nominal, \
             uncertainty {u:.1} ns (product spread and standard error).",
            values.join(", ")
        ));
    }
    Ok(Some(study.summary))
}
