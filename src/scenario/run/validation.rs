//! Stage `[validation]`: broadcast orbits against precise orbits with
//! [`crate::orbit::validate::compare_sources`] — radial, along-track, cross-track and 3-D
//! statistics per orbit group and per satellite.

use hifitime::Duration;
use serde::Serialize;
use serde_json::json;

use super::common::file_names;
use super::Ctx;
use crate::ephemeris::Sp3Product;
use crate::orbit::broadcast::{BroadcastOptions, BroadcastSource};
use crate::orbit::filter::Restricted;
use crate::orbit::sp3::{Sp3Source, DEFAULT_ORDER};
use crate::orbit::validate::{compare_sources, RacStats};
use crate::report::plot::bar_chart_pairs;
use crate::report::write::write_csv;
use crate::scenario::report_md::{num, Section, Table};

#[derive(Serialize)]
struct Row {
    name: String,
    group: String,
    satellites: usize,
    n: usize,
    radial_mean_m: f64,
    radial_rms_m: f64,
    along_rms_m: f64,
    cross_rms_m: f64,
    rms_3d_m: f64,
    median_3d_m: f64,
    p95_3d_m: f64,
    max_3d_m: f64,
}

fn row(name: String, group: String, satellites: usize, s: &RacStats) -> Row {
    Row {
        name,
        group,
        satellites,
        n: s.norm_3d.n,
        radial_mean_m: s.radial.mean_m,
        radial_rms_m: s.radial.rms_m,
        along_rms_m: s.along.rms_m,
        cross_rms_m: s.cross.rms_m,
        rms_3d_m: s.norm_3d.rms_m,
        median_3d_m: s.norm_3d.median_m,
        p95_3d_m: s.norm_3d.p95_m,
        max_3d_m: s.norm_3d.max_m,
    }
}

fn md_table(rows: &[Row], first: &str) -> Table {
    let mut t = Table::new([
        first,
        "sats",
        "n",
        "R mean (m)",
        "R rms",
        "A rms",
        "C rms",
        "3-D rms",
        "3-D median",
        "3-D p95",
        "3-D max",
    ]);
    let f = |v: f64| num(Some(v), 2);
    for r in rows {
        t.row([
            r.name.clone(),
            r.satellites.to_string(),
            r.n.to_string(),
            f(r.radial_mean_m),
            f(r.radial_rms_m),
            f(r.along_rms_m),
            f(r.cross_rms_m),
            f(r.rms_3d_m),
            f(r.median_3d_m),
            f(r.p95_3d_m),
            f(r.max_3d_m),
        ]);
    }
    t
}

pub(crate) fn run(ctx: &mut Ctx<'_>) -> crate::Result<()> {
    let s = ctx.scenario;
    let Some(v) = &s.validation else {
        return Ok(());
    };
    ctx.start("validation: reading files", 0);
    let brdc = BroadcastSource::from_files(&v.nav, &v.systems, BroadcastOptions::default())?;
    let precise = Sp3Source::new(Sp3Product::from_files(&v.sp3)?, DEFAULT_ORDER)?;
    let interval_s = precise.product().epoch_interval_s;
    let (first, last) = precise.span();
    let precise = Restricted::to_systems(precise, &v.systems);
    ctx.finish("validation: reading files");
    // Epochs: the [time] span if given, else the SP3 file's span; every step_s, else every
    // SP3 epoch interval.
    let (start, end) = match &s.time {
        Some(t) => (t.start, t.end),
        None => (first, last),
    };
    let step_s = v.step_s.unwrap_or(interval_s);
    let n = ((end - start).to_seconds() / step_s + 1e-9)
        .floor()
        .max(0.0) as i64
        + 1;
    let epochs: Vec<_> = (0..n)
        .map(|i| start + Duration::from_seconds(step_s) * i)
        .collect();
    ctx.start("validation: broadcast − precise", 0);
    let val = compare_sources(&brdc, &precise, &epochs);
    ctx.finish("validation: broadcast − precise");

    let groups: Vec<Row> = val
        .groups
        .iter()
        .map(|g| row(g.group.label(), g.group.label(), g.sats.len(), &g.stats))
        .collect();
    let sats: Vec<Row> = val
        .per_sat
        .iter()
        .filter_map(|p| {
            let st = p.stats.as_ref()?;
            Some(row(
                p.sat.to_string(),
                p.group.map(|g| g.label()).unwrap_or_default(),
                1,
                st,
            ))
        })
        .collect();

    let mut sec = Section::new("Broadcast versus precise orbits");
    sec.text(format!(
        "Broadcast (`{}`) minus precise (`{}`) positions at {} epochs every {} s, on the \
         precise orbit's radial (R), along-track (A) and cross-track (C) axes, metres. \
         Broadcast orbits refer to the antenna phase centre and SP3 to the centre of mass: \
         the ≈ 1–2 m offset (mostly radial) is part of these figures.",
        file_names(&v.nav),
        file_names(&v.sp3),
        epochs.len(),
        step_s
    ));
    sec.table(md_table(&groups, "group"));
    let skipped: usize = val.per_sat.iter().map(|p| p.skipped.total()).sum();
    sec.text(format!(
        "Satellite-epochs skipped (a source without a state there): {skipped}. Only in the \
         broadcast file: {}. Only in the SP3 file: {}.",
        list(&val.only_in_test),
        list(&val.only_in_reference)
    ));
    sec.table(md_table(&sats, "satellite"));
    if s.outputs.csv {
        let p = ctx.file("validation_groups.csv")?;
        write_csv(&p, &groups)?;
        let p = ctx.file("validation_satellites.csv")?;
        write_csv(&p, &sats)?;
    }
    if !sats.is_empty() {
        let p = ctx.file("figures/validation_rms.png")?;
        bar_chart_pairs(
            &p,
            "Broadcast − precise per satellite",
            "m",
            &sats.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
            &sats.iter().map(|r| r.radial_rms_m).collect::<Vec<_>>(),
            &sats.iter().map(|r| r.rms_3d_m).collect::<Vec<_>>(),
            ("radial RMS", "3-D RMS"),
        )?;
        sec.figure(
            "figures/validation_rms.png",
            "Radial and 3-D RMS of broadcast − precise, per satellite",
        );
    }
    for g in &groups {
        ctx.answer.push(format!(
            "{}: broadcast orbits differ from the precise ones by {:.2} m 3-D RMS \
             ({:.2} m radial RMS, 95 % of epochs within {:.2} m; {} satellites).",
            g.name, g.rms_3d_m, g.radial_rms_m, g.p95_3d_m, g.satellites
        ));
    }
    ctx.results.insert(
        "validation".into(),
        json!({ "test": val.test, "reference": val.reference, "epochs": val.epochs,
                "step_s": step_s, "groups": groups, "satellites": sats,
                "skipped_satellite_epochs": skipped,
                "only_in_broadcast": val.only_in_test, "only_in_precise": val.only_in_reference }),
    );
    ctx.sections.push(sec);
    Ok(())
}

fn list(v: &[crate::id::SatId]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
