//! Stage `[validation]`: broadcast orbits against precise orbits with
//! [`crate::orbit::validate::run_validation`] (the study `gnss-interop validate` runs) — radial, along-track, cross-track and 3-D
//! statistics per orbit group and per satellite.

use super::common::file_names;
use super::Ctx;
use crate::orbit::validate::{
    run_validation, RacStats, ValidationConfig, VALIDATION_GROUPS_CSV, VALIDATION_PER_SAT_CSV,
};
use crate::report::plot::bar_chart_pairs;
use crate::scenario::report_md::{num, Section, Table};

use super::ValidationRow as Row;

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
    ctx.start("validation: broadcast − precise", 0);
    let study = run_validation(&ValidationConfig {
        nav: v.nav.clone(),
        sp3: v.sp3.clone(),
        systems: v.systems.clone(),
        start: s.time.map(|t| t.start),
        end: s.time.map(|t| t.end),
        step_s: v.step_s,
    })?;
    ctx.finish("validation: broadcast − precise");
    let (val, epochs, step_s) = (study.validation, study.epochs, study.step_s);

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
        let per_sat = ctx.file(VALIDATION_PER_SAT_CSV)?;
        ctx.file(VALIDATION_GROUPS_CSV)?;
        let dir = per_sat.parent().unwrap_or(ctx.out).to_path_buf();
        val.write_csv(&dir)
            .map_err(|source| super::RunError::Io { path: dir, source })?;
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
    ctx.results.validation = Some(super::ValidationResults {
        test: val.test,
        reference: val.reference,
        epochs: val.epochs,
        step_s,
        groups,
        satellites: sats,
        skipped_satellite_epochs: skipped,
        only_in_broadcast: val.only_in_test,
        only_in_precise: val.only_in_reference,
    });
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
